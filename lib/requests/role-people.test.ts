import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import { approveRequest } from '@/lib/requests/approve';
import { acknowledgementItems } from '@/lib/requests/assess';
import type { RoleRequest } from '@/lib/requests/model';
import { markProvisioned, markProvisioning } from '@/lib/requests/provisioning-transitions';
import { createAndSubmitRequest } from '@/lib/requests/requests';
import { getRolePeople } from '@/lib/requests/role-people';
import { alice, ben, bob, justified, PRODUCTION, roleSpec } from '@/lib/requests/test-fixtures';
import { ok, type Result } from '@/lib/result';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import type { Principal } from '@/lib/auth/principal';

let test: TestDatabase;

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.message} ${JSON.stringify(result.fieldErrors)}`);
  return result.value;
}

async function submit(who: Principal, input: object): Promise<RoleRequest> {
  return value(await createAndSubmitRequest(who, await justified(input as { spec: never })));
}

/** Approves (as Ben, or Bob for Ben's own) and provisions a submitted request, as the worker would. */
async function provision(request: RoleRequest): Promise<void> {
  value(
    await approveRequest(
      request.requester.id === ben.id ? bob : ben,
      {
        requestId: request.id,
        specSha256: request.specSha256,
        acknowledged: acknowledgementItems(request).map((item) => item.key),
      },
      () => Promise.resolve(ok(null)),
    ),
  );
  await test.db.transaction().execute(async (tx) => {
    value(await markProvisioning(tx, request.id));
    value(await markProvisioned(tx, request.id));
  });
}

beforeAll(async () => {
  test = await createTestPglite();
  await seedSandboxData();
}, 60_000);
afterAll(async () => {
  await test.close();
});

describe('who uses a request’s role', () => {
  it('a create: its requester and the users it names', async () => {
    const create = await submit(alice, {
      kind: 'create',
      spec: roleSpec({ name: 'people-create' }),
      justification: 'new',
      roleUsers: ['erin@acme.example'],
    });
    expect(await getRolePeople(create)).toEqual({
      owner: create.requester,
      users: ['erin@acme.example'],
      tense: 'will',
    });
  });

  it('a change by someone who is not the owner: the role’s owner and users, not the requester', async () => {
    const create = await submit(alice, {
      kind: 'create',
      spec: roleSpec({ name: 'people-change' }),
      justification: 'new',
    });
    await provision(create);
    const restore = await submit(bob, {
      kind: 'change',
      spec: roleSpec({ name: 'people-change', maxSessionDuration: 7200 }),
      justification: 'restore',
      roleUsers: [],
    });
    const aliceAsOwner = { name: create.requester.name, email: create.requester.email };
    expect(await getRolePeople(restore)).toEqual({ owner: aliceAsOwner, users: [], tense: 'now' });
    // Still the owner's once Bob's change is made.
    await provision(restore);
    expect(await getRolePeople({ ...restore, state: 'provisioned' })).toEqual({
      owner: aliceAsOwner,
      users: [],
      tense: 'now',
    });

    // The owner's own change names who will use it.
    const owners = await submit(alice, {
      kind: 'change',
      spec: roleSpec({ name: 'people-change', maxSessionDuration: 3600 }),
      justification: 'share it',
      roleUsers: ['erin@acme.example'],
    });
    expect(await getRolePeople(owners)).toEqual({
      owner: aliceAsOwner,
      users: ['erin@acme.example'],
      tense: 'will',
    });
    await provision(owners);
    const erinToo = { owner: aliceAsOwner, users: ['erin@acme.example'], tense: 'now' };
    expect(await getRolePeople({ ...owners, state: 'provisioned' })).toEqual(erinToo);
    const deletion = await submit(bob, {
      kind: 'delete',
      accountId: PRODUCTION,
      roleName: 'people-change',
      justification: 'not used',
    });
    expect(await getRolePeople(deletion)).toEqual(erinToo);
    // Once the role is deleted, Rolesmith no longer knows who uses it: nothing is said.
    await provision(deletion);
    expect(await getRolePeople({ ...deletion, state: 'provisioned' })).toBeNull();
  });
});
