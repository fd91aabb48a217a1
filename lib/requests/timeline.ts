import 'server-only';
import type { Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import {
  listRequestCommentRows,
  listUserNames,
  type RequestComment,
} from '@/lib/db/queries/request-comments';
import { listRequestEvents } from '@/lib/db/queries/request-events';
import type { RequestEvent, RequestState } from '@/lib/requests/model';
import { loadVisibleRequest } from '@/lib/requests/visible';
import { fail, ok, type Result } from '@/lib/result';

/** One line of a request's timeline: an audit event (a state change) or a comment. */
export type TimelineEntry =
  | {
      kind: 'event';
      id: string;
      at: Date;
      actorId: string;
      actorName: string;
      from: RequestState | null;
      to: RequestState;
      reason: string | null;
      requestVersion: number;
    }
  | {
      kind: 'comment';
      id: string;
      at: Date;
      actorId: string;
      actorName: string;
      body: string;
      requestVersion: number;
    };

/** What the timeline calls Rolesmith itself (the provisioner and other `system:` actors). */
export const systemActorName = 'Rolesmith';

/** The name an actor id is shown with: the person's name, Rolesmith for the system, else the id. */
export function actorNameOf(actorId: string, names: ReadonlyMap<string, string>): string {
  if (actorId.startsWith('system:')) return systemActorName;
  return names.get(actorId) ?? actorId;
}

/**
 * The audit events and comments of a request in one list, in time order (an event and a comment
 * at the same instant: the event first, as it is what the comment is about). Pure.
 */
export function mergeTimeline(
  events: readonly RequestEvent[],
  comments: readonly RequestComment[],
  names: ReadonlyMap<string, string>,
): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...events.map((event): TimelineEntry => ({
      kind: 'event',
      id: `event-${event.id}`,
      at: event.at,
      actorId: event.actorId,
      actorName: actorNameOf(event.actorId, names),
      from: event.from,
      to: event.to,
      reason: event.reason,
      requestVersion: event.requestVersion,
    })),
    ...comments.map((comment): TimelineEntry => ({
      kind: 'comment',
      id: `comment-${comment.id}`,
      at: comment.at,
      actorId: comment.authorId,
      // The name as the author was called when they wrote; a later rename shows in events only.
      actorName: comment.authorName,
      body: comment.body,
      requestVersion: comment.requestVersion,
    })),
  ];
  // A stable sort: events keep their order, then comments theirs, at equal times.
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * A request's timeline (every audit event with who, when, from and to and the reason, and every
 * comment), oldest first, actor ids resolved to names; `not_found` for a request the principal
 * may not see.
 */
export async function getRequestTimeline(
  principal: Principal,
  requestId: string,
): Promise<Result<TimelineEntry[]>> {
  if (!/^[0-9a-f-]{36}$/i.test(requestId)) return fail('not_found', 'Request not found');
  const db = await getDb();
  const request = await loadVisibleRequest(db, principal, requestId);
  if (!request) return fail('not_found', 'Request not found');
  const [events, comments] = await Promise.all([
    listRequestEvents(db, requestId),
    listRequestCommentRows(db, requestId),
  ]);
  const names = await listUserNames(db, [...new Set(events.map((event) => event.actorId))]);
  return ok(mergeTimeline(events, comments, names));
}
