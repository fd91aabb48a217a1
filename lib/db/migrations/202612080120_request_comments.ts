import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Comments on a request, from its requester and its approvers: a conversation beside the audit
 * trail (a comment changes nothing about the request). Evidence like the audit trail, so the
 * database refuses to change or delete a comment, or to truncate the table. The author's name is
 * kept as it was when they wrote (as `approvals.approver_name`). Never edit this file once
 * released; add a new migration instead.
 */
export const requestCommentsMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('request_comments')
      .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('request_id', 'uuid', (col) => col.notNull().references('requests.id'))
      .addColumn('author_id', 'text', (col) => col.notNull())
      .addColumn('author_name', 'text', (col) => col.notNull())
      .addColumn('body', 'text', (col) => col.notNull())
      // The request's version when the comment was posted: a comment is about what was shown then.
      .addColumn('request_version', 'integer', (col) => col.notNull())
      .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema
      .createIndex('request_comments_request_idx')
      .on('request_comments')
      .columns(['request_id', 'id'])
      .execute();
    await sql`
      create function request_comments_immutable() returns trigger language plpgsql as $$
      begin
        raise exception 'request_comments is append-only: % is not allowed', tg_op
          using errcode = 'insufficient_privilege';
      end
      $$`.execute(db);
    await sql`
      create trigger request_comments_no_update_delete
      before update or delete on request_comments
      for each row execute function request_comments_immutable()`.execute(db);
    await sql`
      create trigger request_comments_no_truncate
      before truncate on request_comments
      for each statement execute function request_comments_immutable()`.execute(db);
  },
};
