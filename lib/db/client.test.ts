import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirLockedError } from '@/lib/db/data-dir-lock';
import { closeDb, getDb, openPglite, openPostgres, pingDatabase } from '@/lib/db/client';
import { resetEnvForTests } from '@/lib/env';
import { migrateToLatest } from '@/lib/db/migrate';
import { migrations } from '@/lib/db/migrations/registry';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import { startTestPostgres, type TestPostgresServer } from '@/lib/testing/postgres';

describe('PGlite dialect', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestPglite();
  });
  afterAll(async () => {
    await test.close();
  });

  it('applies every registered migration once', async () => {
    const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      test.db,
    );
    expect(rows.rows.map((row) => row.name)).toEqual(Object.keys(migrations).sort());
    expect(await migrateToLatest(test.db)).toEqual([]);
  });

  it('serializes transactions on the single PGlite session', async () => {
    await sql`create table counter (n integer not null)`.execute(test.db);
    await sql`insert into counter values (0)`.execute(test.db);
    // Read-modify-write in 20 concurrent transactions: interleaving would lose increments.
    await Promise.all(
      Array.from({ length: 20 }, () =>
        test.db.transaction().execute(async (tx) => {
          const { rows } = await sql<{ n: number }>`select n from counter`.execute(tx);
          await new Promise((resolve) => setTimeout(resolve, 1));
          await sql`update counter set n = ${(rows[0]?.n ?? 0) + 1}`.execute(tx);
        }),
      ),
    );
    const { rows } = await sql<{ n: number }>`select n from counter`.execute(test.db);
    expect(rows[0]?.n).toBe(20);
  });

  it('rolls a failed transaction back and frees the session', async () => {
    await expect(
      test.db.transaction().execute(async (tx) => {
        await sql`update counter set n = -1`.execute(tx);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await sql<{ n: number }>`select n from counter`.execute(test.db);
    expect(rows[0]?.n).toBe(20);
  });

  it('reports affected rows and parses jsonb and timestamptz', async () => {
    const result = await sql`update counter set n = n + 1`.execute(test.db);
    expect(result.numAffectedRows).toBe(1n);
    const { rows } = await sql<{
      j: { a: number[] };
      t: Date;
    }>`select '{"a":[1,2]}'::jsonb as j, now() as t`.execute(test.db);
    expect(rows[0]?.j).toEqual({ a: [1, 2] });
    expect(rows[0]?.t).toBeInstanceOf(Date);
  });
});

describe('PGlite folder lock', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'rolesmith-lock-'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses a second process clearly and takes over a lock left by a dead one', async () => {
    const dir = path.join(root, 'pglite');
    const first = await openPglite(dir);
    await migrateToLatest(first.db);
    expect(readFileSync(`${dir}.lock`, 'utf8').trim()).toBe(String(process.pid));

    // A real second process tries to open the same folder.
    const script = `
      import { openPglite } from '@/lib/db/client';
      openPglite(${JSON.stringify(dir)}).then(
        () => { console.log('OPENED'); process.exit(0); },
        (error) => { console.log(error.message); process.exit(3); },
      );`;
    const scriptPath = path.join(root, 'second.ts');
    writeFileSync(scriptPath, script);
    const child = spawn(
      process.execPath,
      [path.resolve('node_modules/tsx/dist/cli.mjs'), '--conditions=react-server', scriptPath],
      {
        cwd: process.cwd(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(output).toContain(`in use by another Rolesmith process (pid ${process.pid})`);
    expect(code).toBe(3);

    await first.close();
    // A lock file left behind by a process that died (pid 2^22 + 1 is above Linux's pid_max default).
    writeFileSync(`${dir}.lock`, '4194305\n');
    const again = await openPglite(dir);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(
      again.db,
    );
    expect(rows[0]?.n).toBe(Object.keys(migrations).length);
    await again.close();
  }, 60_000);

  it('throws DataDirLockedError naming the owner when a live process holds the lock', async () => {
    const dir = path.join(root, 'held');
    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(`${dir}.lock`, `${holder.pid}\n`);
      const error = await openPglite(dir).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DataDirLockedError);
      expect((error as DataDirLockedError).ownerPid).toBe(holder.pid);
      expect((error as Error).message).toContain('set DATABASE_URL');
    } finally {
      holder.kill();
    }
  });
});

describe('getDb', () => {
  it('opens PGlite under ROLESMITH_DATA_DIR once per process, migrated, and answers pings', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'rolesmith-getdb-'));
    const saved = {
      dir: process.env.ROLESMITH_DATA_DIR,
      url: process.env.DATABASE_URL,
      mode: process.env.ROLESMITH_MODE,
    };
    process.env.ROLESMITH_DATA_DIR = root;
    delete process.env.DATABASE_URL;
    process.env.ROLESMITH_MODE = 'sandbox';
    resetEnvForTests();
    try {
      const [first, second] = await Promise.all([getDb(), getDb()]);
      expect(first).toBe(second);
      await pingDatabase();
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(
        first,
      );
      expect(rows[0]?.n).toBe(Object.keys(migrations).length);
      expect(readFileSync(path.join(root, 'pglite.lock'), 'utf8').trim()).toBe(String(process.pid));
    } finally {
      await closeDb();
      Object.assign(process.env, { ROLESMITH_DATA_DIR: saved.dir, ROLESMITH_MODE: saved.mode });
      if (saved.dir === undefined) delete process.env.ROLESMITH_DATA_DIR;
      if (saved.mode === undefined) delete process.env.ROLESMITH_MODE;
      if (saved.url !== undefined) process.env.DATABASE_URL = saved.url;
      resetEnvForTests();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('migrations on a PostgreSQL server', () => {
  let server: TestPostgresServer;
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('are safe when several instances migrate at once', async () => {
    const url = await server.createDatabase();
    const instances = Array.from({ length: 4 }, () => openPostgres(url, 2));
    try {
      const results = await Promise.all(instances.map((instance) => migrateToLatest(instance.db)));
      // Exactly one instance applied each migration; the others waited on the advisory lock.
      const applied = results.flat().map((result) => result.migrationName);
      expect(applied.sort()).toEqual(Object.keys(migrations).sort());
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(
        instances[0]!.db,
      );
      expect(rows[0]?.n).toBe(Object.keys(migrations).length);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
    }
  }, 60_000);
});
