import 'server-only';
import type { Db } from '@/lib/db/schema';
import type { RequestState } from '@/lib/db/tables/core';

/** One immutable event of a request's audit trail, with the request and the actor it names. */
export interface AuditEvent {
  /** Increases with every event appended (the order events were committed in). */
  id: string;
  at: Date;
  actorId: string;
  /** The actor's name and e-mail when the actor is a portal user (not e.g. a worker). */
  actorName: string | null;
  actorEmail: string | null;
  requestId: string;
  roleName: string;
  accountId: string;
  /** The account's alias, while it is a target account. */
  accountAlias: string | null;
  from: RequestState | null;
  to: RequestState;
  reason: string | null;
  requestVersion: number;
  specSha256: string;
}

export interface AuditEventFilter {
  requestId?: string;
  /** A portal user id, or an e-mail address (case-insensitive). */
  actor?: string;
  /** Events that moved a request into this state. */
  state?: RequestState;
  /** Keyset cursor: only events older than this event id. */
  beforeId?: string;
  limit: number;
}

/** Audit events joined with their request, actor and account (every column {@link toAuditEvent} reads). */
export function auditEventsQuery(db: Db) {
  return db
    .selectFrom('request_events as e')
    .innerJoin('requests as r', 'r.id', 'e.request_id')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .leftJoin('target_accounts as a', 'a.id', 'r.account_id')
    .select([
      'e.id',
      'e.at',
      'e.actor_id',
      'u.name as actor_name',
      'u.email as actor_email',
      'e.request_id',
      'r.role_name',
      'r.account_id',
      'a.alias as account_alias',
      'e.from_state',
      'e.to_state',
      'e.reason',
      'e.request_version',
      'e.spec_sha256',
    ]);
}

type AuditEventRow = Awaited<ReturnType<ReturnType<typeof auditEventsQuery>['execute']>>[number];

/** The domain event of a row of {@link auditEventsQuery}. */
export function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: String(row.id),
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    actorEmail: row.actor_email,
    requestId: row.request_id,
    roleName: row.role_name,
    accountId: row.account_id,
    accountAlias: row.account_alias,
    from: row.from_state,
    to: row.to_state,
    reason: row.reason,
    requestVersion: row.request_version,
    specSha256: row.spec_sha256,
  };
}

/** Audit events matching the filter, newest first, at most `limit`. */
export async function listAuditEvents(db: Db, filter: AuditEventFilter): Promise<AuditEvent[]> {
  let query = auditEventsQuery(db);
  if (filter.requestId !== undefined) query = query.where('e.request_id', '=', filter.requestId);
  if (filter.state !== undefined) query = query.where('e.to_state', '=', filter.state);
  if (filter.beforeId !== undefined) query = query.where('e.id', '<', filter.beforeId);
  const actor = filter.actor;
  if (actor !== undefined) {
    query = query.where((eb) =>
      eb.or([eb('e.actor_id', '=', actor), eb(eb.fn('lower', ['u.email']), '=', actor.toLowerCase())]),
    );
  }
  const rows = await query.orderBy('e.id', 'desc').limit(filter.limit).execute();
  return rows.map(toAuditEvent);
}
