'use server';

import { revalidatePath } from 'next/cache';
import { removeTargetAccount, saveTargetAccount, type TargetAccount } from '@/lib/accounts/accounts';
import { guardAction } from '@/lib/auth/session';
import type { Result } from '@/lib/result';

/**
 * Adds (`intent=create`) or edits (`intent=update`) a target account. Admins only (the lib
 * function checks and validates).
 */
export async function saveTargetAccountAction(
  _previous: Result<TargetAccount> | null,
  formData: FormData,
): Promise<Result<TargetAccount>> {
  const guard = await guardAction();
  if (!guard.ok) return guard;
  const result = await saveTargetAccount(guard.value, Object.fromEntries(formData));
  if (result.ok) revalidatePath('/accounts');
  return result;
}

/** Removes a target account that no request names. Admins only (the lib function checks). */
export async function removeTargetAccountAction(
  _previous: Result<null> | null,
  formData: FormData,
): Promise<Result<null>> {
  const guard = await guardAction();
  if (!guard.ok) return guard;
  const result = await removeTargetAccount(guard.value, Object.fromEntries(formData));
  if (result.ok) revalidatePath('/accounts');
  return result;
}
