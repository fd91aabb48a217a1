import 'server-only';
import { getDb } from '@/lib/db/client';
import { createWebhookSender, type SenderOptions, type WebhookSender } from '@/lib/notifications/sender';

const senderKey = Symbol.for('rolesmith.webhookSender');
type Holder = { [senderKey]?: WebhookSender };

/**
 * Starts this process's webhook sender (once: later calls return the same one), on the process's
 * database. Every portal instance and every standalone worker runs one; they share the outbox.
 */
export async function startWebhookSender(options: Partial<SenderOptions> = {}): Promise<WebhookSender> {
  const holder = globalThis as Holder;
  if (holder[senderKey]) return holder[senderKey];
  const sender = createWebhookSender({
    db: await getDb(),
    onError: (error) => console.error('rolesmith: webhook sender error', error),
    ...options,
  });
  holder[senderKey] ??= sender;
  holder[senderKey].start();
  return holder[senderKey];
}

/** Stops this process's sender, if one runs, waiting for the attempt in hand. */
export async function stopWebhookSender(): Promise<void> {
  const holder = globalThis as Holder;
  const sender = holder[senderKey];
  delete holder[senderKey];
  await sender?.stop();
}
