import 'server-only';
import { canApproveFor, type Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import { getUnfinishedJobId, lockUnfinishedProvisioningJobs } from '@/lib/db/queries/provisioning';
import { getRequestByIdForUpdate } from '@/lib/db/queries/requests';
import { insertApproval, listActiveApproverIds } from '@/lib/db/queries/approvals';
import { insertRequestEvent } from '@/lib/db/queries/request-events';
import { iamForAccount } from '@/lib/provisioning/account-iam';
import { enqueueProvisioning } from '@/lib/provisioning/jobs';
import { preflightCheck } from '@/lib/provisioning/preflight';
import { wakeProvisioningWorker } from '@/lib/provisioning/service';
import { acknowledgementItems, acknowledgementProblems } from '@/lib/requests/assess';
import { getGuardrails } from '@/lib/requests/guardrails-store';
import type { RoleRequest } from '@/lib/requests/model';
import { approveRequestSchema, rejectRequestSchema, retryRequestSchema } from '@/lib/requests/schemas';
import { transact } from '@/lib/db/transaction';
import { describeState } from '@/lib/requests/state-machine';
import { transitionRequest } from '@/lib/requests/transition';
import { loadVisibleRequest } from '@/lib/requests/visible';
import { fail, invalidInput, ok, type Result } from '@/lib/result';

/**
 * Reads the target account before an approval (role name still free, managed policies and
 * boundary exist, quota room) and refuses with the reason. Runs outside any database transaction.
 */
export type PreflightCheck = (request: RoleRequest) => Promise<Result<null>>;

/**
 * The portal's preflight: reads the request's target account as the portal reaches it (the
 * emulator in sandbox mode, the provisioner role in aws mode) with `lib/provisioning`'s checks and
 * the guardrails in force, and returns `ok(null)` or the reasons the role cannot be created.
 */
export async function preflightRequest(request: RoleRequest): Promise<Result<null>> {
  const [iam, stored] = await Promise.all([iamForAccount(request.accountId), getGuardrails()]);
  const result = await preflightCheck(iam, request, stored.guardrails);
  return result.ok ? ok(null) : result;
}

export interface ApprovalOutcome {
  request: RoleRequest;
  /** Current approvals of this version, this one included. */
  approvalsGiven: number;
  /** True when this approval was the last one needed (the request is now approved and queued). */
  isFinal: boolean;
}

/**
 * Approves a pending request. The rules: nobody approves their own request (admins included);
 * only approvers for the request's account; each approver counts once per version; the approval
 * is bound to the SHA-256 of the specification the approver saw and is refused if the request
 * changed since (and, when `expectedVersion` is given, if its version moved on, e.g. a justification
 * edit); every security warning and critical or high risk flag must be acknowledged by its key,
 * exactly those (none missing, none this version does not have); the preflight
 * must pass. The last needed approval moves the request to `approved` and queues its provisioning in the same
 * transaction; the request row is locked, so two approvers at once give exactly one transition.
 *
 * Returns `not_found` (missing or invisible), `forbidden` (own request), `conflict` (not pending,
 * changed, already approved by this person), `invalid_input` (acknowledgements not exactly the items required) or the
 * preflight's failure. `preflight` reads the target account (tests of the workflow alone pass
 * their own); the job is queued by `lib/provisioning` in the approval's transaction, and this
 * process's worker is woken once that transaction has committed.
 */
export async function approveRequest(
  principal: Principal,
  input: unknown,
  preflight: PreflightCheck = preflightRequest,
): Promise<Result<ApprovalOutcome>> {
  const parsed = approveRequestSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const { requestId, specSha256, expectedVersion, comment, acknowledged } = parsed.data;
  const db = await getDb();
  const row = await loadVisibleRequest(db, principal, requestId);
  if (!row) return fail('not_found', 'Request not found');
  if (row.requester.id === principal.id)
    return fail('forbidden', 'You cannot approve your own request; another approver must review it');
  if (!canApproveFor(principal, row.accountId))
    return fail('forbidden', 'You may not approve requests for this account');
  if (row.state !== 'pending')
    return fail('conflict', `The request is ${describeState(row.state)}, so it cannot be approved`);
  if (row.specSha256 !== specSha256 || (expectedVersion !== undefined && row.version !== expectedVersion)) {
    return fail('conflict', 'The request changed since you loaded it; reload it and review the new version');
  }
  // Exactly the items this version asks for: none missing, none unknown (a stale page).
  const problems = acknowledgementProblems(acknowledgementItems(row), acknowledged);
  if (problems.length > 0) {
    return fail(
      'invalid_input',
      'Acknowledge each security warning and critical or high risk flag of this version before approving.',
      { acknowledged: problems },
    );
  }
  const checked = await preflight(row);
  if (!checked.ok) return checked;

  const outcome = await transact(db, async (tx): Promise<Result<ApprovalOutcome>> => {
    // Lock the request, then re-check everything the checks above read: it may have changed since.
    const locked = await getRequestByIdForUpdate(tx, requestId);
    if (!locked) return fail('not_found', 'Request not found');
    if (locked.state !== 'pending')
      return fail('conflict', `The request is ${describeState(locked.state)}, so it cannot be approved`);
    if (locked.specSha256 !== specSha256 || locked.version !== (expectedVersion ?? row.version)) {
      return fail(
        'conflict',
        'The request changed since you loaded it; reload it and review the new version',
      );
    }
    const given = await listActiveApproverIds(tx, requestId, locked.version);
    if (given.includes(principal.id)) {
      return fail(
        'conflict',
        'You have already approved this version of the request; another approver must add theirs',
      );
    }
    await insertApproval(tx, {
      requestId,
      approverId: principal.id,
      approverName: principal.name,
      requestVersion: locked.version,
      specSha256: locked.specSha256,
      comment,
      acknowledged: [...new Set(acknowledged)],
    });
    const approvalsGiven = given.length + 1;
    if (approvalsGiven < locked.approvalsRequired) {
      // Not a transition (the request stays pending at its version), but the audit trail still
      // records who approved what: `pending → pending` with the count, beside the approvals row.
      await insertRequestEvent(tx, {
        requestId,
        actorId: principal.id,
        from: 'pending',
        to: 'pending',
        reason: partialApprovalReason(approvalsGiven, locked.approvalsRequired, comment),
        requestVersion: locked.version,
        specSha256: locked.specSha256,
      });
      return ok({ request: locked, approvalsGiven, isFinal: false });
    }
    const moved = await transitionRequest(tx, {
      requestId,
      from: ['pending'],
      to: 'approved',
      actorId: principal.id,
      reason: comment || 'approved',
      expectedVersion: locked.version,
    });
    if (!moved.ok) return moved;
    await enqueueProvisioning(tx, requestId);
    return ok({ request: moved.value, approvalsGiven, isFinal: true });
  });
  if (outcome.ok && outcome.value.isFinal) wakeProvisioningWorker();
  return outcome;
}

/** The audit reason of an approval that is not yet the last one needed. */
export function partialApprovalReason(given: number, required: number, comment: string): string {
  const count = `approval ${given} of ${required}`;
  return comment ? `${count}: ${comment}` : count;
}

/**
 * Rejects a pending request with a reason (approvers for its account, never on their own
 * request: the requester cancels instead).
 */
export async function rejectRequest(principal: Principal, input: unknown): Promise<Result<RoleRequest>> {
  const parsed = rejectRequestSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const db = await getDb();
  const row = await loadVisibleRequest(db, principal, parsed.data.requestId);
  if (!row) return fail('not_found', 'Request not found');
  if (row.requester.id === principal.id)
    return fail('forbidden', 'You cannot reject your own request; cancel it instead');
  if (!canApproveFor(principal, row.accountId))
    return fail('forbidden', 'You may not reject requests for this account');
  return transact(db, (tx) =>
    transitionRequest(tx, {
      requestId: row.id,
      from: ['pending'],
      to: 'rejected',
      actorId: principal.id,
      reason: parsed.data.comment,
    }),
  );
}

/**
 * Retries a failed request after its cause was fixed (approvers for its account): `failed →
 * provisioning`, clearing the recorded failure and queueing the job again in one transaction.
 * Returns `conflict` when the request is not failed or a rollback of it is still running.
 */
export async function retryRequest(principal: Principal, input: unknown): Promise<Result<RoleRequest>> {
  const parsed = retryRequestSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const db = await getDb();
  const row = await loadVisibleRequest(db, principal, parsed.data.requestId);
  if (!row) return fail('not_found', 'Request not found');
  if (!canApproveFor(principal, row.accountId))
    return fail('forbidden', 'Only an approver for this account can retry the request');
  const retried = await transact(db, async (tx) => {
    await lockUnfinishedProvisioningJobs(tx, row.id);
    const moved = await transitionRequest(tx, {
      requestId: row.id,
      from: ['failed'],
      to: 'provisioning',
      actorId: principal.id,
      reason: parsed.data.comment || 'retry',
      changes: { failure: null },
    });
    if (!moved.ok) return moved;
    // A rollback still running would otherwise swallow the retry's job (one unfinished job per request).
    if ((await getUnfinishedJobId(tx, row.id)) !== null)
      return fail('conflict', 'A rollback of this request is still running; wait for it to end');
    await enqueueProvisioning(tx, row.id);
    return moved;
  });
  if (retried.ok) wakeProvisioningWorker();
  return retried;
}

/** The same input as a retry: the request and an optional comment. */
const rollbackRequestSchema = retryRequestSchema;

/**
 * Undoes what a failed role creation created instead of retrying it (approvers for its account,
 * as for a retry): queues a rollback job and appends an audit event (`failed → failed`, reason
 * "rollback") in one transaction. The request stays `failed` while the job runs; when it ends the
 * request moves to `rolled_back` (which frees the role name), or stays `failed` with the
 * rollback's error (see `markRolledBack` and `markRollbackFailed`).
 *
 * Returns `invalid_input`, `not_found` (missing or invisible), `forbidden` (not an approver for the
 * account) or `conflict` (not a failed create request, or a job for it is still unfinished).
 */
export async function rollbackRequest(principal: Principal, input: unknown): Promise<Result<RoleRequest>> {
  const parsed = rollbackRequestSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const db = await getDb();
  const row = await loadVisibleRequest(db, principal, parsed.data.requestId);
  if (!row) return fail('not_found', 'Request not found');
  if (!canApproveFor(principal, row.accountId))
    return fail('forbidden', 'Only an approver for this account can roll the request back');
  const queued = await transact(db, async (tx) => {
    // Job rows first, then the request: the order a worker ending a job takes them in.
    await lockUnfinishedProvisioningJobs(tx, row.id);
    const current = await getRequestByIdForUpdate(tx, row.id);
    if (!current) return fail('not_found', 'Request not found');
    if (current.kind !== 'create' || current.state !== 'failed') {
      return fail('conflict', 'Only a failed role creation can be rolled back');
    }
    const moved = await transitionRequest(tx, {
      requestId: current.id,
      from: ['failed'],
      to: 'failed',
      actorId: principal.id,
      reason: parsed.data.comment ? `rollback: ${parsed.data.comment}` : 'rollback',
    });
    if (!moved.ok) return moved;
    const job = await enqueueProvisioning(tx, current.id, 'rollback');
    if (!job.isNew)
      return fail('conflict', 'Provisioning of this request is still running; wait for it to end');
    return moved;
  });
  if (queued.ok) wakeProvisioningWorker();
  return queued;
}
