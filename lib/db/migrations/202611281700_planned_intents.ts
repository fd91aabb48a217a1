import type { Kysely, Migration } from 'kysely';

/**
 * A job's plan is fixed when it is queued (in the approval's, retry's or rollback's transaction),
 * with the intents its first claim records: `planned_intents` holds those intents until then.
 */
export const plannedIntentsMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('provisioning_jobs').addColumn('planned_intents', 'jsonb').execute();
  },
};
