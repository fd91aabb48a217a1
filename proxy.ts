import { NextResponse, type NextRequest } from 'next/server';
import {
  countActionRequest,
  countSignInRequest,
  rateCountedHeader,
  rateCountedToken,
  signInCountedHeader,
  signInCountedToken,
  signInPersonFromForm,
} from '@/lib/auth/action-rate-limit';
import { sessionCookieName } from '@/lib/auth/config';
import { rateLimitedResponse } from '@/lib/auth/rate-limited-response';
import { returnToHeader, signInPath } from '@/lib/auth/redirect';
import { contentSecurityPolicy, createNonce, securityHeaders } from '@/lib/auth/security-headers';
import { readSessionUserId } from '@/lib/auth/session';
import { needsSignIn } from '@/lib/auth/signed-in-routes';
import { getEnv } from '@/lib/env';

/**
 * Security headers (a per-request CSP nonce), a redirect (303) to the sign-in page, naming the
 * path to come back to, for every page that needs a signed-in person (`needsSignIn`: every page
 * route under app/ but the public ones) when no session cookie is present, and the sign-in and
 * mutation rate limits for server-action requests (with JavaScript or a form posted without), answered with 429 and `Retry-After` before Next runs
 * the action (see `rateLimitedResponse` for what the browser shows). Nothing here authorizes anything: every
 * page, server action and route handler calls a `lib/auth` guard itself, so skipping this proxy
 * grants nothing (a request the proxy did not count is counted by the guard).
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const env = getEnv();
  const nonce = createNonce();
  // NODE_ENV is fixed by Next at build time (development under `next dev`).
  const csp = contentSecurityPolicy(env, nonce, process.env.NODE_ENV === 'development');
  const { pathname, search } = request.nextUrl;

  // Only the proxy may mark a request as counted: drop any copy the client sent.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.delete(rateCountedHeader);
  requestHeaders.delete(signInCountedHeader);
  requestHeaders.set(returnToHeader, `${pathname}${search}`);
  // A GET or HEAD has no body, so no form content type: Next re-fetches the target of an action's
  // `redirect()` by GET with the action request's headers, and the guards must see a page render.
  if (request.method === 'GET' || request.method === 'HEAD') requestHeaders.delete('content-type');
  let response: NextResponse | null = null;
  // Next runs a server action for a POST with `Next-Action` (the portal's JavaScript) or with a
  // multipart form body (a form posted before JavaScript loaded); route handlers live under /api.
  const contentType = request.headers.get('content-type') ?? '';
  const isActionPost =
    request.method === 'POST' &&
    !pathname.startsWith('/api/') &&
    (request.headers.has('next-action') || contentType.startsWith('multipart/form-data'));
  // Sign-in actions (posted to /signin) have their own limits, per IP and per person (read from a
  // copy of the form body), and are not counted as mutations.
  if (isActionPost && pathname === '/signin') {
    const decision = await countSignInRequest(request.headers, await postedSignInPerson(request));
    if (decision.allowed) requestHeaders.set(signInCountedHeader, signInCountedToken());
    else response = refused(request, decision.retryAfterSeconds);
  } else if (isActionPost) {
    const userId = await readSessionUserId(request.cookies.get(sessionCookieName(env))?.value);
    const decision = await countActionRequest(request.headers, userId);
    if (decision.allowed) requestHeaders.set(rateCountedHeader, rateCountedToken());
    else response = refused(request, decision.retryAfterSeconds);
  }

  const hasSessionCookie = request.cookies
    .getAll()
    .some((cookie) => cookie.name.endsWith('authjs.session-token'));
  if (!response) {
    // An action posted after the cookie went (signed out in another tab) runs, so that its guard
    // answers `unauthenticated` in the form rather than the action getting a page as its answer.
    if (!hasSessionCookie && !isActionPost && needsSignIn(pathname, env.ROLESMITH_MODE)) {
      // In aws mode the public URL, not the request's Host or X-Forwarded-Host, decides where it points.
      const origin = env.ROLESMITH_MODE === 'aws' ? env.ROLESMITH_PUBLIC_URL : request.nextUrl.origin;
      response = NextResponse.redirect(new URL(signInPath(`${pathname}${search}`), origin), 303);
    } else {
      requestHeaders.set('x-nonce', nonce);
      requestHeaders.set('Content-Security-Policy', csp);
      response = NextResponse.next({ request: { headers: requestHeaders } });
    }
  }
  response.headers.set('Content-Security-Policy', csp);
  for (const [name, value] of Object.entries(
    securityHeaders(env, request.headers.get('x-forwarded-proto')),
  )) {
    response.headers.set(name, value);
  }
  return response;
}

/** The person a sign-in form names, read from a copy of the body (Next still reads the original). */
async function postedSignInPerson(request: NextRequest): Promise<string | null> {
  if (!(request.headers.get('content-type') ?? '').startsWith('multipart/form-data')) return null;
  try {
    return signInPersonFromForm(await request.clone().formData());
  } catch {
    // Not a form Next could run as an action either; the per-IP limit still counted it.
    return null;
  }
}

/** 429 with `Retry-After`, as a Result for the portal's JavaScript or an HTML page otherwise. */
function refused(request: NextRequest, retryAfterSeconds: number): NextResponse {
  const answer = rateLimitedResponse(request.headers, retryAfterSeconds, request.nextUrl.pathname);
  return new NextResponse(answer.body, { status: answer.status, headers: answer.headers });
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
