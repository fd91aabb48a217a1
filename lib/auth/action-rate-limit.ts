import 'server-only';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
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
 * client sent, and its value is a fresh HMAC under the auth secret valid for a minute, so a client
 * cannot forge it and a leaked one soon stops working.
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

/**
 * How long a marker stays valid. The proxy sets it on the request it forwards at once, so a few
 * seconds would do; a minute leaves room for a slow start. A marker that leaked (a log, a dump)
 * is worth nothing after that, and never for more than the one request's worth of skipped counting.
 */
export const markerLifetimeMs = 60_000;

function markerMac(label: string, issuedAt: string, nonce: string): string {
  return createHmac('sha256', getAuthSecret()).update(`${label}|${issuedAt}|${nonce}`).digest('base64url');
}

/** A fresh marker: issue time, a random nonce, and the HMAC of both with the label under the auth secret. */
function markerToken(label: string, now: number): string {
  const issuedAt = String(now);
  const nonce = randomBytes(12).toString('base64url');
  return `${issuedAt}.${nonce}.${markerMac(label, issuedAt, nonce)}`;
}

function hasMarker(headers: HeaderSource, name: string, label: string, now: number): boolean {
  const value = headers.get(name);
  const [issuedAt, nonce, mac, ...rest] = value?.split('.') ?? [];
  if (!issuedAt || !nonce || !mac || rest.length > 0 || !/^\d{1,15}$/.test(issuedAt)) return false;
  const age = now - Number(issuedAt);
  if (age < -5_000 || age > markerLifetimeMs) return false;
  const expected = Buffer.from(markerMac(label, issuedAt, nonce));
  const actual = Buffer.from(mac);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const rateCountedLabel = 'rolesmith.rate-counted';
const signInCountedLabel = 'rolesmith.signin-ip-counted';

/** A value for {@link rateCountedHeader}: a fresh, short-lived HMAC marker under the auth secret. */
export function rateCountedToken(now: number = Date.now()): string {
  return markerToken(rateCountedLabel, now);
}

/** Whether the proxy already counted this request's mutation limits (see {@link rateCountedHeader}). */
export function countedByProxy(headers: HeaderSource, now: number = Date.now()): boolean {
  return hasMarker(headers, rateCountedHeader, rateCountedLabel, now);
}

/** A value for {@link signInCountedHeader}: like {@link rateCountedToken}, under its own label. */
export function signInCountedToken(now: number = Date.now()): string {
  return markerToken(signInCountedLabel, now);
}

/** Whether the proxy already counted this request's sign-in limits (see {@link signInCountedHeader}). */
export function signInCountedByProxy(headers: HeaderSource, now: number = Date.now()): boolean {
  return hasMarker(headers, signInCountedHeader, signInCountedLabel, now);
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
