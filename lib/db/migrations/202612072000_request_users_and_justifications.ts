import { sql, type Kysely, type Migration } from 'kysely';

/**
 * What the create-role wizard adds to a request: the requester's justification of each security
 * warning and risk flag (`flag_justifications`, keyed by flag key), the people besides the
 * requester who will use the role (`role_users`, lower-cased e-mail addresses), and the rejected
 * request a new one was started from (`from_request_id`: a link only; the old request stays
 * rejected). Never edit this file once released; add a new migration instead.
 */
export const requestUsersAndJustificationsMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .alterTable('requests')
      .addColumn('flag_justifications', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('role_users', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
      .addColumn('from_request_id', 'uuid', (col) => col.references('requests.id').onDelete('set null'))
      .execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
  async down(db: Kysely<any>): Promise<void> {
    await db.schema
      .alterTable('requests')
      .dropColumn('flag_justifications')
      .dropColumn('role_users')
      .dropColumn('from_request_id')
      .execute();
  },
};
