'use server';

import { revalidatePath } from 'next/cache';
import { removeTargetAccount, saveTargetAccount, type TargetAccount } from '@/lib/accounts/accounts';
import { runAction } from '@/lib/auth/action';
import type { Result } from '@/lib/result';

/**
 * Adds (`intent=create`) or edits (`intent=update`) a target account. Admins only (the lib
 * function checks too, and validates).
 */
export async function saveTargetAccountAction(
  _previous: Result<TargetAccount> | null,
  formData: FormData,
): Promise<Result<TargetAccount>> {
  const result = await runAction('admin', saveTargetAccount, formData);
  if (result.ok) revalidatePath('/accounts');
  return result;
}

/** Removes a target account that no request names. Admins only (the lib function checks too). */
export async function removeTargetAccountAction(
  _previous: Result<null> | null,
  formData: FormData,
): Promise<Result<null>> {
  const result = await runAction('admin', removeTargetAccount, formData);
  if (result.ok) revalidatePath('/accounts');
  return result;
}
