import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { openPglite, setDbForTests } from '@/lib/db/client';
import { migrateToLatest } from '@/lib/db/migrate';
import { migrations } from '@/lib/db/migrations/registry';
import type { Database } from '@/lib/db/schema';

export interface TestDatabase {
  db: Kysely<Database>;
  /** Closes the database, removes its folder, and restores `getDb()`. */
  close(): Promise<void>;
}

/**
 * Where a dump of a freshly migrated in-memory PGlite is cached for other test files: booting from
 * it skips PGlite's initdb and the migrations (seconds per file). The name carries a hash of the
 * migrations' code, so a changed or added migration makes a new template.
 */
function templatePath(): string {
  const hash = createHash('sha256');
  for (const [name, migration] of Object.entries(migrations))
    hash.update(`${name}\n${migration.up.toString()}\n`);
  return path.join(os.tmpdir(), `rolesmith-pglite-template-${hash.digest('hex').slice(0, 16)}.tar`);
}

async function openInMemory(): Promise<Awaited<ReturnType<typeof openPglite>>> {
  const template = templatePath();
  if (existsSync(template)) {
    const opened = await openPglite(null, { loadDataDir: new Blob([readFileSync(template)]) });
    // Cheap when the template is current; applies anything it lacks otherwise.
    await migrateToLatest(opened.db);
    return opened;
  }
  const opened = await openPglite(null);
  await migrateToLatest(opened.db);
  const dump = await opened.client.dumpDataDir('none');
  // Write then rename, so that a concurrent test file never reads a half-written template.
  const partial = `${template}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, template);
  return opened;
}

/**
 * A fresh, migrated PGlite for one test file, installed as the process's `getDb()` database.
 * In memory by default (started from a cached migrated template); `{ onDisk: true }` puts it in
 * a new folder under the system's temp dir.
 */
export async function createTestPglite(options: { onDisk?: boolean } = {}): Promise<TestDatabase> {
  const dir = options.onDisk
    ? path.join(mkdtempSync(path.join(os.tmpdir(), 'rolesmith-pglite-')), 'pglite')
    : null;
  const opened = dir === null ? await openInMemory() : await openPglite(dir);
  if (dir !== null) await migrateToLatest(opened.db);
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
