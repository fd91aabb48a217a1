'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/auth/action';
import { approveRequest, rejectRequest, retryRequest, rollbackRequest } from '@/lib/requests/approve';
import { addRequestComment } from '@/lib/requests/comments';
import type { RoleRequest } from '@/lib/requests/model';
import { cancelRequest } from '@/lib/requests/requests';
import type { RequestState } from '@/lib/requests/state-machine';
import { ok, type Result } from '@/lib/result';

/** What a decision form learns back: where the request stands now (the page re-renders the rest). */
export interface DecisionOutcome {
  requestId: string;
  state: RequestState;
  /** Approvals of the current version, after an approval. */
  approvalsGiven?: number;
}

function revalidateRequest(requestId: string): void {
  revalidatePath(`/requests/${requestId}`);
  revalidatePath('/requests');
  revalidatePath('/approvals');
}

/**
 * Approves a pending request (fields `requestId`, `specSha256` and `expectedVersion` as loaded,
 * `comment`, and one `acknowledged` field per acknowledged item's key). `lib/requests` refuses
 * the requester's own request, an approver of another account, a request that changed since it
 * was loaded, and an approval that does not acknowledge exactly the items that need it.
 */
export async function approveRequestAction(
  _previous: Result<DecisionOutcome> | null,
  formData: FormData,
): Promise<Result<DecisionOutcome>> {
  const result = await runAction(
    'approver',
    // Each key is its own repeated field: a single one must stay a list, never split on commas.
    (principal, input) =>
      approveRequest(principal, {
        ...(input as Record<string, unknown>),
        acknowledged: formData.getAll('acknowledged').filter((key) => typeof key === 'string'),
      }),
    formData,
  );
  if (!result.ok) return result;
  const { request, approvalsGiven } = result.value;
  revalidateRequest(request.id);
  return ok({ requestId: request.id, state: request.state, approvalsGiven });
}

/** Rejects a pending request (fields `requestId`, `comment`: a rejection needs one). */
export async function rejectRequestAction(
  _previous: Result<DecisionOutcome> | null,
  formData: FormData,
): Promise<Result<DecisionOutcome>> {
  const result = await runAction('approver', rejectRequest, formData);
  if (!result.ok) return result;
  revalidateRequest(result.value.id);
  return ok({ requestId: result.value.id, state: result.value.state });
}

/** Cancels a request (field `requestId`, optional `reason`): its requester while pending. */
export async function cancelRequestAction(
  _previous: Result<DecisionOutcome> | null,
  formData: FormData,
): Promise<Result<DecisionOutcome>> {
  const result = await runAction('signedIn', cancelRequest, formData);
  if (!result.ok) return result;
  revalidateRequest(result.value.id);
  return ok({ requestId: result.value.id, state: result.value.state });
}

/** Adds a comment to a request (fields `requestId`, `body`): its requester, its approvers, admins. */
export async function addRequestCommentAction(
  _previous: Result<{ id: string }> | null,
  formData: FormData,
): Promise<Result<{ id: string }>> {
  const result = await runAction('signedIn', addRequestComment, formData);
  if (!result.ok) return result;
  revalidatePath(`/requests/${result.value.requestId}`);
  return ok({ id: result.value.id });
}

/**
 * Retries a failed request's provisioning after its cause was fixed (`requestId`, optional
 * `comment`). Approvers of the request's account and admins (the lib function checks the account).
 */
export async function retryRequestAction(
  _previous: Result<RoleRequest> | null,
  formData: FormData,
): Promise<Result<RoleRequest>> {
  const result = await runAction('approver', retryRequest, formData);
  if (result.ok) revalidatePath(`/requests/${result.value.id}`);
  return result;
}

/**
 * Queues the rollback of a failed role creation (`requestId`, optional `comment`): what the
 * attempts created is removed, and the request ends `rolled_back`. Approvers of the request's
 * account and admins (the lib function checks the account).
 */
export async function rollbackRequestAction(
  _previous: Result<RoleRequest> | null,
  formData: FormData,
): Promise<Result<RoleRequest>> {
  const result = await runAction('approver', rollbackRequest, formData);
  if (result.ok) revalidatePath(`/requests/${result.value.id}`);
  return result;
}
