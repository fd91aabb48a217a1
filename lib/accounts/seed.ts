import 'server-only';
import { getDb } from '@/lib/db/client';
import { insertTargetAccounts } from '@/lib/db/queries/accounts';
import { insertGuardrails } from '@/lib/db/queries/guardrails';
import { inTransaction } from '@/lib/db/transaction';
import { defaultGuardrails } from '@/lib/iam/guardrail-check';
import { sandboxAccounts } from '@/lib/sandbox/seed-data';

/**
 * Seeds sandbox mode: the example organisation's target accounts and the default guardrails.
 * Idempotent: existing rows are left as they are (an admin may have edited them), so it is safe
 * to call at every start-up.
 */
export async function seedSandboxData(): Promise<void> {
  await inTransaction(await getDb(), async (tx) => {
    await insertTargetAccounts(
      tx,
      sandboxAccounts
        .filter((account) => account.isTarget)
        .map((account) => ({
          id: account.id,
          alias: account.alias,
          environment: account.environment,
          color: account.color.toUpperCase(),
          provisionerRoleArn: null,
          externalId: null,
        })),
    );
    await insertGuardrails(tx, { config: defaultGuardrails, updatedBy: 'system:seed' });
  });
}
