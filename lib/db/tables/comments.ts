import type { ColumnType, Generated } from 'kysely';

/** A comment on a request, by its requester or an approver (owned by `lib/requests/comments.ts`). */
export interface RequestCommentsTable {
  id: Generated<string>;
  request_id: string;
  author_id: string;
  /** The author's name when they wrote. */
  author_name: string;
  body: string;
  request_version: number;
  at: ColumnType<Date, Date | string | undefined, never>;
}

export interface CommentTables {
  request_comments: RequestCommentsTable;
}
