import 'server-only';
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { DeliveryOutcome } from '@/lib/db/tables/webhooks';
import { classifyAddress, describeAddressClass, isPublicAddress } from '@/lib/notifications/address-class';
import { isAllowListed, urlHost } from '@/lib/notifications/webhook-url';

/** One attempt's result, as recorded for the delivery. */
export interface AttemptResult {
  outcome: DeliveryOutcome;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface DeliveryTarget {
  url: string;
  /** Hosts that may resolve to a private address (aws mode). */
  allowedHosts: readonly string[];
  /** `aws`: refuse addresses that are not public (unless allow-listed); `sandbox`: any address. */
  mode: 'sandbox' | 'aws';
}

/** How long one attempt may take, from resolving the host to the response's status line. */
export const ATTEMPT_TIMEOUT_MS = 5_000;

type Resolved = { address: string; family: number };

/** Resolves `host` to every address (`dns.lookup`, as the OS would); an IP literal is itself. */
async function resolve(host: string): Promise<Resolved[]> {
  const family = isIP(host);
  if (family !== 0) return [{ address: host, family }];
  return dnsLookup(host, { all: true, verbatim: true });
}

/**
 * The addresses to connect to, checked: in aws mode every address the host resolves to must be
 * public (loopback, private, link-local, metadata, shared, multicast and reserved ranges, and
 * IPv6 forms carrying such an IPv4 address, are refused) unless the admin allow-listed the host.
 * All of them, not only the first, so that a name with one public and one private record is refused.
 */
export async function checkedAddress(
  target: DeliveryTarget,
): Promise<{ ok: true; addresses: Resolved[] } | { ok: false; error: string }> {
  const host = urlHost(new URL(target.url));
  const addresses = await resolve(host);
  if (addresses.length === 0) return { ok: false, error: `${host} has no address` };
  if (target.mode === 'aws' && !isAllowListed(host, target.allowedHosts)) {
    for (const { address } of addresses) {
      const kind = classifyAddress(address);
      if (!isPublicAddress(kind))
        return {
          ok: false,
          error: `refused: resolves to a private address (${address}: ${describeAddressClass(kind)})`,
        };
    }
  }
  return { ok: true, addresses };
}

/**
 * A `lookup` that answers with the addresses already checked, never asking DNS again: all of them
 * when the socket tries each in turn (Node's `autoSelectFamily`, "happy eyeballs"), else the first.
 */
export function pinnedLookup(addresses: readonly Resolved[]): LookupFunction {
  return (_hostname, options, callback) => {
    const [first] = addresses;
    if (options.all) (callback as (error: null, all: Resolved[]) => void)(null, [...addresses]);
    else if (first) callback(null, first.address, first.family);
  };
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/**
 * POSTs `body` to the target once: resolves and checks its address ({@link checkedAddress}), then
 * connects to that very address (pinned: the host is not resolved again, so DNS cannot change the
 * answer between check and connect), sending the host's name for TLS and `Host`. Follows no
 * redirect (a 3xx is a failure), gives up after `timeoutMs`, and reads no body (the connection is
 * closed once the status is in). 2xx is `delivered`. Never throws.
 */
export async function postWebhook(
  target: DeliveryTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs = ATTEMPT_TIMEOUT_MS,
): Promise<AttemptResult> {
  const started = performance.now();
  const done = (
    outcome: DeliveryOutcome,
    statusCode: number | null,
    error: string | null,
  ): AttemptResult => ({
    outcome,
    statusCode,
    error: error?.slice(0, 500) ?? null,
    durationMs: Math.round(performance.now() - started),
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolveDeadline) => {
    timer = setTimeout(() => resolveDeadline('timeout'), timeoutMs);
  });
  try {
    const url = new URL(target.url);
    if (target.mode === 'aws' && url.protocol !== 'https:')
      return done('config_error', null, 'The URL must start with https:// in aws mode');
    const checked = await Promise.race([checkedAddress(target), deadline]);
    if (checked === 'timeout') return done('timeout', null, `no answer within ${timeoutMs / 1000} s (DNS)`);
    if (!checked.ok)
      return done(checked.error.startsWith('refused') ? 'refused' : 'network_error', null, checked.error);
    const send = url.protocol === 'https:' ? https.request : http.request;
    let request: http.ClientRequest | undefined;
    const response = new Promise<AttemptResult>((resolveResponse) => {
      request = send(
        {
          protocol: url.protocol,
          hostname: urlHost(url),
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
          agent: false,
          lookup: pinnedLookup(checked.addresses),
        },
        (answer) => {
          const status = answer.statusCode ?? 0;
          // The body is not needed, and reading it would let a receiver that trickles it hold the
          // connection (and this process's socket) for as long as it likes: close it now.
          answer.destroy();
          if (status >= 200 && status < 300) resolveResponse(done('delivered', status, null));
          else if (status >= 300 && status < 400)
            resolveResponse(done('http_error', status, `redirect not followed (HTTP ${status})`));
          else resolveResponse(done('http_error', status, `HTTP ${status}`));
        },
      );
      request.on('error', (error) => resolveResponse(done('network_error', null, errorText(error))));
      request.end(body);
    });
    const answered = await Promise.race([response, deadline]);
    if (answered === 'timeout') {
      request?.destroy();
      return done('timeout', null, `no answer within ${timeoutMs / 1000} s`);
    }
    return answered;
  } catch (error) {
    return done('network_error', null, errorText(error));
  } finally {
    clearTimeout(timer);
  }
}
