import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import { approveRequest, rollbackRequest, type PreflightCheck } from '@/lib/requests/approve';
import { markFailed, markProvisioning } from '@/lib/requests/provisioning-transitions';
import { inTransaction } from '@/lib/db/transaction';
import { createAndSubmitRequest, createDraft, getRequest, updateRequest } from '@/lib/requests/requests';
import {
  alice,
  allow,
  ben,
  bob,
  carol,
  justified,
  policy,
  principal,
  roleSpec,
  passRoleFlagKey,
} from '@/lib/requests/test-fixtures';
import { ok, type Result } from '@/lib/result';
import {
  createTestServerDatabase,
  startTestPostgres,
  type TestPostgresServer,
  type TestServerDatabase,
} from '@/lib/testing/postgres';

/** Row locking and compare-and-set under real concurrency: a PostgreSQL server, a pool of connections. */

let server: TestPostgresServer;
let test: TestServerDatabase;

/** The target account is not read here (the preflight's own tests do); jobs are queued for real. */
const preflight: PreflightCheck = () => Promise.resolve(ok(null));
const approvers = [
  bob,
  ben,
  carol,
  principal('dan', { approver: 'all' }),
  principal('eve', { approver: 'all' }),
];

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.value;
}

async function count(query: ReturnType<typeof sql<{ n: number }>>): Promise<number> {
  const { rows } = await query.execute(test.db);
  return rows[0]?.n ?? 0;
}

beforeAll(async () => {
  server = await startTestPostgres();
  test = await createTestServerDatabase(server, 12);
  await seedSandboxData();
}, 120_000);

afterAll(async () => {
  await test?.close();
  await server?.stop();
});

describe('concurrent approvals on PostgreSQL', () => {
  it('five approvers at once give exactly one approval transition and one job (10 rounds)', async () => {
    for (let round = 0; round < 10; round += 1) {
      const request = value(
        await createAndSubmitRequest(alice, {
          kind: 'create',
          spec: roleSpec({ name: `race-${round}` }),
          justification: 'x',
        }),
      );
      const results = await Promise.all(
        approvers.map((approver) =>
          approveRequest(approver, { requestId: request.id, specSha256: request.specSha256 }, preflight),
        ),
      );
      const winners = results.filter((result) => result.ok);
      expect(winners).toHaveLength(1);
      expect(
        results.filter((result) => !result.ok).every((result) => !result.ok && result.code === 'conflict'),
      ).toBe(true);
      expect(
        await count(
          sql<{
            n: number;
          }>`select count(*)::int as n from provisioning_jobs where request_id = ${request.id}`,
        ),
      ).toBe(1);
      expect(
        await count(
          sql<{
            n: number;
          }>`select count(*)::int as n from request_events where request_id = ${request.id} and to_state = 'approved'`,
        ),
      ).toBe(1);
      expect(
        await count(
          sql<{ n: number }>`select count(*)::int as n from approvals where request_id = ${request.id}`,
        ),
      ).toBe(1);
    }
  }, 60_000);

  it('a two-approval request gets exactly two approvals and one transition when five approve at once', async () => {
    const request = value(
      await createAndSubmitRequest(
        alice,
        await justified({
          kind: 'create',
          spec: roleSpec({
            name: 'race-two',
            inlinePolicies: [
              { name: 'pass', document: policy(allow(['iam:PassRole', 'lambda:CreateFunction'])) },
            ],
          }),
          justification: 'x',
        }),
      ),
    );
    expect(request.approvalsRequired).toBe(2);
    const results = await Promise.all(
      approvers.map((approver) =>
        approveRequest(
          approver,
          {
            requestId: request.id,
            specSha256: request.specSha256,
            acknowledged: [passRoleFlagKey],
          },
          preflight,
        ),
      ),
    );
    const outcomes = results
      .filter((result) => result.ok)
      .map((result) => (result.ok ? result.value.isFinal : null));
    expect(outcomes.sort()).toEqual([false, true]);
    expect(
      await count(
        sql<{ n: number }>`select count(*)::int as n from approvals where request_id = ${request.id}`,
      ),
    ).toBe(2);
    expect(
      await count(
        sql<{ n: number }>`select count(*)::int as n from provisioning_jobs where request_id = ${request.id}`,
      ),
    ).toBe(1);
  }, 60_000);

  it('two workers starting the same job: exactly one moves it to provisioning', async () => {
    const request = value(
      await createAndSubmitRequest(alice, {
        kind: 'create',
        spec: roleSpec({ name: 'race-worker' }),
        justification: 'x',
      }),
    );
    value(await approveRequest(bob, { requestId: request.id, specSha256: request.specSha256 }, preflight));
    const results = await Promise.all(
      [0, 1, 2].map(() => test.db.transaction().execute((tx) => markProvisioning(tx, request.id))),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(
      await count(
        sql<{
          n: number;
        }>`select count(*)::int as n from request_events where request_id = ${request.id} and to_state = 'provisioning'`,
      ),
    ).toBe(1);
  }, 30_000);

  it('five requesters drafting the same role at once: exactly one draft', async () => {
    const people = ['r1', 'r2', 'r3', 'r4', 'r5'].map((id) => principal(id));
    const results = await Promise.all(
      people.map((person) =>
        createDraft(person, { kind: 'create', spec: roleSpec({ name: 'race-draft' }), justification: 'x' }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.code === 'conflict')).toHaveLength(4);
  }, 30_000);
});

describe('rollback racing the end of a provisioning job on PostgreSQL', () => {
  it('an approver queuing a rollback while a worker ends the job waits for it: no deadlock', async () => {
    const request = value(
      await createAndSubmitRequest(alice, {
        kind: 'create',
        spec: roleSpec({ name: 'rollback-race' }),
        justification: 'lock order',
      }),
    );
    value(await approveRequest(bob, { requestId: request.id, specSha256: request.specSha256 }, preflight));
    value(await markProvisioning(test.db, request.id));
    await inTransaction(test.db, async (tx) => {
      value(await markFailed(tx, request.id, { code: 'ServiceFailure', message: 'boom' }));
    });
    // The job the approval queued, as a worker holds it.
    const { rows } = await sql<{ id: string }>`
      update provisioning_jobs set status = 'running' where request_id = ${request.id} returning id`.execute(
      test.db,
    );
    const jobId = rows[0]!.id;
    // The worker's end of a job locks the job row, then the request row (one statement there; two
    // here, with a pause between, to make the window wide).
    let workerError: unknown = null;
    const worker = inTransaction(test.db, async (tx) => {
      await sql`update provisioning_jobs set status = 'failed' where id = ${jobId}`.execute(tx);
      await new Promise((resolve) => setTimeout(resolve, 400));
      await sql`update requests set updated_at = now() where id = ${request.id}`.execute(tx);
    }).catch((error: unknown) => {
      workerError = error;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const rollback = await rollbackRequest(bob, { requestId: request.id });
    await worker;
    expect(workerError).toBeNull();
    expect(rollback).toMatchObject({ ok: true, value: { state: 'failed' } });
    expect(
      await count(sql<{ n: number }>`
        select count(*)::int as n from provisioning_jobs where request_id = ${request.id} and operation = 'rollback'`),
    ).toBe(1);
  });
});

describe('edits racing approvals on PostgreSQL', () => {
  it('an approval either lands before the edit (and is voided) or is refused; never approves the old spec (10 rounds)', async () => {
    for (let round = 0; round < 10; round += 1) {
      const request = value(
        await createAndSubmitRequest(alice, {
          kind: 'create',
          spec: roleSpec({ name: `race-edit-${round}` }),
          justification: 'x',
        }),
      );
      const [approved, edited] = await Promise.all([
        approveRequest(bob, { requestId: request.id, specSha256: request.specSha256 }, preflight),
        updateRequest(alice, {
          requestId: request.id,
          expectedVersion: 1,
          spec: roleSpec({ name: request.roleName, description: `edited ${round}` }),
        }),
      ]);
      const detail = value(await getRequest(carol, request.id));
      const jobs = await count(
        sql<{ n: number }>`select count(*)::int as n from provisioning_jobs where request_id = ${request.id}`,
      );
      if (edited.ok) {
        // The edit won: whatever approval got in first is void, and nothing was queued.
        expect(approved.ok).toBe(false);
        expect(detail.request).toMatchObject({ state: 'pending', version: 2 });
        expect(detail.approvals.every((approval) => approval.voided)).toBe(true);
        expect(jobs).toBe(0);
      } else {
        // The approval won: the request is approved with the spec the approver saw.
        expect(approved.ok).toBe(true);
        expect(edited.code).toBe('conflict');
        expect(detail.request).toMatchObject({ state: 'approved', specSha256: request.specSha256 });
        expect(jobs).toBe(1);
      }
    }
  }, 60_000);
});

describe('audit trail on PostgreSQL', () => {
  it('is append-only: the server refuses UPDATE, DELETE and TRUNCATE of request events', async () => {
    const request = value(
      await createDraft(alice, {
        kind: 'create',
        spec: roleSpec({ name: 'audit-immutable' }),
        justification: 'x',
      }),
    );
    const refused = async (statement: ReturnType<typeof sql>) => {
      const error: unknown = await statement.execute(test.db).then(
        () => null,
        (caught: unknown) => caught,
      );
      return { code: (error as { code?: string } | null)?.code, message: String(error) };
    };
    for (const statement of [
      sql`update request_events set reason = 'forged' where request_id = ${request.id}`,
      sql`delete from request_events where request_id = ${request.id}`,
      sql`truncate request_events cascade`,
    ]) {
      expect(await refused(statement)).toMatchObject({
        code: '42501',
        message: expect.stringContaining('append-only') as string,
      });
    }
    const events = value(await getRequest(alice, request.id)).events;
    expect(events.map((event) => event.reason)).toEqual(['created']);
  }, 30_000);
});
