import 'server-only';
import { z } from 'zod';
import type { Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import {
  listOwnRequests,
  listQueue,
  type CreatedKey,
  type LastEvent,
  type OwnRequestItem,
  type QueueItem,
  type QueueOrder,
  type RiskKey,
} from '@/lib/db/queries/request-lists';
import { accountIdSchema } from '@/lib/iam/trust-entity';
import { REQUEST_STATES, type RequestState } from '@/lib/requests/state-machine';
import { fail, invalidInput, ok, type Result } from '@/lib/result';
import { optionalParam } from '@/lib/search-params';

export type { LastEvent, OwnRequestItem, QueueItem, QueueOrder };

/**
 * The two request lists of issue 13, read from the URL's search parameters: a person's own
 * requests (`/requests`) and the approvals queue (`/approvals`). Filters are parsed with zod
 * (field errors keyed by parameter name); pages are keyset pages whose cursor is an opaque token
 * of the last row's sort key, so a request submitted or decided between two pages shifts nothing.
 */

/** Risk levels, by rank: what `requests.max_risk` holds (migration `202612080100_request_queue`). */
export const RISK_LEVELS = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** The level of a risk rank (a security warning ranks as high). */
export function riskLevelOf(rank: number): RiskLevel {
  return RISK_LEVELS[Math.max(0, Math.min(RISK_LEVELS.length - 1, rank))] ?? 'none';
}

/** How long a request has waited, for the queue's age filter. */
export const QUEUE_AGES = { '1h': 3_600_000, '1d': 86_400_000, '1w': 604_800_000 } as const;
export type QueueAge = keyof typeof QUEUE_AGES;

const PAGE_SIZE = 25;
const notAPage = 'This link is not a page of this list';
const isoMicros = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const createdKeySchema = z.tuple([z.string().regex(isoMicros), z.uuid()]);
const riskKeySchema = z.tuple([z.number().int().min(0).max(4), z.string().regex(isoMicros), z.uuid()]);

function encode(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decode<T>(schema: z.ZodType<T>, cursor: string): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A keyset cursor from the URL: absent, or a token this module wrote (field error otherwise). */
const cursorParam = optionalParam(z.string().max(512, notAPage));

function createdKeyOf(cursor: string | undefined): CreatedKey | null | undefined {
  if (cursor === undefined) return undefined;
  const key = decode(createdKeySchema, cursor);
  return key ? { at: key[0], id: key[1] } : null;
}

/** The next page's cursor: the last row's key, when there is a row beyond the page. */
function nextCursor<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]): string | null {
  const last = rows[limit - 1];
  return rows.length > limit && last ? encode(keyOf(last)) : null;
}

const kindParam = optionalParam(
  z.enum(['create', 'change', 'delete'], { error: 'Choose create, change or delete' }),
);
const accountParam = optionalParam(accountIdSchema);
const pageSizeParam = z.coerce
  .number({ error: 'Show between 1 and 100 requests a page' })
  .int('Show between 1 and 100 requests a page')
  .min(1, 'Show between 1 and 100 requests a page')
  .max(100, 'Show between 1 and 100 requests a page')
  .default(PAGE_SIZE);

/** My requests' filters and page, as they come from the URL. */
export const myRequestsQuerySchema = z.object({
  state: optionalParam(
    z.enum(REQUEST_STATES as [RequestState, ...RequestState[]], { error: 'Choose a state from the list' }),
  ),
  kind: kindParam,
  account: accountParam,
  /** Keyset cursor: the page after (older than) this token. */
  after: cursorParam,
  pageSize: pageSizeParam,
});
export type MyRequestsQuery = z.input<typeof myRequestsQuerySchema>;

export interface MyRequestsPage {
  items: OwnRequestItem[];
  /** Pass as `after` for the next (older) page; null on the last page. */
  nextAfter: string | null;
}

/**
 * The principal's own requests, newest first, filtered by state, kind and account, one keyset
 * page at a time. `invalid_input` with field errors keyed `state`, `kind`, `account`, `after`
 * for a bad filter or a cursor this list did not write.
 */
export async function listMyRequests(
  principal: Principal,
  input: unknown = {},
): Promise<Result<MyRequestsPage>> {
  const parsed = myRequestsQuerySchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error, 'Check the filters.');
  const { state, kind, account, after, pageSize } = parsed.data;
  const before = createdKeyOf(after);
  if (before === null) return fail('invalid_input', 'Check the filters.', { after: [notAPage] });
  const rows = await listOwnRequests(await getDb(), {
    requesterId: principal.id,
    state,
    kind,
    accountId: account,
    before,
    limit: pageSize + 1,
  });
  return ok({
    items: rows.slice(0, pageSize),
    nextAfter: nextCursor(rows, pageSize, (row) => [row.cursorAt, row.id]),
  });
}

/** The approvals queue's filters, order and page, as they come from the URL. */
export const approvalQueueQuerySchema = z.object({
  account: accountParam,
  kind: kindParam,
  /** The lowest risk level shown. */
  risk: optionalParam(
    z.enum(['low', 'medium', 'high', 'critical'], { error: 'Choose a risk level from the list' }),
  ),
  /** Part of the requester's name or e-mail. */
  requester: optionalParam(z.string().max(256, 'At most 256 characters')),
  /** Waiting longer than this. */
  age: optionalParam(
    z.enum(Object.keys(QUEUE_AGES) as [QueueAge, ...QueueAge[]], { error: 'Choose an age from the list' }),
  ),
  order: optionalParam(
    z.enum(['oldest', 'newest', 'risk'], { error: 'Choose oldest, newest or risk' }),
  ).transform((order): QueueOrder => order ?? 'oldest'),
  after: cursorParam,
  pageSize: pageSizeParam,
});
export type ApprovalQueueQuery = z.input<typeof approvalQueueQuerySchema>;

export interface ApprovalQueuePage {
  items: QueueItem[];
  nextAfter: string | null;
}

/** The accounts whose requests the principal may decide: `'all'`, the listed ones, or none. */
export function approvalScope(principal: Principal): 'all' | readonly string[] {
  if (principal.roles.admin) return 'all';
  return principal.roles.approver ?? [];
}

/**
 * The approvals queue: pending requests of the accounts the principal approves for (admins: every
 * account), oldest first unless ordered otherwise, filtered by account, kind, minimum risk,
 * requester and age, one keyset page at a time. The principal's own pending requests of those
 * accounts are included and marked `isOwn` (theirs to follow, never to decide). `forbidden` for
 * someone who approves for no account; `invalid_input` with field errors keyed by parameter.
 */
export async function listApprovalQueue(
  principal: Principal,
  input: unknown = {},
  now: Date = new Date(),
): Promise<Result<ApprovalQueuePage>> {
  const scope = approvalScope(principal);
  if (!principal.roles.admin && principal.roles.approver === null)
    return fail('forbidden', 'Only approvers see the approvals queue');
  const parsed = approvalQueueQuerySchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error, 'Check the filters.');
  const { account, kind, risk, requester, age, order, after, pageSize } = parsed.data;
  let key: CreatedKey | RiskKey | undefined;
  if (after !== undefined) {
    const decoded =
      order === 'risk'
        ? ((value) => (value ? { risk: value[0], at: value[1], id: value[2] } : null))(
            decode(riskKeySchema, after),
          )
        : createdKeyOf(after);
    if (!decoded) return fail('invalid_input', 'Check the filters.', { after: [notAPage] });
    key = decoded;
  }
  const rows = await listQueue(await getDb(), {
    viewerId: principal.id,
    accountIds: scope,
    accountId: account,
    kind,
    minRisk: risk ? RISK_LEVELS.indexOf(risk) : undefined,
    createdBefore: age ? new Date(now.getTime() - QUEUE_AGES[age]) : undefined,
    requester,
    order,
    after: key,
    limit: pageSize + 1,
  });
  return ok({
    items: rows.slice(0, pageSize),
    nextAfter: nextCursor(rows, pageSize, (row) =>
      order === 'risk' ? [row.maxRisk, row.cursorAt, row.id] : [row.cursorAt, row.id],
    ),
  });
}

/** Decodes the cursor of {@link listRequests}'s pages (the same token as My requests'). */
export function decodeCreatedCursor(cursor: string | undefined): CreatedKey | null | undefined {
  return createdKeyOf(cursor);
}

/** Encodes the key of a request page's last row as {@link listRequests}'s next cursor. */
export function encodeCreatedCursor(key: CreatedKey): string {
  return encode([key.at, key.id]);
}
