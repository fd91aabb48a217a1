import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { authDb } from '@/lib/auth/db';
import { clientIp } from '@/lib/auth/origin';
import {
  hitRateLimits,
  mutationsPerIp,
  mutationsPerUser,
  signInPerIp,
  signInPerPerson,
  type RateLimitDecision,
} from '@/lib/auth/rate-limit';
import { getAuthSecret } from '@/lib/auth/secret';
import { getEnv } from '@/lib/env';

/**
 * Request header the proxy sets on a server-action request once it has counted the mutation
 * limits, so that the guards do not count the same request again. The proxy removes any copy a
 * client sent, and its value is derived from the auth secret, so a client cannot forge it.
 */
export const rateCountedHeader = 'x-rolesmith-rate-counted';

interface HeaderSource {
  get(name: string): string | null;
}

/**
 * Request header the proxy sets on a sign-in server-action request (a POST to `/signin`) once it
 * has counted the sign-in limits (per IP, and per person from the form body), so that
 * `guardSignIn()` does not count it again. Removed from client requests and derived from the auth
 * secret like {@link rateCountedHeader}, under a different label.
 */
export const signInCountedHeader = 'x-rolesmith-signin-counted';

function markerToken(label: string): string {
  return createHmac('sha256', getAuthSecret()).update(label).digest('base64url');
}

function hasMarker(headers: HeaderSource, name: string, expectedToken: string): boolean {
  const value = headers.get(name);
  if (!value) return false;
  const expected = Buffer.from(expectedToken);
  const actual = Buffer.from(value);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The value of {@link rateCountedHeader}: an HMAC of a fixed label under the auth secret. */
export function rateCountedToken(): string {
  return markerToken('rolesmith.rate-counted');
}

/** Whether the proxy already counted this request's mutation limits (see {@link rateCountedHeader}). */
export function countedByProxy(headers: HeaderSource): boolean {
  return hasMarker(headers, rateCountedHeader, rateCountedToken());
}

/** The value of {@link signInCountedHeader}: an HMAC of its own fixed label under the auth secret. */
export function signInCountedToken(): string {
  return markerToken('rolesmith.signin-ip-counted');
}

/** Whether the proxy already counted this request's sign-in limits (see {@link signInCountedHeader}). */
export function signInCountedByProxy(headers: HeaderSource): boolean {
  return hasMarker(headers, signInCountedHeader, signInCountedToken());
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
    { rule: mutationsPerIp, subject: clientIp(getEnv(), headers) },
  ]);
}

/**
 * The person a sign-in form names (the demo sign-in's `personId` field, as React's client or a
 * form posted without JavaScript sends it: `personId` or `<prefix>_personId`), or `null`.
 */
export function signInPersonFromForm(form: FormData): string | null {
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string' && /(^|_)personId$/.test(name) && value.length > 0) {
      return value.slice(0, 256);
    }
  }
  return null;
}

/**
 * Counts a sign-in server-action request against the per-IP sign-in limit (`signInPerIp`) and,
 * when the form names a person, the per-person one (`signInPerPerson`, keyed by what was posted,
 * so that an unknown name is limited as a known one is). The proxy calls this before Next runs the
 * action, so that a refused request is answered with 429 and `Retry-After`; sign-in requests are
 * not counted towards the mutation limits.
 */
export async function countSignInRequest(
  headers: HeaderSource,
  person: string | null,
): Promise<RateLimitDecision> {
  return hitRateLimits(await authDb(), [
    { rule: signInPerIp, subject: clientIp(getEnv(), headers) },
    ...(person ? [{ rule: signInPerPerson, subject: person }] : []),
  ]);
}
