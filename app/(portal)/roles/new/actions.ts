'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/auth/action';
import type { Result } from '@/lib/result';
import { discardWizardDraft, saveWizardDraft, type WizardDraftRecord } from '@/lib/wizard/drafts';
import { submitWizard } from '@/lib/wizard/submit';

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

/**
 * Submits the wizard (fields `state`, the wizard's state as JSON text, and `draftId`, the draft to
 * discard): a new create request, submitted for approval. Errors come back keyed by the wizard's
 * fields; on success the client opens `/requests/<requestId>`.
 */
export async function submitWizardAction(
  _previous: Result<{ requestId: string }> | null,
  formData: FormData,
): Promise<Result<{ requestId: string }>> {
  const result = await runAction('signedIn', submitWizard, formData);
  if (result.ok) {
    revalidatePath('/requests');
    revalidatePath('/roles/new');
  }
  return result;
}
