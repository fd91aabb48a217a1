'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/auth/action';
import { saveGuardrailsForm, type StoredGuardrails } from '@/lib/requests/guardrails-store';
import type { Result } from '@/lib/result';

/**
 * Saves the guardrails form, compare-and-set on the version the admin loaded. Admins only (the
 * lib function checks too); errors come back keyed like the form's inputs.
 */
export async function updateGuardrailsAction(
  _previous: Result<StoredGuardrails> | null,
  formData: FormData,
): Promise<Result<StoredGuardrails>> {
  const result = await runAction('admin', saveGuardrailsForm, formData);
  if (result.ok) revalidatePath('/guardrails');
  return result;
}
