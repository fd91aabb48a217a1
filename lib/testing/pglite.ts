import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { openPglite, setDbForTests } from '@/lib/db/client';
import { migrateToLatest } from '@/lib/db/migrate';
import type { Database } from '@/lib/db/schema';

export interface TestDatabase {
  db: Kysely<Database>;
  /** Closes the database, removes its folder, and restores `getDb()`. */
  close(): Promise<void>;
}

/**
 * A fresh, migrated PGlite for one test file, installed as the process's `getDb()` database.
 * In memory by default; `{ onDisk: true }` puts it in a new folder under the system's temp dir.
 */
export async function createTestPglite(options: { onDisk?: boolean } = {}): Promise<TestDatabase> {
  const dir = options.onDisk ? path.join(mkdtempSync(path.join(os.tmpdir(), 'rolesmith-pglite-')), 'pglite') : null;
  const opened = await openPglite(dir);
  await migrateToLatest(opened.db);
  const restore = setDbForTests(opened.db);
  return {
    db: opened.db,
    close: async () => {
      restore();
      await opened.close();
      if (dir) rmSync(path.dirname(dir), { recursive: true, force: true });
    },
  };
}
