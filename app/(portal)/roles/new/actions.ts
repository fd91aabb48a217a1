'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/auth/action';
import type { Result } from '@/lib/result';
import { discardWizardDraft, saveWizardDraft, type WizardDraftRecord } from '@/lib/wizard/drafts';

/**
 * Autosaves the wizard (fields `id`, `expectedVersion`, `accountId`, `step`, `title`, and
 * `state` as JSON text): a new draft without `id`, else compare-and-set on the version loaded
 * (`conflict` when another tab saved meanwhile).
 */
export async function saveWizardDraftAction(
  _previous: Result<WizardDraftRecord> | null,
  formData: FormData,
): Promise<Result<WizardDraftRecord>> {
  return runAction('signedIn', saveWizardDraft, formData);
}

/** Discards one of the person's own wizard drafts (field `id`). */
export async function discardWizardDraftAction(
  _previous: Result<{ id: string }> | null,
  formData: FormData,
): Promise<Result<{ id: string }>> {
  const result = await runAction('signedIn', discardWizardDraft, formData);
  if (result.ok) revalidatePath('/roles/new');
  return result;
}
