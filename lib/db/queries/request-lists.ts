import 'server-only';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '@/lib/db/schema';
import type { RequestKind, RequestState } from '@/lib/db/tables/core';

/**
 * Data access of the request lists (issue 13): a requester's own requests, the approvals queue,
 * and the counts the navigation's badges show. Keyset pages: each row carries its sort key with
 * the database's full precision (`cursorAt`, microseconds, where a JavaScript Date keeps
 * milliseconds), and a page continues strictly after the key it is given, so rows created in the
 * same millisecond are neither skipped nor repeated. The indexes are those of migration
 * `202612080100_request_queue`.
 */

/** Where a keyset page continues: after the row with this creation time (full precision) and id. */
export interface CreatedKey {
  at: string;
  id: string;
}

/** The queue sorted by risk continues after this risk rank, creation time and id. */
export interface RiskKey extends CreatedKey {
  risk: number;
}

/** The creation time of request `r` as text with microseconds, in UTC, for a cursor. */
export const cursorAt = sql<string>`to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Request `r` comes before `key` (older, or as old with a smaller id). */
export function before(key: CreatedKey): RawBuilder<boolean> {
  return sql<boolean>`(r.created_at, r.id) < (${key.at}::timestamptz, ${key.id}::uuid)`;
}

/** Request `r` comes after `key`. */
function after(key: CreatedKey): RawBuilder<boolean> {
  return sql<boolean>`(r.created_at, r.id) > (${key.at}::timestamptz, ${key.id}::uuid)`;
}

/** The last event of a request: what happened last, and who did it. */
export interface LastEvent {
  at: Date;
  from: RequestState | null;
  to: RequestState;
  reason: string | null;
  actorId: string;
  /** The actor's name when the actor is a portal user (not e.g. the provisioner). */
  actorName: string | null;
}

/** One row of a requester's own requests. */
export interface OwnRequestItem {
  id: string;
  kind: RequestKind;
  state: RequestState;
  accountId: string;
  /** The account's alias, while it is a target account. */
  accountAlias: string | null;
  roleName: string;
  createdAt: Date;
  cursorAt: string;
  lastEvent: LastEvent | null;
  /** Someone else changed the request's state since the requester last opened it. */
  hasUnseenChange: boolean;
}

export interface OwnRequestFilter {
  requesterId: string;
  state?: RequestState;
  kind?: RequestKind;
  accountId?: string;
  /** Continue after (older than) this key; newest first. */
  before?: CreatedKey;
  limit: number;
}

/** A requester's requests, newest first, at most `limit` (index `requests_requester_created_idx`). */
export async function listOwnRequests(db: Db, filter: OwnRequestFilter): Promise<OwnRequestItem[]> {
  let query = db
    .selectFrom('requests as r')
    .leftJoin('target_accounts as a', 'a.id', 'r.account_id')
    .leftJoin('request_unseen_changes as u', 'u.request_id', 'r.id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('request_events as e')
          .leftJoin('users as eu', 'eu.id', 'e.actor_id')
          .select(['e.at', 'e.from_state', 'e.to_state', 'e.reason', 'e.actor_id', 'eu.name as actor_name'])
          .whereRef('e.request_id', '=', 'r.id')
          .orderBy('e.id', 'desc')
          .limit(1)
          .as('last'),
      (join) => join.onTrue(),
    )
    .select([
      'r.id',
      'r.kind',
      'r.state',
      'r.account_id',
      'a.alias as account_alias',
      'r.role_name',
      'r.created_at',
      cursorAt.as('cursor_at'),
      'u.request_id as unseen',
      'last.at as event_at',
      'last.from_state',
      'last.to_state',
      'last.reason',
      'last.actor_id',
      'last.actor_name',
    ])
    .where('r.requester_id', '=', filter.requesterId);
  if (filter.state) query = query.where('r.state', '=', filter.state);
  if (filter.kind) query = query.where('r.kind', '=', filter.kind);
  if (filter.accountId) query = query.where('r.account_id', '=', filter.accountId);
  if (filter.before) query = query.where(before(filter.before));
  const rows = await query
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(filter.limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    state: row.state,
    accountId: row.account_id,
    accountAlias: row.account_alias,
    roleName: row.role_name,
    createdAt: row.created_at,
    cursorAt: row.cursor_at,
    hasUnseenChange: row.unseen !== null,
    lastEvent:
      row.event_at && row.to_state && row.actor_id
        ? {
            at: row.event_at,
            from: row.from_state,
            to: row.to_state,
            reason: row.reason,
            actorId: row.actor_id,
            actorName: row.actor_name,
          }
        : null,
  }));
}

/** How the approvals queue is ordered. */
export type QueueOrder = 'oldest' | 'newest' | 'risk';

export interface QueueFilter {
  /** The approver looking (marks their own requests and the ones they approved). */
  viewerId: string;
  /** The accounts the viewer approves for; `'all'` for every account. */
  accountIds: 'all' | readonly string[];
  accountId?: string;
  kind?: RequestKind;
  /** Only requests whose highest risk rank is at least this. */
  minRisk?: number;
  /** Only requests created before this time. */
  createdBefore?: Date;
  /** Case-insensitive part of the requester's name or e-mail. */
  requester?: string;
  order: QueueOrder;
  /** Continue after this key (a `RiskKey` when ordered by risk). */
  after?: CreatedKey | RiskKey;
  limit: number;
}

/** One pending request in the approvals queue. */
export interface QueueItem {
  id: string;
  kind: RequestKind;
  accountId: string;
  accountAlias: string | null;
  roleName: string;
  requester: { id: string; name: string; email: string };
  /** The highest risk rank (0 none … 4 critical). */
  maxRisk: number;
  createdAt: Date;
  cursorAt: string;
  approvalsGiven: number;
  approvalsRequired: number;
  /** The viewer's own request: theirs to follow, never to decide. */
  isOwn: boolean;
  /** The viewer already approved the request's current version. */
  isApprovedByViewer: boolean;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * Pending requests of the given accounts, filtered, at most `limit`, in `order` (oldest first,
 * newest first, or highest risk first and oldest first within a risk), each with its approvals
 * given to the current version. The partial indexes on pending requests keep every order an
 * index scan that stops at `limit`.
 */
export async function listQueue(db: Db, filter: QueueFilter): Promise<QueueItem[]> {
  if (filter.accountIds !== 'all' && filter.accountIds.length === 0) return [];
  let query = db
    .selectFrom('requests as r')
    .leftJoin('target_accounts as a', 'a.id', 'r.account_id')
    // One probe of the approvals index per listed row, counting the current version's approvals
    // and telling whether the viewer gave one (an EXISTS here lets the planner hash every
    // approval of the viewer instead, tens of thousands of rows on a busy portal).
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('approvals as p')
          .select((inner) => [
            inner.fn.countAll<string>().as('given'),
            sql<boolean>`coalesce(bool_or(p.approver_id = ${filter.viewerId}), false)`.as('by_viewer'),
          ])
          .whereRef('p.request_id', '=', 'r.id')
          .whereRef('p.request_version', '=', 'r.version')
          .where('p.voided_at', 'is', null)
          .as('current'),
      (join) => join.onTrue(),
    )
    .select([
      'r.id',
      'r.kind',
      'r.account_id',
      'a.alias as account_alias',
      'r.role_name',
      'r.requester_id',
      'r.requester_name',
      'r.requester_email',
      'r.max_risk',
      'r.created_at',
      cursorAt.as('cursor_at'),
      'r.approvals_required',
      'current.given as approvals_given',
      'current.by_viewer as approved_by_viewer',
    ])
    .where('r.state', '=', 'pending');
  if (filter.accountIds !== 'all') query = query.where('r.account_id', 'in', filter.accountIds);
  if (filter.accountId) query = query.where('r.account_id', '=', filter.accountId);
  if (filter.kind) query = query.where('r.kind', '=', filter.kind);
  if (filter.minRisk !== undefined && filter.minRisk > 0)
    query = query.where('r.max_risk', '>=', filter.minRisk);
  if (filter.createdBefore) query = query.where('r.created_at', '<', filter.createdBefore);
  if (filter.requester) {
    const pattern = `%${escapeLike(filter.requester)}%`;
    query = query.where((eb) =>
      eb.or([eb('r.requester_name', 'ilike', pattern), eb('r.requester_email', 'ilike', pattern)]),
    );
  }
  const key = filter.after;
  if (filter.order === 'risk') {
    if (key) {
      const risk = 'risk' in key ? key.risk : 0;
      query = query
        .where('r.max_risk', '<=', risk)
        .where(sql<boolean>`(r.max_risk < ${risk} or ${after(key)})`);
    }
    query = query.orderBy('r.max_risk', 'desc').orderBy('r.created_at', 'asc').orderBy('r.id', 'asc');
  } else if (filter.order === 'newest') {
    if (key) query = query.where(before(key));
    query = query.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc');
  } else {
    if (key) query = query.where(after(key));
    query = query.orderBy('r.created_at', 'asc').orderBy('r.id', 'asc');
  }
  const rows = await query.limit(filter.limit).execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    accountId: row.account_id,
    accountAlias: row.account_alias,
    roleName: row.role_name,
    requester: { id: row.requester_id, name: row.requester_name, email: row.requester_email },
    maxRisk: row.max_risk,
    createdAt: row.created_at,
    cursorAt: row.cursor_at,
    approvalsGiven: Number(row.approvals_given ?? 0),
    approvalsRequired: row.approvals_required,
    isOwn: row.requester_id === filter.viewerId,
    isApprovedByViewer: Boolean(row.approved_by_viewer),
  }));
}

/**
 * How many pending requests of the given accounts wait for the viewer's decision: not their own,
 * not already approved by them at the current version. Counts at most `cap` (the badge says
 * "99+" beyond), so that the count costs the same however long the queue grows.
 */
export async function countWaitingForApprover(
  db: Db,
  viewerId: string,
  accountIds: 'all' | readonly string[],
  cap: number,
): Promise<number> {
  if (accountIds !== 'all' && accountIds.length === 0) return 0;
  let inner = db
    .selectFrom('requests as r')
    .select('r.id')
    .where('r.state', '=', 'pending')
    .where('r.requester_id', '!=', viewerId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('approvals as p')
            .select('p.id')
            .whereRef('p.request_id', '=', 'r.id')
            .whereRef('p.request_version', '=', 'r.version')
            .where('p.voided_at', 'is', null)
            .where('p.approver_id', '=', viewerId),
        ),
      ),
    );
  if (accountIds !== 'all') inner = inner.where('r.account_id', 'in', accountIds);
  // Ordered, so that the plan walks a pending-requests index and stops at the cap, rather than
  // scanning the table for pending rows (the newest, at its end).
  const row = await db
    .selectFrom(inner.orderBy('r.created_at').limit(cap).as('waiting'))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many of the requester's requests changed state (by someone else) since they last opened them, at most `cap`. */
export async function countUnseenChanges(db: Db, requesterId: string, cap: number): Promise<number> {
  const row = await db
    .selectFrom(
      db
        .selectFrom('request_unseen_changes')
        .select('request_id')
        .where('requester_id', '=', requesterId)
        .limit(cap)
        .as('unseen'),
    )
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Forgets the unseen change of the requester's request (they opened it). */
/** Whether there was an unseen change to delete. */
export async function deleteUnseenChange(db: Db, requesterId: string, requestId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('request_unseen_changes')
    .where('request_id', '=', requestId)
    .where('requester_id', '=', requesterId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
