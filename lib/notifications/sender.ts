import 'server-only';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import {
  getWebhookRecord,
  updateClaimOutboxRow,
  updateFinishOutboxAttempt,
  type ClaimedOutboxRow,
  type OutboxAttemptResult,
} from '@/lib/db/queries/webhooks';
import type { Db } from '@/lib/db/schema';
import { getEnv } from '@/lib/env';
import { defaultBackoff, nextAttemptAt, type BackoffPolicy } from '@/lib/notifications/backoff';
import { ATTEMPT_TIMEOUT_MS, postWebhook, type AttemptResult } from '@/lib/notifications/deliver';
import { notificationBody } from '@/lib/notifications/payload';
import { openSecret } from '@/lib/notifications/secret-box';
import {
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signWebhook,
} from '@/lib/notifications/signature';

export interface SenderOptions {
  db: Db;
  /** `aws` refuses private addresses; defaults to the environment's mode. */
  mode?: 'sandbox' | 'aws';
  /** The portal's URL for links to requests; defaults to `ROLESMITH_PUBLIC_URL` (or localhost). */
  publicUrl?: string;
  /** Names this sender in leases; defaults to host, process and a random part. */
  senderId?: string;
  /** How long a claim lasts (default 60 s, well past one attempt's timeout). */
  leaseMs?: number;
  timeoutMs?: number;
  backoff?: BackoffPolicy;
  /** Random source of the backoff's jitter (tests fix it). */
  random?: () => number;
  /** The time, for timestamps and the backoff (tests may move it). */
  now?: () => Date;
  /** How often an idle sender looks for due notifications (default 2 s). */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

/** One attempt as the sender made it: the delivery id and what came of it. */
export interface SentAttempt extends AttemptResult {
  deliveryId: string;
  attempt: number;
  status: OutboxAttemptResult['status'];
  nextAttemptAt: Date | null;
}

export interface WebhookSender {
  /** Claims one due notification and makes one attempt; `null` when none was due. */
  runOnce(): Promise<SentAttempt | null>;
  /** One attempt at the notification `deliveryId` now, due or not (*Send test*); `null` if it is not pending. */
  sendNow(deliveryId: string): Promise<SentAttempt | null>;
  start(): void;
  wake(): void;
  stop(): Promise<void>;
}

function defaultPublicUrl(): string {
  const env = getEnv();
  return env.ROLESMITH_PUBLIC_URL ?? `http://localhost:${env.PORT}`;
}

/**
 * The webhook sender: drains the outbox (`webhook_outbox`), one claimed row at a time (a lease,
 * `FOR UPDATE SKIP LOCKED`, so any number of senders in any number of processes deliver each row
 * once at a time, and every row at least once). Each attempt signs the body (see
 * `signature.ts`), posts it with {@link postWebhook} (the address guard, a timeout, no
 * redirects) and records its outcome; a failure is tried again with exponential backoff and
 * jitter (`backoff.ts`) until a day after the row was queued, then given up. A test notification
 * gets one attempt. A configuration that cannot be used (no webhook, an unreadable secret) is an
 * attempt's error, never an exception: the request workflow never waits for or depends on it.
 */
export function createWebhookSender(options: SenderOptions): WebhookSender {
  const senderId = options.senderId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 60_000;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const backoff = options.backoff ?? defaultBackoff;
  const pollMs = options.pollMs ?? 2_000;

  async function attempt(claimed: ClaimedOutboxRow): Promise<SentAttempt> {
    const started = now();
    const result = await deliver(claimed, started);
    const isFinal = result.outcome === 'delivered' || claimed.event === 'test';
    const retryAt = isFinal
      ? null
      : nextAttemptAt(claimed.createdAt, started, claimed.attempt, random, backoff);
    const status: OutboxAttemptResult['status'] =
      result.outcome === 'delivered'
        ? 'delivered'
        : claimed.event === 'test'
          ? 'failed'
          : retryAt
            ? 'pending'
            : 'given_up';
    await updateFinishOutboxAttempt(options.db, claimed.id, senderId, {
      ...result,
      status,
      nextAttemptAt: retryAt,
    });
    return { ...result, deliveryId: claimed.id, attempt: claimed.attempt, status, nextAttemptAt: retryAt };
  }

  async function deliver(claimed: ClaimedOutboxRow, at: Date): Promise<AttemptResult> {
    const configError = (error: string): AttemptResult => ({
      outcome: 'config_error',
      statusCode: null,
      error,
      durationMs: 0,
    });
    if (at.getTime() > claimed.createdAt.getTime() + backoff.giveUpAfterMs)
      return configError('not delivered within a day of the event (the webhook was off or unreachable)');
    const config = await getWebhookRecord(options.db);
    if (!config) return configError('no webhook is configured');
    const secret = openSecret(config.secretCiphertext);
    if (secret === null)
      return configError('the signing secret cannot be read (AUTH_SECRET changed?): replace the secret');
    const body = notificationBody(
      {
        deliveryId: claimed.id,
        event: claimed.event,
        occurredAt: claimed.transition?.at ?? claimed.createdAt,
        request:
          claimed.request && claimed.transition ? { ...claimed.request, state: claimed.transition.to } : null,
        actor: claimed.actor,
        reason: claimed.transition?.reason ?? null,
      },
      options.publicUrl ?? defaultPublicUrl(),
    );
    const timestamp = Math.floor(at.getTime() / 1000);
    return postWebhook(
      {
        url: config.url,
        allowedHosts: config.allowedHosts,
        mode: options.mode ?? getEnv().ROLESMITH_MODE,
      },
      {
        'Content-Type': 'application/json',
        'User-Agent': 'Rolesmith-Webhook/1',
        [DELIVERY_HEADER]: claimed.id,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
      },
      body,
      options.timeoutMs ?? ATTEMPT_TIMEOUT_MS,
    );
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let isStopping = false;

  async function drain(): Promise<void> {
    try {
      while (!isStopping && (await sender.runOnce()));
    } catch (error) {
      options.onError?.(error);
    }
  }

  function schedule(): void {
    if (isStopping) return;
    timer = setTimeout(() => {
      timer = null;
      running = drain().finally(() => {
        running = null;
        schedule();
      });
    }, pollMs);
    timer.unref();
  }

  const sender: WebhookSender = {
    async runOnce() {
      const claimed = await updateClaimOutboxRow(options.db, senderId, leaseMs);
      return claimed ? attempt(claimed) : null;
    },
    async sendNow(deliveryId) {
      const claimed = await updateClaimOutboxRow(options.db, senderId, leaseMs, deliveryId);
      return claimed ? attempt(claimed) : null;
    },
    start() {
      if (timer || running || isStopping) return;
      schedule();
    },
    wake() {
      if (!timer || isStopping) return;
      clearTimeout(timer);
      timer = null;
      running = drain().finally(() => {
        running = null;
        schedule();
      });
    },
    async stop() {
      isStopping = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
  return sender;
}
