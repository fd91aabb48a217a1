'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/auth/action';
import type { SentAttempt } from '@/lib/notifications/sender';
import {
  saveWebhookSettings,
  sendTestNotification,
  type SavedWebhook,
} from '@/lib/notifications/webhook-settings';
import type { Result } from '@/lib/result';

/**
 * Saves the webhook, compare-and-set on the version the admin loaded. Admins only (the lib
 * function checks too). A secret Rolesmith generated comes back this once, to be shown once.
 */
export async function saveWebhookAction(
  _previous: Result<SavedWebhook> | null,
  formData: FormData,
): Promise<Result<SavedWebhook>> {
  const result = await runAction('admin', saveWebhookSettings, formData);
  if (result.ok) revalidatePath('/notifications');
  return result;
}

/** *Send test*: one signed test notification, now; the deliveries table shows it. Admins only. */
export async function sendTestWebhookAction(
  _previous: Result<SentAttempt> | null,
  formData: FormData,
): Promise<Result<SentAttempt>> {
  const result = await runAction('admin', sendTestNotification, formData);
  if (result.ok) revalidatePath('/notifications');
  return result;
}
