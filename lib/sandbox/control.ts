import 'server-only';
import { isAddressOrLocalhost } from '@/lib/host-address';
import { parseFaults, type Faults } from '@/lib/sandbox/faults';
import type { SandboxRequest, Service } from '@/lib/sandbox/protocol';

// The emulator's control endpoints beside its IAM/STS endpoint (`<endpoint>/_sandbox/…`): call
// counts, fault injection, demo MFA codes and health, as JSON. They carry no credentials, so they
// refuse what a foreign website could send from a visitor's browser.

/** The number of calls of one action by one account since the last reset. */
export interface CallCount {
  account: string;
  service: Service;
  action: string;
  count: number;
}

/** What the control endpoints read and change on the emulator. */
export interface SandboxControls {
  getCalls(): CallCount[];
  resetCalls(): void;
  getFaults(): Faults;
  setFaults(faults: Faults): void;
  mfaCode(accountId: string, userName: string): string | null;
  isHealthy(): boolean;
}

export interface ControlOptions {
  /**
   * The portal's configured public URL (`ROLESMITH_PUBLIC_URL`), whose origin the portal's own
   * pages have when opened under that name.
   */
  publicUrl?: string;
}

/** Answers one control request, `name` being the path after `/_sandbox/` (e.g. `faults`). */
export async function handleControl(
  controls: SandboxControls,
  request: SandboxRequest,
  name: string,
  options: ControlOptions = {},
): Promise<Response> {
  const json = (body: unknown, status = 200) => Response.json(body, { status });
  const refusal = refuseCrossSiteControl(request, options.publicUrl);
  if (refusal) return json({ error: refusal }, 403);
  if (name === 'calls' && request.method === 'GET') return json({ calls: controls.getCalls() });
  if (name === 'reset-calls' && request.method === 'POST') {
    controls.resetCalls();
    return json({ ok: true });
  }
  if (name === 'faults' && request.method === 'GET') return json(controls.getFaults());
  if (name === 'faults' && request.method === 'POST') {
    const parsed = parseFaults(await request.text());
    if (typeof parsed === 'string') return json({ error: parsed }, 400);
    controls.setFaults(parsed);
    return json(controls.getFaults());
  }
  if (name === 'mfa' && request.method === 'GET') {
    const params = new URL(request.url).searchParams;
    const code = controls.mfaCode(params.get('account') ?? '', params.get('user') ?? '');
    return code === null ? json({ error: 'No such sandbox user with an MFA device.' }, 404) : json({ code });
  }
  if (name === 'health' && request.method === 'GET')
    return json({ healthy: controls.isHealthy() }, controls.isHealthy() ? 200 : 503);
  return new Response('Not Found', { status: 404 });
}

/**
 * Why a control request must be refused, or `undefined`. Any website could otherwise change the
 * sandbox from a visitor's browser: a request whose `Origin` header is not one of the portal's own
 * (see {@link isOwnOrigin}) is refused, and a POST must carry `content-type: application/json`,
 * which a cross-site "simple" request cannot send without a CORS preflight (which this endpoint
 * never grants). A request without `Origin` comes from a tool, not from a page, and may pass.
 */
function refuseCrossSiteControl(request: SandboxRequest, publicUrl: string | undefined): string | undefined {
  const origin = request.headers.get('origin');
  if (origin !== null && !isOwnOrigin(origin, request, publicUrl)) {
    return 'Cross-origin requests to the sandbox control endpoints are refused.';
  }
  if (request.method === 'POST') {
    const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') return 'Control POSTs must have content-type: application/json.';
  }
  return undefined;
}

/**
 * Whether `origin` is the portal's own: the request URL's origin, the configured public URL's, or
 * the origin of the address the browser used (the `Host` header; Next.js builds the request URL
 * from the address it listens on, so a page opened at 127.0.0.1 and a server listening as localhost
 * differ there). The `Host` header counts only when it is an IP address or a `localhost` name: a
 * foreign domain name that resolves to this machine (DNS rebinding) arrives with that name as both
 * `Host` and `Origin`, so under a name only the configured public URL is trusted.
 */
function isOwnOrigin(origin: string, request: SandboxRequest, publicUrl: string | undefined): boolean {
  if (origin === new URL(request.url).origin) return true;
  if (publicUrl !== undefined && origin === new URL(publicUrl).origin) return true;
  const host = request.headers.get('host')?.toLowerCase();
  if (!host || !isAddressOrLocalhost(host)) return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.host === host;
}
