import { isIP } from 'node:net';
import { classifyAddress, describeAddressClass, isPublicAddress } from '@/lib/notifications/address-class';

/** The host of a URL as `dns.lookup` wants it: lower case, IPv6 without its brackets. */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/** Whether `host` names this machine: `localhost`, `*.localhost`, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isIP(host) !== 0 && classifyAddress(host) === 'loopback';
}

/** Whether `host` is on the admin's allow-list (exact names, case-insensitive). */
export function isAllowListed(host: string, allowedHosts: readonly string[]): boolean {
  return allowedHosts.some((allowed) => allowed.toLowerCase() === host.toLowerCase());
}

/**
 * Why `text` cannot be the webhook's URL, or `null` when it can: an absolute http(s) URL without
 * credentials or fragment; in aws mode `https` only, and not an IP literal in a private range
 * unless allow-listed (a name is checked on its resolved addresses at each send); in sandbox mode
 * `http` only to this machine (a local receiver).
 */
export function webhookUrlProblem(
  text: string,
  mode: 'sandbox' | 'aws',
  allowedHosts: readonly string[],
): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Enter an absolute URL, such as https://hooks.slack.com/services/…';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The URL must start with https://';
  if (url.username || url.password)
    return 'Remove the user name and password from the URL: the signature authenticates Rolesmith';
  if (url.hash) return 'Remove the fragment (#…): it is never sent';
  const host = urlHost(url);
  if (url.protocol === 'http:' && (mode === 'aws' || !isLoopbackHost(host)))
    return mode === 'aws'
      ? 'The URL must start with https://'
      : 'The URL must start with https:// (http:// only to a receiver on this machine)';
  if (mode === 'aws' && isIP(host) !== 0 && !isAllowListed(host, allowedHosts)) {
    const kind = classifyAddress(host);
    if (!isPublicAddress(kind))
      return `${host} is ${describeAddressClass(kind)}: add it to the allowed private hosts to use it`;
  }
  return null;
}
