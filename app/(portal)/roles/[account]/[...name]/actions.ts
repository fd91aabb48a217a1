'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { runAction } from '@/lib/auth/action';
import { createAndSubmitRequest } from '@/lib/requests/requests';
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
  if (!result.ok) return result;
  revalidatePath('/requests');
  revalidatePath('/approvals');
  revalidatePath('/roles', 'layout');
  redirect(`/requests/${result.value.id}`);
}
