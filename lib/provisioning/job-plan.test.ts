import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { getProvisioningStatus, insertProvisioningJob } from '@/lib/db/queries/provisioning';
import type { RoleSpecInput } from '@/lib/iam/role-spec';
import { claimNextJob, enqueueProvisioning } from '@/lib/provisioning/jobs';
import type { ProvisioningPlan } from '@/lib/provisioning/plan';
import type { WorkerOptions } from '@/lib/provisioning/worker';
import { approveRequest, rollbackRequest } from '@/lib/requests/approve';
import { provisioningStartMove } from '@/lib/requests/provisioning-transitions';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import {
  TARGET,
  emulatorPreflight,
  approver,
  auditTrail,
  requestState,
  retry,
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

// A job's plan and the intents its first claim records are fixed when it is queued (in the
// approval's, retry's or rollback's transaction); a job queued without a plan is planned at its
// first claim. PGlite in this process, the standalone emulator over HTTP through the real SDK.
let database: TestDatabase;
let emulator: TestEmulator;

beforeAll(async () => {
  [database, emulator] = await Promise.all([createTestPglite(), startTestEmulator()]);
  await seedTargetAccounts();
});

afterAll(async () => {
  await Promise.all([database?.close(), emulator?.close()]);
});

beforeEach(async () => {
  await emulator.setFaults({});
});

// A test that fails midway leaves no runnable job behind for the next one.
afterEach(async () => {
  await emulator.setFaults({});
  await drain();
});

const worker = (options: Partial<WorkerOptions> = {}) => testWorker(database.db, emulator, options);

const expireLeases = () => expireJobLeases(database.db);

const drain = () => drainJobs(database.db, emulator);

interface JobRow {
  id: string;
  attempt: number;
  operation: string;
  status: string;
  claims: number;
  plan: ProvisioningPlan | null;
  plannedPlan: ProvisioningPlan | null;
  plannedIntents: { key: string; index: number; action: string; state: string }[] | null;
}

async function jobsOf(requestId: string): Promise<JobRow[]> {
  const rows = await database.db
    .selectFrom('provisioning_jobs')
    .select(['id', 'attempt', 'operation', 'status', 'claims', 'plan', 'planned_plan', 'planned_intents'])
    .where('request_id', '=', requestId)
    .orderBy('attempt')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    attempt: row.attempt,
    operation: row.operation,
    status: row.status,
    claims: row.claims,
    plan: row.plan as ProvisioningPlan | null,
    plannedPlan: row.planned_plan as ProvisioningPlan | null,
    plannedIntents: row.planned_intents as JobRow['plannedIntents'],
  }));
}

const recordedIntents = (jobId: string) => recordedJobIntents(database.db, jobId);

/** Submits and approves a create request with the real preflight, and removes the job the approval queued. */
async function approveWithoutJob(spec: RoleSpecInput): Promise<string> {
  const input = await submitForApproval(spec);
  const approved = await approveRequest(approver, input, emulatorPreflight(emulator));
  if (!approved.ok) throw new Error(`approve failed: ${approved.message}`);
  // As if approved by an earlier version, which queued no job: the test queues its own.
  await sql`delete from provisioning_jobs where request_id = ${input.requestId}::uuid`.execute(database.db);
  return input.requestId;
}

const policyArn = (name: string) => `arn:aws:iam::${TARGET}:policy/${name}`;
const EC2 = 'arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess';
const S3 = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';

describe('a job queued by an approval', () => {
  it('carries its plan and the intents of its writes, all pending, before any claim', async () => {
    const request = await submitAndApprove(
      emulator,
      roleSpec('queued-plan', { newPolicies: 1, managed: 2, inline: 1 }),
    );
    const [job, ...others] = await jobsOf(request.id);
    expect(others).toEqual([]);
    // The job's `plan` stays empty until a worker claims it: a worker of the previous version
    // (780accc^) takes a job with a plan for one it resumes, and would record no intents.
    expect(job).toMatchObject({
      attempt: 1,
      operation: 'provision',
      status: 'queued',
      claims: 0,
      plan: null,
    });
    expect(job?.plannedPlan).toMatchObject({
      operation: 'create',
      requestId: request.id,
      accountId: TARGET,
      roleName: 'queued-plan',
    });
    const writes = [
      { key: 'create_policy:queued-plan-policy-0', action: 'CreatePolicy' },
      { key: 'create_role', action: 'CreateRole' },
      { key: `attach_policy:${EC2}`, action: 'AttachRolePolicy' },
      { key: `attach_policy:${S3}`, action: 'AttachRolePolicy' },
      { key: `attach_policy:${policyArn('queued-plan-policy-0')}`, action: 'AttachRolePolicy' },
      { key: 'put_inline_policy:inline-0', action: 'PutRolePolicy' },
    ];
    expect(job?.plannedPlan?.steps.map((step) => step.key)).toEqual([
      ...writes.map((write) => write.key),
      'verify_role',
      'verify_attached_policies',
      'verify_inline_policies',
    ]);
    expect(job?.plannedIntents).toEqual(
      writes.map((write, index) => ({ ...write, index, state: 'pending' })),
    );
    // Nothing is recorded and the request has not moved until a worker claims the job.
    expect(await recordedIntents(job!.id)).toEqual([]);
    expect(await requestState(request.id)).toMatchObject({ state: 'approved' });
    expect((await auditTrail(request.id)).at(-1)).toBe('pending→approved');

    await drain();
    expect(await requestState(request.id)).toMatchObject({ state: 'provisioned' });
    expect(await recordedIntents(job!.id)).toEqual(writes.map((write) => `${write.key}:done`));
    // The claim made the planned plan the job's plan.
    const [claimed] = await jobsOf(request.id);
    expect(claimed?.plan).toEqual(job?.plannedPlan);
  });
});

describe('a job queued by a retry', () => {
  it('plans the steps earlier attempts completed as done, and the worker does not repeat them', async () => {
    const request = await submitAndApprove(
      emulator,
      roleSpec('queued-retry', { newPolicies: 1, managed: 1, inline: 1 }),
    );
    await emulator.setFaults({ failNth: { action: 'PutRolePolicy', n: 1, code: 'MalformedPolicyDocument' } });
    await drain();
    await emulator.setFaults({});
    expect(await requestState(request.id)).toMatchObject({ state: 'failed' });

    await retry(request.id);
    const [first, second] = await jobsOf(request.id);
    expect(first).toMatchObject({ status: 'failed' });
    expect(second).toMatchObject({
      attempt: 2,
      operation: 'provision',
      status: 'queued',
      claims: 0,
      plan: null,
    });
    expect(second?.plannedPlan?.steps.map((step) => step.key)).toEqual(
      first?.plan?.steps.map((step) => step.key),
    );
    expect(second?.plannedIntents?.map((intent) => `${intent.key}:${intent.state}`)).toEqual([
      'create_policy:queued-retry-policy-0:done',
      'create_role:done',
      `attach_policy:${EC2}:done`,
      `attach_policy:${policyArn('queued-retry-policy-0')}:done`,
      'put_inline_policy:inline-0:pending',
    ]);
    expect(await recordedIntents(second!.id)).toEqual([]);

    await emulator.resetCalls();
    await drain();
    expect(await requestState(request.id)).toMatchObject({ state: 'provisioned' });
    // Only the step left, then the verifying reads: nothing done before is called again.
    expect(await emulator.calls()).toEqual({
      PutRolePolicy: 1,
      GetRole: 1,
      ListAttachedRolePolicies: 1,
      ListRolePolicies: 1,
    });
    expect(await recordedIntents(second!.id)).toEqual([
      'create_policy:queued-retry-policy-0:done',
      'create_role:done',
      `attach_policy:${EC2}:done`,
      `attach_policy:${policyArn('queued-retry-policy-0')}:done`,
      'put_inline_policy:inline-0:done',
    ]);
    expect((await auditTrail(request.id)).slice(-3)).toEqual([
      'provisioning→failed',
      'failed→provisioning',
      'provisioning→provisioned',
    ]);
  });
});

describe('a job queued by a rollback', () => {
  it('carries the rollback plan of what the failed attempt touched', async () => {
    const request = await submitAndApprove(
      emulator,
      roleSpec('queued-rollback', { newPolicies: 1, managed: 1, inline: 1 }),
    );
    await emulator.setFaults({ failNth: { action: 'PutRolePolicy', n: 1, code: 'MalformedPolicyDocument' } });
    await drain();
    await emulator.setFaults({});

    const queued = await rollbackRequest(approver, { requestId: request.id });
    expect(queued).toMatchObject({ ok: true });
    const [, job] = await jobsOf(request.id);
    expect(job).toMatchObject({ attempt: 2, operation: 'rollback', status: 'queued', claims: 0, plan: null });
    const ours = policyArn('queued-rollback-policy-0');
    expect(job?.plannedPlan).toMatchObject({ operation: 'delete', requestId: request.id, target: null });
    // The inline policy's PutRolePolicy failed, so its removal is guarded by the request's tag;
    // what the attempt completed is removed unguarded.
    expect(job?.plannedPlan?.steps).toEqual([
      { kind: 'detach_policy', key: `detach_policy:${EC2}`, roleName: 'queued-rollback', policyArn: EC2 },
      { kind: 'detach_policy', key: `detach_policy:${ours}`, roleName: 'queued-rollback', policyArn: ours },
      {
        kind: 'delete_inline_policy',
        key: 'delete_inline_policy:inline-0',
        roleName: 'queued-rollback',
        policyName: 'inline-0',
        ifTaggedBy: request.id,
      },
      { kind: 'delete_role', key: 'delete_role', roleName: 'queued-rollback' },
      { kind: 'delete_policy', key: 'delete_policy:queued-rollback-policy-0', arn: ours },
      { kind: 'verify_role_deleted', key: 'verify_role_deleted', roleName: 'queued-rollback' },
    ]);
    expect(job?.plannedIntents?.map((intent) => `${intent.action}:${intent.state}`)).toEqual([
      'DetachRolePolicy:pending',
      'DetachRolePolicy:pending',
      'DeleteRolePolicy:pending',
      'DeleteRole:pending',
      'DeletePolicy:pending',
    ]);
    expect(await requestState(request.id)).toMatchObject({ state: 'failed' });

    await drain();
    expect(await requestState(request.id)).toMatchObject({ state: 'rolled_back' });
    expect(await emulator.iam().getRole('queued-rollback')).toMatchObject({
      ok: false,
      aws: { code: 'NoSuchEntity' },
    });
  });
});

describe('a job queued without a plan', () => {
  it('is planned at its first claim and ends provisioned with exactly P + 1 + M + I + 3 calls', async () => {
    const requestId = await approveWithoutJob(
      roleSpec('unplanned', { newPolicies: 1, managed: 2, inline: 1 }),
    );
    await insertProvisioningJob(database.db, requestId, 'provision', null);
    const [queued] = await jobsOf(requestId);
    expect(queued).toMatchObject({ status: 'queued', plan: null, plannedPlan: null, plannedIntents: null });

    await emulator.resetCalls();
    await drain();
    expect(await requestState(requestId)).toMatchObject({ state: 'provisioned' });
    // A first run, not a resume: no reads before the writes.
    expect(await emulator.calls()).toEqual({
      CreatePolicy: 1,
      CreateRole: 1,
      AttachRolePolicy: 3,
      PutRolePolicy: 1,
      GetRole: 1,
      ListAttachedRolePolicies: 1,
      ListRolePolicies: 1,
    });
    const [job] = await jobsOf(requestId);
    expect(job).toMatchObject({ status: 'succeeded', claims: 1, plannedIntents: null });
    expect(job?.plan?.steps).toHaveLength(9);
    expect(await recordedIntents(job!.id)).toEqual([
      'create_policy:unplanned-policy-0:done',
      'create_role:done',
      `attach_policy:${EC2}:done`,
      `attach_policy:${S3}:done`,
      `attach_policy:${policyArn('unplanned-policy-0')}:done`,
      'put_inline_policy:inline-0:done',
    ]);
    expect((await auditTrail(requestId)).slice(-3)).toEqual([
      'pending→approved',
      'approved→provisioning',
      'provisioning→provisioned',
    ]);
  });

  it('whose worker died before planning it is planned afresh at the next claim, with no reads', async () => {
    const requestId = await approveWithoutJob(
      roleSpec('unplanned-died-early', { newPolicies: 1, managed: 1, inline: 1 }),
    );
    await insertProvisioningJob(database.db, requestId, 'provision', null);
    // A worker claims it (the request moves to provisioning) and dies before planning it.
    const claimed = await claimNextJob(database.db, 'died-early', 10_000, provisioningStartMove());
    expect(claimed).toMatchObject({ requestId, claims: 1, plan: null, isStarted: true });
    await expireLeases();
    await emulator.resetCalls();
    await drain();
    expect(await requestState(requestId)).toMatchObject({ state: 'provisioned' });
    expect(await jobsOf(requestId)).toMatchObject([{ status: 'succeeded', claims: 2 }]);
    // Nothing was recorded, so no IAM call can have been made: a first run, not a resume.
    expect(await emulator.calls()).toEqual({
      CreatePolicy: 1,
      CreateRole: 1,
      AttachRolePolicy: 2,
      PutRolePolicy: 1,
      GetRole: 1,
      ListAttachedRolePolicies: 1,
      ListRolePolicies: 1,
    });
    expect((await auditTrail(requestId)).filter((step) => step === 'approved→provisioning')).toHaveLength(1);
  });

  it('whose worker died after planning it is resumed: reads before each write, nothing done twice', async () => {
    const requestId = await approveWithoutJob(
      roleSpec('unplanned-died-late', { newPolicies: 1, managed: 1, inline: 1 }),
    );
    await insertProvisioningJob(database.db, requestId, 'provision', null);
    await emulator.resetCalls();
    // The worker plans it, records its intents, and dies before its first IAM call.
    const dying = worker({
      onCheckpoint: () => {
        throw new Error('killed');
      },
    });
    await expect(dying.runOnce()).rejects.toThrow('killed');
    const [planned] = await jobsOf(requestId);
    expect(planned).toMatchObject({ status: 'running', claims: 1, plannedIntents: null });
    expect(planned?.plan?.steps).toHaveLength(8);
    expect(await recordedIntents(planned!.id)).toHaveLength(5);
    expect(await emulator.calls()).toEqual({});

    await expireLeases();
    await drain();
    expect(await requestState(requestId)).toMatchObject({ state: 'provisioned' });
    expect(await jobsOf(requestId)).toMatchObject([{ status: 'succeeded', claims: 2 }]);
    expect(await emulator.calls()).toEqual({
      GetPolicy: 1,
      CreatePolicy: 1,
      GetRole: 2,
      CreateRole: 1,
      ListAttachedRolePolicies: 3,
      AttachRolePolicy: 2,
      GetRolePolicy: 1,
      PutRolePolicy: 1,
      ListRolePolicies: 1,
    });
  });

  it('fails at its first claim with the reason when it still cannot be planned; so does a rollback with nothing to roll back', async () => {
    const requestId = await approveWithoutJob(
      roleSpec('unplannable', { newPolicies: 0, managed: 1, inline: 0 }),
    );
    // The stored specification no longer parses (e.g. written by another version).
    await sql`update requests set spec = spec - 'trustedEntity' where id = ${requestId}::uuid`.execute(
      database.db,
    );
    await database.db.transaction().execute((tx) => enqueueProvisioning(tx, requestId));
    const [queued] = await jobsOf(requestId);
    expect(queued).toMatchObject({
      operation: 'provision',
      status: 'queued',
      plan: null,
      plannedPlan: null,
      plannedIntents: null,
    });

    await emulator.resetCalls();
    await drain();
    const reason = "The request's specification is not a valid role specification";
    expect(await requestState(requestId)).toEqual({
      state: 'failed',
      failure: { code: 'InvalidRequest', message: reason },
    });
    expect(await getProvisioningStatus(database.db, requestId)).toMatchObject({
      status: 'failed',
      lastError: { code: 'InvalidRequest', message: reason, step: null },
      steps: [],
    });
    expect((await auditTrail(requestId)).slice(-3)).toEqual([
      'pending→approved',
      'approved→provisioning',
      'provisioning→failed',
    ]);

    // Rolling back an attempt that never ran: queued without a plan, it fails with the reason.
    const queuedRollback = await rollbackRequest(approver, { requestId });
    expect(queuedRollback).toMatchObject({ ok: true });
    const [, rollback] = await jobsOf(requestId);
    expect(rollback).toMatchObject({
      operation: 'rollback',
      status: 'queued',
      plan: null,
      plannedPlan: null,
    });
    await drain();
    const nothing = 'Nothing to roll back: no provisioning attempt ran.';
    expect(await requestState(requestId)).toEqual({
      state: 'failed',
      failure: { code: 'InvalidRequest', message: nothing },
    });
    expect(await getProvisioningStatus(database.db, requestId)).toMatchObject({
      operation: 'rollback',
      status: 'failed',
      lastError: { code: 'InvalidRequest', message: nothing, step: null },
    });
    expect((await auditTrail(requestId)).slice(-2)).toEqual(['failed→failed', 'failed→failed']);
    expect(await emulator.calls()).toEqual({});
  });
});
