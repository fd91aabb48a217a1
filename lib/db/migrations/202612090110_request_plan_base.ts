import type { Kysely, Migration } from 'kysely';

/**
 * `requests.plan_base_spec`: the role a change is planned from when that is not its `base_spec`
 * (the base its diff is shown against). An owner's adoption of a drifted role shows its diff from
 * the record but is planned from the live role as read, so that it writes nothing IAM already has.
 * Null for every other request. Never edit this file once released; add a new migration instead.
 */
export const requestPlanBaseMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('requests').addColumn('plan_base_spec', 'jsonb').execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('requests').dropColumn('plan_base_spec').execute();
  },
};
