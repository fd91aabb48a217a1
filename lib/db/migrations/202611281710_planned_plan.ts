import type { Kysely, Migration } from 'kysely';

/**
 * The plan fixed when a job is queued waits in `planned_plan` until a worker claims the job (the
 * claim makes it the job's `plan`): a worker of the previous version takes a job whose `plan` is
 * set for one it resumes, and would run it without recording its intents.
 */
export const plannedPlanMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('provisioning_jobs').addColumn('planned_plan', 'jsonb').execute();
  },
};
