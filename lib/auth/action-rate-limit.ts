import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { authDb } from '@/lib/auth/db';
import { clientIp } from '@/lib/auth/origin';
import {
  hitRateLimits,
  mutationsPerIp,
  mutationsPerUser,
  type RateLimitDecision,
} from '@/lib/auth/rate-limit';
import { getAuthSecret } from '@/lib/auth/secret';

/**
 * Request header the proxy sets on a server-action request once it has counted the mutation
 * limits, so that the guards do not count the same request again. The proxy removes any copy a
 * client sent, and its value is derived from the auth secret, so a client cannot forge it.
 */
export const rateCountedHeader = 'x-rolesmith-rate-counted';

interface HeaderSource {
  get(name: string): string | null;
}

/** The value of {@link rateCountedHeader}: an HMAC of a fixed label under the auth secret. */
export function rateCountedToken(): string {
  return createHmac('sha256', getAuthSecret()).update('rolesmith.rate-counted').digest('base64url');
}

/** Whether the proxy already counted this request's mutation limits (see {@link rateCountedHeader}). */
export function countedByProxy(headers: HeaderSource): boolean {
  const value = headers.get(rateCountedHeader);
  if (!value) return false;
  const expected = Buffer.from(rateCountedToken());
  const actual = Buffer.from(value);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Counts a server-action request against the mutation limits the guards apply: per IP always,
 * per user when `userId` (from a valid session cookie) is given. The proxy calls this before Next
 * runs the action, so that a refused request is answered with 429 and `Retry-After`.
 */
export async function countActionRequest(
  headers: HeaderSource,
  userId: string | null,
): Promise<RateLimitDecision> {
  return hitRateLimits(await authDb(), [
    ...(userId ? [{ rule: mutationsPerUser, subject: userId }] : []),
    { rule: mutationsPerIp, subject: clientIp(headers) },
  ]);
}
