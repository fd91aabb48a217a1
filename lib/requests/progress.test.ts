import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { Checkpoint } from '@/lib/provisioning/executor';
import type { StepProgress } from '@/lib/provisioning/progress';
import { retryRequest, rollbackRequest } from '@/lib/requests/approve';
import { getProvisioningProgress, type ProvisioningProgress } from '@/lib/requests/progress';
import { createDraft } from '@/lib/requests/requests';
import { principal } from '@/lib/requests/test-fixtures';
import {
  approver,
  drainJobs,
  requester,
  roleSpec,
  seedTargetAccounts,
  startTestEmulator,
  submitAndApprove,
  submitForApproval,
  testWorker,
  type TestEmulator,
} from '@/lib/testing/provisioning';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

// The request page's live progress, read while the real worker provisions against the emulator
// over HTTP (real SDK), with PGlite in this process.
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

async function progressOf(requestId: string, as = requester): Promise<ProvisioningProgress> {
  const progress = await getProvisioningProgress(as, requestId);
  if (!progress.ok) throw new Error(progress.message);
  return progress.value;
}

const table = (steps: StepProgress[]) => steps.map((step) => `${step.call} · ${step.status}`);

describe('getProvisioningProgress', () => {
  it('lists the queued plan of an approved request: every IAM call, queued', async () => {
    const request = await submitAndApprove(
      emulator,
      roleSpec('pg-queued', { newPolicies: 1, managed: 1, inline: 1 }),
    );
    const progress = await progressOf(request.id);
    expect(progress).toMatchObject({ state: 'approved', isLive: true, roleHref: null, failure: null });
    expect(progress.jobs).toHaveLength(1);
    expect(progress.jobs[0]).toMatchObject({
      attempt: 1,
      operation: 'provision',
      status: 'queued',
      failure: null,
    });
    expect(table(progress.jobs[0]!.steps)).toEqual([
      'CreatePolicy pg-queued-policy-0 · queued',
      'CreateRole pg-queued · queued',
      'AttachRolePolicy AmazonEC2ReadOnlyAccess · queued',
      'AttachRolePolicy pg-queued-policy-0 · queued',
      'PutRolePolicy inline-0 · queued',
      'GetRole pg-queued · queued',
      'ListAttachedRolePolicies pg-queued · queued',
      'ListRolePolicies pg-queued · queued',
    ]);
    await drainJobs(database.db, emulator);
  });

  it('shows the step in progress as running, those before it done and the rest queued', async () => {
    const request = await submitAndApprove(
      emulator,
      roleSpec('pg-running', { newPolicies: 1, managed: 1, inline: 1 }),
    );
    let seen: ProvisioningProgress | null = null;
    const worker = testWorker(database.db, emulator, {
      progressMs: 10,
      onCheckpoint: async (checkpoint: Checkpoint) => {
        if (checkpoint.phase !== 'intent_committed' || checkpoint.stepKey === null) return;
        if (!checkpoint.stepKey.startsWith('put_inline_policy')) return;
        // Let the recorder write the completions so far (every 10 ms here).
        await new Promise((resolve) => setTimeout(resolve, 100));
        seen = await progressOf(checkpoint.requestId, approver);
      },
    });
    while (await worker.runOnce());
    const during = seen as ProvisioningProgress | null;
    expect(during).toMatchObject({ state: 'provisioning', isLive: true, roleHref: null });
    expect(during!.jobs[0]!.status).toBe('running');
    expect(table(during!.jobs[0]!.steps)).toEqual([
      'CreatePolicy pg-running-policy-0 · done',
      'CreateRole pg-running · done',
      'AttachRolePolicy AmazonEC2ReadOnlyAccess · done',
      'AttachRolePolicy pg-running-policy-0 · done',
      'PutRolePolicy inline-0 · running',
      'GetRole pg-running · queued',
      'ListAttachedRolePolicies pg-running · queued',
      'ListRolePolicies pg-running · queued',
    ]);
    expect(during!.jobs[0]!.steps[1]!.outcome).toBe(`Done: arn:aws:iam::444455556666:role/apps/pg-running`);

    const after = await progressOf(request.id);
    expect(after).toMatchObject({
      state: 'provisioned',
      isLive: false,
      roleHref: '/roles/444455556666/pg-running',
    });
    expect(after.jobs[0]!.steps.every((step) => step.status === 'done')).toBe(true);
    expect(after.jobs[0]!.steps.at(-1)!.outcome).toBe('Verified');
  });

  it('names the failed step with AWS’s code and message in plain words; a retry provisions the rest', async () => {
    const request = await submitAndApprove(
      emulator,
      roleSpec('pg-failed', { newPolicies: 0, managed: 2, inline: 0 }),
    );
    await emulator.setFaults({ failNth: { action: 'AttachRolePolicy', n: 2, code: 'NoSuchEntity' } });
    await drainJobs(database.db, emulator);
    await emulator.setFaults({});

    const failed = await progressOf(request.id);
    expect(failed).toMatchObject({
      state: 'failed',
      isLive: false,
      roleHref: null,
      failure: { code: 'NoSuchEntity', message: 'Injected failure of call 2 of AttachRolePolicy.' },
    });
    expect(failed.failure!.explanation).toMatch(/does not exist/);
    const job = failed.jobs[0]!;
    expect(job.failure).toMatchObject({
      code: 'NoSuchEntity',
      call: 'AttachRolePolicy AmazonS3ReadOnlyAccess',
    });
    expect(table(job.steps)).toEqual([
      'CreateRole pg-failed · done',
      'AttachRolePolicy AmazonEC2ReadOnlyAccess · done',
      'AttachRolePolicy AmazonS3ReadOnlyAccess · failed',
      'GetRole pg-failed · not_run',
      'ListAttachedRolePolicies pg-failed · not_run',
      'ListRolePolicies pg-failed · not_run',
    ]);
    expect(job.steps[2]!.error).toMatchObject({
      code: 'NoSuchEntity',
      message: expect.stringMatching(/Injected/) as string,
    });

    expect(await retryRequest(approver, { requestId: request.id })).toMatchObject({ ok: true });
    const retried = await progressOf(request.id);
    expect(retried).toMatchObject({ state: 'provisioning', isLive: true, failure: null });
    expect(retried.jobs.map((each) => [each.attempt, each.status])).toEqual([
      [2, 'queued'],
      [1, 'failed'],
    ]);
    // What the first attempt did is not repeated.
    expect(table(retried.jobs[0]!.steps).slice(0, 3)).toEqual([
      'CreateRole pg-failed · done',
      'AttachRolePolicy AmazonEC2ReadOnlyAccess · done',
      'AttachRolePolicy AmazonS3ReadOnlyAccess · queued',
    ]);
    expect(retried.jobs[0]!.steps[0]!.outcome).toBe('Done by an earlier attempt');

    await drainJobs(database.db, emulator);
    const provisioned = await progressOf(request.id);
    expect(provisioned).toMatchObject({
      state: 'provisioned',
      isLive: false,
      roleHref: '/roles/444455556666/pg-failed',
    });
    expect(provisioned.jobs[0]!.steps.map((step) => step.status)).toEqual(Array(6).fill('done'));
  });

  it('shows a rollback as its own job, live until the request is rolled back', async () => {
    const request = await submitAndApprove(
      emulator,
      roleSpec('pg-rollback', { newPolicies: 1, managed: 1, inline: 1 }),
    );
    await emulator.setFaults({ failNth: { action: 'PutRolePolicy', n: 1, code: 'MalformedPolicyDocument' } });
    await drainJobs(database.db, emulator);
    await emulator.setFaults({});
    expect((await progressOf(request.id)).jobs[0]!.failure?.explanation).toMatch(/must be changed/);

    expect(await rollbackRequest(approver, { requestId: request.id })).toMatchObject({ ok: true });
    const queued = await progressOf(request.id);
    // The request stays failed while its rollback runs: still live.
    expect(queued).toMatchObject({ state: 'failed', isLive: true });
    expect(queued.jobs[0]).toMatchObject({ operation: 'rollback', attempt: 2, status: 'queued' });
    expect(queued.jobs[0]!.steps.map((step) => step.action)).toContain('DeleteRole');

    await drainJobs(database.db, emulator);
    const rolledBack = await progressOf(request.id);
    expect(rolledBack).toMatchObject({ state: 'rolled_back', isLive: false, roleHref: null });
    expect(rolledBack.jobs[0]).toMatchObject({ operation: 'rollback', status: 'succeeded' });
    expect(rolledBack.jobs[0]!.steps.every((step) => step.status === 'done')).toBe(true);
  });

  it('has nothing to show before approval, and hides requests the caller may not see', async () => {
    const pending = await submitForApproval(roleSpec('pg-pending'));
    expect(await progressOf(pending.requestId)).toMatchObject({ state: 'pending', isLive: false, jobs: [] });
    const draft = await createDraft(requester, {
      kind: 'create',
      spec: roleSpec('pg-draft'),
      justification: 'x',
    });
    if (!draft.ok) throw new Error(draft.message);
    expect(await progressOf(draft.value.id)).toMatchObject({ state: 'draft', jobs: [] });

    const stranger = principal('stranger');
    expect(await getProvisioningProgress(stranger, pending.requestId)).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await getProvisioningProgress(requester, 'not-a-uuid')).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await getProvisioningProgress(requester, '00000000-0000-4000-8000-000000000000')).toMatchObject({
      ok: false,
      code: 'not_found',
    });
  });
});
