import 'server-only';
import { headers } from 'next/headers';
import { authDb } from '@/lib/auth/db';
import { isSameOrigin } from '@/lib/auth/origin';
import type { Principal } from '@/lib/auth/principal';
import { hitRateLimit, readsPerUser } from '@/lib/auth/rate-limit';
import { rateLimitedMessage } from '@/lib/auth/rate-limited-response';
import { getPrincipal } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';

export type ReadRouteGuard = { ok: true; principal: Principal } | { ok: false; response: Response };

/**
 * The guard for the portal's read route handlers (what the UI asks while someone types): a
 * signed-in person (else 401), the portal's own `Origin` for a POST that only reads (else 403),
 * and the per-person read limit {@link readsPerUser} (else 429 with `Retry-After`), which is
 * counted apart from the mutation limit.
 */
export async function guardReadRoute(request: Request): Promise<ReadRouteGuard> {
  const principal = await getPrincipal();
  if (!principal) {
    return {
      ok: false,
      response: Response.json({ error: 'unauthenticated', message: 'Sign in first.' }, { status: 401 }),
    };
  }
  if (!['GET', 'HEAD'].includes(request.method) && !isSameOrigin(getEnv(), await headers())) {
    return {
      ok: false,
      response: Response.json(
        {
          error: 'forbidden',
          message: 'This request did not come from the portal (missing or foreign Origin).',
        },
        { status: 403 },
      ),
    };
  }
  const decision = await hitRateLimit(await authDb(), readsPerUser, principal.id);
  if (!decision.allowed) {
    return {
      ok: false,
      response: Response.json(
        { error: 'rate_limited', message: rateLimitedMessage(decision.retryAfterSeconds) },
        { status: 429, headers: { 'Retry-After': String(decision.retryAfterSeconds) } },
      ),
    };
  }
  return { ok: true, principal };
}

/** Query parameters as a plain object (a name given twice keeps its last value). */
export function searchParamsObject(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}
