import 'server-only';
import { sql, type RawBuilder } from 'kysely';
import type { Db, Tx } from '@/lib/db/schema';
import type { RequestKind, RequestRow, RequestState } from '@/lib/db/tables/core';
import type { RoleSpec } from '@/lib/iam/role-spec';
import type { SpecChange } from '@/lib/requests/diff';
import { before, cursorAt, type CreatedKey } from '@/lib/db/queries/request-lists';
import { insertProvisionedRoleFrom } from '@/lib/db/queries/provisioned-roles';
import type { RoleRequest, StoredAssessment } from '@/lib/requests/model';

/**
 * Data access of `requests`, the request workflow's table (`lib/requests`), with the state
 * transitions that append their audit event in the same statement. The other tables of the
 * workflow have their own modules: `request-events.ts`, `approvals.ts`, `provisioned-roles.ts`.
 * Every function takes the executor first (the database or a transaction) and returns domain
 * types; the rules (who may do what, the lifecycle, guardrails) stay in `lib/requests`.
 */

type Failure = { code: string; message: string };

function toRoleRequest(row: RequestRow): RoleRequest {
  const assessment = (row.findings ?? { items: [], risks: [] }) as Partial<StoredAssessment>;
  return {
    id: row.id,
    kind: row.kind,
    accountId: row.account_id,
    roleName: row.role_name,
    requester: { id: row.requester_id, email: row.requester_email, name: row.requester_name },
    justification: row.justification,
    spec: row.spec as RoleSpec,
    specSha256: row.spec_sha256,
    baseSpec: (row.base_spec as RoleSpec | null) ?? null,
    diff: (row.diff as SpecChange[] | null) ?? null,
    state: row.state,
    version: row.version,
    approvalsRequired: row.approvals_required,
    findings: assessment.items ?? [],
    risks: assessment.risks ?? [],
    failure: row.failure ?? null,
    flagJustifications: row.flag_justifications ?? {},
    roleUsers: row.role_users ?? [],
    fromRequestId: row.from_request_id ?? null,
    managedPolicyVersions: row.managed_policy_versions ?? [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** One request by id, or null. */
export async function getRequestById(db: Db, requestId: string): Promise<RoleRequest | null> {
  const row = await db.selectFrom('requests').selectAll().where('id', '=', requestId).executeTakeFirst();
  return row ? toRoleRequest(row) : null;
}

/**
 * One request by id, its row locked `FOR UPDATE` until `tx` ends (so that checks made on it hold
 * when the transaction writes), or null.
 */
export async function getRequestByIdForUpdate(tx: Tx, requestId: string): Promise<RoleRequest | null> {
  const row = await tx
    .selectFrom('requests')
    .selectAll()
    .where('id', '=', requestId)
    .forUpdate()
    .executeTakeFirst();
  return row ? toRoleRequest(row) : null;
}

/** A request in one of `states` for the role (account and case-insensitive name), or null. */
export async function getRequestForRoleInStates(
  db: Db,
  accountId: string,
  roleName: string,
  states: readonly RequestState[],
): Promise<{ id: string; state: RequestState } | null> {
  const row = await db
    .selectFrom('requests')
    .select(['id', 'state'])
    .where('account_id', '=', accountId)
    .where(sql<string>`lower(role_name)`, '=', roleName.toLowerCase())
    .where('state', 'in', states)
    .executeTakeFirst();
  return row ?? null;
}

/** A request as first saved (what is not here starts empty: version 1, no findings, no failure). */
export type NewRoleRequest = Pick<
  RoleRequest,
  | 'kind'
  | 'accountId'
  | 'roleName'
  | 'requester'
  | 'justification'
  | 'spec'
  | 'specSha256'
  | 'baseSpec'
  | 'diff'
  | 'state'
  | 'approvalsRequired'
> &
  Partial<Pick<RoleRequest, 'flagJustifications' | 'roleUsers' | 'fromRequestId'>> & {
    /** The role the change is planned from, when it is not `baseSpec` (an adoption: the live role). */
    planBaseSpec?: RoleSpec | null;
  };

/** Inserts a request at version 1 with no findings and no failure; returns it. */
export async function insertRequest(tx: Tx, request: NewRoleRequest): Promise<RoleRequest> {
  const row = await tx
    .insertInto('requests')
    .values({
      kind: request.kind,
      account_id: request.accountId,
      role_name: request.roleName,
      requester_id: request.requester.id,
      requester_email: request.requester.email,
      requester_name: request.requester.name,
      justification: request.justification,
      spec: JSON.stringify(request.spec),
      spec_sha256: request.specSha256,
      base_spec: request.baseSpec ? JSON.stringify(request.baseSpec) : null,
      plan_base_spec: request.planBaseSpec ? JSON.stringify(request.planBaseSpec) : null,
      diff: request.diff ? JSON.stringify(request.diff) : null,
      state: request.state,
      version: 1,
      approvals_required: request.approvalsRequired,
      findings: JSON.stringify({ items: [], risks: [] } satisfies StoredAssessment),
      failure: JSON.stringify(null),
      flag_justifications: JSON.stringify(request.flagJustifications ?? {}),
      role_users: JSON.stringify(request.roleUsers ?? []),
      from_request_id: request.fromRequestId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRoleRequest(row);
}

/** Fields of a request that a transition may change along with its state. */
export interface RequestChanges {
  spec?: RoleSpec;
  specSha256?: string;
  diff?: SpecChange[] | null;
  justification?: string;
  findings?: StoredAssessment;
  approvalsRequired?: number;
  /** `null` clears the recorded failure. */
  failure?: Failure | null;
  flagJustifications?: Record<string, string>;
  roleUsers?: string[];
  managedPolicyVersions?: RoleRequest['managedPolicyVersions'];
}

/**
 * Compare-and-set: writes `state`, `version` and `changes` only if the request is still at
 * `expected` (state and version). Returns the updated request, or null when it was not.
 */
export async function updateRequestState(
  tx: Tx,
  requestId: string,
  expected: { state: RequestState; version: number },
  next: { state: RequestState; version: number },
  changes: RequestChanges = {},
): Promise<RoleRequest | null> {
  const row = await tx
    .updateTable('requests')
    .set({
      ...(changes.spec !== undefined ? { spec: JSON.stringify(changes.spec) } : {}),
      ...(changes.specSha256 !== undefined ? { spec_sha256: changes.specSha256 } : {}),
      ...(changes.diff !== undefined
        ? { diff: changes.diff === null ? null : JSON.stringify(changes.diff) }
        : {}),
      ...(changes.justification !== undefined ? { justification: changes.justification } : {}),
      ...(changes.findings !== undefined ? { findings: JSON.stringify(changes.findings) } : {}),
      ...(changes.approvalsRequired !== undefined ? { approvals_required: changes.approvalsRequired } : {}),
      ...(changes.failure !== undefined ? { failure: JSON.stringify(changes.failure) } : {}),
      ...(changes.flagJustifications !== undefined
        ? { flag_justifications: JSON.stringify(changes.flagJustifications) }
        : {}),
      ...(changes.roleUsers !== undefined ? { role_users: JSON.stringify(changes.roleUsers) } : {}),
      ...(changes.managedPolicyVersions !== undefined
        ? { managed_policy_versions: JSON.stringify(changes.managedPolicyVersions) }
        : {}),
      state: next.state,
      version: next.version,
      updated_at: new Date(),
    })
    .where('id', '=', requestId)
    .where('version', '=', expected.version)
    .where('state', '=', expected.state)
    .returningAll()
    .executeTakeFirst();
  return row ? toRoleRequest(row) : null;
}

/** A state transition made with its audit event in one statement (see {@link updateRequestStateWithEvent}). */
export interface StateTransition {
  requestId: string;
  /** The state the request must be in (compare-and-set). */
  from: RequestState;
  to: RequestState;
  actorId: string;
  reason: string | null;
  /** When given, written with the new state (`null` clears the recorded failure). */
  failure?: Failure | null;
  /**
   * Commit without waiting for the disk (`synchronous_commit = off` for the statement's
   * transaction): for a transition a database crash may lose without harm, because it is repeated.
   */
  lazy?: boolean;
}

/**
 * The CTEs `moved` (the compare-and-set of the request's state from `move.from` to `move.to`, its
 * version and specification unchanged) and `moved_event` (one audit event carrying the resulting
 * version and spec SHA-256, appended only if the update happened), for a statement that makes a
 * transition, possibly along with other writes: the update happens only where `guard` holds.
 */
export function transitionCtes(move: StateTransition, guard: RawBuilder<unknown> = sql`true`) {
  return transitionCtesOf(sql`${move.requestId}::uuid`, move, guard);
}

/**
 * {@link transitionCtes} for the request whose id `requestId` computes within the statement (e.g.
 * from a CTE that claims a job): no transition when it yields no row.
 */
export function transitionCtesOf(
  requestId: RawBuilder<unknown>,
  move: Omit<StateTransition, 'requestId'>,
  guard: RawBuilder<unknown> = sql`true`,
) {
  const failure =
    move.failure === undefined ? sql`` : sql`, failure = ${JSON.stringify(move.failure)}::jsonb`;
  return sql`moved as (
      update requests set state = ${move.to}::text, updated_at = now()${failure}
      where id = ${requestId} and state = ${move.from}::text and ${guard}
      returning *
    ), moved_event as (
      insert into request_events (request_id, actor_id, from_state, to_state, reason, request_version, spec_sha256)
      select id, ${move.actorId}::text, ${move.from}::text, ${move.to}::text, ${move.reason}::text, version, spec_sha256
      from moved
    )`;
}

/** How the role a request provisioned is recorded in `provisioned_roles` along with its transition. */
export type ProvisionedRecord =
  /**
   * A create or change: the live record of the role, from the request's stored specification,
   * provided its SHA-256 still is `specSha256` (the one the job was planned from).
   */
  | { kind: 'upsert'; specSha256: string; arn: string }
  /** A delete: the live record is marked deleted. */
  | { kind: 'delete' };

/** `provisioning → provisioned` and the record of the role, for a statement that makes both. */
export interface ProvisionedTransition {
  move: StateTransition;
  record: ProvisionedRecord;
}

/**
 * The CTEs of {@link transitionCtes} plus `recorded`: the role's record in `provisioned_roles`,
 * written only if the transition happened (and, for an upsert, only if the request's stored
 * specification still has the SHA-256 `record.specSha256`, so that the record never disagrees with
 * the request).
 */
export function provisionedTransitionCtes(
  transition: ProvisionedTransition,
  guard: RawBuilder<unknown> = sql`true`,
) {
  const { record } = transition;
  const recorded =
    record.kind === 'upsert'
      ? sql`recorded as (
      ${insertProvisionedRoleFrom(sql`
        select moved.account_id, moved.spec->>'name', moved.spec->>'path', ${record.arn}::text, moved.id,
          moved.spec, moved.role_users
        from moved where moved.spec_sha256 = ${record.specSha256}::text`)}
      returning provisioned_roles.id
    )`
      : sql`recorded as (
      update provisioned_roles p set deleted_at = now(), request_id = moved.id, updated_at = now()
      from moved
      where p.account_id = moved.account_id and lower(p.role_name) = lower(moved.role_name)
        and p.deleted_at is null
      returning p.id
    )`;
  return sql`${transitionCtes(transition.move, guard)}, ${recorded}`;
}

/**
 * In one statement (see {@link transitionCtes}): the compare-and-set of the request's state and
 * its audit event. Atomic on its own (no transaction needed); a concurrent transition of the same
 * request waits for the row lock and then finds the state changed. Returns the updated request,
 * or null when the request is not (or no longer) in `from`.
 */
export async function updateRequestStateWithEvent(
  db: Db,
  move: StateTransition,
): Promise<RoleRequest | null> {
  const lazy = move.lazy ? sql`, (select set_config('synchronous_commit', 'off', true)) as lazy` : sql``;
  const result = await sql<RequestRow>`
    with ${transitionCtes(move)}
    select moved.*${lazy} from moved`.execute(db);
  const row = result.rows[0];
  return row ? toRoleRequest(row) : null;
}

/**
 * Which requests to list. Every given condition must hold. `visibleTo` keeps the requester's own
 * requests plus the submitted (non-draft) ones of the given accounts (`'all'`: every account).
 */
export interface RequestFilter {
  requesterId?: string;
  excludeRequesterId?: string;
  accountIds?: readonly string[];
  visibleTo?: { requesterId: string; submittedInAccounts: 'all' | readonly string[] };
  state?: RequestState;
  accountId?: string;
  kind?: RequestKind;
}

/**
 * One keyset page of the requests matching `filter`, newest first (creation time, then id): at
 * most `limit`, continuing after (older than) `before`. Each request comes with its creation time
 * at full precision, the key of the next page.
 */
export async function listRequestPage(
  db: Db,
  filter: RequestFilter,
  page: { before?: CreatedKey; limit: number },
): Promise<{ request: RoleRequest; cursorAt: string }[]> {
  if (filter.accountIds?.length === 0) return [];
  let query = db.selectFrom('requests as r');
  if (filter.requesterId !== undefined) query = query.where('r.requester_id', '=', filter.requesterId);
  if (filter.excludeRequesterId !== undefined)
    query = query.where('r.requester_id', '!=', filter.excludeRequesterId);
  if (filter.accountIds) query = query.where('r.account_id', 'in', filter.accountIds);
  const visibleTo = filter.visibleTo;
  if (visibleTo) {
    query = query.where((eb) => {
      const own = eb('r.requester_id', '=', visibleTo.requesterId);
      const accounts = visibleTo.submittedInAccounts;
      if (accounts !== 'all' && accounts.length === 0) return own;
      const submitted = eb('r.state', '!=', 'draft');
      return eb.or([
        own,
        accounts === 'all' ? submitted : eb.and([submitted, eb('r.account_id', 'in', accounts)]),
      ]);
    });
  }
  if (filter.state) query = query.where('r.state', '=', filter.state);
  if (filter.accountId) query = query.where('r.account_id', '=', filter.accountId);
  if (filter.kind) query = query.where('r.kind', '=', filter.kind);
  const key = page.before;
  if (key) query = query.where(before(key));
  const rows = await query
    .selectAll('r')
    .select(cursorAt.as('cursor_at'))
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(page.limit)
    .execute();
  return rows.map(({ cursor_at, ...row }) => ({ request: toRoleRequest(row), cursorAt: cursor_at }));
}
