import 'server-only';
import { isIP } from 'node:net';
import { z } from 'zod';
import type { Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import {
  getWebhookRecord,
  insertTestOutboxRow,
  listRecentOutboxRows,
  upsertWebhookAtVersion,
  type OutboxSummary,
} from '@/lib/db/queries/webhooks';
import type { WebhookEvent } from '@/lib/db/tables/webhooks';
import { getEnv } from '@/lib/env';
import { isStorableText, unstorableTextMessage } from '@/lib/iam/storable-text';
import { generateSigningSecret, sealSecret } from '@/lib/notifications/secret-box';
import { createWebhookSender, type SentAttempt } from '@/lib/notifications/sender';
import { webhookUrlProblem } from '@/lib/notifications/webhook-url';
import { fail, invalidInput, ok, type Result } from '@/lib/result';

export type { OutboxSummary, WebhookEvent };

/** The events a webhook can be subscribed to, in the order of a request's life. */
export const WEBHOOK_EVENTS: readonly WebhookEvent[] = [
  'submitted',
  'approved',
  'rejected',
  'provisioned',
  'failed',
];

/** The webhook as an admin sees it: never the secret itself, only when it was set. */
export interface WebhookSettings {
  url: string;
  enabled: boolean;
  events: WebhookEvent[];
  allowedHosts: string[];
  secretCreatedAt: Date | null;
  /** 0 before one was saved; pass it back to {@link saveWebhookSettings}. */
  version: number;
  updatedAt: Date | null;
}

const emptySettings: WebhookSettings = {
  url: '',
  enabled: false,
  events: [...WEBHOOK_EVENTS],
  allowedHosts: [],
  secretCreatedAt: null,
  version: 0,
  updatedAt: null,
};

const adminOnly = () => fail('forbidden', 'Only admins can configure notifications');

async function readSettings(): Promise<WebhookSettings> {
  const record = await getWebhookRecord(await getDb());
  if (!record) return emptySettings;
  return {
    url: record.url,
    enabled: record.enabled,
    events: WEBHOOK_EVENTS.filter((event) => record.events.includes(event)),
    allowedHosts: record.allowedHosts,
    secretCreatedAt: record.secretCreatedAt,
    version: record.version,
    updatedAt: record.updatedAt,
  };
}

/** The webhook for the admin's page (defaults before one is saved). Admins only: `forbidden` for others. */
export async function getWebhookSettings(principal: Principal): Promise<Result<WebhookSettings>> {
  if (!principal.roles.admin) return adminOnly();
  return ok(await readSettings());
}

const hostPattern =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

const listOf = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The save form's schema for a mode (the URL rules differ: {@link webhookUrlProblem}). */
export const saveWebhookSchema = (mode: 'sandbox' | 'aws') =>
  z
    .object({
      url: z
        .string()
        .trim()
        .min(1, 'Enter the URL to send notifications to')
        .max(2000, 'At most 2,000 characters')
        .refine(isStorableText, `The URL ${unstorableTextMessage}`),
      enabled: z.preprocess((value) => value === 'on' || value === 'true' || value === true, z.boolean()),
      events: z.preprocess(listOf, z.array(z.enum(WEBHOOK_EVENTS as [WebhookEvent, ...WebhookEvent[]]))),
      allowedHosts: z.preprocess(
        (value) =>
          value === undefined
            ? []
            : typeof value === 'string'
              ? [
                  ...new Set(
                    value.split(/[\r\n,]+/).map((host) =>
                      host
                        .trim()
                        .toLowerCase()
                        .replace(/^\[(.*)\]$/, '$1'),
                    ),
                  ),
                ].filter((host) => host !== '')
              : value,
        z
          .array(
            z.string().refine((host) => isIP(host) !== 0 || hostPattern.test(host), {
              error: (issue) => `${String(issue.input)} is not a host name or IP address`,
            }),
          )
          .max(50, 'At most 50 hosts'),
      ),
      secretChoice: z.enum(['keep', 'generate', 'enter'], { error: 'Choose how to set the signing secret' }),
      secret: z.string().optional(),
      expectedVersion: z.coerce.number().int().min(0),
    })
    .superRefine((input, context) => {
      const problem = webhookUrlProblem(input.url, mode, input.allowedHosts);
      if (problem) context.addIssue({ code: 'custom', path: ['url'], message: problem });
      if (input.enabled && input.events.length === 0)
        context.addIssue({
          code: 'custom',
          path: ['events'],
          message: 'Choose at least one event to notify',
        });
      if (input.secretChoice === 'enter') {
        const secret = input.secret ?? '';
        if (secret.length < 24 || secret.length > 256 || /\s/.test(secret))
          context.addIssue({
            code: 'custom',
            path: ['secret'],
            message: 'Enter a secret of 24 to 256 characters without spaces',
          });
      }
    });

export interface SavedWebhook {
  settings: WebhookSettings;
  /** A secret Rolesmith generated with this save: shown to the admin this once, never again. */
  newSecret: string | null;
}

/**
 * Saves the webhook, compare-and-set on the version the admin loaded. The URL is checked as
 * {@link webhookUrlProblem} says for this mode. The signing secret is kept, generated (returned
 * this once in `newSecret`) or entered; it is stored encrypted and never returned afterwards. The
 * first save must set one. Admins only.
 */
export async function saveWebhookSettings(
  principal: Principal,
  input: unknown,
): Promise<Result<SavedWebhook>> {
  if (!principal.roles.admin) return adminOnly();
  const parsed = saveWebhookSchema(getEnv().ROLESMITH_MODE).safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error, undefined, { textLists: ['allowedHosts'], input });
  const values = parsed.data;
  if (values.expectedVersion === 0 && values.secretChoice === 'keep')
    return fail('invalid_input', 'Set a signing secret', {
      secretChoice: ['Generate a secret or enter one'],
    });
  const newSecret =
    values.secretChoice === 'generate'
      ? generateSigningSecret()
      : values.secretChoice === 'enter'
        ? (values.secret ?? '')
        : null;
  const version = await upsertWebhookAtVersion(
    await getDb(),
    {
      url: values.url,
      enabled: values.enabled,
      events: values.events,
      allowedHosts: values.allowedHosts,
      secret: newSecret === null ? null : { ciphertext: sealSecret(newSecret), createdAt: new Date() },
      updatedBy: principal.id,
    },
    values.expectedVersion,
  );
  if (version === null)
    return fail('conflict', 'Someone saved the webhook since you loaded this page: reload it and save again');
  return ok({
    settings: await readSettings(),
    newSecret: values.secretChoice === 'generate' ? newSecret : null,
  });
}

/**
 * *Send test*: queues a test notification and makes its one attempt now (it waits for the answer,
 * at most one attempt's timeout), whether the webhook is enabled or not. `not_found` before a
 * webhook is saved. Admins only.
 */
export async function sendTestNotification(
  principal: Principal,
  _input: unknown,
): Promise<Result<SentAttempt>> {
  if (!principal.roles.admin) return adminOnly();
  const db = await getDb();
  if (!(await getWebhookRecord(db))) return fail('not_found', 'Save the webhook first, then send a test');
  const id = await insertTestOutboxRow(db, principal.id);
  const sent = await createWebhookSender({ db }).sendNow(id);
  if (!sent) throw new Error(`The test notification ${id} was claimed by someone else`);
  return ok(sent);
}

/** The most recent notifications and their delivery status, newest first. Admins only. */
export async function listRecentDeliveries(
  principal: Principal,
  limit = 25,
): Promise<Result<OutboxSummary[]>> {
  if (!principal.roles.admin) return adminOnly();
  return ok(await listRecentOutboxRows(await getDb(), limit));
}
