import { AttachRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Principal } from '@/lib/auth/principal';
import { upsertSignedInUser } from '@/lib/auth/users';
import type { RoleSpecInput } from '@/lib/iam/role-spec';
import { approveRequest } from '@/lib/requests/approve';
import { acknowledgementItems } from '@/lib/requests/assess';
import { checkRoleDrift } from '@/lib/requests/drift';
import { createAndSubmitRequest } from '@/lib/requests/requests';
import { listRoles, type RoleListPage } from '@/lib/requests/roles-list';
import { justified, principal } from '@/lib/requests/test-fixtures';
import type { Result } from '@/lib/result';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import {
  TARGET,
  approver,
  drainJobs,
  emulatorPreflight,
  roleSpec,
  seedTargetAccounts,
  startTestEmulator,
  type TestEmulator,
} from '@/lib/testing/provisioning';

// The roles list on PGlite, over roles provisioned through the real workflow into the emulator.
let database: TestDatabase;
let emulator: TestEmulator;

const alice = principal('alice');
const dave = principal('dave');
const erin = principal('erin');
// Named as a role user too, but her identity provider did not verify her address: it must not count.
const mallory = principal('mallory');
const targetApprover = principal('tara', { approver: [TARGET] });
const otherApprover = principal('otto', { approver: ['777788889999'] });
const admin = principal('ada', { admin: true });

async function provision(by: Principal, spec: RoleSpecInput, roleUsers: string[] = []): Promise<void> {
  const submitted = await createAndSubmitRequest(
    by,
    await justified({ kind: 'create' as const, spec, justification: 'roles list test', roleUsers }),
  );
  if (!submitted.ok) throw new Error(`submit failed: ${submitted.message}`);
  const approved = await approveRequest(
    approver,
    {
      requestId: submitted.value.id,
      specSha256: submitted.value.specSha256,
      acknowledged: acknowledgementItems(submitted.value).map((item) => item.key),
    },
    emulatorPreflight(emulator),
  );
  if (!approved.ok) throw new Error(`approve failed: ${approved.message}`);
}

const plain = (name: string) => roleSpec(name, { newPolicies: 0, managed: 0, inline: 0 });

function page(result: Result<RoleListPage>): RoleListPage {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}

const names = async (principal: Principal, input: Record<string, unknown> = {}) =>
  page(await listRoles(principal, input)).roles.map((role) => role.roleName);

beforeAll(async () => {
  [database, emulator] = await Promise.all([createTestPglite(), startTestEmulator()]);
  await seedTargetAccounts();
  for (const [who, verified] of [
    [erin, true],
    [mallory, false],
  ] as const) {
    await upsertSignedInUser(
      database.db,
      { id: who.id, email: who.email, emailVerified: verified, name: who.name, groups: [] },
      new Date(),
    );
  }
  await provision(alice, plain('alice-app'));
  await provision(alice, plain('Alice-batch'), ['erin@acme.example', 'mallory@acme.example']);
  await provision(dave, {
    ...plain('dave-lambda'),
    trustedEntity: { type: 'aws_service', services: ['lambda.amazonaws.com'] },
  });
  await provision(dave, { ...plain('dave-other'), accountId: '777788889999' });
  await drainJobs(database.db, emulator);
}, 120_000);

afterAll(async () => {
  await Promise.all([database?.close(), emulator?.close()]);
});

describe('who sees which roles', () => {
  it.each([
    { who: 'a requester: their own roles', principal: alice, expected: ['alice-app', 'Alice-batch'] },
    { who: 'another requester: only theirs', principal: dave, expected: ['dave-lambda', 'dave-other'] },
    { who: 'a role user: the roles they were named on', principal: erin, expected: ['Alice-batch'] },
    { who: 'a role user whose e-mail is not verified: none', principal: mallory, expected: [] },
    {
      who: "an approver of one account: that account's roles",
      principal: targetApprover,
      expected: ['alice-app', 'Alice-batch', 'dave-lambda'],
    },
    { who: "an approver of another account: that one's", principal: otherApprover, expected: ['dave-other'] },
    {
      who: 'an admin: every role',
      principal: admin,
      expected: ['alice-app', 'Alice-batch', 'dave-lambda', 'dave-other'],
    },
  ])('$who', async ({ principal, expected }) => {
    expect(await names(principal)).toEqual(expected);
  });
});

describe('filters', () => {
  it.each([
    { filter: { account: '777788889999' }, expected: ['dave-other'] },
    { filter: { type: 'aws_service' }, expected: ['dave-lambda'] },
    { filter: { type: 'aws_account', account: TARGET }, expected: ['alice-app', 'Alice-batch'] },
    { filter: { owner: 'DAVE@' }, expected: ['dave-lambda', 'dave-other'] },
    { filter: { owner: 'erin' }, expected: ['Alice-batch'] },
    { filter: { owner: '%' }, expected: [] },
    { filter: { drift: 'unchecked' }, expected: ['alice-app', 'Alice-batch', 'dave-lambda', 'dave-other'] },
    { filter: { drift: 'drifted' }, expected: [] },
  ])('$filter', async ({ filter, expected }) => {
    expect(await names(admin, filter)).toEqual(expected);
  });

  it('reports bad filters by field, with nothing listed', async () => {
    expect(await listRoles(admin, { account: '12', type: 'robot', drift: 'sideways' })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: {
        account: ['Choose an account from the list'],
        type: ['Choose a trusted entity type from the list'],
        drift: ['Choose a drift state from the list'],
      },
    });
  });

  it('filters by the last drift check of the role as recorded, and shows it', async () => {
    const admin_ = new IAMClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: emulator.adminKeys(),
    });
    await admin_.send(
      new AttachRolePolicyCommand({
        RoleName: 'alice-app',
        PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      }),
    );
    admin_.destroy();
    const iamFor = (accountId: string) => Promise.resolve(emulator.iam(accountId));
    expect((await checkRoleDrift(alice, TARGET, 'alice-app', iamFor)).ok).toBe(true);
    expect((await checkRoleDrift(alice, TARGET, 'Alice-batch', iamFor)).ok).toBe(true);

    expect(await names(admin, { drift: 'drifted' })).toEqual(['alice-app']);
    expect(await names(admin, { drift: 'matches' })).toEqual(['Alice-batch']);
    expect(await names(admin, { drift: 'unchecked' })).toEqual(['dave-lambda', 'dave-other']);
    const [drifted] = page(await listRoles(alice, { drift: 'drifted' })).roles;
    expect(drifted).toMatchObject({
      roleName: 'alice-app',
      accountAlias: expect.any(String) as string,
      requesterEmail: 'alice@acme.example',
      trustedEntity: { type: 'aws_account' },
      drift: { state: 'drifted', differenceCount: 1 },
    });
  });
});

describe('keyset pages', () => {
  it('walks every role once, by name, two at a time, and a bad cursor gives the first page', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const current: RoleListPage = page(
        await listRoles(admin, { pageSize: 2, ...(after ? { after } : {}) }),
      );
      seen.push(...current.roles.map((role) => role.roleName));
      after = current.nextAfter;
      pages += 1;
    } while (after);
    expect(pages).toBe(2);
    expect(seen).toEqual(['alice-app', 'Alice-batch', 'dave-lambda', 'dave-other']);
    expect(await names(admin, { pageSize: 2, after: 'not-a-cursor' })).toEqual(['alice-app', 'Alice-batch']);
  });

  it('keeps the filters on later pages', async () => {
    const first = page(await listRoles(admin, { pageSize: 1, owner: 'dave' }));
    expect(first.roles.map((role) => role.roleName)).toEqual(['dave-lambda']);
    expect(await names(admin, { pageSize: 1, owner: 'dave', after: first.nextAfter })).toEqual([
      'dave-other',
    ]);
  });
});
