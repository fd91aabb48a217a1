import type { Env } from '@/lib/env';

/** A fresh CSP nonce: 128 random bits, base64. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The Content-Security-Policy for one response. Scripts run only with this response's nonce
 * (`'strict-dynamic'` lets them load Next's chunks); `'unsafe-eval'` only in development, where
 * React needs it. Forms may post to the portal and, in aws mode, to the identity provider.
 */
export function contentSecurityPolicy(env: Env, nonce: string, development: boolean): string {
  const formAction = ["'self'"];
  if (env.ROLESMITH_MODE === 'aws') formAction.push(new URL(env.ROLESMITH_OIDC_ISSUER).origin);
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${development ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    `form-action ${formAction.join(' ')}`,
    "frame-ancestors 'none'",
  ];
  if (env.ROLESMITH_MODE === 'aws' && isBehindTls(env)) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

/** Whether the portal is served over https: its public URL says so (aws mode). */
export function isBehindTls(env: Env, forwardedProto?: string | null): boolean {
  return (env.ROLESMITH_PUBLIC_URL?.startsWith('https:') ?? false) || forwardedProto === 'https';
}

/**
 * Every security header of a response except the CSP: no sniffing, no framing, a strict referrer
 * policy, and HSTS in aws mode when served over TLS (an https public URL, or a TLS-terminating
 * proxy's `X-Forwarded-Proto: https`).
 */
export function securityHeaders(env: Env, forwardedProto: string | null): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
  if (env.ROLESMITH_MODE === 'aws' && isBehindTls(env, forwardedProto)) {
    headers['Strict-Transport-Security'] = 'max-age=63072000; includeSubDomains';
  }
  return headers;
}
