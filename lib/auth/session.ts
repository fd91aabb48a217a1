import 'server-only';
import { cookies, headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { decode } from 'next-auth/jwt';
import { cache } from 'react';
import { sessionCookieName, sessionMaxAgeSeconds } from '@/lib/auth/config';
import { countedByProxy, signInCountedByProxy } from '@/lib/auth/action-rate-limit';
import { authDb } from '@/lib/auth/db';
import { clientIp, isSameOrigin } from '@/lib/auth/origin';
import { returnToHeader, signInPath } from '@/lib/auth/redirect';
import { hasPortalRole, type PortalRole, type Principal } from '@/lib/auth/principal';
import {
  hitRateLimits,
  mutationsPerIp,
  mutationsPerUser,
  signInPerIp,
  signInPerPerson,
} from '@/lib/auth/rate-limit';
import { rateLimitedMessage } from '@/lib/auth/rate-limited-response';
import { getAuthSecret } from '@/lib/auth/secret';
import { endSession, isSessionActive } from '@/lib/auth/server-sessions';
import { loadPrincipal } from '@/lib/auth/users';
import { getEnv } from '@/lib/env';
import { fail, ok, type Result } from '@/lib/result';

/**
 * Reads the signed-in user's id from the session cookie: it must decrypt with the auth secret,
 * be unexpired, be at most {@link sessionMaxAgeSeconds} old since sign-in, and carry the id of a
 * server-side session that is still active (not signed out or revoked, not idle for
 * `sessionIdleSeconds`; see `isSessionActive`). Returns `null` otherwise.
 */
export async function readSessionUserId(
  cookieValue: string | undefined,
  now: Date = new Date(),
): Promise<string | null> {
  const claims = await readSessionClaims(cookieValue, now);
  if (!claims) return null;
  return (await isSessionActive(await authDb(), claims.sid, claims.sub, now)) ? claims.sub : null;
}

/** The cookie's claims when it decrypts, is unexpired and within its maximum age; else `null`. */
async function readSessionClaims(
  cookieValue: string | undefined,
  now: Date,
): Promise<{ sub: string; sid: string } | null> {
  if (!cookieValue) return null;
  let claims: Record<string, unknown> | null;
  try {
    claims = await decode({ token: cookieValue, secret: getAuthSecret(), salt: sessionCookieName(getEnv()) });
  } catch {
    return null;
  }
  if (!claims || typeof claims.sub !== 'string' || typeof claims.signedInAt !== 'number') return null;
  if (typeof claims.sid !== 'string') return null;
  if (Math.floor(now.getTime() / 1000) - claims.signedInAt > sessionMaxAgeSeconds) return null;
  return { sub: claims.sub, sid: claims.sid };
}

/**
 * Ends the server-side session of this request's session cookie, if any (sign-out), so that a
 * copy of the cookie is refused from now on. Auth.js's own sign-out route does the same through
 * its `signOut` event.
 */
export async function endCurrentSession(): Promise<void> {
  const jar = await cookies();
  const claims = await readSessionClaims(jar.get(sessionCookieName(getEnv()))?.value, new Date());
  if (claims) await endSession(await authDb(), claims.sid);
}

/**
 * The signed-in person, or `null`. The identity comes from the session cookie; the portal roles
 * are read from the database on every request, so a revoked role takes effect on the next call.
 */
export const getPrincipal = cache(async (): Promise<Principal | null> => {
  const jar = await cookies();
  const userId = await readSessionUserId(jar.get(sessionCookieName(getEnv()))?.value);
  if (!userId) return null;
  return loadPrincipal(await authDb(), getEnv(), userId);
});

/** Thrown when a state-changing request fails the origin check or a rate limit. */
export class RequestRefusedError extends Error {
  override readonly name = 'RequestRefusedError';
  constructor(
    message: string,
    readonly code: 'forbidden' | 'rate_limited',
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/**
 * Whether this request invokes a server action (Next sends `Next-Action`; a form posted before
 * hydration carries a form body instead). Page renders are GET requests with neither.
 */
function isActionRequest(requestHeaders: Headers): boolean {
  if (requestHeaders.has('next-action')) return true;
  const contentType = requestHeaders.get('content-type') ?? '';
  return (
    contentType.startsWith('multipart/form-data') ||
    contentType.startsWith('application/x-www-form-urlencoded')
  );
}

type MutationCheck =
  | { ok: true }
  | { ok: false; code: 'forbidden' | 'rate_limited'; message: string; retryAfterSeconds?: number };

/** The origin check and the mutation rate limits, counted once per request (by the proxy or here). */
const checkMutation = cache(async (userId: string | null): Promise<MutationCheck> => {
  const requestHeaders = await headers();
  const env = getEnv();
  if (!isSameOrigin(env, requestHeaders)) {
    return {
      ok: false,
      code: 'forbidden',
      message: 'This request did not come from the portal (missing or foreign Origin).',
    };
  }
  // The proxy counts server-action requests before Next runs them (so that it can answer 429).
  if (countedByProxy(requestHeaders)) return { ok: true };
  const ip = clientIp(getEnv(), requestHeaders);
  const decision = await hitRateLimits(await authDb(), [
    ...(userId ? [{ rule: mutationsPerUser, subject: userId }] : []),
    { rule: mutationsPerIp, subject: ip },
  ]);
  if (!decision.allowed) {
    return {
      ok: false,
      code: 'rate_limited',
      message: rateLimitedMessage(decision.retryAfterSeconds),
      retryAfterSeconds: decision.retryAfterSeconds,
    };
  }
  return { ok: true };
});

/**
 * The signed-in person, for layouts, pages and server actions. Redirects to the sign-in page when
 * nobody is signed in (no cookie, or a stale or revoked one), naming the path asked for in
 * `callbackUrl` (as the proxy passed it on in {@link returnToHeader}). When the request invokes a
 * server action it also refuses a missing or foreign `Origin` and applies the per-user and per-IP
 * mutation limits, throwing
 * {@link RequestRefusedError}; actions that prefer a `Result` use {@link guardAction}.
 */
export async function requirePrincipal(): Promise<Principal> {
  const principal = await getPrincipal();
  const requestHeaders = await headers();
  if (!principal) redirect(signInPath(requestHeaders.get(returnToHeader)));
  if (isActionRequest(requestHeaders)) {
    const checked = await checkMutation(principal.id);
    if (!checked.ok) {
      throw new RequestRefusedError(checked.message, checked.code, checked.retryAfterSeconds);
    }
  }
  return principal;
}

/**
 * Someone holding `role`, for layouts and pages. Anyone else signed in gets the not-found page
 * (HTTP 404 when it runs before anything streamed, as in a route group's layout), so such pages do
 * not reveal that they exist. Includes {@link requirePrincipal}'s checks.
 */
export async function requireRole(role: PortalRole): Promise<Principal> {
  const principal = await requirePrincipal();
  if (!hasPortalRole(principal, role)) notFound();
  return principal;
}

/** An admin, for admin pages and actions: {@link requireRole}`('admin')`. */
export async function requireAdmin(): Promise<Principal> {
  return requireRole('admin');
}

/**
 * The guard for server actions that return a `Result`: the origin check, the signed-in person and
 * the mutation rate limits, as a value (`forbidden`, `unauthenticated` or `rate_limited`).
 */
export async function guardAction(): Promise<Result<Principal>> {
  const principal = await getPrincipal();
  const checked = await checkMutation(principal?.id ?? null);
  if (!checked.ok) return fail(checked.code, checked.message);
  if (!principal) return fail('unauthenticated', 'Your session has ended. Sign in again.');
  return ok(principal);
}

export type RouteGuard = { ok: true; principal: Principal | null } | { ok: false; response: Response };

/**
 * The guard for route handlers. A state-changing method (anything but GET, HEAD and OPTIONS) must
 * carry the portal's own `Origin` (else 403) and is rate limited per user and per IP (429 with
 * `Retry-After`). With `signedIn: true`, an anonymous caller gets 401.
 */
export async function guardRoute(request: Request, options: { signedIn: boolean }): Promise<RouteGuard> {
  const principal = await getPrincipal();
  if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
    const checked = await checkMutation(principal?.id ?? null);
    if (!checked.ok) {
      const retryAfter = checked.retryAfterSeconds;
      const status = checked.code === 'rate_limited' ? 429 : 403;
      return {
        ok: false,
        response: Response.json(
          { error: checked.code, message: checked.message },
          { status, headers: retryAfter ? { 'Retry-After': String(retryAfter) } : {} },
        ),
      };
    }
  }
  if (options.signedIn && !principal) {
    return {
      ok: false,
      response: Response.json({ error: 'unauthenticated', message: 'Sign in first.' }, { status: 401 }),
    };
  }
  return { ok: true, principal };
}

/**
 * The guard for signing in and out (callers are not signed in yet): the origin check, then the
 * per-IP sign-in limit and, when given, the per-person one. Returns `forbidden` or `rate_limited`.
 * Sign-in actions posted to `/signin` (with JavaScript or without) are counted by the proxy
 * instead, per IP and per person from the form body, and answered there with 429 and
 * `Retry-After`; such requests carry its HMAC marker and are not counted again here.
 */
export async function guardSignIn(person?: string): Promise<Result<null>> {
  const requestHeaders = await headers();
  if (!isSameOrigin(getEnv(), requestHeaders)) {
    return fail('forbidden', 'This request did not come from the portal (missing or foreign Origin).');
  }
  if (signInCountedByProxy(requestHeaders)) return ok(null);
  const decision = await hitRateLimits(await authDb(), [
    { rule: signInPerIp, subject: clientIp(getEnv(), requestHeaders) },
    ...(person ? [{ rule: signInPerPerson, subject: person }] : []),
  ]);
  if (!decision.allowed) return fail('rate_limited', rateLimitedMessage(decision.retryAfterSeconds));
  return ok(null);
}
