import 'server-only';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { lockDataDir } from '@/lib/db/data-dir-lock';
import { migrateToLatest } from '@/lib/db/migrate';
import { PGliteDialect } from '@/lib/db/pglite-dialect';
import { namePreparedStatements } from '@/lib/db/prepared';
import type { Database } from '@/lib/db/schema';
import { getEnv } from '@/lib/env';

interface DbHolder {
  /** Settles once the database is open and migrated. */
  ready: Promise<Kysely<Database>>;
  close: () => Promise<void>;
}

// Next.js may load this module more than once in one server process: keep the client on globalThis.
const key = Symbol.for('rolesmith.db');
const store = globalThis as typeof globalThis & { [key]?: DbHolder };

/** Where the embedded database lives: `<ROLESMITH_DATA_DIR>/pglite`. */
export function pgliteDir(dataDir: string): string {
  return path.resolve(dataDir, 'pglite');
}

/**
 * Opens PGlite in `dir` (or in memory when `dir` is null) behind the Kysely dialect. A folder is
 * locked for this process first: a second process is refused with a `DataDirLockedError`.
 * `loadDataDir` starts from a dump (`dumpDataDir`) instead of an empty cluster.
 */
export async function openPglite(
  dir: string | null,
  options: { loadDataDir?: Blob } = {},
): Promise<{ db: Kysely<Database>; close: () => Promise<void>; client: PGlite }> {
  const release = dir === null ? () => undefined : lockDataDir(dir);
  try {
    const loaded = options.loadDataDir ? { loadDataDir: options.loadDataDir } : {};
    const client = dir === null ? await PGlite.create(loaded) : await PGlite.create(dir, loaded);
    const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
    return {
      db,
      client,
      close: async () => {
        await db.destroy();
        release();
      },
    };
  } catch (error) {
    release();
    throw new Error(`Cannot open the embedded database${dir === null ? '' : ` in ${dir}`}`, { cause: error });
  }
}

/** Opens a `pg` pool on a PostgreSQL server. */
export function openPostgres(
  connectionString: string,
  maxConnections = 10,
): { db: Kysely<Database>; close: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString, max: maxConnections });
  // An idle connection dropped by the server (restart, failover) must not crash the process: the
  // pool discards it and the next query opens a new one.
  pool.on('error', (error) =>
    console.error(`rolesmith: an idle database connection failed: ${error.message}`),
  );
  namePreparedStatements(pool);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, close: () => db.destroy() };
}

/**
 * Opens the database the environment names (PGlite in `<ROLESMITH_DATA_DIR>/pglite`, or
 * `DATABASE_URL`) without migrating it. Most code wants {@link getDb}; `db:migrate` uses this.
 */
export async function openConfiguredDatabase(): Promise<{
  db: Kysely<Database>;
  close: () => Promise<void>;
}> {
  const env = getEnv();
  return env.DATABASE_URL ? openPostgres(env.DATABASE_URL) : openPglite(pgliteDir(env.ROLESMITH_DATA_DIR));
}

async function open(): Promise<{ db: Kysely<Database>; close: () => Promise<void> }> {
  const opened = await openConfiguredDatabase();
  try {
    await migrateToLatest(opened.db);
  } catch (error) {
    await opened.close();
    throw error;
  }
  return opened;
}

/**
 * The process's one database client: PGlite in `<ROLESMITH_DATA_DIR>/pglite` when `DATABASE_URL`
 * is unset, otherwise a pool on that PostgreSQL server. Opened on first call (never at import, so
 * `next build` touches no database) and migrated to the latest schema before it is returned.
 *
 * @throws when the database cannot be opened or migrated (e.g. another process holds the PGlite
 *   folder); the next call tries again.
 */
export function getDb(): Promise<Kysely<Database>> {
  let holder = store[key];
  if (!holder) {
    const opening = open();
    holder = {
      ready: opening.then((opened) => opened.db),
      close: async () => {
        const opened = await opening;
        await opened.close();
      },
    };
    store[key] = holder;
    // A failed open is forgotten so that the next call retries.
    opening.catch(() => {
      if (store[key] === holder) delete store[key];
    });
  }
  return holder.ready;
}

/** Checks that the database answers (for `/api/health`); throws with the cause when it does not. */
export async function pingDatabase(): Promise<void> {
  const db = await getDb();
  await sql`select 1`.execute(db);
}

/** Closes the process's client, if open (graceful shutdown, scripts and tests). */
export async function closeDb(): Promise<void> {
  const holder = store[key];
  if (!holder) return;
  delete store[key];
  await holder.close();
}

/**
 * Makes {@link getDb} return `db` (tests only: a fresh PGlite or a test database on the embedded
 * PostgreSQL server). Returns a function restoring the previous state.
 */
export function setDbForTests(db: Kysely<Database>): () => void {
  const previous = store[key];
  store[key] = { ready: Promise.resolve(db), close: () => Promise.resolve() };
  return () => {
    if (previous) store[key] = previous;
    else delete store[key];
  };
}
