'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/auth/action';
import { grantAssignment, revokeAssignment } from '@/lib/auth/assignments';
import { endPersonSessions } from '@/lib/auth/server-sessions';
import type { Result } from '@/lib/result';

/** Grants a portal role to a person or a group. Admins only (the lib function checks too). */
export async function grantRoleAction(
  _previous: Result<{ id: string }> | null,
  formData: FormData,
): Promise<Result<{ id: string }>> {
  const result = await runAction('admin', grantAssignment, formData);
  if (result.ok) revalidatePath('/access');
  return result;
}

/** Revokes one portal-role assignment. Admins only (the lib function checks too). */
export async function revokeRoleAction(
  _previous: Result<null> | null,
  formData: FormData,
): Promise<Result<null>> {
  const result = await runAction('admin', revokeAssignment, formData);
  if (result.ok) revalidatePath('/access');
  return result;
}

/** Signs a person out of every browser (ends all their sessions). Admins only (the lib function checks too). */
export async function signOutPersonAction(
  _previous: Result<{ ended: number }> | null,
  formData: FormData,
): Promise<Result<{ ended: number }>> {
  return runAction('admin', endPersonSessions, formData);
}
