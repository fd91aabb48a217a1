import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { getProvisioningStatus } from '@/lib/db/queries/provisioning';
import { roleSpecSchema, type RoleSpecInput } from '@/lib/iam/role-spec';
import type { Checkpoint, CheckpointPhase } from '@/lib/provisioning/executor';
import { roleToProvision } from '@/lib/provisioning/from-spec';
import { enqueueProvisioning } from '@/lib/provisioning/jobs';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import {
  TARGET,
  drainJobs,
  expireLeases,
  requestState,
  roleSpec,
  seedTargetAccounts,
  startTestEmulator,
  submitAndApprove,
  testWorker,
  type TestEmulator,
} from '@/lib/testing/provisioning';

// An EC2 role's instance profile, provisioned and removed: PGlite in this process, the standalone
// emulator over HTTP through the real SDK (its provisioner carries the documented policy).
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

const drain = () => drainJobs(database.db, emulator);

/** A role EC2 instances assume (the console's EC2 use case), with one AWS managed policy. */
function ec2Spec(name: string): RoleSpecInput {
  return {
    ...roleSpec(name, { newPolicies: 0, managed: 1, inline: 0 }),
    trustedEntity: { type: 'aws_service', services: ['ec2.amazonaws.com'] },
  };
}

async function profile(name: string) {
  return emulator.iam().getInstanceProfile(name);
}

/** The writes among the emulator's counted calls (reads are what a resume may add). */
function writes(calls: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(calls).filter(([action]) => !/^(Get|List)/.test(action)));
}

/** Runs the request's job until `phase` of step `stepKey`, where the worker dies; then another resumes it. */
async function crashThenResume(stepKey: string, phase: CheckpointPhase): Promise<void> {
  const crashing = testWorker(database.db, emulator, {
    onCheckpoint: (checkpoint: Checkpoint) => {
      if (checkpoint.stepKey === stepKey && checkpoint.phase === phase)
        throw new Error(`crash at ${phase} of ${stepKey}`);
    },
  });
  await expect(crashing.runOnce()).rejects.toThrow(`crash at ${phase} of ${stepKey}`);
  await expireLeases(database.db);
  await drain();
}

describe("an EC2 role's instance profile", () => {
  it('is created with the role, holds it, and costs exactly three more calls', async () => {
    const request = await submitAndApprove(emulator, ec2Spec('ec2-app'));
    await emulator.resetCalls();
    await drain();
    expect(await requestState(request.id)).toMatchObject({ state: 'provisioned' });
    expect(await emulator.calls()).toEqual({
      CreateRole: 1,
      CreateInstanceProfile: 1,
      AddRoleToInstanceProfile: 1,
      AttachRolePolicy: 1,
      GetRole: 1,
      ListAttachedRolePolicies: 1,
      ListRolePolicies: 1,
      GetInstanceProfile: 1,
    });
    expect(await profile('ec2-app')).toMatchObject({
      ok: true,
      value: {
        name: 'ec2-app',
        path: '/apps/',
        arn: `arn:aws:iam::${TARGET}:instance-profile/apps/ec2-app`,
        roleNames: ['ec2-app'],
        tags: [{ key: 'rolesmith:request-id', value: request.id }],
      },
    });
    const status = await getProvisioningStatus(database.db, request.id);
    expect(status?.steps.map((step) => `${step.action}:${step.state}`)).toEqual([
      'CreateRole:done',
      'CreateInstanceProfile:done',
      'AddRoleToInstanceProfile:done',
      'AttachRolePolicy:done',
    ]);
  });

  it.each([
    ['create_instance_profile', 'intent_committed'],
    ['create_instance_profile', 'call_returned'],
    ['add_role_to_instance_profile', 'intent_committed'],
    ['add_role_to_instance_profile', 'call_returned'],
  ] as const)('survives a crash at %s (%s): the resume makes nothing twice', async (stepKey, phase) => {
    const name = `ec2-crash-${stepKey === 'create_instance_profile' ? 'c' : 'a'}-${phase === 'call_returned' ? 'r' : 'i'}`;
    const request = await submitAndApprove(emulator, ec2Spec(name));
    await emulator.resetCalls();
    await crashThenResume(stepKey, phase);
    expect(await requestState(request.id)).toMatchObject({ state: 'provisioned' });
    expect(writes(await emulator.calls())).toEqual({
      CreateRole: 1,
      CreateInstanceProfile: 1,
      AddRoleToInstanceProfile: 1,
      AttachRolePolicy: 1,
    });
    expect(await profile(name)).toMatchObject({ ok: true, value: { roleNames: [name] } });
  });

  it('is removed, and the role with it, by a delete request', async () => {
    const created = await submitAndApprove(emulator, ec2Spec('ec2-deleted'));
    await drain();
    expect(await requestState(created.id)).toMatchObject({ state: 'provisioned' });
    const deleted = await submitAndApprove(
      emulator,
      { accountId: TARGET, roleName: 'ec2-deleted' },
      'delete',
    );
    await emulator.resetCalls();
    await drain();
    expect(await requestState(deleted.id)).toMatchObject({ state: 'provisioned' });
    expect(await emulator.calls()).toEqual({
      DetachRolePolicy: 1,
      ListAttachedRolePolicies: 1,
      ListRolePolicies: 1,
      ListInstanceProfilesForRole: 1,
      RemoveRoleFromInstanceProfile: 1,
      GetInstanceProfile: 1,
      DeleteInstanceProfile: 1,
      DeleteRole: 1,
      GetRole: 2,
    });
    expect(await profile('ec2-deleted')).toMatchObject({ ok: false, aws: { code: 'NoSuchEntity' } });
    expect(await emulator.iam().getRole('ec2-deleted')).toMatchObject({
      ok: false,
      aws: { code: 'NoSuchEntity' },
    });
  });

  it.each([
    ['remove_role_from_instance_profiles', 'd-r'],
    ['delete_instance_profile', 'd-d'],
  ] as const)('is removed exactly once when a delete crashes after %s', async (stepKey, suffix) => {
    const name = `ec2-crash-${suffix}`;
    await submitAndApprove(emulator, ec2Spec(name));
    await drain();
    const deleted = await submitAndApprove(emulator, { accountId: TARGET, roleName: name }, 'delete');
    await emulator.resetCalls();
    await crashThenResume(stepKey, 'call_returned');
    expect(await requestState(deleted.id)).toMatchObject({ state: 'provisioned' });
    expect(writes(await emulator.calls())).toEqual({
      DetachRolePolicy: 1,
      RemoveRoleFromInstanceProfile: 1,
      DeleteInstanceProfile: 1,
      DeleteRole: 1,
    });
    expect(await profile(name)).toMatchObject({ ok: false, aws: { code: 'NoSuchEntity' } });
    expect(await emulator.iam().getRole(name)).toMatchObject({ ok: false, aws: { code: 'NoSuchEntity' } });
  });

  it('is removed by the rollback of a failed attempt', async () => {
    const request = await submitAndApprove(emulator, ec2Spec('ec2-rolled-back'));
    await emulator.setFaults({ failNth: { action: 'AttachRolePolicy', n: 1, code: 'PolicyNotAttachable' } });
    await drain();
    expect(await requestState(request.id)).toMatchObject({
      state: 'failed',
      failure: { code: 'PolicyNotAttachable' },
    });
    expect(await profile('ec2-rolled-back')).toMatchObject({
      ok: true,
      value: { roleNames: ['ec2-rolled-back'] },
    });
    await emulator.setFaults({});

    await database.db.transaction().execute((tx) => enqueueProvisioning(tx, request.id, 'rollback'));
    await emulator.resetCalls();
    await drain();
    expect(await requestState(request.id)).toMatchObject({ state: 'rolled_back' });
    expect(await emulator.calls()).toMatchObject({
      ListInstanceProfilesForRole: 1,
      RemoveRoleFromInstanceProfile: 1,
      GetInstanceProfile: 1,
      DeleteInstanceProfile: 1,
      DeleteRole: 1,
    });
    expect(await profile('ec2-rolled-back')).toMatchObject({ ok: false, aws: { code: 'NoSuchEntity' } });
    expect(await emulator.iam().getRole('ec2-rolled-back')).toMatchObject({
      ok: false,
      aws: { code: 'NoSuchEntity' },
    });
  });

  it("of someone else's under the same name fails the request clearly, and a rollback leaves it alone", async () => {
    const request = await submitAndApprove(emulator, ec2Spec('ec2-taken'));
    // After approval, someone else makes an instance profile of that name.
    expect((await emulator.iam().createInstanceProfile({ name: 'ec2-taken', path: '/', tags: [] })).ok).toBe(
      true,
    );
    await drain();
    expect(await requestState(request.id)).toMatchObject({
      state: 'failed',
      failure: {
        code: 'EntityAlreadyExists',
        message: expect.stringContaining(
          'Instance Profile ec2-taken already exists and was not created by this request',
        ) as unknown,
      },
    });
    expect(await getProvisioningStatus(database.db, request.id)).toMatchObject({
      lastError: { code: 'EntityAlreadyExists', step: 'create_instance_profile' },
    });

    await database.db.transaction().execute((tx) => enqueueProvisioning(tx, request.id, 'rollback'));
    await drain();
    expect(await requestState(request.id)).toMatchObject({ state: 'rolled_back' });
    expect(await emulator.iam().getRole('ec2-taken')).toMatchObject({
      ok: false,
      aws: { code: 'NoSuchEntity' },
    });
    expect(await profile('ec2-taken')).toMatchObject({ ok: true, value: { tags: [], roleNames: [] } });
  });

  it('that a lost attempt already made and filled is taken as done, by its tag, on the first write', async () => {
    const request = await submitAndApprove(emulator, ec2Spec('ec2-unrecorded'));
    // As if an attempt had made the role and its profile, and died before recording anything.
    const tags = [{ key: 'rolesmith:request-id', value: request.id }];
    const spec = ec2Spec('ec2-unrecorded');
    expect(
      (
        await emulator.iam().createRole({
          name: 'ec2-unrecorded',
          path: '/apps/',
          description: spec.description ?? null,
          maxSessionDurationSeconds: 7200,
          trustPolicy: roleToProvision(roleSpecSchema.parse(spec)).trustPolicy,
          permissionsBoundaryArn: null,
          tags: [{ key: 'team', value: 'platform' }, ...tags],
        })
      ).ok,
    ).toBe(true);
    expect(
      (await emulator.iam().createInstanceProfile({ name: 'ec2-unrecorded', path: '/apps/', tags })).ok,
    ).toBe(true);
    expect((await emulator.iam().addRoleToInstanceProfile('ec2-unrecorded', 'ec2-unrecorded')).ok).toBe(true);
    await emulator.resetCalls();
    await drain();
    expect(await requestState(request.id)).toMatchObject({ state: 'provisioned', failure: null });
    // Each create met EntityAlreadyExists or LimitExceeded and read its way to "done"; nothing was made again.
    const calls = await emulator.calls();
    expect(calls).toMatchObject({ CreateRole: 1, CreateInstanceProfile: 1, AttachRolePolicy: 1 });
    expect(calls.AddRoleToInstanceProfile).toBeGreaterThanOrEqual(1);
    expect(await profile('ec2-unrecorded')).toMatchObject({
      ok: true,
      value: { roleNames: ['ec2-unrecorded'] },
    });
  });

  it('that holds another role fails the request clearly', async () => {
    const other = await submitAndApprove(
      emulator,
      roleSpec('ec2-occupant', { newPolicies: 0, managed: 1, inline: 0 }),
    );
    await drain();
    expect(await requestState(other.id)).toMatchObject({ state: 'provisioned' });
    const request = await submitAndApprove(emulator, ec2Spec('ec2-occupied'));
    // The request's own profile (its tag), holding someone else's role.
    const tags = [{ key: 'rolesmith:request-id', value: request.id }];
    expect(
      (await emulator.iam().createInstanceProfile({ name: 'ec2-occupied', path: '/apps/', tags })).ok,
    ).toBe(true);
    expect((await emulator.iam().addRoleToInstanceProfile('ec2-occupied', 'ec2-occupant')).ok).toBe(true);
    await drain();
    expect(await requestState(request.id)).toMatchObject({
      state: 'failed',
      failure: {
        code: 'LimitExceeded',
        message: expect.stringContaining(
          'Instance Profile ec2-occupied already holds role ec2-occupant',
        ) as unknown,
      },
    });
    expect(await getProvisioningStatus(database.db, request.id)).toMatchObject({
      lastError: { step: 'add_role_to_instance_profile' },
    });
  });

  it('follows a change whose trust gains EC2, then one that loses it', async () => {
    const plain = roleSpec('ec2-later', { newPolicies: 0, managed: 1, inline: 0 });
    await submitAndApprove(emulator, plain);
    await drain();
    const gained = await submitAndApprove(emulator, ec2Spec('ec2-later'), 'change');
    await emulator.resetCalls();
    await drain();
    expect(await requestState(gained.id)).toMatchObject({ state: 'provisioned' });
    expect(writes(await emulator.calls())).toEqual({
      UpdateAssumeRolePolicy: 1,
      CreateInstanceProfile: 1,
      AddRoleToInstanceProfile: 1,
    });
    expect(await profile('ec2-later')).toMatchObject({
      ok: true,
      value: { roleNames: ['ec2-later'], tags: [{ key: 'rolesmith:request-id', value: gained.id }] },
    });

    const lost = await submitAndApprove(emulator, plain, 'change');
    await emulator.resetCalls();
    await drain();
    expect(await requestState(lost.id)).toMatchObject({ state: 'provisioned' });
    expect(writes(await emulator.calls())).toEqual({
      UpdateAssumeRolePolicy: 1,
      RemoveRoleFromInstanceProfile: 1,
      DeleteInstanceProfile: 1,
    });
    expect(await profile('ec2-later')).toMatchObject({ ok: false, aws: { code: 'NoSuchEntity' } });
  });
});
