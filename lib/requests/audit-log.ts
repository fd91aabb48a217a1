import 'server-only';
import { z } from 'zod';
import type { Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import { listAuditEvents, type AuditEvent } from '@/lib/db/queries/audit';
import { csvRecord } from '@/lib/csv';
import { describeState, REQUEST_STATES, type RequestState } from '@/lib/requests/state-machine';
import { fail, invalidInput, ok, type Result } from '@/lib/result';
import { optionalParam } from '@/lib/search-params';

export type { AuditEvent };

/** An empty or absent search parameter means "no filter". */
const optional = optionalParam;

/** The audit log's filters and page, as they come from the URL's search parameters. */
export const auditLogQuerySchema = z.object({
  request: optional(z.uuid({ error: 'Enter a whole request id, e.g. 0b5e1c9a-4f8d-4c1e-9d3a-6f2b8e7a1c40' })),
  actor: optional(z.string().max(256, 'At most 256 characters')),
  state: optional(
    z.enum(REQUEST_STATES as [RequestState, ...RequestState[]], { error: 'Choose a state from the list' }),
  ),
  /** Keyset cursor: the id of the last event of the previous page. */
  before: optional(z.string().regex(/^[1-9][0-9]{0,18}$/, 'Not a page of the audit log')),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditLogQuery = z.input<typeof auditLogQuerySchema>;

export interface AuditLogPage {
  events: AuditEvent[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: string | null;
}

/**
 * The immutable request events, newest first, filtered by request, actor (user id or e-mail) and
 * the state moved into, one keyset page at a time. Admins only: `forbidden` for others;
 * `invalid_input` with field errors keyed `request`, `actor`, `state` for bad filters.
 */
export async function listAuditLog(principal: Principal, input: unknown = {}): Promise<Result<AuditLogPage>> {
  if (!principal.roles.admin) return fail('forbidden', 'Only admins can read the audit log');
  const parsed = auditLogQuerySchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error, 'Check the filters.');
  const { request, actor, state, before, pageSize } = parsed.data;
  const rows = await listAuditEvents(await getDb(), {
    requestId: request,
    actor,
    state,
    beforeId: before,
    limit: pageSize + 1,
  });
  const events = rows.slice(0, pageSize);
  return ok({
    events,
    nextBefore: rows.length > pageSize ? (events[events.length - 1]?.id ?? null) : null,
  });
}

/** The export's filters: the audit log's own (from the same URL), without its page. */
const auditExportSchema = auditLogQuerySchema.pick({ request: true, actor: true, state: true });

/** Events read per query while an export streams (keyset pages, newest first). */
const EXPORT_BATCH = 500;

/** The CSV's columns, in order. */
export const AUDIT_CSV_HEADER = [
  'event_id',
  'time_utc',
  'actor_id',
  'actor_name',
  'actor_email',
  'request_id',
  'role_name',
  'account_id',
  'account_alias',
  'from_state',
  'to_state',
  'reason',
  'request_version',
  'spec_sha256',
] as const;

function auditCsvRecord(event: AuditEvent): string {
  return csvRecord([
    event.id,
    event.at.toISOString(),
    event.actorId,
    event.actorName,
    event.actorEmail,
    event.requestId,
    event.roleName,
    event.accountId,
    event.accountAlias,
    event.from,
    event.to,
    event.reason,
    event.requestVersion,
    event.specSha256,
  ]);
}

/**
 * Every audit event matching the audit log's filters (`request`, `actor`, `state`; the page is
 * ignored), newest first, as CSV text chunks (a header record, then one record per event; see
 * `lib/csv.ts` for the escaping against spreadsheet formulas). Not capped: the events are read in
 * keyset batches of 500 while the caller consumes them, and only events committed before the
 * export began are included (later ones have higher ids). Admins only: `forbidden` for others;
 * `invalid_input` with field errors for bad filters (checked before anything streams).
 */
export async function exportAuditLog(
  principal: Principal,
  input: unknown = {},
): Promise<Result<AsyncGenerator<string, void, undefined>>> {
  if (!principal.roles.admin) return fail('forbidden', 'Only admins can export the audit log');
  const parsed = auditExportSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error, 'Check the filters.');
  const { request, actor, state } = parsed.data;
  const db = await getDb();
  const first = await listAuditEvents(db, { requestId: request, actor, state, limit: EXPORT_BATCH });
  async function* records(): AsyncGenerator<string, void, undefined> {
    yield csvRecord(AUDIT_CSV_HEADER);
    let batch = first;
    while (batch.length > 0) {
      yield batch.map(auditCsvRecord).join('');
      if (batch.length < EXPORT_BATCH) return;
      const beforeId = batch[batch.length - 1]?.id;
      batch = await listAuditEvents(db, { requestId: request, actor, state, beforeId, limit: EXPORT_BATCH });
    }
  }
  return ok(records());
}

/**
 * A request's first event in words, "Created as a draft" (it comes from no state: the log reads it
 * as what happened, not as "created → draft"); null for every other event, shown as from → to.
 */
export function auditCreationWords(event: Pick<AuditEvent, 'from' | 'to'>): string | null {
  if (event.from !== null) return null;
  return event.to === 'draft' ? 'Created as a draft' : `Created as ${describeState(event.to)}`;
}
