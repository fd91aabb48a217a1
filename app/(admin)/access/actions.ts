'use server';

import { revalidatePath } from 'next/cache';
import { grantAssignment, revokeAssignment } from '@/lib/auth/assignments';
import { endPersonSessions } from '@/lib/auth/server-sessions';
import { guardAction } from '@/lib/auth/session';
import type { Result } from '@/lib/result';

/** Grants a portal role to a person or a group. Admins only (the lib function checks). */
export async function grantRoleAction(
  _previous: Result<{ id: string }> | null,
  formData: FormData,
): Promise<Result<{ id: string }>> {
  const guard = await guardAction();
  if (!guard.ok) return guard;
  const result = await grantAssignment(guard.value, Object.fromEntries(formData));
  if (result.ok) revalidatePath('/access');
  return result;
}

/** Revokes one portal-role assignment. Admins only (the lib function checks). */
export async function revokeRoleAction(
  _previous: Result<null> | null,
  formData: FormData,
): Promise<Result<null>> {
  const guard = await guardAction();
  if (!guard.ok) return guard;
  const result = await revokeAssignment(guard.value, Object.fromEntries(formData));
  if (result.ok) revalidatePath('/access');
  return result;
}

/** Signs a person out of every browser (ends all their sessions). Admins only (the lib function checks). */
export async function signOutPersonAction(
  _previous: Result<{ ended: number }> | null,
  formData: FormData,
): Promise<Result<{ ended: number }>> {
  const guard = await guardAction();
  if (!guard.ok) return guard;
  return endPersonSessions(guard.value, Object.fromEntries(formData));
}
