import { AttachRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleSpecSchema, type RoleSpecInput } from '@/lib/iam/role-spec';
import { approveRequest } from '@/lib/requests/approve';
import { acknowledgementItems } from '@/lib/requests/assess';
import { checkRoleDrift } from '@/lib/requests/drift';
import { requestDriftAdopt, requestDriftRestore } from '@/lib/requests/drift-requests';
import { createAndSubmitRequest } from '@/lib/requests/requests';
import { getRoleSummary } from '@/lib/requests/roles';
import { listRoles } from '@/lib/requests/roles-list';
import { justified, principal } from '@/lib/requests/test-fixtures';
import type { Principal } from '@/lib/auth/principal';
import type { RoleRequest } from '@/lib/requests/model';
import type { Result } from '@/lib/result';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import {
  TARGET,
  approver,
  drainJobs,
  emulatorAccountIam,
  emulatorPreflight,
  requestState,
  requester,
  roleSpec,
  seedTargetAccounts,
  startTestEmulator,
  submitAndApprove,
  type TestEmulator,
} from '@/lib/testing/provisioning';

// PGlite in this process; the standalone emulator over HTTP through the real SDK. A role is
// provisioned through the workflow, then changed directly in the emulator, as in the console.
let database: TestDatabase;
let emulator: TestEmulator;
let admin: IAMClient;

const iamFor = (accountId: string) => Promise.resolve(emulator.iam(accountId));
const options = () => ({ iamFor, accountIam: emulatorAccountIam(emulator) });
const someoneElse = principal('someone-else');
const document = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }],
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.message} ${JSON.stringify(result.fieldErrors)}`);
  return result.value;
}

beforeAll(async () => {
  [database, emulator] = await Promise.all([createTestPglite(), startTestEmulator()]);
  await seedTargetAccounts();
  admin = new IAMClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: emulator.adminKeys(TARGET),
    maxAttempts: 1,
  });
});

afterAll(async () => {
  admin?.destroy();
  await Promise.all([database?.close(), emulator?.close()]);
});

async function provision(spec: RoleSpecInput): Promise<string> {
  await submitAndApprove(emulator, spec);
  await drainJobs(database.db, emulator);
  return roleSpecSchema.parse(spec).name;
}

async function drift(name: string): Promise<void> {
  await admin.send(
    new AttachRolePolicyCommand({ RoleName: name, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
  );
  await admin.send(
    new PutRolePolicyCommand({ RoleName: name, PolicyName: 'by-hand', PolicyDocument: document }),
  );
}

/** Approved by an approver who is not its requester, then provisioned in the emulator. */
async function approveAndProvision(request: RoleRequest, by: Principal) {
  const items = acknowledgementItems(request);
  value(
    await approveRequest(
      by,
      { requestId: request.id, specSha256: request.specSha256, acknowledged: items.map((item) => item.key) },
      emulatorPreflight(emulator),
    ),
  );
  await emulator.resetCalls();
  await drainJobs(database.db, emulator);
}

describe('restoring a drifted role', () => {
  it('plans from the live role as read: exactly the calls that undo the drift, and the role matches again', async () => {
    const name = await provision(roleSpec('restore-me', { managed: 1, inline: 1 }));
    await drift(name);
    // Only approvers of the account restore; the requester may not.
    expect(
      await requestDriftRestore(requester, { accountId: TARGET, roleName: name }, options()),
    ).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    const restore = value(
      await requestDriftRestore(approver, { accountId: TARGET, roleName: name }, options()),
    );
    expect(restore).toMatchObject({ kind: 'change', state: 'pending' });
    expect(restore.diff?.map(({ field, change }) => `${field} ${change}`)).toEqual([
      'managedPolicyArns[arn:aws:iam::aws:policy/AdministratorAccess] removed',
      'inlinePolicies[by-hand] removed',
    ]);
    await approveAndProvision(restore, principal('second-approver', { approver: 'all' }));
    expect(await requestState(restore.id)).toMatchObject({ state: 'provisioned' });
    expect(await emulator.calls()).toEqual({
      DetachRolePolicy: 1,
      DeleteRolePolicy: 1,
      GetRole: 1,
      ListAttachedRolePolicies: 1,
      ListRolePolicies: 1,
    });
    const after = await checkRoleDrift(approver, TARGET, name, iamFor);
    expect(after).toMatchObject({ ok: true, value: { state: 'matches' } });
  });

  it('is refused when the role matches its record', async () => {
    const name = await provision(roleSpec('restore-nothing'));
    const refused = await requestDriftRestore(approver, { accountId: TARGET, roleName: name }, options());
    expect(refused).toMatchObject({ ok: false, code: 'conflict' });
    expect(refused.ok ? '' : refused.message).toContain('nothing to restore');
  });
});

describe('adopting the live state', () => {
  it('makes the live role the record: a change request of the owner’s, shown against the record, whose plan writes nothing', async () => {
    const name = await provision(roleSpec('adopt-me', { managed: 1 }));
    await admin.send(
      new PutRolePolicyCommand({ RoleName: name, PolicyName: 'by-hand', PolicyDocument: document }),
    );
    expect(
      await requestDriftAdopt(someoneElse, { accountId: TARGET, roleName: name }, options()),
    ).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    const adopt = value(await requestDriftAdopt(requester, { accountId: TARGET, roleName: name }, options()));
    expect(adopt.diff?.map(({ field, change }) => `${field} ${change}`)).toEqual([
      'inlinePolicies[by-hand] added',
    ]);
    await approveAndProvision(adopt, approver);
    expect(await requestState(adopt.id)).toMatchObject({ state: 'provisioned' });
    // The live role is already what the record becomes: no IAM write, only the verifying reads.
    expect(await emulator.calls()).toEqual({
      GetRole: 1,
      ListAttachedRolePolicies: 1,
      ListRolePolicies: 1,
    });
    const summary = value(await getRoleSummary(requester, TARGET, name));
    expect(summary.spec.inlinePolicies.map((policy) => policy.name)).toContain('by-hand');
    expect((await checkRoleDrift(requester, TARGET, name, iamFor)).ok).toBe(true);
  });
});

describe('who owns a role', () => {
  /** Created by the test requester, naming Uma as a user of the role, and provisioned. */
  async function provisionOwned(spec: RoleSpecInput): Promise<string> {
    const created = value(
      await createAndSubmitRequest(
        requester,
        await justified({
          kind: 'create' as const,
          spec,
          justification: 'owned',
          roleUsers: ['Uma@Acme.Example'],
        }),
        { accountIam: emulatorAccountIam(emulator) },
      ),
    );
    await approveAndProvision(created, approver);
    return roleSpecSchema.parse(spec).name;
  }

  const owner = (summary: { ownerId: string; ownerEmail: string; roleUsers: string[] }) => ({
    ownerId: summary.ownerId,
    ownerEmail: summary.ownerEmail,
    roleUsers: summary.roleUsers,
  });

  it('an approver’s restore leaves the owner and the role’s users as the create request named them', async () => {
    const name = await provisionOwned(roleSpec('owned-restored', { managed: 1 }));
    expect(owner(value(await getRoleSummary(requester, TARGET, name)))).toEqual({
      ownerId: requester.id,
      ownerEmail: requester.email,
      roleUsers: ['uma@acme.example'],
    });
    await drift(name);
    const restore = value(
      await requestDriftRestore(approver, { accountId: TARGET, roleName: name }, options()),
    );
    await approveAndProvision(restore, principal('second-approver', { approver: 'all' }));
    expect(await requestState(restore.id)).toMatchObject({ state: 'provisioned' });

    // Still the requester's role: they see its summary and it stays in their list.
    expect(owner(value(await getRoleSummary(requester, TARGET, name)))).toEqual({
      ownerId: requester.id,
      ownerEmail: requester.email,
      roleUsers: ['uma@acme.example'],
    });
    const listed = value(await listRoles(requester, { owner: requester.email }));
    expect(listed.roles.map((role) => role.roleName)).toContain(name);
    expect(listed.roles.find((role) => role.roleName === name)).toMatchObject({
      requesterId: requester.id,
      roleUsers: ['uma@acme.example'],
    });
  });

  it('an approver’s change leaves them too; the owner’s own change may name other users', async () => {
    const name = await provisionOwned(roleSpec('owned-changed', { managed: 1 }));
    const recorded = value(await getRoleSummary(requester, TARGET, name)).spec;
    const byApprover = value(
      await createAndSubmitRequest(
        approver,
        await justified({
          kind: 'change' as const,
          spec: { ...recorded, description: 'Changed by an approver' },
          justification: 'tidy',
          roleUsers: [],
        }),
        { accountIam: emulatorAccountIam(emulator) },
      ),
    );
    await approveAndProvision(byApprover, principal('second-approver', { approver: 'all' }));
    expect(owner(value(await getRoleSummary(requester, TARGET, name)))).toEqual({
      ownerId: requester.id,
      ownerEmail: requester.email,
      roleUsers: ['uma@acme.example'],
    });

    const byOwner = value(
      await createAndSubmitRequest(
        requester,
        await justified({
          kind: 'change' as const,
          spec: { ...recorded, description: 'Changed by its owner' },
          justification: 'new team',
          roleUsers: ['vic@acme.example'],
        }),
        { accountIam: emulatorAccountIam(emulator) },
      ),
    );
    await approveAndProvision(byOwner, approver);
    expect(owner(value(await getRoleSummary(requester, TARGET, name)))).toEqual({
      ownerId: requester.id,
      ownerEmail: requester.email,
      roleUsers: ['vic@acme.example'],
    });
  });
});
