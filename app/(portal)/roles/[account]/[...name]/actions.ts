'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { runAction } from '@/lib/auth/action';
import { requestDriftAdopt, requestDriftRestore } from '@/lib/requests/drift-requests';
import { createAndSubmitRequest } from '@/lib/requests/requests';
import type { RoleRequest } from '@/lib/requests/model';
import type { Result } from '@/lib/result';

/**
 * *Request deletion* on a role's summary page (fields `accountId`, `roleName`, `justification`):
 * a delete request of that role, submitted for approval, then its page. `lib/requests` refuses a
 * role the person may not see (`not_found`), a blank justification (beside the field), and a role
 * that already has an open request (`conflict`, with the request's state).
 */
export async function requestRoleDeletionAction(
  _previous: Result<never> | null,
  formData: FormData,
): Promise<Result<never>> {
  const result = await runAction(
    'signedIn',
    (principal, input) => createAndSubmitRequest(principal, { ...(input as object), kind: 'delete' }),
    formData,
  );
  return openRequest(result);
}

/** After a request was made from the summary page: the lists learn of it, and its page opens. */
function openRequest(result: Result<RoleRequest>): Result<never> {
  if (!result.ok) return result;
  revalidatePath('/requests');
  revalidatePath('/approvals');
  revalidatePath('/roles', 'layout');
  redirect(`/requests/${result.value.id}`);
}

/**
 * *Restore what Rolesmith recorded* in the drift section (fields `accountId`, `roleName`): a change
 * request back to the recorded spec, planned from the live role as read. Approvers of the role's
 * account and admins; refused when the role has not drifted or was deleted outside Rolesmith.
 */
export async function restoreRoleAction(
  _previous: Result<never> | null,
  formData: FormData,
): Promise<Result<never>> {
  return openRequest(
    await runAction('approver', (principal, input) => requestDriftRestore(principal, input), formData),
  );
}

/**
 * *Adopt the live state* in the drift section (fields `accountId`, `roleName`): a change request
 * whose spec is the live role. Whoever may see the role.
 */
export async function adoptLiveStateAction(
  _previous: Result<never> | null,
  formData: FormData,
): Promise<Result<never>> {
  return openRequest(
    await runAction('signedIn', (principal, input) => requestDriftAdopt(principal, input), formData),
  );
}
