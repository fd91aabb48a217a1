'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { guardAction } from '@/lib/auth/session';
import {
  guardrailsFormSchema,
  updateGuardrails,
  type StoredGuardrails,
} from '@/lib/requests/guardrails-store';
import { fail, type Result } from '@/lib/result';

/**
 * Saves the guardrails form, compare-and-set on the version the admin loaded. Admins only (the
 * lib function checks); errors come back keyed like the form's inputs.
 */
export async function updateGuardrailsAction(
  _previous: Result<StoredGuardrails> | null,
  formData: FormData,
): Promise<Result<StoredGuardrails>> {
  const guard = await guardAction();
  if (!guard.ok) return guard;
  const parsed = guardrailsFormSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    return fail('invalid_input', 'Check the highlighted fields.', z.flattenError(parsed.error).fieldErrors);
  }
  const result = await updateGuardrails(guard.value, parsed.data);
  if (result.ok) revalidatePath('/guardrails');
  return result;
}
