import 'server-only';
import type { Db } from '@/lib/db/schema';

/** Data access of `request_comments` (append-only: the database refuses changes and deletes). */

/** A comment on a request, as `lib/requests/comments.ts` returns it. */
export interface RequestComment {
  id: string;
  requestId: string;
  authorId: string;
  authorName: string;
  body: string;
  requestVersion: number;
  at: Date;
}

export interface NewRequestComment {
  requestId: string;
  authorId: string;
  authorName: string;
  body: string;
  requestVersion: number;
}

/** Appends one comment and returns it as stored. */
export async function insertRequestComment(db: Db, comment: NewRequestComment): Promise<RequestComment> {
  const row = await db
    .insertInto('request_comments')
    .values({
      request_id: comment.requestId,
      author_id: comment.authorId,
      author_name: comment.authorName,
      body: comment.body,
      request_version: comment.requestVersion,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toComment(row);
}

/** A request's comments, oldest first. */
export async function listRequestCommentRows(db: Db, requestId: string): Promise<RequestComment[]> {
  const rows = await db
    .selectFrom('request_comments')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
  return rows.map(toComment);
}

/** Names of portal users by id (ids not found are left out). */
export async function listUserNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

function toComment(row: {
  id: string;
  request_id: string;
  author_id: string;
  author_name: string;
  body: string;
  request_version: number;
  at: Date;
}): RequestComment {
  return {
    id: String(row.id),
    requestId: row.request_id,
    authorId: row.author_id,
    authorName: row.author_name,
    body: row.body,
    requestVersion: row.request_version,
    at: row.at,
  };
}
