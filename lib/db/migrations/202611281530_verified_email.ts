import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Whether the identity provider verified a user's e-mail (`email_verified`). Roles assigned to a
 * person, and the bootstrap admins, match a verified e-mail only, and a verified e-mail belongs to
 * one user at most. Existing users start unverified until their next sign-in records the claim.
 * Never edit this file once released; add a new migration instead.
 */
export const verifiedEmailMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .alterTable('users')
      .addColumn('email_verified', 'boolean', (col) => col.notNull().defaultTo(false))
      .execute();
    await sql`create unique index users_verified_email_key on users (email) where email_verified`.execute(db);
  },
};
