import 'server-only';

/**
 * How the portal learns a client's IP address for its per-IP rate limits.
 *
 * `next start` hands route handlers and the proxy no socket address: it only sets
 * `X-Forwarded-For` to the socket's address when the request has none (`??=` in Next's
 * base-server), so a client that sends its own `X-Forwarded-For` hides its address and can pick
 * a fresh one per request. A hook on Node's HTTP servers rewrites the header before Next sees the
 * request, so that its right-most entry is always the connection's address, and the entries left
 * of it are kept only as far as reverse proxies are trusted (`ROLESMITH_TRUSTED_PROXIES`).
 * `clientIp()` in `lib/auth/origin.ts` then picks the client's entry.
 *
 * `npm start` preloads the hook before Next listens (`scripts/start.mjs`); start-up installs it
 * again from the validated environment (`lib/server-start.ts`), which covers other launchers from
 * then on. The implementation is plain JavaScript (`client-address-hook.mjs`) for the preload.
 */
export {
  forwardedForFromConnection,
  installClientAddressHook,
  trustedProxiesFromEnvironment,
} from '@/lib/auth/client-address-hook.mjs';
