import 'server-only';
import { preflightRequest } from '@/lib/provisioning/preflight';
import { queueProvisioning, wakeProvisioningWorker } from '@/lib/provisioning/service';
import type { ApprovalHooks } from '@/lib/requests/approve';

/**
 * The portal's approval hooks: the preflight reads the target account through `lib/aws` (the
 * emulator in sandbox mode, the provisioner role in aws mode), the provisioning job is queued by
 * `lib/provisioning` in the approval's transaction, and this process's worker is woken once that
 * transaction has committed. `approveRequest` and `retryRequest` use these unless a test passes
 * its own.
 */
export const portalApprovalHooks: ApprovalHooks = {
  preflight: preflightRequest,
  enqueueProvisioning: queueProvisioning,
  afterCommit: wakeProvisioningWorker,
};
