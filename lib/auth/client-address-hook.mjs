// Plain JavaScript so that `scripts/start.mjs` can preload it into the server process with
// `--import`, before Next listens (a request that arrives before `register()` would otherwise keep
// the X-Forwarded-For its client sent). `lib/auth/client-address.ts` is its typed face for the app.
import http from 'node:http';

const hookKey = Symbol.for('rolesmith.clientAddressHook');

/**
 * `::ffff:127.0.0.1` → `127.0.0.1`; anything else unchanged.
 * @param {string} address
 * @returns {string}
 */
function plainAddress(address) {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

/**
 * The `X-Forwarded-For` value Next should see: the entries the trusted reverse proxies vouch for
 * (at most `trustedProxies` of them, the right-most ones of what the request carried) followed by
 * the connection's own address. With no trusted proxy it is the connection's address alone.
 * @param {string | string[] | undefined} received
 * @param {string | undefined} peerAddress
 * @param {number} trustedProxies
 * @returns {string}
 */
export function forwardedForFromConnection(received, peerAddress, trustedProxies) {
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
 * listener runs. Idempotent (one hook per process, kept on `globalThis`); a second call only
 * updates the number of trusted proxies.
 * @param {number} trustedProxies
 * @returns {void}
 */
export function installClientAddressHook(trustedProxies) {
  /** @type {Record<symbol, { trustedProxies: number } | undefined>} */
  const store = /** @type {never} */ (globalThis);
  const existing = store[hookKey];
  if (existing) {
    existing.trustedProxies = trustedProxies;
    return;
  }
  const state = { trustedProxies };
  store[hookKey] = state;
  const originalEmit = http.Server.prototype.emit;
  /**
   * @this {http.Server}
   * @param {string | symbol} event
   * @param {...unknown} args
   * @returns {boolean}
   */
  function emitWithClientAddress(event, ...args) {
    const request = args[0];
    if (event === 'request' && request instanceof http.IncomingMessage) {
      request.headers['x-forwarded-for'] = forwardedForFromConnection(
        request.headers['x-forwarded-for'],
        request.socket.remoteAddress,
        state.trustedProxies,
      );
    }
    return originalEmit.call(this, event, ...args);
  }
  http.Server.prototype.emit = /** @type {typeof originalEmit} */ (emitWithClientAddress);
}

/**
 * The number of trusted proxies from `ROLESMITH_TRUSTED_PROXIES` for the preload, which runs before
 * `lib/env.ts` validates the environment: a value that is not a whole number from 0 to 10 counts as
 * 0 here (trust nothing), and start-up then stops with `lib/env.ts`'s message naming the variable.
 * @param {string | undefined} value
 * @returns {number}
 */
export function trustedProxiesFromEnvironment(value) {
  const parsed = value === undefined || value.trim() === '' ? 0 : Number(value);
  return Number.isInteger(parsed) && parsed >= 0 && parsed <= 10 ? parsed : 0;
}
