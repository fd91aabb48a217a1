import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  insertProvisioningJob,
  listJobIntentWorkers,
  updateJobFinish,
  updateJobProgress,
} from '@/lib/db/queries/provisioning';
import type { RoleSpecInput } from '@/lib/iam/role-spec';
import type { Checkpoint } from '@/lib/provisioning/executor';
import { claimNextJob, type ClaimedJob } from '@/lib/provisioning/jobs';
import type { ProvisioningPlan } from '@/lib/provisioning/plan';
import type { WorkerOptions } from '@/lib/provisioning/worker';
import { approveRequest, retryRequest, rollbackRequest } from '@/lib/requests/approve';
import { provisioningStartMove } from '@/lib/requests/provisioning-transitions';
import {
  createTestServerDatabase,
  startTestPostgres,
  type TestPostgresServer,
  type TestServerDatabase,
} from '@/lib/testing/postgres';
import {
  emulatorPreflight,
  approver,
  auditTrail,
  requestState,
  roleSpec,
  seedTargetAccounts,
  startTestEmulator,
  submitAndApprove,
  submitForApproval,
  type TestEmulator,
  testWorker,
  drainJobs,
  expireLeases as expireJobLeases,
  recordedIntents as recordedJobIntents,
} from '@/lib/testing/provisioning';

// The worker's claim: one statement (a named prepared statement here, on a real PostgreSQL
// server) that claims a job with a lease, records its planned intents and moves a `provision`
// job's request approved → provisioning with its audit event. The emulator over HTTP.

let server: TestPostgresServer;
let database: TestServerDatabase;
let emulator: TestEmulator;
const start = provisioningStartMove();

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
  await expireLeases();
  await drain();
});

const worker = (options: Partial<WorkerOptions> = {}) => testWorker(database.db, emulator, options);

const drain = (options: Partial<WorkerOptions> = {}) => drainJobs(database.db, emulator, options);

const expireLeases = () => expireJobLeases(database.db);

async function jobOf(requestId: string) {
  return database.db
    .selectFrom('provisioning_jobs')
    .select(['id', 'operation', 'status', 'claims', 'lease_owner'])
    .where('request_id', '=', requestId)
    .orderBy('attempt', 'desc')
    .executeTakeFirstOrThrow();
}

const recordedIntents = (jobId: string) => recordedJobIntents(database.db, jobId);

const startEvents = async (requestId: string) =>
  (await auditTrail(requestId)).filter((step) => step === 'approved→provisioning').length;

async function approveWithoutJob(spec: RoleSpecInput): Promise<string> {
  const input = await submitForApproval(spec);
  const approved = await approveRequest(approver, input, emulatorPreflight(emulator));
  if (!approved.ok) throw new Error(`approve failed: ${approved.message}`);
  // As if approved by an earlier version, which queued no job: the test queues its own.
  await sql`delete from provisioning_jobs where request_id = ${input.requestId}::uuid`.execute(database.db);
  return input.requestId;
}

const EC2 = 'arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess';

describe("a worker's claim", () => {
  it('moves the request to provisioning with one audit event and records every intent, before the first IAM call', async () => {
    const request = await submitAndApprove(
      emulator,
      roleSpec('claim-once', { newPolicies: 1, managed: 1, inline: 1 }),
    );
    await emulator.resetCalls();
    let claimed: ClaimedJob | null = null;
    let atFirstCall: unknown = null;
    const w = worker({
      onJobEnded: (job) => (claimed = job),
      onCheckpoint: async (checkpoint: Checkpoint) => {
        if (atFirstCall || checkpoint.phase !== 'intent_committed') return;
        const job = await jobOf(request.id);
        atFirstCall = {
          request: (await requestState(request.id)).state,
          startEvents: await startEvents(request.id),
          intents: await recordedIntents(job.id),
          workers: await listJobIntentWorkers(database.db, job.id),
          job: { status: job.status, claims: job.claims, leaseOwner: job.lease_owner },
          calls: await emulator.calls(),
        };
      },
    });
    expect(await w.runOnce()).toBe(true);
    const job = claimed as ClaimedJob | null;
    expect(job).toMatchObject({ claims: 1, isStarted: true, requestState: 'approved', doneKeys: [] });
    expect(atFirstCall).toEqual({
      request: 'provisioning',
      startEvents: 1,
      intents: [
        'create_policy:claim-once-policy-0:pending',
        'create_role:pending',
        `attach_policy:${EC2}:pending`,
        'attach_policy:arn:aws:iam::444455556666:policy/claim-once-policy-0:pending',
        'put_inline_policy:inline-0:pending',
      ],
      workers: [job?.leaseToken],
      job: { status: 'running', claims: 1, leaseOwner: job?.leaseToken },
      calls: {},
    });
    expect(await requestState(request.id)).toMatchObject({ state: 'provisioned' });
    expect(await auditTrail(request.id)).toEqual([
      '→draft',
      'draft→pending',
      'pending→approved',
      'approved→provisioning',
      'provisioning→provisioned',
    ]);
    expect(await emulator.calls()).toEqual({
      CreatePolicy: 1,
      CreateRole: 1,
      AttachRolePolicy: 2,
      PutRolePolicy: 1,
      GetRole: 1,
      ListAttachedRolePolicies: 1,
      ListRolePolicies: 1,
    });
  });

  it('commits nothing when any of its parts fails: neither the claim, the intents nor the move', async () => {
    const request = await submitAndApprove(
      emulator,
      roleSpec('claim-atomic', { newPolicies: 0, managed: 1, inline: 1 }),
    );
    const untouched = async () => {
      const job = await jobOf(request.id);
      expect({ status: job.status, claims: job.claims, leaseOwner: job.lease_owner }).toEqual({
        status: 'queued',
        claims: 0,
        leaseOwner: null,
      });
      expect(await recordedIntents(job.id)).toEqual([]);
      expect(await requestState(request.id)).toMatchObject({ state: 'approved' });
      expect(await startEvents(request.id)).toBe(0);
    };
    // The intents cannot be recorded: the request does not move either.
    await sql`alter table provisioning_intents add constraint test_no_inline check (action <> 'PutRolePolicy') not valid`.execute(
      database.db,
    );
    try {
      await expect(claimNextJob(database.db, 'atomic', 10_000, start)).rejects.toThrow('test_no_inline');
    } finally {
      await sql`alter table provisioning_intents drop constraint test_no_inline`.execute(database.db);
    }
    await untouched();
    // The audit event cannot be written: no intent is recorded and the job stays queued.
    await sql`alter table request_events add constraint test_no_start check (to_state <> 'provisioning') not valid`.execute(
      database.db,
    );
    try {
      await expect(claimNextJob(database.db, 'atomic', 10_000, start)).rejects.toThrow('test_no_start');
    } finally {
      await sql`alter table request_events drop constraint test_no_start`.execute(database.db);
    }
    await untouched();

    await drain();
    expect(await requestState(request.id)).toMatchObject({ state: 'provisioned' });
    expect(await startEvents(request.id)).toBe(1);
  });

  it('whose lease is lost leaves consistent state: the next claim resumes, the first is fenced out, nothing is done twice', async () => {
    const request = await submitAndApprove(
      emulator,
      roleSpec('claim-lost', { newPolicies: 1, managed: 1, inline: 1 }),
    );
    await emulator.resetCalls();
    const first = await claimNextJob(database.db, 'first', 10_000, start);
    expect(first).toMatchObject({ requestId: request.id, claims: 1, isStarted: true });
    await expireLeases();
    const second = await claimNextJob(database.db, 'second', 10_000, start);
    expect(second).toMatchObject({
      id: first?.id,
      claims: 2,
      isStarted: false,
      requestState: 'provisioning',
      doneKeys: [],
    });
    // The first holder's writes change nothing now.
    expect(
      await updateJobProgress(database.db, first!, 10_000, {
        status: 'running',
        completions: [{ key: 'create_role', outcome: null }],
        lazy: false,
      }),
    ).toBe(false);
    expect(
      await updateJobFinish(database.db, first!, {
        status: 'failed',
        error: { code: 'X', message: 'x', step: null },
        completions: [],
        lazy: false,
      }),
    ).toEqual({ isFenced: false, isMoved: false, isRecorded: false });
    // The intents are the first claim's, recorded once; the request moved once.
    expect(await listJobIntentWorkers(database.db, first!.id)).toEqual([first!.leaseToken]);
    expect(await recordedIntents(first!.id)).toHaveLength(5);
    expect(await requestState(request.id)).toMatchObject({ state: 'provisioning' });
    expect(await startEvents(request.id)).toBe(1);
    expect(await emulator.calls()).toEqual({});

    // The second holder dies too; a worker resumes the job (reads before each write it may have made).
    await expireLeases();
    await drain();
    expect(await requestState(request.id)).toMatchObject({ state: 'provisioned' });
    expect(await jobOf(request.id)).toMatchObject({ status: 'succeeded', claims: 3 });
    expect(await startEvents(request.id)).toBe(1);
    expect(await recordedIntents(first!.id)).toEqual([
      'create_policy:claim-lost-policy-0:done',
      'create_role:done',
      `attach_policy:${EC2}:done`,
      'attach_policy:arn:aws:iam::444455556666:policy/claim-lost-policy-0:done',
      'put_inline_policy:inline-0:done',
    ]);
    const calls = await emulator.calls();
    expect({
      CreatePolicy: calls.CreatePolicy,
      CreateRole: calls.CreateRole,
      AttachRolePolicy: calls.AttachRolePolicy,
      PutRolePolicy: calls.PutRolePolicy,
    }).toEqual({ CreatePolicy: 1, CreateRole: 1, AttachRolePolicy: 2, PutRolePolicy: 1 });
  });

  it('of a rollback job does not move the request, whatever state it is in', async () => {
    // A failed creation, rolled back: the request stays failed while the rollback runs.
    const request = await submitAndApprove(
      emulator,
      roleSpec('claim-rollback', { newPolicies: 0, managed: 1, inline: 1 }),
    );
    await emulator.setFaults({ failNth: { action: 'PutRolePolicy', n: 1, code: 'MalformedPolicyDocument' } });
    await drain();
    await emulator.setFaults({});
    expect(await requestState(request.id)).toMatchObject({ state: 'failed' });
    expect(await rollbackRequest(approver, { requestId: request.id })).toMatchObject({ ok: true });
    const trail = await auditTrail(request.id);
    const rollback = await claimNextJob(database.db, 'rollback', 10_000, start);
    expect(rollback).toMatchObject({
      operation: 'rollback',
      isStarted: false,
      requestState: 'failed',
      claims: 1,
    });
    expect(await requestState(request.id)).toMatchObject({ state: 'failed' });
    expect(await auditTrail(request.id)).toEqual(trail);
    await expireLeases();
    await drain();
    expect(await requestState(request.id)).toMatchObject({ state: 'rolled_back' });

    // Even a rollback job of an approved request (not something the portal queues) leaves it be.
    const approvedId = await approveWithoutJob(
      roleSpec('claim-rollback-guard', { newPolicies: 0, managed: 1, inline: 0 }),
    );
    await insertProvisioningJob(database.db, approvedId, 'rollback', null);
    const before = await auditTrail(approvedId);
    const guarded = await claimNextJob(database.db, 'guard', 10_000, start);
    expect(guarded).toMatchObject({
      requestId: approvedId,
      operation: 'rollback',
      isStarted: false,
      requestState: 'approved',
    });
    expect(await requestState(approvedId)).toMatchObject({ state: 'approved' });
    expect(await auditTrail(approvedId)).toEqual(before);
    expect(
      await updateJobFinish(database.db, guarded!, {
        status: 'failed',
        error: { code: 'Test', message: 'test', step: null },
        completions: [],
        lazy: false,
      }),
    ).toMatchObject({ isFenced: true });
  });

  it('by several workers at once: each job claimed once, each request moved once, its intents recorded by its claimer', async () => {
    const requests = [];
    for (let i = 0; i < 12; i += 1)
      requests.push(
        await submitAndApprove(
          emulator,
          roleSpec(`claim-race-${i}`, { newPolicies: 0, managed: 1, inline: 0 }),
        ),
      );
    const claims: ClaimedJob[] = [];
    await Promise.all(
      Array.from({ length: 4 }, async (_, n) => {
        for (;;) {
          const job = await claimNextJob(database.db, `racer-${n}`, 60_000, start);
          if (!job) return;
          claims.push(job);
        }
      }),
    );
    expect(claims.map((job) => job.requestId).sort()).toEqual(requests.map((request) => request.id).sort());
    expect(claims.every((job) => job.isStarted && job.claims === 1)).toBe(true);
    for (const job of claims) {
      expect(await requestState(job.requestId)).toMatchObject({ state: 'provisioning' });
      expect(await startEvents(job.requestId)).toBe(1);
      expect(await listJobIntentWorkers(database.db, job.id)).toEqual([job.leaseToken]);
    }
  });
});

describe('a job queued while the worker is still ending the previous attempt', () => {
  /**
   * Fails the request's first attempt at its inline policy while its end (which records what the
   * attempt completed and moves the request to failed) is held at the request's row lock, runs
   * `queue` meanwhile, and waits until `queue` too is blocked before letting the end commit.
   */
  async function queueDuringFailingEnd<T>(name: string, queue: (requestId: string) => Promise<T>) {
    const request = await submitAndApprove(
      emulator,
      roleSpec(name, { newPolicies: 1, managed: 1, inline: 1 }),
    );
    await emulator.setFaults({ failNth: { action: 'PutRolePolicy', n: 1, code: 'MalformedPolicyDocument' } });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const blockers: Promise<void>[] = [];
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const running = drain({
      // No background progress records: the attempt's completions are recorded by its end only.
      leaseMs: 300_000,
      progressMs: 300_000,
      onCheckpoint: async (checkpoint: Checkpoint) => {
        if (
          blockers.length > 0 ||
          checkpoint.phase !== 'call_returned' ||
          checkpoint.stepKey !== 'put_inline_policy:inline-0'
        )
          return;
        const blocker = database.db.transaction().execute(async (tx) => {
          await sql`select id from requests where id = ${request.id}::uuid for update`.execute(tx);
          locked();
          await released;
        });
        blockers.push(blocker);
        await isLocked;
      },
    });
    await isLocked;
    // Sessions of this database waiting for a row lock, and what they run.
    const waiting = async () => {
      const { rows } = await sql<{ query: string }>`
        select query from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`.execute(database.db);
      return rows.map((row) => row.query);
    };
    const waitUntil = async (count: number) => {
      for (let i = 0; i < 300 && (await waiting()).length < count; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 10));
      return waiting();
    };
    let queued: Promise<T> | null = null;
    try {
      // The job's end has locked its job and waits for the request...
      expect(await waitUntil(1)).toEqual([expect.stringMatching(/^\s*with moved as \(\s*update requests/)]);
      queued = queue(request.id);
      // ... and the queueing waits for the job.
      expect(await waitUntil(2)).toContainEqual(expect.stringContaining('from "provisioning_jobs"'));
    } finally {
      release();
      await Promise.all(blockers);
      await running;
      await emulator.setFaults({});
    }
    return { requestId: request.id, queued: await queued };
  }

  it('a retry plans as done what that end recorded', async () => {
    const { requestId, queued } = await queueDuringFailingEnd('end-then-retry', (id) =>
      retryRequest(approver, { requestId: id }),
    );
    expect(queued).toMatchObject({ ok: true, value: { state: 'provisioning' } });
    const jobs = await database.db
      .selectFrom('provisioning_jobs')
      .select(['status', 'planned_intents'])
      .where('request_id', '=', requestId)
      .orderBy('attempt')
      .execute();
    expect(jobs.map((job) => job.status)).toEqual(['failed', 'queued']);
    const planned = jobs[1]?.planned_intents as { key: string; state: string }[];
    expect(planned.map((intent) => `${intent.key}:${intent.state}`)).toEqual([
      'create_policy:end-then-retry-policy-0:done',
      'create_role:done',
      `attach_policy:${EC2}:done`,
      'attach_policy:arn:aws:iam::444455556666:policy/end-then-retry-policy-0:done',
      'put_inline_policy:inline-0:pending',
    ]);
  });

  it('a rollback plans from what that end recorded', async () => {
    const { requestId, queued } = await queueDuringFailingEnd('end-then-rollback', (id) =>
      rollbackRequest(approver, { requestId: id }),
    );
    expect(queued).toMatchObject({ ok: true, value: { state: 'failed' } });
    const job = await database.db
      .selectFrom('provisioning_jobs')
      .select(['operation', 'planned_plan'])
      .where('request_id', '=', requestId)
      .orderBy('attempt', 'desc')
      .executeTakeFirstOrThrow();
    expect(job.operation).toBe('rollback');
    // The role and the attachments are known to be ours: removed without first reading their tag.
    expect(
      (job.planned_plan as ProvisioningPlan).steps.map(
        (step) => `${step.key}${'ifTaggedBy' in step ? ' (if tagged)' : ''}`,
      ),
    ).toEqual([
      `detach_policy:${EC2}`,
      'detach_policy:arn:aws:iam::444455556666:policy/end-then-rollback-policy-0',
      'delete_inline_policy:inline-0 (if tagged)',
      'delete_role',
      'delete_policy:end-then-rollback-policy-0',
      'verify_role_deleted',
    ]);
  });
});

describe('the end of a job', () => {
  const shape = { newPolicies: 1, managed: 1, inline: 1 };
  // CreatePolicy, CreateRole, 2 × AttachRolePolicy, PutRolePolicy, then 3 verifying reads.
  const callsPerRole = 8;
  const totalCalls = async () => Object.values(await emulator.calls()).reduce((sum, count) => sum + count, 0);

  it("claims the worker's next job in the same commit; the worker runs it next with exactly the planned calls", async () => {
    const first = await submitAndApprove(emulator, roleSpec('ahead-1', shape));
    const second = await submitAndApprove(emulator, roleSpec('ahead-2', shape));
    await emulator.resetCalls();
    const w = worker({ workerId: 'ahead' });
    expect(await w.runOnce()).toBe(true);
    expect((await requestState(first.id)).state).toBe('provisioned');
    // The second job is held by this worker already: claimed once, its request moved once, its
    // intents recorded (durably, with the first job's end), and no IAM call made for it yet.
    const held = await jobOf(second.id);
    expect(held).toMatchObject({ status: 'running', claims: 1 });
    expect(held.lease_owner).toMatch(/^ahead\//);
    expect((await requestState(second.id)).state).toBe('provisioning');
    expect(await startEvents(second.id)).toBe(1);
    expect(await recordedIntents(held.id)).toHaveLength(5);
    expect(await totalCalls()).toBe(callsPerRole);
    // Another worker cannot take it.
    expect(await worker({ workerId: 'other' }).runOnce()).toBe(false);
    expect(await w.runOnce()).toBe(true);
    expect((await requestState(second.id)).state).toBe('provisioned');
    expect(await totalCalls()).toBe(2 * callsPerRole);
    expect(await jobOf(second.id)).toMatchObject({ status: 'succeeded', claims: 1 });
    expect(await auditTrail(second.id)).toEqual([
      '→draft',
      'draft→pending',
      'pending→approved',
      'approved→provisioning',
      'provisioning→provisioned',
    ]);
    expect(await w.runOnce()).toBe(false);
  });

  it('gives a job it claimed ahead back when the worker stops: queued as never claimed, then provisioned with no extra call', async () => {
    await submitAndApprove(emulator, roleSpec('ahead-stop-1', shape));
    const second = await submitAndApprove(emulator, roleSpec('ahead-stop-2', shape));
    const w = worker({ workerId: 'stopping' });
    expect(await w.runOnce()).toBe(true);
    expect(await jobOf(second.id)).toMatchObject({ status: 'running', claims: 1 });
    await w.stop();
    const released = await jobOf(second.id);
    expect(released).toMatchObject({ status: 'queued', claims: 0, lease_owner: null });
    // The intents that claim recorded are gone: the next claim records them under its own lease.
    expect(await recordedIntents(released.id)).toEqual([]);
    await emulator.resetCalls();
    expect(await worker({ workerId: 'next' }).runOnce()).toBe(true);
    // Not taken for a resume (which would read before writing): exactly the planned calls.
    expect(await totalCalls()).toBe(callsPerRole);
    expect(await jobOf(second.id)).toMatchObject({ status: 'succeeded', claims: 1 });
    expect(await startEvents(second.id)).toBe(1);
    const workers = await listJobIntentWorkers(database.db, released.id);
    expect(workers).toHaveLength(1);
    expect(workers[0]).toMatch(/^next\//);
  });

  it('that fails its verification claims nothing: the next job stays queued', async () => {
    const first = await submitAndApprove(emulator, roleSpec('ahead-fail-1', shape));
    const second = await submitAndApprove(emulator, roleSpec('ahead-fail-2', shape));
    // The last verifying read of the first job is refused for good (not retried).
    await emulator.setFaults({ failNth: { action: 'ListRolePolicies', n: 1, code: 'AccessDenied' } });
    const w = worker({ workerId: 'failing' });
    expect(await w.runOnce()).toBe(true);
    expect(await requestState(first.id)).toMatchObject({ state: 'failed' });
    expect(await jobOf(second.id)).toMatchObject({ status: 'queued', claims: 0, lease_owner: null });
    expect((await requestState(second.id)).state).toBe('approved');
    expect(await startEvents(second.id)).toBe(0);
  });
});
