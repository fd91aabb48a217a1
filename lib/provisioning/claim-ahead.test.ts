import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { Checkpoint, ExecutionOutcome } from '@/lib/provisioning/executor';
import type { ClaimedJob } from '@/lib/provisioning/jobs';
import type { WorkerOptions } from '@/lib/provisioning/worker';
import {
  createTestServerDatabase,
  startTestPostgres,
  type TestPostgresServer,
  type TestServerDatabase,
} from '@/lib/testing/postgres';
import { rollbackRequest } from '@/lib/requests/approve';
import {
  approver,
  auditTrail,
  requestState,
  roleSpec,
  seedTargetAccounts,
  startTestEmulator,
  submitAndApprove,
  drainJobs,
  expireLeases,
  testWorker,
  type TestEmulator,
} from '@/lib/testing/provisioning';

// Review of "claim ahead": the transaction that ends a job successfully also claims the worker's
// next job. A real PostgreSQL server, the emulator over HTTP.

let server: TestPostgresServer;
let database: TestServerDatabase;
let emulator: TestEmulator;

beforeAll(async () => {
  [server, emulator] = await Promise.all([startTestPostgres(), startTestEmulator()]);
  database = await createTestServerDatabase(server, 8);
  await seedTargetAccounts();
}, 120_000);

afterAll(async () => {
  await database?.close();
  await Promise.all([server?.stop(), emulator?.close()]);
});

beforeEach(async () => {
  await emulator.setFaults({});
});

// Whatever a test leaves claimed or queued is run to its end, so the next test starts clean.
afterEach(async () => {
  await emulator.setFaults({});
  await expireLeases(database.db);
  await drainJobs(database.db, emulator);
});

const worker = (options: Partial<WorkerOptions> = {}) => testWorker(database.db, emulator, options);

async function jobOf(requestId: string) {
  return database.db
    .selectFrom('provisioning_jobs')
    .select(['id', 'status', 'claims', 'lease_owner'])
    .select(sql<boolean>`lease_expires_at < now()`.as('is_expired'))
    .where('request_id', '=', requestId)
    .orderBy('attempt', 'desc')
    .executeTakeFirstOrThrow();
}

const writes = (calls: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(calls).filter(([action]) => /^(Create|Attach|Put|Delete|Detach|Update|Tag)/.test(action)),
  );

const totalCalls = async () => Object.values(await emulator.calls()).reduce((sum, count) => sum + count, 0);
const startEvents = async (requestId: string) =>
  (await auditTrail(requestId)).filter((step) => step === 'approved→provisioning').length;

describe('a job claimed ahead', () => {
  it('by an end that outlasted the lease makes no IAM call once another worker has taken it over', async () => {
    const shape = { newPolicies: 1, managed: 1, inline: 1 };
    await submitAndApprove(emulator, roleSpec('ahead-slow-1', shape));
    const second = await submitAndApprove(emulator, roleSpec('ahead-slow-2', shape));
    const leaseMs = 600;
    const outcomes: ExecutionOutcome[] = [];
    const w = worker({
      workerId: 'slow',
      leaseMs,
      progressMs: 50,
      onJobEnded: (_job, outcome) => outcomes.push(outcome),
      // The first job's verifying reads are slow (300 ms each): its end, which began before them
      // and claims the second job, commits after more than a lease.
      onCheckpoint: async (checkpoint: Checkpoint) => {
        if (checkpoint.phase === 'call_returned' && checkpoint.stepKey === 'put_inline_policy:inline-0')
          await emulator.setFaults({ latencyMs: 300 });
      },
    });
    expect(await w.runOnce()).toBe(true);
    await emulator.setFaults({});
    expect(outcomes[0]).toMatchObject({ status: 'succeeded', next: { requestId: second.id } });
    // The second job is this worker's, but its lease ran out before the worker even got it.
    expect(await jobOf(second.id)).toMatchObject({ status: 'running', claims: 1, is_expired: true });

    // Another worker takes it over (as it may: the lease expired) and provisions it.
    const other = worker({ workerId: 'other', leaseMs: 10_000 });
    expect(await other.runOnce()).toBe(true);
    expect(await requestState(second.id)).toMatchObject({ state: 'provisioned' });
    expect(await jobOf(second.id)).toMatchObject({ status: 'succeeded', claims: 2 });

    // The first worker now runs the job it claimed ahead: it must find its lease gone before any
    // IAM write, not repeat the other worker's writes.
    await emulator.resetCalls();
    expect(await w.runOnce()).toBe(true);
    expect(outcomes[1]).toEqual({ status: 'lease_lost' });
    expect(writes(await emulator.calls())).toEqual({});
  });

  it('whose claim fails does not undo the end of the job it rode on: that job ends, the failure is reported', async () => {
    // The first job makes no PutRolePolicy; the second does, and its claim cannot record that intent.
    const first = await submitAndApprove(
      emulator,
      roleSpec('ahead-claimfail-1', { newPolicies: 0, managed: 1, inline: 0 }),
    );
    const second = await submitAndApprove(
      emulator,
      roleSpec('ahead-claimfail-2', { newPolicies: 0, managed: 1, inline: 1 }),
    );
    const errors: unknown[] = [];
    const ended: { job: ClaimedJob; outcome: ExecutionOutcome }[] = [];
    let isBroken = false;
    const w = worker({
      workerId: 'claimfail',
      onError: (error) => errors.push(error),
      onJobEnded: (job, outcome) => ended.push({ job, outcome }),
      onCheckpoint: async (checkpoint: Checkpoint) => {
        if (isBroken || checkpoint.phase !== 'intent_committed') return;
        isBroken = true;
        await sql`alter table provisioning_intents add constraint test_no_inline_ahead check (action <> 'PutRolePolicy') not valid`.execute(
          database.db,
        );
      },
    });
    try {
      await emulator.resetCalls();
      expect(await w.runOnce()).toBe(true);
      expect(isBroken).toBe(true);
      // The first job's IAM work is done and verified: it ends, and its request is provisioned.
      expect(await requestState(first.id)).toMatchObject({ state: 'provisioned' });
      expect(await jobOf(first.id)).toMatchObject({ status: 'succeeded', claims: 1, lease_owner: null });
      expect(ended.map(({ job, outcome }) => [job.requestId, outcome])).toEqual([
        [first.id, { status: 'succeeded', next: null }],
      ]);
      expect(await emulator.calls()).toEqual({
        CreateRole: 1,
        AttachRolePolicy: 1,
        GetRole: 1,
        ListAttachedRolePolicies: 1,
        ListRolePolicies: 1,
      });
      // The second job was not claimed, and the failed claim was reported.
      expect(await jobOf(second.id)).toMatchObject({ status: 'queued', claims: 0, lease_owner: null });
      expect(await requestState(second.id)).toMatchObject({ state: 'approved' });
      expect(errors.map((error) => (error instanceof Error ? error.message : String(error)))).toEqual([
        'new row for relation "provisioning_intents" violates check constraint "test_no_inline_ahead"',
      ]);
    } finally {
      await sql`alter table provisioning_intents drop constraint if exists test_no_inline_ahead`.execute(
        database.db,
      );
    }
  });

  it('by an end a transient read failure abandoned is claimed again, once, by the end begun again', async () => {
    const shape = { newPolicies: 1, managed: 1, inline: 1 };
    const first = await submitAndApprove(emulator, roleSpec('ahead-reread-1', shape));
    const second = await submitAndApprove(emulator, roleSpec('ahead-reread-2', shape));
    await emulator.resetCalls();
    // The second verifying read fails once with a transient error: the end begun with the first
    // read (and its claim of the second job) is rolled back, the read repeated, the end begun again.
    await emulator.setFaults({
      failNth: { action: 'ListAttachedRolePolicies', n: 1, code: 'ConcurrentModification' },
    });
    const outcomes: ExecutionOutcome[] = [];
    const w = worker({ workerId: 'reread', onJobEnded: (_job, outcome) => outcomes.push(outcome) });
    expect(await w.runOnce()).toBe(true);
    await emulator.setFaults({});
    expect(await requestState(first.id)).toMatchObject({ state: 'provisioned' });
    expect(outcomes).toEqual([
      { status: 'succeeded', next: expect.objectContaining({ requestId: second.id, claims: 1 }) as unknown },
    ]);
    expect(await jobOf(second.id)).toMatchObject({ status: 'running', claims: 1 });
    expect(await startEvents(second.id)).toBe(1);
    // 8 calls and the repeated read.
    expect(await totalCalls()).toBe(9);
    await emulator.resetCalls();
    expect(await w.runOnce()).toBe(true);
    expect(await requestState(second.id)).toMatchObject({ state: 'provisioned' });
    expect(await jobOf(second.id)).toMatchObject({ status: 'succeeded', claims: 1 });
    expect(await totalCalls()).toBe(8);
    expect(await startEvents(second.id)).toBe(1);
  });

  it('by a job that ends while its worker stops is given back, then run as never claimed', async () => {
    const shape = { newPolicies: 1, managed: 1, inline: 1 };
    const first = await submitAndApprove(emulator, roleSpec('ahead-stopping-1', shape));
    const second = await submitAndApprove(emulator, roleSpec('ahead-stopping-2', shape));
    const stop: { stopping: Promise<void> | null } = { stopping: null };
    const outcomes: ExecutionOutcome[] = [];
    const w = worker({
      workerId: 'stop-race',
      concurrency: 1,
      pollMs: 20,
      onJobEnded: (_job, outcome) => outcomes.push(outcome),
      // The worker is told to stop while the first job's end (begun before) is about to commit.
      onCheckpoint: (checkpoint: Checkpoint) => {
        if (checkpoint.phase === 'before_finish') stop.stopping ??= w.stop();
      },
    });
    w.start();
    for (let i = 0; i < 500 && !stop.stopping; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stop.stopping).not.toBeNull();
    await stop.stopping;
    expect(await requestState(first.id)).toMatchObject({ state: 'provisioned' });
    // The end claimed the second job (it began before the stop), and the stop gave it back.
    expect(outcomes).toEqual([
      { status: 'succeeded', next: expect.objectContaining({ requestId: second.id }) as unknown },
    ]);
    expect(await jobOf(second.id)).toMatchObject({ status: 'queued', claims: 0, lease_owner: null });
    await emulator.resetCalls();
    expect(await worker({ workerId: 'after-stop' }).runOnce()).toBe(true);
    expect(await requestState(second.id)).toMatchObject({ state: 'provisioned' });
    expect(await jobOf(second.id)).toMatchObject({ status: 'succeeded', claims: 1 });
    expect(await totalCalls()).toBe(8);
    expect(await startEvents(second.id)).toBe(1);
  });

  it('of a rollback is claimed without moving its request, and run next: the request ends rolled back', async () => {
    const shape = { newPolicies: 0, managed: 1, inline: 1 };
    // A creation fails at its inline policy; its rollback is queued behind another approval.
    const failed = await submitAndApprove(emulator, roleSpec('ahead-rb-failed', shape));
    await emulator.setFaults({ failNth: { action: 'PutRolePolicy', n: 1, code: 'MalformedPolicyDocument' } });
    expect(await worker({ workerId: 'first-attempt' }).runOnce()).toBe(true);
    await emulator.setFaults({});
    expect(await requestState(failed.id)).toMatchObject({ state: 'failed' });
    const provision = await submitAndApprove(emulator, roleSpec('ahead-rb-next', shape));
    expect(await rollbackRequest(approver, { requestId: failed.id })).toMatchObject({ ok: true });
    const trail = await auditTrail(failed.id);

    const outcomes: ExecutionOutcome[] = [];
    const w = worker({ workerId: 'rb-ahead', onJobEnded: (_job, outcome) => outcomes.push(outcome) });
    expect(await w.runOnce()).toBe(true);
    expect(await requestState(provision.id)).toMatchObject({ state: 'provisioned' });
    expect(outcomes).toEqual([
      {
        status: 'succeeded',
        next: expect.objectContaining({
          requestId: failed.id,
          operation: 'rollback',
          isStarted: false,
          requestState: 'failed',
        }) as unknown,
      },
    ]);
    // Claimed, not moved: the failed request's trail is unchanged until the rollback ends.
    expect(await jobOf(failed.id)).toMatchObject({ status: 'running', claims: 1 });
    expect(await auditTrail(failed.id)).toEqual(trail);
    expect(await w.runOnce()).toBe(true);
    expect(await requestState(failed.id)).toMatchObject({ state: 'rolled_back' });
    expect(await auditTrail(failed.id)).toEqual([...trail, 'failed→rolled_back']);
    expect((await emulator.iam().getRole('ahead-rb-failed')).ok).toBe(false);
    expect(await w.runOnce()).toBe(false);
  });
});
