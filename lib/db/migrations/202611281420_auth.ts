import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Sign-in and access control: the people who signed in, the portal roles assigned to a person or
 * to an identity-provider group, and the rate-limit counters shared by every instance. Never edit
 * this file once released; add a new migration instead.
 */
export const authMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('email', 'text', (col) => col.notNull().check(sql`email = lower(email)`))
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('groups', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'::text[]`))
      .addColumn('last_sign_in_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema.createIndex('users_email_idx').on('users').column('email').execute();

    await db.schema
      .createTable('portal_role_assignments')
      .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('subject_kind', 'text', (col) =>
        col.notNull().check(sql`subject_kind in ('person', 'group')`),
      )
      .addColumn('subject', 'text', (col) => col.notNull())
      .addColumn('role', 'text', (col) => col.notNull().check(sql`role in ('approver', 'admin')`))
      .addColumn('account_ids', sql`text[]`)
      .addColumn('granted_by', 'text', (col) => col.notNull())
      .addColumn('granted_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addCheckConstraint(
        'portal_role_assignments_admin_all_accounts',
        sql`role = 'approver' or account_ids is null`,
      )
      .execute();
    await db.schema
      .createIndex('portal_role_assignments_subject_idx')
      .on('portal_role_assignments')
      .columns(['subject_kind', 'subject'])
      .execute();

    await db.schema
      .createTable('rate_limit_counters')
      .addColumn('key', 'text', (col) => col.notNull())
      .addColumn('window_start', 'timestamptz', (col) => col.notNull())
      .addColumn('count', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('rate_limit_counters_pk', ['key', 'window_start'])
      .execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('rate_limit_counters').execute();
    await db.schema.dropTable('portal_role_assignments').execute();
    await db.schema.dropTable('users').execute();
  },
};
