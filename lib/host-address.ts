import { isIP } from 'node:net';

/**
 * Whether a `Host` header value (`name[:port]`, `[v6][:port]`) names an IP address or `localhost`.
 * A foreign domain name that resolves to this machine (DNS rebinding) arrives with that name as
 * both `Host` and `Origin`, so an origin check that trusts the `Host` header may trust it only when
 * it is an address or a `localhost` name; under any other name only a configured public URL counts.
 */
export function isAddressOrLocalhost(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d*$/, '');
  return isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost');
}
