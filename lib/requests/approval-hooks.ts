import 'server-only';
import { getTargetAccount } from '@/lib/accounts/accounts';
import { getAccountClients } from '@/lib/aws/account-clients';
import { enqueueProvisioning } from '@/lib/provisioning/jobs';
import { preflightCheck } from '@/lib/provisioning/preflight';
import type { ApprovalHooks } from '@/lib/requests/approve';
import { fail, ok } from '@/lib/result';

/**
 * The portal's approval hooks: the preflight reads the target account through `lib/aws` (the
 * emulator in sandbox mode, the provisioner role in aws mode), and the provisioning job is queued
 * with `lib/provisioning`. `approveRequest` and `retryRequest` use these unless a test passes
 * its own.
 */
export const portalApprovalHooks: ApprovalHooks = {
  preflight: async (request) => {
    const account = await getTargetAccount(request.accountId);
    if (!account) return fail('invalid_input', `Account ${request.accountId} is no longer a target account`);
    const { iam } = await getAccountClients({
      accountId: account.id,
      provisionerRoleArn: account.provisionerRoleArn,
      externalId: account.externalId,
    });
    const checked = await preflightCheck(iam, request);
    return checked.ok ? ok(null) : checked;
  },
  enqueueProvisioning: async (tx, requestId) => {
    await enqueueProvisioning(tx, requestId);
  },
};
