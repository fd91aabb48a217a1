import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { skipWhen } from '@/lib/testing/skip';
import {
  canRun,
  isRoot,
  linkTree,
  packagedBinaries,
  postgresUser,
  reachableBinaries,
  startPostgresServer,
} from '@/lib/testing/postgres-server';

describe('startPostgresServer', () => {
  it('starts a server that answers, and removes its folder on stop', async () => {
    const server = await startPostgresServer({ password: 'pw' });
    try {
      await server.createDatabase('answers');
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: server.url('answers') });
      await client.connect();
      const { rows } = await client.query<{ encoding: string }>(
        'select pg_encoding_to_char(encoding) as encoding from pg_database where datname = current_database()',
      );
      await client.end();
      expect(rows[0]?.encoding).toBe('UTF8');
    } finally {
      await server.stop();
    }
    expect(server.log()).toContain('database system is ready to accept connections');
  }, 120_000);

  it('rejects at once, with the server log, when the server exits while starting', async () => {
    const started = Date.now();
    const attempt = startPostgresServer({ password: 'pw', serverSettings: { no_such_setting: 'on' } });
    await expect(attempt).rejects.toThrow(
      /PostgreSQL exited while starting[\s\S]*unrecognized configuration parameter "no_such_setting"/,
    );
    // The message shows the exit was reported, not the start timeout waited out (that one says
    // "did not accept connections"). The bound only guards against a hang: initdb runs first and
    // takes seconds.
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);
});

// The case of issue 11: as root, from a clone under a folder the `postgres` user cannot enter.
describe('as root, binaries in a private folder', () => {
  const privateRoot = mkdtempSync(path.join(os.tmpdir(), 'rolesmith-private-'));
  afterAll(() => rmSync(privateRoot, { recursive: true, force: true }));
  beforeEach((context) =>
    skipWhen(context, !isRoot(), 'only as root does the server run as another user, postgres'),
  );

  it('are linked once into a folder the postgres user can reach, which is used again', () => {
    chmodSync(privateRoot, 0o700);
    const privateNative = path.join(privateRoot, 'native');
    linkTree(packagedBinaries().nativeDir, privateNative);
    const user = postgresUser();
    expect(canRun(path.join(privateNative, 'bin', 'initdb'), user)).toBe(false);

    const version = `test-${process.pid}-${Date.now()}`;
    const reachable = reachableBinaries(user, { nativeDir: privateNative, version });
    try {
      expect(reachable).toBe(
        path.join(os.tmpdir(), `rolesmith-postgres-${version}-${os.platform()}-${os.arch()}`),
      );
      expect(statSync(reachable).mode & 0o777).toBe(0o755);
      expect(canRun(path.join(reachable, 'bin', 'postgres'), user)).toBe(true);
      // Cached: the second call makes no new copy.
      expect(reachableBinaries(user, { nativeDir: privateNative, version })).toBe(reachable);
    } finally {
      rmSync(reachable, { recursive: true, force: true });
    }
  });
});
