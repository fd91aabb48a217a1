import { sql, type Kysely, type Migration } from 'kysely';

/** At most one open request per role (account and case-insensitive name), enforced by the database. */
export const openRequestPerRoleMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await sql`
      create unique index requests_one_open_per_role_idx
      on requests (account_id, lower(role_name))
      where state in ('draft', 'pending', 'approved', 'provisioning', 'failed')`.execute(db);
  },
};
