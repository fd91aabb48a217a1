import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The webhook's signature scheme (README, "Notifications webhook"): `X-Rolesmith-Signature:
 * v1=<hex HMAC-SHA256>` over `<timestamp>.<body>`, keyed with the signing secret's UTF-8 bytes,
 * where the timestamp is `X-Rolesmith-Timestamp` (Unix seconds) and the body the exact bytes sent.
 */

export const SIGNATURE_HEADER = 'X-Rolesmith-Signature';
export const TIMESTAMP_HEADER = 'X-Rolesmith-Timestamp';
export const DELIVERY_HEADER = 'X-Rolesmith-Delivery';

/** How old a timestamp a receiver should still accept (five minutes, either way). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The `X-Rolesmith-Signature` value for `body` sent at `timestamp` (Unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type VerifyFailure = 'missing' | 'stale' | 'mismatch';

/**
 * What a receiver does: checks that the timestamp is within `toleranceSeconds` of `now` (so a
 * captured delivery cannot be replayed later) and that one of the header's `v1=` signatures
 * (comma-separated, so a sender may sign with two secrets while one is replaced) matches, compared
 * in constant time. Returns `null` when the delivery is genuine, else why not.
 */
export function verifyWebhookSignature(input: {
  secret: string;
  body: string;
  timestamp: string | null;
  signature: string | null;
  nowSeconds: number;
  toleranceSeconds?: number;
}): VerifyFailure | null {
  if (!input.timestamp || !input.signature || !/^\d{1,12}$/.test(input.timestamp)) return 'missing';
  const timestamp = Number(input.timestamp);
  if (Math.abs(input.nowSeconds - timestamp) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS))
    return 'stale';
  const expected = Buffer.from(signWebhook(input.secret, timestamp, input.body));
  const isMatch = input.signature
    .split(',')
    .map((part) => Buffer.from(part.trim()))
    .some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  return isMatch ? null : 'mismatch';
}
