import 'server-only';
import type { z } from 'zod';
import { canApproveFor, type Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import { getLiveProvisionedRole } from '@/lib/db/queries/provisioned-roles';
import {
  getRequestById,
  getRequestForRoleInStates,
  insertRequest,
  listRequestPage,
  type RequestFilter,
} from '@/lib/db/queries/requests';
import { getUnfinishedJobId } from '@/lib/db/queries/provisioning';
import { insertRequestEvent, listRequestEvents } from '@/lib/db/queries/request-events';
import { listApprovals, updateApprovalsVoided } from '@/lib/db/queries/approvals';
import { listTargetAccountIds } from '@/lib/db/queries/accounts';
import type { Db, Tx } from '@/lib/db/schema';
import { awsManagedPolicyDocument } from '@/lib/iam/aws-managed-policies';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { MAX_MANAGED_POLICIES_PER_ROLE, roleSpecSchemaFor, type RoleSpec } from '@/lib/iam/role-spec';
import { hashRoleSpec } from '@/lib/iam/spec-hash';
import {
  managedPoliciesQuotaFor,
  readAccountPolicies,
  type SubmissionReadOptions,
} from '@/lib/requests/account-policies';
import { assessRoleSpec, justificationsNeeded } from '@/lib/requests/assess';
import { computeSpecDiff, type SpecChange } from '@/lib/requests/diff';
import { checkGuardrails } from '@/lib/iam/guardrail-check';
import { getGuardrails } from '@/lib/requests/guardrails-store';
import type {
  PolicyVersionRef,
  RequestApproval,
  RequestEvent,
  RoleRequest,
  StoredAssessment,
} from '@/lib/requests/model';
import {
  cancelRequestSchema,
  createDraftSchema,
  listRequestsSchema,
  submitRequestSchema,
  updateRequestSchema,
} from '@/lib/requests/schemas';
import { describeState, OPEN_STATES } from '@/lib/requests/state-machine';
import { transact } from '@/lib/db/transaction';
import { transitionRequest } from '@/lib/requests/transition';
import { decodeCreatedCursor, encodeCreatedCursor } from '@/lib/requests/request-lists';
import { loadVisibleRequest } from '@/lib/requests/visible';
import { maySeeRole } from '@/lib/requests/roles';
import { fail, invalidInput, ok, type FieldErrors, type Result } from '@/lib/result';

/**
 * The request workflow for requesters: drafts, submission, edits, cancellation and reading.
 * Every function takes the signed-in Principal first, re-checks access on the stored record, and
 * returns a Result. Approval lives in `approve.ts`; provisioning's transitions in
 * `provisioning-transitions.ts`.
 */

function invalid(fieldErrors: FieldErrors, message = 'Check the highlighted fields.'): Result<never> {
  return fail('invalid_input', message, fieldErrors);
}

/** The RoleSpec schema per managed-policies-per-role quota (1 to 20), built once each. */
const specSchemas = new Map<number, ReturnType<typeof roleSpecSchemaFor>>();

/**
 * Parses a RoleSpec allowing `managedPoliciesPerRole` managed policies: by default IAM's largest
 * quota (drafts and stored specs); submission passes the account's own.
 */
function parseSpec(value: unknown, managedPoliciesPerRole = MAX_MANAGED_POLICIES_PER_ROLE): Result<RoleSpec> {
  let schema = specSchemas.get(managedPoliciesPerRole);
  if (!schema) {
    schema = roleSpecSchemaFor({ managedPoliciesPerRole });
    specSchemas.set(managedPoliciesPerRole, schema);
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? ok(parsed.data) : invalidInput(parsed.error);
}

function findOpenRequest(db: Db, accountId: string, roleName: string) {
  return getRequestForRoleInStates(db, accountId, roleName, OPEN_STATES);
}

interface SubmissionCheck {
  assessment: StoredAssessment;
  approvalsRequired: number;
  /** The default versions of the customer managed policies read from the account. */
  managedPolicyVersions: PolicyVersionRef[];
}

/** What a submission writes to the request besides its state. */
function submissionChanges(check: SubmissionCheck) {
  return {
    findings: check.assessment,
    approvalsRequired: check.approvalsRequired,
    managedPolicyVersions: check.managedPolicyVersions,
  };
}

/**
 * Re-validates a request's specification on the server as submission requires: the RoleSpec
 * schema with the account's managed-policies-per-role quota, the policy documents (the role's own,
 * and the default versions of the customer managed policies it attaches and of its boundary, read
 * from the account), and the guardrails. Delete requests need no guardrail check.
 */
async function checkSubmission(
  db: Db,
  request: Pick<RoleRequest, 'kind' | 'accountId' | 'spec' | 'flagJustifications'>,
  options: SubmissionReadOptions,
): Promise<Result<SubmissionCheck>> {
  const parsed = parseSpec(request.spec);
  if (!parsed.ok) return parsed;
  const { guardrails } = await getGuardrails(db);
  const orgAccounts = await listTargetAccountIds(db);
  if (!orgAccounts.includes(request.accountId)) {
    return invalid({ accountId: [`Account ${request.accountId} is not a target account`] });
  }
  if (request.kind === 'delete') {
    return ok({
      assessment: { items: [], risks: [] },
      approvalsRequired: guardrails.approvals.default,
      managedPolicyVersions: [],
    });
  }
  const spec = parseSpec(request.spec, await managedPoliciesQuotaFor(parsed.value, options));
  if (!spec.ok) return spec;
  const policies = await readAccountPolicies(spec.value, options);
  if (!policies.ok) return policies;
  const resolve = (arn: string) => awsManagedPolicyDocument(arn) ?? policies.value.documents.get(arn);
  const assessment = assessRoleSpec(spec.value, orgAccounts, await loadCatalogue(), resolve);
  const fieldErrors: FieldErrors = { ...assessment.fieldErrors };
  const context = { organizationAccountIds: orgAccounts, resolveManagedPolicy: resolve };
  for (const [field, messages] of Object.entries(checkGuardrails(spec.value, guardrails, context))) {
    (fieldErrors[field] ??= []).push(...messages);
  }
  // What an approver must acknowledge, the requester must first explain (issue 12).
  for (const { key, title } of justificationsNeeded(assessment.findings, assessment.risks)) {
    if (!request.flagJustifications[key]?.trim())
      fieldErrors[`flagJustifications.${key}`] = [`Explain why the role needs this: ${title}`];
  }
  if (Object.keys(fieldErrors).length > 0)
    return invalid(fieldErrors, 'The role does not meet the rules; fix the highlighted fields.');
  const approvalsRequired = assessment.hasPrivilegeEscalation
    ? guardrails.approvals.privilegeEscalation
    : guardrails.approvals.default;
  return ok({
    assessment: { items: assessment.findings, risks: assessment.risks },
    approvalsRequired,
    managedPolicyVersions: policies.value.versions,
  });
}

interface DraftContent {
  kind: RoleRequest['kind'];
  accountId: string;
  roleName: string;
  spec: RoleSpec;
  baseSpec: RoleSpec | null;
  /** The role the change is planned from when it is not `baseSpec` (an adoption: the live role). */
  planBaseSpec: RoleSpec | null;
  flagJustifications: Record<string, string>;
  roleUsers: string[];
  fromRequestId: string | null;
}

/**
 * What a change is made from besides the record: `base`, the live role as read, the base of both
 * its diff and its plan (a restore: exactly the calls that undo the drift); or `planBase`, the live
 * role as read, the base of its plan only (an adoption: the diff from the record, no write that IAM
 * already has).
 */
type LiveBase = { base: RoleSpec } | { planBase: RoleSpec };

/**
 * The rejected request a new one starts again from: the principal's own, and rejected (a link
 * only: the old request stays rejected). Field error `fromRequestId` otherwise.
 */
async function checkStartedFrom(
  db: Db,
  principal: Principal,
  fromRequestId: string | undefined,
): Promise<Result<string | null>> {
  if (fromRequestId === undefined) return ok(null);
  const from = await getRequestById(db, fromRequestId);
  if (!from || from.requester.id !== principal.id)
    return invalid({ fromRequestId: ['Start again only from a request of your own'] });
  if (from.state !== 'rejected')
    return invalid({ fromRequestId: ['Only a rejected request can be started again'] });
  return ok(from.id);
}

/**
 * Resolves what a create/change/delete draft holds, checking the role's current status. A change or
 * delete of a role the principal may not see is `not_found`, like a role that does not exist.
 */
async function resolveDraft(
  db: Db,
  principal: Principal,
  input: z.output<typeof createDraftSchema>,
  live?: LiveBase,
): Promise<Result<DraftContent>> {
  if (input.kind === 'delete') {
    const role = await getLiveProvisionedRole(db, input.accountId, input.roleName);
    if (!role || !(await maySeeRole(db, principal, role))) {
      return fail(
        'not_found',
        `Rolesmith has not provisioned a role named ${input.roleName} in account ${input.accountId}; only roles it created can be deleted here`,
      );
    }
    const spec = parseSpec(role.spec);
    if (!spec.ok) throw new Error(`The stored specification of role ${role.roleName} does not parse`);
    return ok({
      kind: 'delete',
      accountId: role.accountId,
      roleName: role.roleName,
      spec: spec.value,
      baseSpec: spec.value,
      planBaseSpec: null,
      flagJustifications: {},
      roleUsers: [],
      fromRequestId: null,
    });
  }
  const spec = parseSpec(input.spec);
  if (!spec.ok) return spec;
  const fromRequestId = await checkStartedFrom(db, principal, input.fromRequestId);
  if (!fromRequestId.ok) return fromRequestId;
  const extras = {
    flagJustifications: input.flagJustifications ?? {},
    roleUsers: input.roleUsers ?? [],
    fromRequestId: fromRequestId.value,
  };
  if (!(await listTargetAccountIds(db)).includes(spec.value.accountId))
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
          `A role named ${role.roleName} already exists in this account; choose another name or request a change`,
        ],
      });
    return ok({
      kind: 'create',
      accountId: spec.value.accountId,
      roleName: spec.value.name,
      spec: spec.value,
      baseSpec: null,
      planBaseSpec: null,
      ...extras,
    });
  }
  if (!role || !(await maySeeRole(db, principal, role))) {
    return fail(
      'not_found',
      `Rolesmith has not provisioned a role named ${spec.value.name} in account ${spec.value.accountId}; only roles it created can be changed here`,
    );
  }
  const base = parseSpec(role.spec);
  if (!base.ok) throw new Error(`The stored specification of role ${role.roleName} does not parse`);
  if (base.value.path !== spec.value.path) {
    return invalid({ path: ['A role keeps its path; request a new role to use another path'] });
  }
  return ok({
    kind: 'change',
    accountId: role.accountId,
    roleName: role.roleName,
    spec: { ...spec.value, name: role.roleName },
    // A restore is planned from the live role as read, so that it makes exactly the calls that undo the drift.
    baseSpec: live && 'base' in live ? { ...live.base, name: role.roleName } : base.value,
    planBaseSpec: live && 'planBase' in live ? { ...live.planBase, name: role.roleName } : null,
    ...extras,
  });
}

function diffFor(content: Pick<DraftContent, 'kind' | 'spec' | 'baseSpec'>): Result<SpecChange[] | null> {
  if (content.kind !== 'change' || !content.baseSpec) return ok(null);
  const diff = computeSpecDiff(content.baseSpec, content.spec);
  if (diff.length === 0)
    return invalid({ form: ['Nothing changes: edit the role before submitting a change request'] });
  return ok(diff);
}

async function insertDraft(
  tx: Tx,
  principal: Principal,
  content: DraftContent,
  justification: string,
  diff: SpecChange[] | null,
): Promise<Result<RoleRequest>> {
  const open = await findOpenRequest(tx, content.accountId, content.roleName);
  if (open) {
    return fail(
      'conflict',
      `Another request for role ${content.roleName} in this account is already ${open.state}; finish or cancel it first`,
    );
  }
  const { sha256 } = hashRoleSpec(content.spec);
  const request = await insertRequest(tx, {
    kind: content.kind,
    accountId: content.accountId,
    roleName: content.roleName,
    requester: { id: principal.id, email: principal.email, name: principal.name },
    justification,
    spec: content.spec,
    specSha256: sha256,
    baseSpec: content.baseSpec,
    planBaseSpec: content.planBaseSpec,
    diff,
    state: 'draft',
    approvalsRequired: 1,
    flagJustifications: content.flagJustifications,
    roleUsers: content.roleUsers,
    fromRequestId: content.fromRequestId,
  });
  await insertRequestEvent(tx, {
    requestId: request.id,
    actorId: principal.id,
    from: null,
    to: 'draft',
    reason: 'created',
    requestVersion: 1,
    specSha256: sha256,
  });
  return ok(request);
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
  if (!parsed.success) return invalidInput(parsed.error);
  const db = await getDb();
  const content = await resolveDraft(db, principal, parsed.data);
  if (!content.ok) return content;
  const diff = diffFor(content.value);
  if (!diff.ok) return diff;
  try {
    return await transact(db, (tx) =>
      insertDraft(tx, principal, content.value, parsed.data.justification, diff.value),
    );
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
export async function submitRequest(
  principal: Principal,
  input: unknown,
  options: SubmissionReadOptions = {},
): Promise<Result<RoleRequest>> {
  const parsed = submitRequestSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const db = await getDb();
  const row = await loadVisibleRequest(db, principal, parsed.data.requestId);
  if (!row) return fail('not_found', 'Request not found');
  if (row.requester.id !== principal.id)
    return fail('forbidden', 'Only the requester can submit this request');
  const check = await checkSubmission(db, row, options);
  if (!check.ok) return check;
  return transact(db, (tx) =>
    transitionRequest(tx, {
      requestId: row.id,
      from: ['draft'],
      to: 'pending',
      actorId: principal.id,
      reason: 'submitted',
      expectedVersion: parsed.data.expectedVersion ?? row.version,
      changes: submissionChanges(check.value),
    }),
  );
}

/**
 * Creates a request and submits it in one call (the wizard's "Submit"). On a validation error
 * nothing is saved.
 */
export async function createAndSubmitRequest(
  principal: Principal,
  input: unknown,
  options: SubmissionReadOptions = {},
): Promise<Result<RoleRequest>> {
  return createAndSubmit(principal, input, options);
}

/**
 * {@link createAndSubmitRequest} of a change whose base is the live role as read (`live`), not the
 * record: the restore of a drifted role, whose plan (from base to spec) then makes exactly the calls
 * that undo the drift, and whose diff shows them.
 */
export async function createAndSubmitChangeFromLive(
  principal: Principal,
  input: unknown,
  live: RoleSpec,
  options: SubmissionReadOptions = {},
): Promise<Result<RoleRequest>> {
  return createAndSubmit(principal, input, options, { base: live });
}

/**
 * {@link createAndSubmitRequest} of a change whose diff is against the record but whose plan starts
 * from the live role as read (`live`): the adoption of a drifted role, whose spec is what IAM has,
 * so that provisioning writes nothing and only verifies.
 */
export async function createAndSubmitChangePlannedFromLive(
  principal: Principal,
  input: unknown,
  live: RoleSpec,
  options: SubmissionReadOptions = {},
): Promise<Result<RoleRequest>> {
  return createAndSubmit(principal, input, options, { planBase: live });
}

async function createAndSubmit(
  principal: Principal,
  input: unknown,
  options: SubmissionReadOptions,
  live?: LiveBase,
): Promise<Result<RoleRequest>> {
  const parsed = createDraftSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  if (live && parsed.data.kind !== 'change') return invalid({ form: ['Only a change has a live base'] });
  const db = await getDb();
  const content = await resolveDraft(db, principal, parsed.data, live);
  if (!content.ok) return content;
  const diff = diffFor(content.value);
  if (!diff.ok) return diff;
  const check = await checkSubmission(db, content.value, options);
  if (!check.ok) return check;
  try {
    return await transact(db, async (tx) => {
      const draft = await insertDraft(tx, principal, content.value, parsed.data.justification, diff.value);
      if (!draft.ok) return draft;
      return transitionRequest(tx, {
        requestId: draft.value.id,
        from: ['draft'],
        to: 'pending',
        actorId: principal.id,
        reason: 'submitted',
        changes: submissionChanges(check.value),
      });
    });
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
export async function updateRequest(
  principal: Principal,
  input: unknown,
  options: SubmissionReadOptions = {},
): Promise<Result<RoleRequest>> {
  const parsed = updateRequestSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const {
    requestId,
    expectedVersion,
    spec: specInput,
    justification,
    flagJustifications,
    roleUsers,
  } = parsed.data;
  if (
    specInput === undefined &&
    justification === undefined &&
    flagJustifications === undefined &&
    roleUsers === undefined
  )
    return invalid({ form: ['Nothing to change'] });
  const db = await getDb();
  const row = await loadVisibleRequest(db, principal, requestId);
  if (!row) return fail('not_found', 'Request not found');
  if (row.requester.id !== principal.id) return fail('forbidden', 'Only the requester can edit this request');
  if (row.state !== 'draft' && row.state !== 'pending') {
    return fail('conflict', `The request is ${describeState(row.state)} and can no longer be edited`);
  }
  if (row.kind === 'delete' && specInput !== undefined)
    return invalid({ spec: ['A delete request has no specification to edit'] });

  let nextSpec = row.spec;
  let diff = row.diff;
  if (specInput !== undefined) {
    const spec = parseSpec(specInput);
    if (!spec.ok) return spec;
    if (
      spec.value.accountId !== row.accountId ||
      spec.value.name.toLowerCase() !== row.roleName.toLowerCase()
    ) {
      return invalid({
        name: ['The account and role name of a request cannot change; create a new request instead'],
      });
    }
    const base = row.baseSpec;
    if (row.kind === 'change' && base && base.path !== spec.value.path) {
      return invalid({ path: ['A role keeps its path; request a new role to use another path'] });
    }
    nextSpec = { ...spec.value, name: row.roleName };
    const nextDiff = diffFor({ kind: row.kind, spec: nextSpec, baseSpec: base });
    if (!nextDiff.ok) return nextDiff;
    diff = nextDiff.value;
  }
  let check: SubmissionCheck | null = null;
  if (row.state === 'pending') {
    const checked = await checkSubmission(
      db,
      {
        kind: row.kind,
        accountId: row.accountId,
        spec: nextSpec,
        flagJustifications: flagJustifications ?? row.flagJustifications,
      },
      options,
    );
    if (!checked.ok) return checked;
    check = checked.value;
  }
  const { sha256 } = hashRoleSpec(nextSpec);
  return transact(db, async (tx) => {
    const moved = await transitionRequest(tx, {
      requestId,
      from: [row.state],
      to: row.state,
      actorId: principal.id,
      reason: 'edited',
      expectedVersion,
      changes: {
        spec: nextSpec,
        specSha256: sha256,
        diff,
        justification: justification ?? row.justification,
        ...(flagJustifications !== undefined ? { flagJustifications } : {}),
        ...(roleUsers !== undefined ? { roleUsers } : {}),
        ...(check ? submissionChanges(check) : {}),
      },
    });
    if (moved.ok) await updateApprovalsVoided(tx, requestId);
    return moved;
  });
}

/**
 * Withdraws a request: a draft or pending one (the requester, or an admin), or a failed one once
 * no provisioning work (retry or rollback) is queued or running for it (the requester, or an
 * approver for its account). A failed request keeps its role name until it is cancelled.
 */
export async function cancelRequest(principal: Principal, input: unknown): Promise<Result<RoleRequest>> {
  const parsed = cancelRequestSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const db = await getDb();
  const row = await loadVisibleRequest(db, principal, parsed.data.requestId);
  if (!row) return fail('not_found', 'Request not found');
  const own = row.requester.id === principal.id;
  const allowed =
    row.state === 'failed' ? own || canApproveFor(principal, row.accountId) : own || principal.roles.admin;
  if (!allowed) return fail('forbidden', 'Only the requester can cancel this request');
  return transact(db, async (tx) => {
    const moved = await transitionRequest(tx, {
      requestId: row.id,
      from: ['draft', 'pending', 'failed'],
      to: 'cancelled',
      actorId: principal.id,
      reason: parsed.data.reason || 'cancelled',
    });
    if (!moved.ok || row.state !== 'failed') return moved;
    return (await getUnfinishedJobId(tx, row.id)) !== null
      ? fail(
          'conflict',
          'Provisioning work (a retry or a rollback) is still running for this request; wait for it to end',
        )
      : moved;
  });
}

export type { RequestApproval, RequestEvent };

export interface RequestDetail {
  request: RoleRequest;
  /** Every approval, voided ones included (an edit voids them). */
  approvals: RequestApproval[];
  /** The audit trail, oldest first. */
  events: RequestEvent[];
  /** What the viewer may do now. */
  can: { approve: boolean; edit: boolean; cancel: boolean; retry: boolean; rollback: boolean };
}

/**
 * One request with its approvals and audit trail, or `not_found` when it does not exist or the
 * principal may not see it (requester: own; approver: their accounts; admin: all).
 */
export async function getRequest(principal: Principal, requestId: string): Promise<Result<RequestDetail>> {
  if (!/^[0-9a-f-]{36}$/i.test(requestId)) return fail('not_found', 'Request not found');
  const db = await getDb();
  const request = await loadVisibleRequest(db, principal, requestId);
  if (!request) return fail('not_found', 'Request not found');
  const [approvals, events] = await Promise.all([
    listApprovals(db, requestId),
    listRequestEvents(db, requestId),
  ]);
  const own = request.requester.id === principal.id;
  const approver = canApproveFor(principal, request.accountId);
  const current = approvals.filter(
    (approval) => !approval.voided && approval.requestVersion === request.version,
  );
  const { state } = request;
  return ok({
    request,
    approvals,
    events,
    can: {
      approve:
        state === 'pending' &&
        approver &&
        !own &&
        !current.some((approval) => approval.approverId === principal.id),
      edit: own && (state === 'draft' || state === 'pending'),
      cancel:
        state === 'failed'
          ? own || approver
          : (own || principal.roles.admin) && (state === 'draft' || state === 'pending'),
      retry: state === 'failed' && approver,
      rollback: state === 'failed' && approver && request.kind === 'create',
    },
  });
}

export interface RequestPage {
  items: RoleRequest[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: string | null;
  pageSize: number;
}

/**
 * Requests the principal may see, newest first, filtered, one keyset page at a time (`before`: a
 * previous page's `nextBefore`; a token this function did not write is a field error `before`).
 * `scope: 'to_approve'` gives the approval queue: pending requests of the principal's accounts
 * that are not their own. The pages behind `/requests` and `/approvals` use `request-lists.ts`.
 */
export async function listRequests(principal: Principal, input: unknown = {}): Promise<Result<RequestPage>> {
  const parsed = listRequestsSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const { scope, state, accountId, kind, before, pageSize } = parsed.data;
  const key = decodeCreatedCursor(before);
  if (key === null) return invalid({ before: ['Not a page of this list'] });
  const approver = principal.roles.admin ? 'all' : principal.roles.approver;
  const none = ok({ items: [], nextBefore: null, pageSize });
  let filter: RequestFilter;
  if (scope === 'mine') {
    filter = { requesterId: principal.id };
  } else if (scope === 'to_approve') {
    if (approver === null || (Array.isArray(approver) && approver.length === 0)) return none;
    if (state && state !== 'pending') return none;
    filter = {
      state: 'pending',
      excludeRequesterId: principal.id,
      ...(approver === 'all' ? {} : { accountIds: approver }),
    };
  } else if (!principal.roles.admin) {
    filter = { visibleTo: { requesterId: principal.id, submittedInAccounts: approver ?? [] } };
  } else {
    filter = {};
  }
  if (state) filter.state = state as RoleRequest['state'];
  if (accountId) filter.accountId = accountId;
  if (kind) filter.kind = kind;
  const rows = await listRequestPage(await getDb(), filter, { before: key, limit: pageSize + 1 });
  const last = rows[pageSize - 1];
  return ok({
    items: rows.slice(0, pageSize).map((row) => row.request),
    nextBefore:
      rows.length > pageSize && last ? encodeCreatedCursor({ at: last.cursorAt, id: last.request.id }) : null,
    pageSize,
  });
}
