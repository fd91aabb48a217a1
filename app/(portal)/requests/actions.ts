'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/auth/action';
import { retryRequest, rollbackRequest } from '@/lib/requests/approve';
import type { RoleRequest } from '@/lib/requests/model';
import type { Result } from '@/lib/result';

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
