import { randomUUID } from 'node:crypto';

import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openPostgres } from '@/lib/db/client';
import { migrateToLatest } from '@/lib/db/migrate';
import { PREPARED, preparedStatementName } from '@/lib/db/prepared';
import { updateClaimNextJob, updateJobFinish, updateJobProgress } from '@/lib/db/queries/provisioning';
import type { Database } from '@/lib/db/schema';
import { provisioningStartMove } from '@/lib/requests/provisioning-transitions';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import { startTestPostgres, type TestPostgresServer } from '@/lib/testing/postgres';

// Named prepared statements (lib/db/prepared.ts) on a real PostgreSQL server, through the pool
// `openPostgres` makes. One connection per pool, so that "the connection" is the one that ran the
// statements and `pg_prepared_statements` (per session) shows what it holds.

interface PreparedRow {
  name: string;
  statement: string;
  executions: number;
}

/** The named statements of the pool's (one) connection, as the server lists them. */
async function listPrepared(db: Kysely<Database>): Promise<PreparedRow[]> {
  const { rows } = await sql<PreparedRow>`
    select name, statement, (generic_plans + custom_plans)::integer as executions
    from pg_prepared_statements order by name`.execute(db);
  return rows;
}

const marked = (n: number) => sql<{ n: number }>`${PREPARED}select ${n}::integer + 1 as n`;

let server: TestPostgresServer;

beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

/** A new database on the server behind a one-connection `openPostgres` pool, closed after `work`. */
async function withOneConnection(
  work: (db: Kysely<Database>) => Promise<void>,
  options: { migrated?: boolean } = {},
): Promise<void> {
  const opened = openPostgres(await server.createDatabase(), 1);
  try {
    if (options.migrated) await migrateToLatest(opened.db);
    await work(opened.db);
  } finally {
    await opened.close();
  }
}

describe('named prepared statements on PostgreSQL', () => {
  it('sends a marked statement under its name on the connection that ran it, an unmarked one unnamed', async () => {
    await withOneConnection(async (db) => {
      const text = marked(0).compile(db).sql;
      const name = preparedStatementName(text);
      expect(name).toMatch(/^rolesmith_[0-9a-f]{32}$/);
      expect(preparedStatementName('select 1')).toBeNull();

      const before = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
      expect((await marked(41).execute(db)).rows).toEqual([{ n: 42 }]);
      expect((await sql<{ m: number }>`select ${6}::integer * 7 as m`.execute(db)).rows).toEqual([{ m: 42 }]);
      const after = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
      expect(after.rows[0]?.pid).toBe(before.rows[0]?.pid);

      // Exactly the marked statement: neither the unmarked one nor the probes are kept.
      expect(await listPrepared(db)).toEqual([{ name, statement: text, executions: 1 }]);
    });
  });

  it('keeps one entry for a marked statement run many times with different values', async () => {
    await withOneConnection(async (db) => {
      for (let n = 0; n < 50; n += 1) expect((await marked(n).execute(db)).rows).toEqual([{ n: n + 1 }]);
      const name = preparedStatementName(marked(0).compile(db).sql);
      // 50 executions of one statement parsed once: each execution ran its prepared plan.
      expect(await listPrepared(db)).toEqual([
        { name, statement: expect.any(String) as unknown, executions: 50 },
      ]);
    });
  });

  it('survives transactions that roll back and statements that fail, on the same connection', async () => {
    await withOneConnection(async (db) => {
      // Prepared inside a transaction that rolls back: the statement outlives it (not transactional).
      await expect(
        db.transaction().execute(async (tx) => {
          expect((await marked(1).execute(tx)).rows).toEqual([{ n: 2 }]);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect((await marked(2).execute(db)).rows).toEqual([{ n: 3 }]);

      // A marked statement whose parse fails (no such table yet) is not taken as prepared: once
      // the table exists, the same text is parsed again and runs.
      const probe = (n: number) =>
        sql<{ n: number }>`${PREPARED}select n from prepared_probe where n = ${n}::integer`;
      await expect(probe(1).execute(db)).rejects.toThrow('relation "prepared_probe" does not exist');
      await sql`create table prepared_probe (n integer not null)`.execute(db);
      await sql`insert into prepared_probe values (1)`.execute(db);
      expect((await probe(1).execute(db)).rows).toEqual([{ n: 1 }]);

      // A prepared statement failing at execution stays usable.
      const divide = (d: number) => sql<{ q: number }>`${PREPARED}select 10 / ${d}::integer as q`;
      await expect(divide(0).execute(db)).rejects.toThrow('division by zero');
      expect((await divide(5).execute(db)).rows).toEqual([{ q: 2 }]);

      // Its first parse inside an aborted transaction fails; after the rollback it is parsed again.
      const fresh = (n: number) => sql<{ n: number }>`${PREPARED}select ${n}::integer * 2 as n`;
      await expect(
        db.transaction().execute(async (tx) => {
          await sql`select 1 / 0`.execute(tx).catch(() => undefined);
          await fresh(1).execute(tx);
        }),
      ).rejects.toThrow('current transaction is aborted');
      expect((await fresh(4).execute(db)).rows).toEqual([{ n: 8 }]);

      expect((await listPrepared(db)).map((row) => row.name).sort()).toEqual(
        [marked(0), probe(0), divide(1), fresh(0)]
          .map((query) => preparedStatementName(query.compile(db).sql))
          .sort(),
      );
    });
  });

  it("keeps the worker's hot statements valid on their connection after migrations add columns", async () => {
    await withOneConnection(
      async (db) => {
        const job = { id: randomUUID(), leaseToken: 'nobody' };
        const requestId = randomUUID();
        const hot = async () => {
          expect(await updateClaimNextJob(db, 'prepared-test', 1000, provisioningStartMove())).toBeNull();
          expect(await updateClaimNextJob(db, 'prepared-test', 1000)).toBeNull();
          expect(
            await updateJobProgress(db, job, 1000, { status: 'running', completions: [], lazy: true }),
          ).toBe(false);
          expect(
            await updateJobFinish(db, job, {
              status: 'succeeded',
              error: null,
              completions: [{ key: 'create_role', outcome: null }],
              lazy: true,
              transition: {
                move: {
                  requestId,
                  from: 'provisioning',
                  to: 'provisioned',
                  actorId: 'prepared-test',
                  reason: 'test',
                },
                record: {
                  kind: 'upsert',
                  specSha256: '0'.repeat(64),
                  arn: 'arn:aws:iam::444455556666:role/x',
                },
              },
            }),
          ).toEqual({ isFenced: false, isMoved: false, isRecorded: false });
        };
        await hot();
        const prepared = await listPrepared(db);
        expect(prepared).toHaveLength(4);

        // A control: a marked statement returning `*` breaks on its connection once its table
        // gains a column, so this setup does detect the failure the hot statements must avoid.
        await sql`create table prepared_star (n integer)`.execute(db);
        const star = sql`${PREPARED}select * from prepared_star`;
        await star.execute(db);

        // What later migrations may do to the tables the hot statements read and return.
        for (const table of [
          'provisioning_jobs',
          'provisioning_intents',
          'requests',
          'request_events',
          'provisioned_roles',
          'prepared_star',
        ])
          await sql`alter table ${sql.table(table)} add column later_column text`.execute(db);

        await expect(star.execute(db)).rejects.toThrow('cached plan must not change result type');
        await hot();
        const names = (rows: PreparedRow[]) => rows.map((row) => row.name);
        const starName = preparedStatementName(star.compile(db).sql)!;
        expect(names(await listPrepared(db))).toEqual([...names(prepared), starName].sort());
        // The failure heals: the next run prepares the statement again, under a new name.
        await sql`insert into prepared_star (n) values (7)`.execute(db);
        expect((await star.execute(db)).rows).toEqual([{ n: 7, later_column: null }]);
        expect(names(await listPrepared(db))).toEqual([...names(prepared), starName, `${starName}_1`].sort());
      },
      { migrated: true },
    );
  });

  it('goes back to unnamed statements when the server session does not keep them (a pooler in transaction mode)', async () => {
    await withOneConnection(async (db) => {
      expect((await marked(1).execute(db)).rows).toEqual([{ n: 2 }]);
      // What a pooler handing the connection another server session amounts to: the statement is gone.
      await sql`deallocate all`.execute(db);
      await expect(marked(2).execute(db)).rejects.toThrow(/does not exist/);
      for (let n = 3; n < 6; n += 1) expect((await marked(n).execute(db)).rows).toEqual([{ n: n + 1 }]);
      expect(await listPrepared(db)).toEqual([]);
    });
  });
});

describe('the marker on PGlite', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestPglite();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('is only a comment: marked statements run, and nothing is prepared under a name', async () => {
    for (let n = 0; n < 3; n += 1)
      expect((await marked(n).execute(database.db)).rows).toEqual([{ n: n + 1 }]);
    expect(await updateClaimNextJob(database.db, 'prepared-test', 1000, provisioningStartMove())).toBeNull();
    const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(
      database.db,
    );
    expect(rows).toEqual([]);
  });
});
