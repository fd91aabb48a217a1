import { NextRequest } from 'next/server';
import { demoProviderId, rateLimitedSignInRetryAfter, sessionCookieName } from '@/lib/auth/config';
import { authDb } from '@/lib/auth/db';
import { handlers } from '@/lib/auth/next-auth';
import { clientIp, isSameOrigin } from '@/lib/auth/origin';
import { hitRateLimit, signInPerIp } from '@/lib/auth/rate-limit';
import { rateLimitedResponse } from '@/lib/auth/rate-limited-response';
import { readSessionUserId } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';

/**
 * Auth.js's endpoints (sign-in redirect, OIDC callback, session, sign-out). Before Auth.js sees a
 * request: the demo provider is 404 in aws mode whatever is sent; a POST must carry the portal's
 * own Origin and is rate limited per IP (429 with `Retry-After`, also past the per-person limit,
 * which the sign-in callback signals with a marked redirect); in aws mode the URL is rewritten to the public URL, so a
 * spoofed Host or X-Forwarded-Host cannot change redirect URIs.
 */
async function handle(request: NextRequest, method: 'GET' | 'POST'): Promise<Response> {
  const env = getEnv();
  const segments = request.nextUrl.pathname.split('/').filter((segment) => segment.length > 0);
  if (env.ROLESMITH_MODE === 'aws' && segments.includes(demoProviderId)) {
    return Response.json({ error: 'not_found' }, { status: 404 });
  }
  // Auth.js reads the session from the cookie alone; a signed-out or revoked session has none.
  // POST (Auth.js's session update) too: it would answer the session and re-issue the cookie.
  if (segments.at(-1) === 'session') {
    const userId = await readSessionUserId(request.cookies.get(sessionCookieName(env))?.value);
    if (!userId) return Response.json(null, { headers: { 'Cache-Control': 'no-store' } });
  }
  if (method === 'POST' && !isSameOrigin(env, request.headers)) {
    return Response.json({ error: 'forbidden', message: 'Missing or foreign Origin.' }, { status: 403 });
  }
  if (method === 'POST' || segments.includes('callback')) {
    const decision = await hitRateLimit(await authDb(), signInPerIp, clientIp(env, request.headers));
    if (!decision.allowed) return tooManyAttempts(request, decision.retryAfterSeconds);
  }
  const response = await handlers[method](
    env.ROLESMITH_MODE === 'aws' ? atPublicUrl(request, new URL(env.ROLESMITH_PUBLIC_URL)) : request,
  );
  // Past the per-person limit the sign-in callback redirects to a marked error page: answer 429.
  const retryAfter = rateLimitedSignInRetryAfter(response.headers.get('location'));
  if (retryAfter === null) return response;
  const refused = tooManyAttempts(request, retryAfter);
  // Keep Auth.js's cookie changes (it clears the PKCE, state and nonce cookies of this attempt).
  for (const cookie of response.headers.getSetCookie()) refused.headers.append('Set-Cookie', cookie);
  return refused;
}

/** 429 with `Retry-After` and a page that says when to try again. */
function tooManyAttempts(request: NextRequest, retryAfterSeconds: number): Response {
  const answer = rateLimitedResponse(request.headers, retryAfterSeconds, '/signin');
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/**
 * The same request addressed to the public URL. NextRequest derives its URL from the Host header,
 * so Host is replaced too (and X-Forwarded-Host dropped): Auth.js then builds callback and
 * redirect URLs from the configured origin only.
 */
function atPublicUrl(request: NextRequest, publicUrl: URL): NextRequest {
  const headers = new Headers(request.headers);
  headers.set('host', publicUrl.host);
  headers.delete('x-forwarded-host');
  headers.set('x-forwarded-proto', publicUrl.protocol.replace(':', ''));
  const url = new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`, publicUrl);
  return new NextRequest(url, { method: request.method, headers, body: request.body, duplex: 'half' });
}

export function GET(request: NextRequest): Promise<Response> {
  return handle(request, 'GET');
}

export function POST(request: NextRequest): Promise<Response> {
  return handle(request, 'POST');
}
