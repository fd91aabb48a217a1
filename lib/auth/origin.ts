import type { Env } from '@/lib/env';

interface HeaderSource {
  get(name: string): string | null;
}

/**
 * The origin the portal is served from. In `aws` mode (and in sandbox mode when set) it is the
 * origin of `ROLESMITH_PUBLIC_URL`; otherwise, in sandbox mode only, the request's `Host` header
 * (never `X-Forwarded-Host`, which any client can send). Returns `null` when it cannot be known.
 */
export function expectedOrigin(env: Env, headers: HeaderSource): string | null {
  if (env.ROLESMITH_PUBLIC_URL) return new URL(env.ROLESMITH_PUBLIC_URL).origin;
  const host = headers.get('host');
  return host ? host.toLowerCase() : null;
}

/**
 * Whether a state-changing request comes from the portal's own pages: its `Origin` header must be
 * present and equal the portal's origin. Next.js lets a server action without `Origin` through, and
 * route handlers get no check at all, so every state-changing entry point calls this itself.
 */
export function isSameOrigin(env: Env, headers: HeaderSource): boolean {
  const origin = headers.get('origin');
  if (!origin || origin === 'null') return false;
  const expected = expectedOrigin(env, headers);
  if (!expected) return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (env.ROLESMITH_PUBLIC_URL) return parsed.origin === expected;
  // Sandbox without a public URL: compare host and port with the Host header.
  return (
    parsed.host.toLowerCase() === expected && (parsed.protocol === 'http:' || parsed.protocol === 'https:')
  );
}

/**
 * The client's IP address for the per-IP rate limits. `X-Forwarded-For` has been rewritten at
 * start-up (`installClientAddressHook` in `lib/auth/client-address.ts`) so that its right-most
 * entry is the connection's address, preceded by at most `ROLESMITH_TRUSTED_PROXIES` entries
 * vouched for by the trusted reverse proxies. The client is the entry that many places left of
 * the right-most one (with no trusted proxy: the connection's address, whatever the client sent),
 * or the left-most entry when the request passed through fewer proxies. `unknown` when absent.
 */
export function clientIp(env: Env, headers: HeaderSource): string {
  const entries = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  return entries[Math.max(0, entries.length - 1 - env.ROLESMITH_TRUSTED_PROXIES)] ?? 'unknown';
}
