import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, createNonce, securityHeaders } from '@/lib/auth/security-headers';
import { getEnv } from '@/lib/env';

/** Portal areas that need a signed-in person. The redirect is a comfort: each page checks again. */
const signedInAreas = ['/requests', '/approvals', '/roles', '/accounts', '/guardrails', '/audit', '/access'];

/**
 * Security headers (a per-request CSP nonce) and a comfort redirect to the sign-in page when no
 * session cookie is present. Nothing here authorizes anything: every page, server action and
 * route handler calls a `lib/auth` guard itself, so skipping this proxy grants nothing.
 */
export function proxy(request: NextRequest): NextResponse {
  const env = getEnv();
  const nonce = createNonce();
  // NODE_ENV is fixed by Next at build time (development under `next dev`).
  const csp = contentSecurityPolicy(env, nonce, process.env.NODE_ENV === 'development');
  const { pathname, search } = request.nextUrl;

  let response: NextResponse;
  const hasSessionCookie = request.cookies.getAll().some((cookie) => cookie.name.endsWith('authjs.session-token'));
  if (!hasSessionCookie && signedInAreas.some((area) => pathname === area || pathname.startsWith(`${area}/`))) {
    // A relative Location: the request's Host and X-Forwarded-Host cannot choose where it points.
    const target = `/signin?${new URLSearchParams({ callbackUrl: `${pathname}${search}` }).toString()}`;
    response = new NextResponse(null, { status: 303, headers: { Location: target } });
  } else {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set('x-nonce', nonce);
    requestHeaders.set('Content-Security-Policy', csp);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  response.headers.set('Content-Security-Policy', csp);
  for (const [name, value] of Object.entries(securityHeaders(env, request.headers.get('x-forwarded-proto')))) {
    response.headers.set(name, value);
  }
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
