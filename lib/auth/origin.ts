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
 * The client's IP address for rate limits: the right-most `X-Forwarded-For` entry (the one added
 * by the nearest proxy; entries further left are whatever the client sent), else `unknown`.
 */
export function clientIp(headers: HeaderSource): string {
  const forwarded = headers.get('x-forwarded-for');
  const last = forwarded?.split(',').at(-1)?.trim();
  return last && last.length > 0 ? last : 'unknown';
}
