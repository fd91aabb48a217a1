import type { Env } from '@/lib/env';
import { isAddressOrLocalhost } from '@/lib/host-address';

interface HeaderSource {
  get(name: string): string | null;
}

/**
 * The origin the portal is served from. In `aws` mode (and in sandbox mode when set) it is the
 * origin of `ROLESMITH_PUBLIC_URL`; otherwise, in sandbox mode only, the request's `Host` header
 * (never `X-Forwarded-Host`, which any client can send) when it is an IP address or a `localhost`
 * name: under any other name (DNS rebinding: a foreign site's name resolving to this machine, sent as
 * both `Host` and `Origin`) the sandbox needs `ROLESMITH_PUBLIC_URL`. Returns `null` when it cannot
 * be known.
 */
export function expectedOrigin(env: Env, headers: HeaderSource): string | null {
  if (env.ROLESMITH_PUBLIC_URL) return new URL(env.ROLESMITH_PUBLIC_URL).origin;
  const host = headers.get('host')?.toLowerCase();
  return host && isAddressOrLocalhost(host) ? host : null;
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
 * An IPv6 client is keyed by its /64 (see {@link rateLimitAddress}).
 */
export function clientIp(env: Env, headers: HeaderSource): string {
  const entries = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const entry = entries[Math.max(0, entries.length - 1 - env.ROLESMITH_TRUSTED_PROXIES)];
  return entry === undefined ? 'unknown' : rateLimitAddress(entry);
}

/**
 * The key of an address for the per-IP limits. An IPv6 address stands for its /64 network
 * (`2001:db8:1:2::/64`): a single subscriber is routinely given a whole /64 and can send from any
 * of its 2^64 addresses, so keying on the full address would let one client pick a fresh budget
 * per request. An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is its IPv4 address; a port or
 * brackets a proxy added (`[2001:db8::1]:443`, `192.0.2.1:5678`) and a zone (`%eth0`) are
 * dropped. Anything else that is not an address is returned as it is.
 */
export function rateLimitAddress(entry: string): string {
  let address = entry.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed?.[1]) address = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  address = address.replace(/%.*$/, '');
  if (!address.includes(':')) return address;
  const hextets = expandIpv6(address);
  if (!hextets) return address;
  if (hextets.slice(0, 5).every((part) => part === '0') && hextets[5] === 'ffff') {
    const low = hextets.slice(6).map((part) => parseInt(part, 16));
    return low.flatMap((value) => [value >> 8, value & 0xff]).join('.');
  }
  return `${hextets.slice(0, 4).join(':')}::/64`;
}

/** The eight hextets of an IPv6 address (without leading zeros), or `null` when it is not one. */
function expandIpv6(address: string): string[] | null {
  let text = address;
  const ipv4Tail = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (ipv4Tail) {
    const bytes = ipv4Tail.slice(1).map(Number);
    if (bytes.some((byte) => byte > 255)) return null;
    const [a = 0, b = 0, c = 0, d = 0] = bytes;
    text = `${text.slice(0, ipv4Tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const split = (half: string | undefined) => (half ? half.split(':') : []);
  const head = split(halves[0]);
  const tail = split(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const hextets = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!hextets.every((part) => /^[0-9a-f]{1,4}$/.test(part))) return null;
  return hextets.map((part) => parseInt(part, 16).toString(16));
}
