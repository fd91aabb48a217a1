import 'server-only';
import { sql } from 'kysely';
import type { Db } from '@/lib/db/schema';
import type { RequestKind, RequestState } from '@/lib/db/tables/core';
import type { DeliveryOutcome, OutboxEvent, OutboxStatus } from '@/lib/db/tables/webhooks';

/**
 * Data access of the notifications webhook (`lib/notifications`): its one configuration row, the
 * outbox the request transitions fill (through the `request_events` trigger of migration
 * `202612080130_webhooks`), claims with a lease (`FOR UPDATE SKIP LOCKED`) and each attempt's record.
 */

/** The webhook as stored (`secretCiphertext` is for the sender only: never shown to anyone). */
export interface WebhookRecord {
  url: string;
  enabled: boolean;
  events: string[];
  allowedHosts: string[];
  secretCiphertext: string;
  secretCreatedAt: Date;
  version: number;
  updatedBy: string;
  updatedAt: Date;
}

/** The webhook row, or null before an admin saved one. */
export async function getWebhookRecord(db: Db): Promise<WebhookRecord | null> {
  const row = await db.selectFrom('webhooks').selectAll().where('id', '=', 1).executeTakeFirst();
  return row
    ? {
        url: row.url,
        enabled: row.enabled,
        events: row.events,
        allowedHosts: row.allowed_hosts,
        secretCiphertext: row.secret_ciphertext,
        secretCreatedAt: row.secret_created_at,
        version: row.version,
        updatedBy: row.updated_by,
        updatedAt: row.updated_at,
      }
    : null;
}

export interface WebhookValues {
  url: string;
  enabled: boolean;
  events: string[];
  allowedHosts: string[];
  /** A new encrypted secret, or null to keep the stored one. */
  secret: { ciphertext: string; createdAt: Date } | null;
  updatedBy: string;
}

/**
 * Saves the webhook if it is still at `expectedVersion` (0: none saved yet), compare-and-set,
 * bumping the version. Returns the new version, or null when it moved on (nothing changed).
 */
export async function upsertWebhookAtVersion(
  db: Db,
  values: WebhookValues,
  expectedVersion: number,
): Promise<number | null> {
  const common = {
    url: values.url,
    enabled: values.enabled,
    events: values.events,
    allowed_hosts: values.allowedHosts,
    updated_by: values.updatedBy,
    updated_at: new Date(),
  };
  if (expectedVersion === 0) {
    if (!values.secret) return null;
    const inserted = await db
      .insertInto('webhooks')
      .values({
        id: 1,
        ...common,
        secret_ciphertext: values.secret.ciphertext,
        secret_created_at: values.secret.createdAt,
        version: 1,
      })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .returning('version')
      .executeTakeFirst();
    return inserted?.version ?? null;
  }
  const updated = await db
    .updateTable('webhooks')
    .set({
      ...common,
      ...(values.secret
        ? { secret_ciphertext: values.secret.ciphertext, secret_created_at: values.secret.createdAt }
        : {}),
      version: expectedVersion + 1,
    })
    .where('id', '=', 1)
    .where('version', '=', expectedVersion)
    .returning('version')
    .executeTakeFirst();
  return updated?.version ?? null;
}

/**
 * Queues a test notification (from *Send test*); returns its delivery id. It is due only in a
 * minute, so that the caller, which claims it by id at once, does not race the background senders
 * for it (they send it only if the caller did not).
 */
export async function insertTestOutboxRow(db: Db, actorId: string): Promise<string> {
  const row = await db
    .insertInto('webhook_outbox')
    .values({
      event: 'test',
      request_id: null,
      request_event_id: null,
      actor_id: actorId,
      next_attempt_at: new Date(Date.now() + 60_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An outbox row claimed for one attempt, with what its message says. */
export interface ClaimedOutboxRow {
  id: string;
  event: OutboxEvent;
  /** This attempt's number (1 for the first). */
  attempt: number;
  createdAt: Date;
  request: {
    id: string;
    kind: RequestKind;
    accountId: string;
    accountAlias: string | null;
    roleName: string;
  } | null;
  transition: { from: RequestState | null; to: RequestState; reason: string | null; at: Date } | null;
  actor: { id: string; name: string | null; email: string | null };
}

interface ClaimRow {
  id: string;
  event: OutboxEvent;
  attempts: number;
  created_at: Date;
  request_id: string | null;
  kind: RequestKind | null;
  account_id: string | null;
  alias: string | null;
  role_name: string | null;
  from_state: RequestState | null;
  to_state: RequestState | null;
  reason: string | null;
  event_at: Date | null;
  actor_id: string;
  actor_name: string | null;
  actor_email: string | null;
}

function toClaimed(row: ClaimRow): ClaimedOutboxRow {
  return {
    id: row.id,
    event: row.event,
    attempt: row.attempts,
    createdAt: new Date(row.created_at),
    request:
      row.request_id && row.kind && row.account_id && row.role_name
        ? {
            id: row.request_id,
            kind: row.kind,
            accountId: row.account_id,
            accountAlias: row.alias,
            roleName: row.role_name,
          }
        : null,
    transition:
      row.to_state && row.event_at
        ? { from: row.from_state, to: row.to_state, reason: row.reason, at: new Date(row.event_at) }
        : null,
    actor: { id: row.actor_id, name: row.actor_name, email: row.actor_email },
  };
}

/**
 * Claims one outbox row for `leaseToken` for `leaseMs` and counts the attempt, in one statement:
 * `id`'s row, or (without `id`) the pending row due longest ago while the webhook is enabled, its
 * lease free or expired (`FOR UPDATE SKIP LOCKED`: concurrent senders never claim the same row).
 * `null` when there is none.
 */
export async function updateClaimOutboxRow(
  db: Db,
  leaseToken: string,
  leaseMs: number,
  id?: string,
): Promise<ClaimedOutboxRow | null> {
  const which = id
    ? sql`o.id = ${id}::uuid`
    : sql`o.next_attempt_at <= now() and exists (select 1 from webhooks w where w.id = 1 and w.enabled)`;
  const result = await sql<ClaimRow>`
    with claimed as (
      update webhook_outbox
      set lease_owner = ${leaseToken}::text, attempts = attempts + 1,
          lease_expires_at = clock_timestamp() + ${leaseMs}::integer * interval '1 millisecond'
      where id = (
        select o.id from webhook_outbox o
        where o.status = 'pending' and (o.lease_expires_at is null or o.lease_expires_at < now()) and ${which}
        order by o.next_attempt_at
        for update skip locked
        limit 1)
      returning id, event, attempts, created_at, request_id, request_event_id, actor_id
    )
    select c.id, c.event, c.attempts, c.created_at, c.request_id, r.kind, r.account_id, t.alias, r.role_name,
      e.from_state, e.to_state, e.reason, e.at as event_at, c.actor_id, u.name as actor_name, u.email as actor_email
    from claimed c
    left join request_events e on e.id = c.request_event_id
    left join requests r on r.id = c.request_id
    left join target_accounts t on t.id = r.account_id
    left join users u on u.id = c.actor_id`.execute(db);
  const row = result.rows[0];
  return row ? toClaimed(row) : null;
}

/** How an attempt ended, and what becomes of its row. */
export interface OutboxAttemptResult {
  outcome: DeliveryOutcome;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** `pending` with `nextAttemptAt` to try again; otherwise final. */
  status: OutboxStatus;
  nextAttemptAt: Date | null;
}

/**
 * Records an attempt of a row this lease holds and releases it, in one statement: the row's status,
 * next attempt and last outcome, and the attempt's own record. `false` when the lease was lost (the
 * row was claimed again after it expired: nothing is written).
 */
export async function updateFinishOutboxAttempt(
  db: Db,
  id: string,
  leaseToken: string,
  result: OutboxAttemptResult,
): Promise<boolean> {
  const next = result.nextAttemptAt ?? new Date();
  const recorded = await sql<{ id: string }>`
    with finished as (
      update webhook_outbox
      set status = ${result.status}::text, next_attempt_at = ${next.toISOString()}::timestamptz,
          lease_owner = null, lease_expires_at = null,
          last_outcome = ${result.outcome}::text, last_status_code = ${result.statusCode}::integer,
          last_error = ${result.error}::text,
          finished_at = case when ${result.status}::text = 'pending' then null else now() end
      where id = ${id}::uuid and lease_owner = ${leaseToken}::text
      returning id, attempts
    )
    insert into webhook_deliveries (outbox_id, attempt, outcome, status_code, error, duration_ms)
    select id, attempts, ${result.outcome}::text, ${result.statusCode}::integer, ${result.error}::text,
      ${Math.round(result.durationMs)}::integer
    from finished
    returning id`.execute(db);
  return recorded.rows.length > 0;
}

/** A row of the admin's table of recent deliveries. */
export interface OutboxSummary {
  id: string;
  event: OutboxEvent;
  requestId: string | null;
  roleName: string | null;
  accountId: string | null;
  accountAlias: string | null;
  createdAt: Date;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastOutcome: DeliveryOutcome | null;
  lastStatusCode: number | null;
  lastError: string | null;
}

/** The `limit` most recent outbox rows, newest first. */
export async function listRecentOutboxRows(db: Db, limit: number): Promise<OutboxSummary[]> {
  const rows = await db
    .selectFrom('webhook_outbox as o')
    .leftJoin('requests as r', 'r.id', 'o.request_id')
    .leftJoin('target_accounts as t', 't.id', 'r.account_id')
    .select([
      'o.id',
      'o.event',
      'o.request_id',
      'r.role_name',
      'r.account_id',
      't.alias',
      'o.created_at',
      'o.status',
      'o.attempts',
      'o.next_attempt_at',
      'o.last_outcome',
      'o.last_status_code',
      'o.last_error',
    ])
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    event: row.event,
    requestId: row.request_id,
    roleName: row.role_name,
    accountId: row.account_id,
    accountAlias: row.alias,
    createdAt: row.created_at,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    lastOutcome: row.last_outcome,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
  }));
}
