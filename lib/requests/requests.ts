import 'server-only';
import { sql, type Transaction } from 'kysely';
import type { z } from 'zod';
import { canApproveFor, type Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import type { Database, Db } from '@/lib/db/schema';
import type { RequestRow } from '@/lib/db/tables/core';
import { awsManagedPolicyDocument } from '@/lib/iam/aws-managed-policies';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { roleSpecSchema, type RoleSpec } from '@/lib/iam/role-spec';
import { hashRoleSpec } from '@/lib/iam/spec-hash';
import { assessRoleSpec } from '@/lib/requests/assess';
import { computeSpecDiff } from '@/lib/requests/diff';
import { checkGuardrails, type FieldErrors } from '@/lib/requests/guardrails';
import { getGuardrails } from '@/lib/requests/guardrails-store';
import {
  loadVisibleRequest,
  toRoleRequest,
  type RoleRequest,
  type StoredAssessment,
} from '@/lib/requests/model';
import {
  cancelRequestSchema,
  createDraftSchema,
  listRequestsSchema,
  submitRequestSchema,
  updateRequestSchema,
} from '@/lib/requests/schemas';
import { OPEN_STATES } from '@/lib/requests/state-machine';
import { transact } from '@/lib/db/transaction';
import { transitionRequest } from '@/lib/requests/transition';
import { fail, ok, type Result } from '@/lib/result';

/**
 * The request workflow for requesters: drafts, submission, edits, cancellation and reading.
 * Every function takes the signed-in Principal first, re-checks access on the stored record, and
 * returns a Result. Approval lives in `approve.ts`; provisioning's transitions in
 * `provisioning-transitions.ts`.
 */

function issuesToFieldErrors(error: z.ZodError, prefix = ''): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key =
      [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.') || prefix || 'form';
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}

function invalid(fieldErrors: FieldErrors, message = 'Check the highlighted fields.'): Result<never> {
  return fail('invalid_input', message, fieldErrors);
}

function parseSpec(value: unknown): Result<RoleSpec> {
  const parsed = roleSpecSchema.safeParse(value);
  return parsed.success ? ok(parsed.data) : invalid(issuesToFieldErrors(parsed.error));
}

async function organizationAccountIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('target_accounts').select('id').execute();
  return rows.map((row) => row.id);
}

async function getLiveProvisionedRole(db: Db, accountId: string, roleName: string) {
  return db
    .selectFrom('provisioned_roles')
    .selectAll()
    .where('account_id', '=', accountId)
    .where(sql<string>`lower(role_name)`, '=', roleName.toLowerCase())
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Whether the principal may see a provisioned role, by the rule of `getRoleSummary`: the requester
 * of the request that created or last changed it, approvers for its account, and admins.
 */
async function canSeeRole(
  db: Db,
  principal: Principal,
  role: { account_id: string; request_id: string },
): Promise<boolean> {
  if (canApproveFor(principal, role.account_id)) return true;
  const request = await db
    .selectFrom('requests')
    .select('requester_id')
    .where('id', '=', role.request_id)
    .executeTakeFirst();
  return request?.requester_id === principal.id;
}

async function findOpenRequest(db: Db, accountId: string, roleName: string, exceptId?: string) {
  let query = db
    .selectFrom('requests')
    .select(['id', 'state'])
    .where('account_id', '=', accountId)
    .where(sql<string>`lower(role_name)`, '=', roleName.toLowerCase())
    .where('state', 'in', OPEN_STATES);
  if (exceptId) query = query.where('id', '!=', exceptId);
  return query.executeTakeFirst();
}

interface SubmissionCheck {
  assessment: StoredAssessment;
  approvalsRequired: number;
}

/**
 * Re-validates a request's specification on the server as submission requires: the RoleSpec
 * schema, the policy documents, and the guardrails. Delete requests need no guardrail check.
 */
async function checkSubmission(
  db: Db,
  row: Pick<RequestRow, 'kind' | 'account_id' | 'spec'>,
): Promise<Result<SubmissionCheck>> {
  const spec = parseSpec(row.spec);
  if (!spec.ok) return spec;
  const { guardrails } = await getGuardrails(db);
  const orgAccounts = await organizationAccountIds(db);
  if (!orgAccounts.includes(row.account_id)) {
    return invalid({ accountId: [`Account ${row.account_id} is not a target account`] });
  }
  if (row.kind === 'delete') {
    return ok({ assessment: { items: [], risks: [] }, approvalsRequired: guardrails.approvals.default });
  }
  const assessment = assessRoleSpec(spec.value, orgAccounts, await loadCatalogue(), awsManagedPolicyDocument);
  const fieldErrors: FieldErrors = { ...assessment.fieldErrors };
  const context = { organizationAccountIds: orgAccounts, resolveManagedPolicy: awsManagedPolicyDocument };
  for (const [field, messages] of Object.entries(checkGuardrails(spec.value, guardrails, context))) {
    (fieldErrors[field] ??= []).push(...messages);
  }
  if (Object.keys(fieldErrors).length > 0)
    return invalid(fieldErrors, 'The role does not meet the rules; fix the highlighted fields.');
  const approvalsRequired = assessment.hasPrivilegeEscalation
    ? guardrails.approvals.privilegeEscalation
    : guardrails.approvals.default;
  return ok({ assessment: { items: assessment.findings, risks: assessment.risks }, approvalsRequired });
}

interface DraftContent {
  kind: RequestRow['kind'];
  accountId: string;
  roleName: string;
  spec: RoleSpec;
  baseSpec: RoleSpec | null;
}

/**
 * Resolves what a create/change/delete draft holds, checking the role's current status. A change or
 * delete of a role the principal may not see is `not_found`, like a role that does not exist.
 */
async function resolveDraft(
  db: Db,
  principal: Principal,
  input: z.output<typeof createDraftSchema>,
): Promise<Result<DraftContent>> {
  if (input.kind === 'delete') {
    const role = await getLiveProvisionedRole(db, input.accountId, input.roleName);
    if (!role || !(await canSeeRole(db, principal, role))) {
      return fail(
        'not_found',
        `Rolesmith has not provisioned a role named ${input.roleName} in account ${input.accountId}; only roles it created can be deleted here`,
      );
    }
    const spec = parseSpec(role.spec);
    if (!spec.ok) throw new Error(`The stored specification of role ${role.role_name} does not parse`);
    return ok({
      kind: 'delete',
      accountId: role.account_id,
      roleName: role.role_name,
      spec: spec.value,
      baseSpec: spec.value,
    });
  }
  const spec = parseSpec(input.spec);
  if (!spec.ok) return spec;
  const account = await db
    .selectFrom('target_accounts')
    .select('id')
    .where('id', '=', spec.value.accountId)
    .executeTakeFirst();
  if (!account)
    return invalid({
      accountId: [
        `Account ${spec.value.accountId} is not a target account; choose one of the listed accounts`,
      ],
    });
  const role = await getLiveProvisionedRole(db, spec.value.accountId, spec.value.name);
  if (input.kind === 'create') {
    if (role)
      return invalid({
        name: [
          `A role named ${role.role_name} already exists in this account; choose another name or request a change`,
        ],
      });
    return ok({
      kind: 'create',
      accountId: spec.value.accountId,
      roleName: spec.value.name,
      spec: spec.value,
      baseSpec: null,
    });
  }
  if (!role || !(await canSeeRole(db, principal, role))) {
    return fail(
      'not_found',
      `Rolesmith has not provisioned a role named ${spec.value.name} in account ${spec.value.accountId}; only roles it created can be changed here`,
    );
  }
  const base = parseSpec(role.spec);
  if (!base.ok) throw new Error(`The stored specification of role ${role.role_name} does not parse`);
  if (base.value.path !== spec.value.path) {
    return invalid({ path: ['A role keeps its path; request a new role to use another path'] });
  }
  return ok({
    kind: 'change',
    accountId: role.account_id,
    roleName: role.role_name,
    spec: { ...spec.value, name: role.role_name },
    baseSpec: base.value,
  });
}

function diffFor(content: Pick<DraftContent, 'kind' | 'spec' | 'baseSpec'>): Result<string | null> {
  if (content.kind !== 'change' || !content.baseSpec) return ok(null);
  const diff = computeSpecDiff(content.baseSpec, content.spec);
  if (diff.length === 0)
    return invalid({ form: ['Nothing changes: edit the role before submitting a change request'] });
  return ok(JSON.stringify(diff));
}

async function insertDraft(
  tx: Transaction<Database>,
  principal: Principal,
  content: DraftContent,
  justification: string,
  diff: string | null,
) {
  const open = await findOpenRequest(tx, content.accountId, content.roleName);
  if (open) {
    return fail(
      'conflict',
      `Another request for role ${content.roleName} in this account is already ${open.state}; finish or cancel it first`,
    );
  }
  const { sha256 } = hashRoleSpec(content.spec);
  const row = await tx
    .insertInto('requests')
    .values({
      kind: content.kind,
      account_id: content.accountId,
      role_name: content.roleName,
      requester_id: principal.id,
      requester_email: principal.email,
      requester_name: principal.name,
      justification,
      spec: JSON.stringify(content.spec),
      spec_sha256: sha256,
      base_spec: content.baseSpec ? JSON.stringify(content.baseSpec) : null,
      diff,
      state: 'draft',
      version: 1,
      approvals_required: 1,
      findings: JSON.stringify({ items: [], risks: [] } satisfies StoredAssessment),
      failure: JSON.stringify(null),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('request_events')
    .values({
      request_id: row.id,
      actor_id: principal.id,
      from_state: null,
      to_state: 'draft',
      reason: 'created',
      request_version: 1,
      spec_sha256: sha256,
    })
    .execute();
  return ok(row);
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505';
}

/**
 * Saves a draft request to create, change or delete a role. The RoleSpec must parse (field errors
 * otherwise); guardrails are checked at submission. A change request records its diff against the
 * provisioned role; a delete request carries the provisioned role's spec. Returns `conflict` when
 * another request for the same role is still open, `not_found` when a change or delete names a
 * role Rolesmith did not provision.
 */
export async function createDraft(principal: Principal, input: unknown): Promise<Result<RoleRequest>> {
  const parsed = createDraftSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesToFieldErrors(parsed.error));
  const db = await getDb();
  const content = await resolveDraft(db, principal, parsed.data);
  if (!content.ok) return content;
  const diff = diffFor(content.value);
  if (!diff.ok) return diff;
  try {
    const row = await transact(db, (tx) =>
      insertDraft(tx, principal, content.value, parsed.data.justification, diff.value),
    );
    return row.ok ? ok(toRoleRequest(row.value)) : row;
  } catch (error) {
    // The partial unique index on open requests per role settles a race between two drafts.
    if (isUniqueViolation(error))
      return fail(
        'conflict',
        `Another request for role ${content.value.roleName} in this account is already open`,
      );
    throw new Error('Could not save the request', { cause: error });
  }
}

/**
 * Submits a draft for approval (draft → pending): re-validates the whole RoleSpec with the
 * policy checks and the guardrails (errors per field), records the findings and risk flags, and
 * sets how many approvals it needs. Only the requester may submit.
 */
export async function submitRequest(principal: Principal, input: unknown): Promise<Result<RoleRequest>> {
  const parsed = submitRequestSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesToFieldErrors(parsed.error));
  const db = await getDb();
  const row = await loadVisibleRequest(db, principal, parsed.data.requestId);
  if (!row) return fail('not_found', 'Request not found');
  if (row.requester_id !== principal.id)
    return fail('forbidden', 'Only the requester can submit this request');
  const check = await checkSubmission(db, row);
  if (!check.ok) return check;
  const result = await transact(db, (tx) =>
    transitionRequest(tx, {
      requestId: row.id,
      from: ['draft'],
      to: 'pending',
      actorId: principal.id,
      reason: 'submitted',
      expectedVersion: parsed.data.expectedVersion ?? row.version,
      changes: {
        findings: JSON.stringify(check.value.assessment),
        approvals_required: check.value.approvalsRequired,
      },
    }),
  );
  return result.ok ? ok(toRoleRequest(result.value)) : result;
}

/**
 * Creates a request and submits it in one call (the wizard's "Submit"). On a validation error
 * nothing is saved.
 */
export async function createAndSubmitRequest(
  principal: Principal,
  input: unknown,
): Promise<Result<RoleRequest>> {
  const parsed = createDraftSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesToFieldErrors(parsed.error));
  const db = await getDb();
  const content = await resolveDraft(db, principal, parsed.data);
  if (!content.ok) return content;
  const diff = diffFor(content.value);
  if (!diff.ok) return diff;
  const check = await checkSubmission(db, {
    kind: content.value.kind,
    account_id: content.value.accountId,
    spec: content.value.spec,
  });
  if (!check.ok) return check;
  try {
    const result = await transact(db, async (tx) => {
      const draft = await insertDraft(tx, principal, content.value, parsed.data.justification, diff.value);
      if (!draft.ok) return draft;
      return transitionRequest(tx, {
        requestId: draft.value.id,
        from: ['draft'],
        to: 'pending',
        actorId: principal.id,
        reason: 'submitted',
        changes: {
          findings: JSON.stringify(check.value.assessment),
          approvals_required: check.value.approvalsRequired,
        },
      });
    });
    return result.ok ? ok(toRoleRequest(result.value)) : result;
  } catch (error) {
    if (isUniqueViolation(error))
      return fail(
        'conflict',
        `Another request for role ${content.value.roleName} in this account is already open`,
      );
    throw new Error('Could not save the request', { cause: error });
  }
}

/**
 * Edits a draft or pending request (requester only): a new version with the new spec and/or
 * justification. Editing a pending request re-validates it like a submission and voids every
 * approval given so far. `expectedVersion` guards against overwriting a newer version.
 */
export async function updateRequest(principal: Principal, input: unknown): Promise<Result<RoleRequest>> {
  const parsed = updateRequestSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesToFieldErrors(parsed.error));
  const { requestId, expectedVersion, spec: specInput, justification } = parsed.data;
  if (specInput === undefined && justification === undefined) return invalid({ form: ['Nothing to change'] });
  const db = await getDb();
  const row = await loadVisibleRequest(db, principal, requestId);
  if (!row) return fail('not_found', 'Request not found');
  if (row.requester_id !== principal.id) return fail('forbidden', 'Only the requester can edit this request');
  if (row.state !== 'draft' && row.state !== 'pending') {
    return fail('conflict', `The request is ${row.state} and can no longer be edited`);
  }
  if (row.kind === 'delete' && specInput !== undefined)
    return invalid({ spec: ['A delete request has no specification to edit'] });

  let nextSpec = row.spec as RoleSpec;
  let diff: string | null = row.diff === null ? null : JSON.stringify(row.diff);
  if (specInput !== undefined) {
    const spec = parseSpec(specInput);
    if (!spec.ok) return spec;
    if (
      spec.value.accountId !== row.account_id ||
      spec.value.name.toLowerCase() !== row.role_name.toLowerCase()
    ) {
      return invalid({
        name: ['The account and role name of a request cannot change; create a new request instead'],
      });
    }
    const base = row.base_spec as RoleSpec | null;
    if (row.kind === 'change' && base && base.path !== spec.value.path) {
      return invalid({ path: ['A role keeps its path; request a new role to use another path'] });
    }
    nextSpec = { ...spec.value, name: row.role_name };
    const nextDiff = diffFor({ kind: row.kind, spec: nextSpec, baseSpec: base });
    if (!nextDiff.ok) return nextDiff;
    diff = nextDiff.value;
  }
  let check: SubmissionCheck | null = null;
  if (row.state === 'pending') {
    const checked = await checkSubmission(db, { kind: row.kind, account_id: row.account_id, spec: nextSpec });
    if (!checked.ok) return checked;
    check = checked.value;
  }
  const { sha256 } = hashRoleSpec(nextSpec);
  const result = await transact(db, async (tx) => {
    const moved = await transitionRequest(tx, {
      requestId,
      from: [row.state],
      to: row.state,
      actorId: principal.id,
      reason: 'edited',
      expectedVersion,
      changes: {
        spec: JSON.stringify(nextSpec),
        spec_sha256: sha256,
        diff,
        justification: justification ?? row.justification,
        ...(check
          ? { findings: JSON.stringify(check.assessment), approvals_required: check.approvalsRequired }
          : {}),
      },
    });
    if (moved.ok) {
      await tx
        .updateTable('approvals')
        .set({ voided_at: new Date() })
        .where('request_id', '=', requestId)
        .where('voided_at', 'is', null)
        .execute();
    }
    return moved;
  });
  return result.ok ? ok(toRoleRequest(result.value)) : result;
}

/**
 * Withdraws a request: a draft or pending one (the requester, or an admin), or a failed one once
 * no provisioning work (retry or rollback) is queued or running for it (the requester, or an
 * approver for its account). A failed request keeps its role name until it is cancelled.
 */
export async function cancelRequest(principal: Principal, input: unknown): Promise<Result<RoleRequest>> {
  const parsed = cancelRequestSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesToFieldErrors(parsed.error));
  const db = await getDb();
  const row = await loadVisibleRequest(db, principal, parsed.data.requestId);
  if (!row) return fail('not_found', 'Request not found');
  const own = row.requester_id === principal.id;
  const allowed =
    row.state === 'failed' ? own || canApproveFor(principal, row.account_id) : own || principal.roles.admin;
  if (!allowed) return fail('forbidden', 'Only the requester can cancel this request');
  const result = await transact(db, async (tx) => {
    const moved = await transitionRequest(tx, {
      requestId: row.id,
      from: ['draft', 'pending', 'failed'],
      to: 'cancelled',
      actorId: principal.id,
      reason: parsed.data.reason || 'cancelled',
    });
    if (!moved.ok || row.state !== 'failed') return moved;
    const running = await tx
      .selectFrom('provisioning_jobs')
      .select('id')
      .where('request_id', '=', row.id)
      .where('status', 'in', ['queued', 'running', 'retrying'])
      .executeTakeFirst();
    return running
      ? fail(
          'conflict',
          'Provisioning work (a retry or a rollback) is still running for this request; wait for it to end',
        )
      : moved;
  });
  return result.ok ? ok(toRoleRequest(result.value)) : result;
}

export interface RequestEvent {
  id: string;
  actorId: string;
  at: Date;
  from: RoleRequest['state'] | null;
  to: RoleRequest['state'];
  reason: string | null;
  requestVersion: number;
  specSha256: string;
}

export interface RequestApproval {
  approverId: string;
  approverName: string;
  requestVersion: number;
  specSha256: string;
  comment: string;
  acknowledged: string[];
  voided: boolean;
  at: Date;
}

export interface RequestDetail {
  request: RoleRequest;
  /** Every approval, voided ones included (an edit voids them). */
  approvals: RequestApproval[];
  /** The audit trail, oldest first. */
  events: RequestEvent[];
  /** What the viewer may do now. */
  can: { approve: boolean; edit: boolean; cancel: boolean; retry: boolean };
}

/**
 * One request with its approvals and audit trail, or `not_found` when it does not exist or the
 * principal may not see it (requester: own; approver: their accounts; admin: all).
 */
export async function getRequest(principal: Principal, requestId: string): Promise<Result<RequestDetail>> {
  if (!/^[0-9a-f-]{36}$/i.test(requestId)) return fail('not_found', 'Request not found');
  const db = await getDb();
  const row = await loadVisibleRequest(db, principal, requestId);
  if (!row) return fail('not_found', 'Request not found');
  const [approvals, events] = await Promise.all([
    db.selectFrom('approvals').selectAll().where('request_id', '=', requestId).orderBy('id').execute(),
    db.selectFrom('request_events').selectAll().where('request_id', '=', requestId).orderBy('id').execute(),
  ]);
  const own = row.requester_id === principal.id;
  const approver = canApproveFor(principal, row.account_id);
  const current = approvals.filter(
    (approval) => approval.voided_at === null && approval.request_version === row.version,
  );
  return ok({
    request: toRoleRequest(row),
    approvals: approvals.map((approval) => ({
      approverId: approval.approver_id,
      approverName: approval.approver_name,
      requestVersion: approval.request_version,
      specSha256: approval.spec_sha256,
      comment: approval.comment,
      acknowledged: approval.acknowledged,
      voided: approval.voided_at !== null,
      at: approval.created_at,
    })),
    events: events.map((event) => ({
      id: String(event.id),
      actorId: event.actor_id,
      at: event.at,
      from: event.from_state,
      to: event.to_state,
      reason: event.reason,
      requestVersion: event.request_version,
      specSha256: event.spec_sha256,
    })),
    can: {
      approve:
        row.state === 'pending' &&
        approver &&
        !own &&
        !current.some((approval) => approval.approver_id === principal.id),
      edit: own && (row.state === 'draft' || row.state === 'pending'),
      cancel:
        row.state === 'failed'
          ? own || approver
          : (own || principal.roles.admin) && (row.state === 'draft' || row.state === 'pending'),
      retry: row.state === 'failed' && approver,
    },
  });
}

export interface RequestPage {
  items: RoleRequest[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * Requests the principal may see, newest first, filtered and paged. `scope: 'to_approve'` gives
 * the approval queue: pending requests of the principal's accounts that are not their own.
 */
export async function listRequests(principal: Principal, input: unknown = {}): Promise<Result<RequestPage>> {
  const parsed = listRequestsSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesToFieldErrors(parsed.error));
  const { scope, state, accountId, kind, page, pageSize } = parsed.data;
  const db = await getDb();
  const approver = principal.roles.admin ? 'all' : principal.roles.approver;
  let query = db.selectFrom('requests');
  if (scope === 'mine') {
    query = query.where('requester_id', '=', principal.id);
  } else if (scope === 'to_approve') {
    if (approver === null || (Array.isArray(approver) && approver.length === 0))
      return ok({ items: [], total: 0, page, pageSize });
    query = query.where('state', '=', 'pending').where('requester_id', '!=', principal.id);
    if (approver !== 'all') query = query.where('account_id', 'in', approver);
  } else if (!principal.roles.admin) {
    const accounts = approver === 'all' ? null : (approver ?? []);
    query = query.where((eb) => {
      const own = eb('requester_id', '=', principal.id);
      if (approver === null || (accounts !== null && accounts.length === 0)) return own;
      const submitted = eb('state', '!=', 'draft');
      return eb.or([
        own,
        accounts === null ? submitted : eb.and([submitted, eb('account_id', 'in', accounts)]),
      ]);
    });
  }
  if (state) query = query.where('state', '=', state as RoleRequest['state']);
  if (accountId) query = query.where('account_id', '=', accountId);
  if (kind) query = query.where('kind', '=', kind);
  const [{ total }, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    query
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
  ]);
  return ok({ items: rows.map(toRoleRequest), total: Number(total), page, pageSize });
}

/** The audit log across all requests, newest first (admins only). */
export async function listAuditEvents(
  principal: Principal,
  input: { page?: number; pageSize?: number; requestId?: string } = {},
): Promise<
  Result<{
    items: (RequestEvent & { requestId: string; roleName: string; accountId: string })[];
    page: number;
    pageSize: number;
  }>
> {
  if (!principal.roles.admin) return fail('forbidden', 'Only admins can read the audit log');
  const page = Math.max(1, Math.floor(input.page ?? 1));
  const pageSize = Math.min(200, Math.max(1, Math.floor(input.pageSize ?? 50)));
  const db = await getDb();
  let query = db
    .selectFrom('request_events as e')
    .innerJoin('requests as r', 'r.id', 'e.request_id')
    .select([
      'e.id',
      'e.request_id',
      'e.actor_id',
      'e.at',
      'e.from_state',
      'e.to_state',
      'e.reason',
      'e.request_version',
      'e.spec_sha256',
      'r.role_name',
      'r.account_id',
    ]);
  if (input.requestId) query = query.where('e.request_id', '=', input.requestId);
  const rows = await query
    .orderBy('e.id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return ok({
    items: rows.map((row) => ({
      id: String(row.id),
      requestId: row.request_id,
      roleName: row.role_name,
      accountId: row.account_id,
      actorId: row.actor_id,
      at: row.at,
      from: row.from_state,
      to: row.to_state,
      reason: row.reason,
      requestVersion: row.request_version,
      specSha256: row.spec_sha256,
    })),
    page,
    pageSize,
  });
}
