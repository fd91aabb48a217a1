import 'server-only';
import { z } from 'zod';
import type { Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import {
  insertRequestComment,
  listRequestCommentRows,
  type RequestComment,
} from '@/lib/db/queries/request-comments';
import { isStorableText, unstorableTextMessage } from '@/lib/iam/storable-text';
import { loadVisibleRequest } from '@/lib/requests/visible';
import { fail, invalidInput, ok, type Result } from '@/lib/result';

export type { RequestComment };

/** The longest comment kept (as the approval and rejection comments). */
export const maxCommentLength = 2000;

export const addRequestCommentSchema = z.object({
  requestId: z.string({ error: 'Request id is required' }).uuid('Request id is not valid'),
  body: z
    .string({ error: 'Write a comment' })
    .trim()
    .min(1, 'Write a comment')
    .max(maxCommentLength, `Comment must be at most ${maxCommentLength} characters`)
    .refine(isStorableText, `Comment ${unstorableTextMessage}`),
});
export type AddRequestCommentInput = z.input<typeof addRequestCommentSchema>;

/**
 * Adds a comment to a request, as `principal`: anyone who may see the request (its requester,
 * the approvers of its account, admins) may comment on it once it is submitted, in any state
 * after that, terminal ones included (a question about a rejection belongs beside it). A comment
 * changes nothing about the request and is kept for good. Returns `not_found` for a request the
 * principal may not see, `conflict` for a draft, `invalid_input` (under `body`) for an empty or
 * too long comment.
 */
export async function addRequestComment(
  principal: Principal,
  input: unknown,
): Promise<Result<RequestComment>> {
  const parsed = addRequestCommentSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error, 'Check the comment.');
  const db = await getDb();
  const request = await loadVisibleRequest(db, principal, parsed.data.requestId);
  if (!request) return fail('not_found', 'Request not found');
  if (request.state === 'draft')
    return fail('conflict', 'Submit the request first: a draft has nobody to read comments yet');
  return ok(
    await insertRequestComment(db, {
      requestId: request.id,
      authorId: principal.id,
      authorName: principal.name,
      body: parsed.data.body,
      requestVersion: request.version,
    }),
  );
}

/**
 * A request's comments, oldest first, for whoever may see the request; `not_found` otherwise (a
 * request the principal may not see looks like one that does not exist).
 */
export async function listRequestComments(
  principal: Principal,
  requestId: string,
): Promise<Result<RequestComment[]>> {
  if (!/^[0-9a-f-]{36}$/i.test(requestId)) return fail('not_found', 'Request not found');
  const db = await getDb();
  const request = await loadVisibleRequest(db, principal, requestId);
  if (!request) return fail('not_found', 'Request not found');
  return ok(await listRequestCommentRows(db, requestId));
}
