import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, createNonce, securityHeaders } from '@/lib/auth/security-headers';
import { getEnv } from '@/lib/env';

/**
 * Portal areas that need a signed-in person. The redirect is a comfort (it keeps the path to come
 * back to); each page checks again with a `lib/auth` guard. Add an area once its pages require sign-in.
 */
const signedInAreas = ['/access'];

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
    // In aws mode the public URL, not the request's Host or X-Forwarded-Host, decides where it points.
    const target = env.ROLESMITH_MODE === 'aws' ? new URL('/signin', env.ROLESMITH_PUBLIC_URL) : request.nextUrl.clone();
    target.pathname = '/signin';
    target.search = new URLSearchParams({ callbackUrl: `${pathname}${search}` }).toString();
    response = NextResponse.redirect(target, 303);
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
