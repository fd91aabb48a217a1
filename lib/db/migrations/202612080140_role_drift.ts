import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Drift checks of the roles the portal provisioned (`role_drift`, one row per provisioned role):
 * the last result (`state`: matches, drifted or unknown, with the differences' summary or the
 * reason it could not be checked), against which version of the record (`request_id`: a later
 * change makes the result stale), when it was checked, when it is due again, and the lease of the
 * worker checking it now. Never edit this file once released; add a new migration instead.
 */
export const roleDriftMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('role_drift')
      .addColumn('provisioned_role_id', 'bigint', (col) =>
        col.primaryKey().references('provisioned_roles.id').onDelete('cascade'),
      )
      .addColumn('request_id', 'uuid', (col) => col.references('requests.id').onDelete('cascade'))
      .addColumn('state', 'text', (col) => col.check(sql`state in ('matches', 'drifted', 'unknown')`))
      .addColumn('differences', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
      .addColumn('reason', 'text')
      .addColumn('checked_at', 'timestamptz')
      .addColumn('next_check_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', 'timestamptz')
      .execute();
    await db.schema
      .createIndex('role_drift_next_check_idx')
      .on('role_drift')
      .column('next_check_at')
      .execute();
    await db.schema.createIndex('role_drift_state_idx').on('role_drift').column('state').execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('role_drift').execute();
  },
};
