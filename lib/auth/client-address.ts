import 'server-only';
import http from 'node:http';

/**
 * How the portal learns a client's IP address for its per-IP rate limits.
 *
 * `next start` hands route handlers and the proxy no socket address: it only sets
 * `X-Forwarded-For` to the socket's address when the request has none (`??=` in Next's
 * base-server), so a client that sends its own `X-Forwarded-For` hides its address and can pick
 * a fresh one per request. This hook, installed once per process at start-up, rewrites the header
 * before Next sees the request, so that its right-most entry is always the connection's address,
 * and the entries left of it are kept only as far as reverse proxies are trusted
 * (`ROLESMITH_TRUSTED_PROXIES`). `clientIp()` in `lib/auth/origin.ts` then picks the client's entry.
 */

const hookKey = Symbol.for('rolesmith.clientAddressHook');

interface HookState {
  trustedProxies: number;
}

type HookStore = typeof globalThis & { [hookKey]?: HookState };

/** `::ffff:127.0.0.1` → `127.0.0.1`; anything else unchanged. */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

/**
 * The `X-Forwarded-For` value Next should see: the entries the trusted reverse proxies vouch for
 * (at most `trustedProxies` of them, the right-most ones of what the request carried) followed by
 * the connection's own address. With no trusted proxy it is the connection's address alone.
 */
export function forwardedForFromConnection(
  received: string | string[] | undefined,
  peerAddress: string | undefined,
  trustedProxies: number,
): string {
  const peer = peerAddress ? plainAddress(peerAddress) : 'unknown';
  if (trustedProxies === 0) return peer;
  const entries = (Array.isArray(received) ? received.join(',') : (received ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  return [...entries.slice(-trustedProxies), peer].join(', ');
}

/**
 * Installs the hook on every HTTP server of this process (Next's included): each incoming
 * request's `X-Forwarded-For` is rewritten with {@link forwardedForFromConnection} before any
 * listener runs. Idempotent; a second call only updates the number of trusted proxies. Requests
 * that arrived before the hook was installed (the first moments of start-up) keep their header.
 */
export function installClientAddressHook(trustedProxies: number): void {
  const store = globalThis as HookStore;
  const existing = store[hookKey];
  if (existing) {
    existing.trustedProxies = trustedProxies;
    return;
  }
  const state: HookState = { trustedProxies };
  store[hookKey] = state;
  // Kept unbound on purpose: it is called with each server as `this` below.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const originalEmit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emitWithClientAddress(
    this: http.Server,
    event: string | symbol,
    ...args: unknown[]
  ): boolean {
    if (event === 'request' && args[0] instanceof http.IncomingMessage) {
      const request = args[0];
      request.headers['x-forwarded-for'] = forwardedForFromConnection(
        request.headers['x-forwarded-for'],
        request.socket.remoteAddress,
        state.trustedProxies,
      );
    }
    return (originalEmit as (event: string | symbol, ...args: unknown[]) => boolean).call(
      this,
      event,
      ...args,
    );
  } as typeof originalEmit;
}
