// Which address `npm start` has `next start` listen on. Sandbox mode signs anyone in without a
// password and makes them an admin, so it listens on the loopback address unless told otherwise;
// aws mode listens on every interface (Next's default), as a server behind a load balancer must.
import { createRequire } from 'node:module';
import { isIP } from 'node:net';

/** The loopback address sandbox mode listens on by default (Playwright and the README use it too). */
export const loopback = '127.0.0.1';

/**
 * The `--hostname` to add to `next start`'s arguments, or `null` to add none.
 * - An explicit `-H`/`--hostname` argument (`npm start -- --hostname 0.0.0.0`) always wins: `null`.
 * - Otherwise `HOSTNAME`, when it is an IP address (`0.0.0.0`, `::`, `192.168.1.20`). A host
 *   *name* is ignored: Docker and some shells export `HOSTNAME` as the machine's own name, which
 *   would open the sandbox to the network without anyone asking for it.
 * - Otherwise the loopback address in sandbox mode (`ROLESMITH_MODE` unset or `sandbox`), and
 *   `null` (every interface) in aws mode.
 *
 * `note` says what was chosen and why, for the start-up log.
 *
 * @param {{ args: readonly string[], env: Record<string, string | undefined> }} input
 * @returns {{ hostname: string | null, note: string }}
 */
export function chooseListenAddress({ args, env }) {
  if (args.some((arg) => arg === '-H' || arg === '--hostname' || /^(-H|--hostname)=/.test(arg)))
    return { hostname: null, note: 'listening on the address given with --hostname' };
  const address = env.HOSTNAME?.trim().replace(/^\[(.*)\]$/, '$1');
  if (address && isIP(address) !== 0)
    return { hostname: address, note: `listening on ${address} (HOSTNAME)` };
  const mode = env.ROLESMITH_MODE?.trim() || 'sandbox';
  if (mode === 'sandbox') {
    return {
      hostname: loopback,
      note: `sandbox mode listens on ${loopback}, this computer only (HOSTNAME=0.0.0.0 or --hostname opens it up)`,
    };
  }
  return { hostname: null, note: `${mode} mode listens on every interface` };
}

/**
 * The environment as `next start` in `dir` will see it: this process's own, plus the `.env*` files
 * Next loads (so that a mode set in `.env` counts here too). This process's environment, which the
 * server inherits, is left as it was. Call it once per process: Next's loader keeps the first
 * environment it saw.
 *
 * @param {string} dir
 * @returns {Record<string, string | undefined>}
 */
export function environmentWithEnvFiles(dir) {
  const own = { ...process.env };
  // Next's own loader, resolved from Next's package (it is Next's dependency, not ours).
  const fromNext = createRequire(createRequire(import.meta.url).resolve('next/package.json'));
  /** @type {typeof import('@next/env')} */
  const { loadEnvConfig } = fromNext('@next/env');
  const { combinedEnv } = loadEnvConfig(dir, false, { info: () => {}, error: console.error });
  const seen = { ...combinedEnv };
  for (const key of Object.keys(process.env)) if (!(key in own)) delete process.env[key];
  Object.assign(process.env, own);
  return seen;
}
