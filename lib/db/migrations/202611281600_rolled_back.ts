import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The terminal request state `rolled_back`: a failed role creation whose created parts a rollback
 * removed. The open-request index (`requests_one_open_per_role_idx`) leaves it out already, so a
 * rolled-back request frees its role name.
 */
export const rolledBackMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await sql`
      alter table requests
        drop constraint requests_state_check,
        add constraint requests_state_check check (state in (
          'draft', 'pending', 'approved', 'provisioning', 'provisioned',
          'rejected', 'cancelled', 'failed', 'rolled_back'))`.execute(db);
  },
};
