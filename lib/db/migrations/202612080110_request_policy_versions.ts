import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The default version of each customer managed policy a request attaches (and of a customer
 * managed permissions boundary), read from the target account at submission and at each edit of
 * a pending request: `[{ "arn": …, "versionId": "v3" }]`. Their content is not in the spec's
 * hash, so the preflight compares these with the account's default versions before provisioning.
 * Never edit this file once released; add a new migration instead.
 */
export const requestPolicyVersionsMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .alterTable('requests')
      .addColumn('managed_policy_versions', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
      .execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('requests').dropColumn('managed_policy_versions').execute();
  },
};
