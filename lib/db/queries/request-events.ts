import 'server-only';
import type { Db, Tx } from '@/lib/db/schema';
import type { RequestState } from '@/lib/db/tables/core';
import type { RequestEvent } from '@/lib/requests/model';

/**
 * Data access of `request_events`, the append-only audit trail of requests (the audit log's own
 * filtered listing is `audit.ts`). Transitions append their event in the same statement as the
 * state change: see `transitionCtes` in `requests.ts`.
 */

/** An audit event as appended. */
export interface NewRequestEvent {
  requestId: string;
  actorId: string;
  from: RequestState | null;
  to: RequestState;
  reason: string | null;
  requestVersion: number;
  specSha256: string;
}

/** Appends one audit event (the database refuses to change or delete it afterwards). */
export async function insertRequestEvent(tx: Tx, event: NewRequestEvent): Promise<void> {
  await tx
    .insertInto('request_events')
    .values({
      request_id: event.requestId,
      actor_id: event.actorId,
      from_state: event.from,
      to_state: event.to,
      reason: event.reason,
      request_version: event.requestVersion,
      spec_sha256: event.specSha256,
    })
    .execute();
}

/** A request's audit events, oldest first. */
export async function listRequestEvents(db: Db, requestId: string): Promise<RequestEvent[]> {
  const rows = await db
    .selectFrom('request_events')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: String(row.id),
    actorId: row.actor_id,
    at: row.at,
    from: row.from_state,
    to: row.to_state,
    reason: row.reason,
    requestVersion: row.request_version,
    specSha256: row.spec_sha256,
  }));
}
