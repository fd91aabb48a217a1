import 'server-only';
import { getDb } from '@/lib/db/client';
import { defaultGuardrails } from '@/lib/requests/guardrails';
import { sandboxAccounts } from '@/lib/sandbox/seed-data';

/**
 * Seeds sandbox mode: the example organisation's target accounts and the default guardrails.
 * Idempotent: existing rows are left as they are (an admin may have edited them), so it is safe
 * to call at every start-up.
 */
export async function seedSandboxData(): Promise<void> {
  const db = await getDb();
  await db.transaction().execute(async (tx) => {
    const targets = sandboxAccounts.filter((account) => account.isTarget);
    if (targets.length > 0) {
      await tx
        .insertInto('target_accounts')
        .values(
          targets.map((account) => ({
            id: account.id,
            alias: account.alias,
            environment: account.environment,
            color: account.color.toUpperCase(),
            provisioner_role_arn: null,
            external_id: null,
          })),
        )
        .onConflict((conflict) => conflict.doNothing())
        .execute();
    }
    await tx
      .insertInto('guardrails')
      .values({ id: 1, config: JSON.stringify(defaultGuardrails), version: 1, updated_by: 'system:seed' })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .execute();
  });
}
