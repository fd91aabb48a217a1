import { NextResponse, type NextRequest } from 'next/server';
import {
  countActionRequest,
  countSignInRequest,
  rateCountedHeader,
  rateCountedToken,
  signInCountedHeader,
  signInCountedToken,
} from '@/lib/auth/action-rate-limit';
import { sessionCookieName } from '@/lib/auth/config';
import { contentSecurityPolicy, createNonce, securityHeaders } from '@/lib/auth/security-headers';
import { readSessionUserId } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';

/**
 * Portal areas that need a signed-in person. The redirect is a comfort (it keeps the path to come
 * back to); each page checks again with a `lib/auth` guard. Add an area once its pages require sign-in.
 */
const signedInAreas = ['/access'];

/**
 * Security headers (a per-request CSP nonce), a comfort redirect to the sign-in page when no
 * session cookie is present, and the mutation rate limits for server-action requests, answered
 * with 429 and `Retry-After` before Next runs the action. Nothing here authorizes anything: every
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
  let response: NextResponse | null = null;
  const isActionPost = request.method === 'POST' && request.headers.has('next-action');
  // Sign-in actions (posted to /signin) have their own limits and are not counted as mutations.
  // The per-IP sign-in limit is counted here; the per-person one needs the form body and stays
  // with `guardSignIn()` (which answers it with a `rate_limited` Result, not a 429).
  if (isActionPost && pathname === '/signin') {
    const decision = await countSignInRequest(request.headers);
    if (decision.allowed) {
      requestHeaders.set(signInCountedHeader, signInCountedToken());
    } else {
      const seconds = decision.retryAfterSeconds;
      response = new NextResponse(`Too many sign-in attempts. Try again in ${seconds} seconds.`, {
        status: 429,
        headers: { 'Retry-After': String(seconds), 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
  } else if (isActionPost) {
    const userId = await readSessionUserId(request.cookies.get(sessionCookieName(env))?.value);
    const decision = await countActionRequest(request.headers, userId);
    if (decision.allowed) {
      requestHeaders.set(rateCountedHeader, rateCountedToken());
    } else {
      const seconds = decision.retryAfterSeconds;
      response = new NextResponse(`Too many changes in a short time. Try again in ${seconds} seconds.`, {
        status: 429,
        headers: { 'Retry-After': String(seconds), 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
  }

  const hasSessionCookie = request.cookies
    .getAll()
    .some((cookie) => cookie.name.endsWith('authjs.session-token'));
  if (!response) {
    if (
      !hasSessionCookie &&
      signedInAreas.some((area) => pathname === area || pathname.startsWith(`${area}/`))
    ) {
      // In aws mode the public URL, not the request's Host or X-Forwarded-Host, decides where it points.
      const target =
        env.ROLESMITH_MODE === 'aws' ? new URL('/signin', env.ROLESMITH_PUBLIC_URL) : request.nextUrl.clone();
      target.pathname = '/signin';
      target.search = new URLSearchParams({ callbackUrl: `${pathname}${search}` }).toString();
      response = NextResponse.redirect(target, 303);
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

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
