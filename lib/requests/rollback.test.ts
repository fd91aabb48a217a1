import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { getProvisioningStatus } from '@/lib/db/queries/provisioning';
import type { ClaimedJob } from '@/lib/provisioning/jobs';
import type { ProvisioningPlan } from '@/lib/provisioning/plan';
import { requestBinding } from '@/lib/requests/provisioning-binding';
import {
  TARGET,
  approver,
  auditTrail,
  requester,
  roleSpec,
  seedTargetAccounts,
  startTestEmulator,
  submitAndApprove,
  type TestEmulator,
} from '@/lib/testing/provisioning';
import {
  createProvisioningWorker,
  type ProvisioningWorker,
  type WorkerOptions,
} from '@/lib/provisioning/worker';
import type { CheckpointPhase } from '@/lib/provisioning/executor';
import { retryRequest, rollbackRequest } from '@/lib/requests/approve';
import { REQUEST_STATES } from '@/lib/requests/state-machine';
import { transitionRequest } from '@/lib/requests/transition';
import { cancelRequest, createAndSubmitRequest, getRequest, listRequests } from '@/lib/requests/requests';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

// The rollback path end to end: PGlite in this process, the emulator over HTTP through the real SDK,
// the real worker and the portal's request binding.
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

function worker(options: Partial<WorkerOptions> = {}): ProvisioningWorker {
  return createProvisioningWorker({
    db: database.db,
    requests: requestBinding,
    iamFor: (accountId) => Promise.resolve(emulator.iam(accountId)),
    leaseMs: 10_000,
    retry: { maxTransientAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, invalidPrincipalWindowMs: 0 },
    ...options,
  });
}

async function drain(): Promise<void> {
  const w = worker();
  while (await w.runOnce());
}

/** A create request whose provisioning failed at its inline policy, after the role and policy were made. */
async function failedCreation(name: string) {
  const request = await submitAndApprove(emulator, roleSpec(name, { newPolicies: 1, managed: 1, inline: 1 }));
  await emulator.setFaults({ failNth: { action: 'PutRolePolicy', n: 1, code: 'MalformedPolicyDocument' } });
  await drain();
  await emulator.setFaults({});
  const detail = await getRequest(approver, request.id);
  expect(detail).toMatchObject({ ok: true, value: { request: { state: 'failed' } } });
  expect((await emulator.iam().getRole(name)).ok).toBe(true);
  return request;
}

async function stateOf(requestId: string) {
  const detail = await getRequest(approver, requestId);
  if (!detail.ok) throw new Error(detail.message);
  return detail.value.request;
}

describe('rolling back a failed role creation', () => {
  it('ends rolled_back in one transition, removes what was created, and frees the role name', async () => {
    const request = await failedCreation('rb-full');

    const queued = await rollbackRequest(approver, { requestId: request.id, comment: 'abandon' });
    expect(queued).toMatchObject({ ok: true, value: { state: 'failed' } });
    const before = await getRequest(approver, request.id);
    expect(before).toMatchObject({ ok: true, value: { can: { retry: true, cancel: true, rollback: true } } });

    await drain();
    expect(await getProvisioningStatus(database.db, request.id)).toMatchObject({
      operation: 'rollback',
      status: 'succeeded',
    });
    const rolledBack = await stateOf(request.id);
    expect(rolledBack).toMatchObject({
      state: 'rolled_back',
      // The request keeps the failure that led to the rollback.
      failure: { code: 'MalformedPolicyDocument' },
    });
    expect((await auditTrail(request.id)).slice(-3)).toEqual([
      'provisioning→failed',
      'failed→failed',
      'failed→rolled_back',
    ]);
    const detail = await getRequest(approver, request.id);
    if (!detail.ok) throw new Error(detail.message);
    expect(detail.value.events.slice(-2).map((event) => [event.actorId, event.reason])).toEqual([
      [approver.id, 'rollback: abandon'],
      ['system:provisioner', 'rolled back'],
    ]);
    expect(detail.value.can).toEqual({
      approve: false,
      edit: false,
      cancel: false,
      retry: false,
      rollback: false,
    });
    expect(await emulator.iam().getRole('rb-full')).toMatchObject({
      ok: false,
      aws: { code: 'NoSuchEntity' },
    });
    expect(await emulator.iam().getPolicy(`arn:aws:iam::${TARGET}:policy/rb-full-policy-0`)).toMatchObject({
      ok: false,
      aws: { code: 'NoSuchEntity' },
    });

    // Terminal: nothing moves it any more, each refusal a typed conflict.
    expect(await rollbackRequest(approver, { requestId: request.id })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    expect(await retryRequest(approver, { requestId: request.id })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    expect(await cancelRequest(requester, { requestId: request.id })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    for (const to of REQUEST_STATES) {
      const moved = await database.db.transaction().execute((tx) =>
        transitionRequest(tx, {
          requestId: request.id,
          from: REQUEST_STATES,
          to,
          actorId: 'test',
        }),
      );
      expect(moved, `rolled_back → ${to}`).toMatchObject({
        ok: false,
        code: 'conflict',
        message: expect.stringContaining('is rolled back') as unknown,
      });
    }
    expect(await auditTrail(request.id)).toHaveLength(detail.value.events.length);

    // Listed under its own state, and no longer holding the role name.
    const listed = await listRequests(approver, { state: 'rolled_back' });
    expect(listed).toMatchObject({ ok: true });
    if (listed.ok) expect(listed.value.items.map((item) => item.id)).toContain(request.id);
    const again = await createAndSubmitRequest(requester, {
      kind: 'create',
      spec: roleSpec('rb-full', { newPolicies: 0, managed: 1, inline: 0 }),
      justification: 'second try',
    });
    expect(again).toMatchObject({ ok: true, value: { state: 'pending', roleName: 'rb-full' } });
  });

  it('is idempotent when the completion hook runs twice (e.g. again after a crash)', async () => {
    const request = await failedCreation('rb-twice');
    expect((await rollbackRequest(approver, { requestId: request.id })).ok).toBe(true);
    await drain();
    const events = (await auditTrail(request.id)).length;
    const job = { id: 'replayed', requestId: request.id, operation: 'rollback' } as ClaimedJob;
    await database.db
      .transaction()
      .execute((tx) => requestBinding.succeeded(tx, job, { steps: [] } as unknown as ProvisioningPlan));
    expect((await stateOf(request.id)).state).toBe('rolled_back');
    expect(await auditTrail(request.id)).toHaveLength(events);
  });

  it.each([
    { phase: 'call_returned' as CheckpointPhase, stepKey: 'delete_role' },
    { phase: 'before_finish' as CheckpointPhase, stepKey: null },
  ])(
    'resumes a rollback whose worker died ($phase $stepKey): rolled_back once, nothing left behind',
    async ({ phase, stepKey }) => {
      const name = `rb-crash-${phase.replace('_', '-')}`;
      const request = await failedCreation(name);
      expect((await rollbackRequest(approver, { requestId: request.id })).ok).toBe(true);
      let crashed = false;
      // Completions are recorded in the background (every leaseMs / 3 here): the crash comes before
      // any is, so the resumed job must find out from IAM what the dead worker already undid.
      const dying = worker({
        leaseMs: 2400,
        progressMs: 60_000,
        onCheckpoint: (checkpoint) => {
          if (
            checkpoint.requestId === request.id &&
            checkpoint.phase === phase &&
            checkpoint.stepKey === stepKey
          ) {
            crashed = true;
            throw new Error('simulated crash');
          }
        },
      });
      await expect(dying.runOnce()).rejects.toThrow('simulated crash');
      expect(crashed).toBe(true);
      expect((await stateOf(request.id)).state).toBe('failed');
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await drain();
      expect(await getProvisioningStatus(database.db, request.id)).toMatchObject({
        operation: 'rollback',
        status: 'succeeded',
      });
      expect((await stateOf(request.id)).state).toBe('rolled_back');
      const trail = await auditTrail(request.id);
      expect(trail.filter((step) => step === 'failed→rolled_back')).toHaveLength(1);
      expect(trail.at(-1)).toBe('failed→rolled_back');
      expect(await emulator.iam().getRole(name)).toMatchObject({ ok: false, aws: { code: 'NoSuchEntity' } });
      expect(await emulator.iam().getPolicy(`arn:aws:iam::${TARGET}:policy/${name}-policy-0`)).toMatchObject({
        ok: false,
        aws: { code: 'NoSuchEntity' },
      });
    },
  );

  it('leaves the request failed with the rollback error when the rollback fails, and can roll back again', async () => {
    const request = await failedCreation('rb-fails');
    await emulator.setFaults({ failNth: { action: 'DeleteRole', n: 1, code: 'DeleteConflict' } });
    expect((await rollbackRequest(approver, { requestId: request.id })).ok).toBe(true);
    await drain();
    await emulator.setFaults({});
    expect(await getProvisioningStatus(database.db, request.id)).toMatchObject({
      operation: 'rollback',
      status: 'failed',
    });
    expect(await stateOf(request.id)).toMatchObject({
      state: 'failed',
      failure: { code: 'DeleteConflict', message: 'Injected failure of call 1 of DeleteRole.' },
    });
    const detail = await getRequest(approver, request.id);
    if (!detail.ok) throw new Error(detail.message);
    expect(
      detail.value.events.slice(-2).map((event) => `${event.from}→${event.to}: ${event.reason}`),
    ).toEqual([
      'failed→failed: rollback',
      'failed→failed: rollback failed: DeleteConflict: Injected failure of call 1 of DeleteRole.',
    ]);
    expect((await emulator.iam().getRole('rb-fails')).ok).toBe(true);

    expect((await rollbackRequest(approver, { requestId: request.id })).ok).toBe(true);
    await drain();
    expect((await stateOf(request.id)).state).toBe('rolled_back');
    expect(await emulator.iam().getRole('rb-fails')).toMatchObject({
      ok: false,
      aws: { code: 'NoSuchEntity' },
    });
  });

  it('records an abandoned rollback (its account unreachable claim after claim) on the still-failed request', async () => {
    const request = await failedCreation('rb-abandoned');
    expect((await rollbackRequest(approver, { requestId: request.id })).ok).toBe(true);
    const unreachable = worker({
      leaseMs: 40,
      maxClaims: 2,
      iamFor: () => Promise.reject(new Error('The account cannot be reached')),
    });
    for (let i = 0; i < 10; i += 1) {
      const status = await getProvisioningStatus(database.db, request.id);
      if (status?.status === 'failed') break;
      await unreachable.runOnce().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    expect(await getProvisioningStatus(database.db, request.id)).toMatchObject({
      operation: 'rollback',
      status: 'failed',
      lastError: { code: 'ProvisioningAbandoned' },
    });
    expect(await stateOf(request.id)).toMatchObject({
      state: 'failed',
      failure: { code: 'ProvisioningAbandoned' },
    });
    const detail = await getRequest(approver, request.id);
    if (!detail.ok) throw new Error(detail.message);
    expect(detail.value.events.at(-1)).toMatchObject({
      from: 'failed',
      to: 'failed',
      reason: expect.stringMatching(/^rollback failed: ProvisioningAbandoned: /) as unknown,
    });
    expect(detail.value.can.rollback).toBe(true);
  });

  it('refuses a retry while the rollback is still queued, so the rollback cannot swallow it', async () => {
    const request = await failedCreation('rb-retry-race');
    expect((await rollbackRequest(approver, { requestId: request.id })).ok).toBe(true);
    const retried = await retryRequest(approver, { requestId: request.id });
    expect(retried).toMatchObject({ ok: false, code: 'conflict' });
    expect((await stateOf(request.id)).state).toBe('failed');
    await drain();
    expect((await stateOf(request.id)).state).toBe('rolled_back');
  });
});
