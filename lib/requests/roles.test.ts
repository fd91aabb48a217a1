import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import { upsertSignedInUser } from '@/lib/auth/users';
import { approveRequest, rejectRequest } from '@/lib/requests/approve';
import { acknowledgementItems } from '@/lib/requests/assess';
import { markProvisioned, markProvisioning } from '@/lib/requests/provisioning-transitions';
import { createAndSubmitRequest, createDraft } from '@/lib/requests/requests';
import {
  getDeletedRoleSummary,
  getRoleHistory,
  getRoleSummary,
  getRoleSummaryDetail,
} from '@/lib/requests/roles';
import {
  alice,
  ben,
  bob,
  carol,
  dave,
  justified,
  pat,
  principal,
  PRODUCTION,
  roleSpec,
} from '@/lib/requests/test-fixtures';
import { ok, type Result } from '@/lib/result';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

let test: TestDatabase;

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.message} ${JSON.stringify(result.fieldErrors)}`);
  return result.value;
}

const erin = principal('erin');
const mallory = principal('mallory');

/** Submits, approves and provisions a request, as the workflow and the worker would. */
async function provision(input: Parameters<typeof createAndSubmitRequest>[1]) {
  const request = value(await createAndSubmitRequest(alice, await justified(input as { spec: never })));
  value(
    await approveRequest(
      bob,
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
  return request;
}

beforeAll(async () => {
  test = await createTestPglite();
  await seedSandboxData();
  const at = new Date();
  await upsertSignedInUser(
    test.db,
    { id: 'erin', email: 'erin@acme.example', emailVerified: true, name: 'Erin', groups: [] },
    at,
  );
  // Mallory's identity provider did not verify her address: naming it must not let her in.
  await upsertSignedInUser(
    test.db,
    { id: 'mallory', email: 'mallory@acme.example', emailVerified: false, name: 'Mallory', groups: [] },
    at,
  );
}, 60_000);
afterAll(async () => {
  await test.close();
});

describe('role summary visibility', () => {
  it('its requester, the role users with a verified address, approvers for its account and admins; nobody else', async () => {
    await provision({
      kind: 'create',
      spec: roleSpec({ name: 'shared-reader', path: '/team/' }),
      justification: 'shared',
      roleUsers: ['erin@acme.example', 'mallory@acme.example'],
    });
    for (const who of [alice, erin, bob, carol]) {
      expect((await getRoleSummary(who, PRODUCTION, 'shared-reader')).ok, who.id).toBe(true);
    }
    for (const who of [dave, mallory, pat]) {
      expect(await getRoleSummary(who, PRODUCTION, 'shared-reader'), who.id).toEqual({
        ok: false,
        code: 'not_found',
        message: 'Role not found',
      });
    }
    expect(value(await getRoleSummary(erin, PRODUCTION, 'shared-reader')).roleUsers).toEqual([
      'erin@acme.example',
      'mallory@acme.example',
    ]);
  });

  it('a path, when given, must be the role’s', async () => {
    expect((await getRoleSummary(alice, PRODUCTION, 'shared-reader', '/team/')).ok).toBe(true);
    expect(await getRoleSummary(alice, PRODUCTION, 'shared-reader', '/')).toMatchObject({
      code: 'not_found',
    });
    expect(await getRoleSummary(alice, PRODUCTION, 'shared-reader', '/other/')).toMatchObject({
      code: 'not_found',
    });
  });
});

describe('role summary detail and history', () => {
  it('names the requests that created and last changed the role, and lists its requests and events', async () => {
    const created = await provision({
      kind: 'create',
      spec: roleSpec({ name: 'history-role' }),
      justification: 'first',
    });
    const detail = value(await getRoleSummaryDetail(alice, PRODUCTION, 'HISTORY-ROLE'));
    expect(detail.account).toMatchObject({ id: PRODUCTION, alias: 'acme-production' });
    expect(detail.account?.color).toMatch(/^[0-9A-F]{6}$/);
    expect(detail.createdBy).toEqual({ requestId: created.id, at: created.createdAt });
    expect(detail.lastChangedBy).toBeNull();

    const change = await provision({
      kind: 'change',
      spec: roleSpec({ name: 'history-role', maxSessionDuration: 7200 }),
      justification: 'longer sessions',
    });
    // A draft of someone else's is nobody's history yet.
    value(
      await createDraft(ben, {
        kind: 'delete',
        accountId: PRODUCTION,
        roleName: 'history-role',
        justification: 'not yet',
      }),
    );
    const changed = value(await getRoleSummaryDetail(bob, PRODUCTION, 'history-role'));
    expect(changed.createdBy?.requestId).toBe(created.id);
    expect(changed.lastChangedBy?.requestId).toBe(change.id);

    const history = value(await getRoleHistory(alice, PRODUCTION, 'history-role'));
    expect(
      history.requests.map((request) => [request.id, request.kind, request.state, request.canOpen]),
    ).toEqual([
      [created.id, 'create', 'provisioned', true],
      [change.id, 'change', 'provisioned', true],
    ]);
    // Newest first: each request went draft → pending → approved → provisioning → provisioned.
    expect(
      history.events.map((event) => `${event.requestId === change.id ? 'change' : 'create'}:${event.to}`),
    ).toEqual([
      'change:provisioned',
      'change:provisioning',
      'change:approved',
      'change:pending',
      'change:draft',
      'create:provisioned',
      'create:provisioning',
      'create:approved',
      'create:pending',
      'create:draft',
    ]);
    expect(await getRoleHistory(dave, PRODUCTION, 'history-role')).toMatchObject({ code: 'not_found' });
  });
});

describe('role history for a role user', () => {
  it('keeps the events of requests they may not open, but leaves out their reasons', async () => {
    const created = await provision({
      kind: 'create',
      spec: roleSpec({ name: 'history-private' }),
      justification: 'first',
      roleUsers: ['erin@acme.example'],
    });
    const change = value(
      await createAndSubmitRequest(
        alice,
        await justified({
          kind: 'change',
          spec: roleSpec({ name: 'history-private', maxSessionDuration: 7200 }),
          justification: 'longer sessions',
        }),
      ),
    );
    value(await rejectRequest(bob, { requestId: change.id, comment: 'the audit of team X is pending' }));

    const rejection = (history: { events: { requestId: string; to: string; reason: string | null }[] }) =>
      history.events.find((event) => event.requestId === change.id && event.to === 'rejected');
    // The requester may open both requests, and reads the reason.
    const owners = value(await getRoleHistory(alice, PRODUCTION, 'history-private'));
    expect(rejection(owners)?.reason).toBe('the audit of team X is pending');

    // Erin uses the role, so sees its history, but may open neither request: who, what and when, no reasons.
    const users = value(await getRoleHistory(erin, PRODUCTION, 'history-private'));
    expect(users.requests.map((request) => [request.id, request.canOpen])).toEqual([
      [created.id, false],
      [change.id, false],
    ]);
    expect(users.events.map((event) => [event.requestId, event.to, event.actorId])).toEqual(
      owners.events.map((event) => [event.requestId, event.to, event.actorId]),
    );
    expect(rejection(users)).toMatchObject({ actorId: bob.id, reason: null });
    expect(users.events.every((event) => event.reason === null)).toBe(true);
  });
});

describe('a deleted role', () => {
  it('a named role user may request its deletion; once deleted its page shows who deleted it, when, and its history', async () => {
    const created = await provision({
      kind: 'create',
      spec: roleSpec({ name: 'doomed-role' }),
      justification: 'for a while',
      roleUsers: ['erin@acme.example'],
    });
    expect(await getDeletedRoleSummary(alice, PRODUCTION, 'doomed-role')).toMatchObject({
      code: 'not_found',
    });
    // Erin is a role user (verified address): she may ask for the deletion; Dave may not.
    expect(
      await createAndSubmitRequest(dave, {
        kind: 'delete',
        accountId: PRODUCTION,
        roleName: 'doomed-role',
        justification: 'not mine',
      }),
    ).toMatchObject({ ok: false, code: 'not_found' });
    const deletion = value(
      await createAndSubmitRequest(erin, {
        kind: 'delete',
        accountId: PRODUCTION,
        roleName: 'doomed-role',
        justification: 'the project ended',
      }),
    );
    // A second request while that one is open is refused with a message saying why.
    const second = await createAndSubmitRequest(alice, {
      kind: 'delete',
      accountId: PRODUCTION,
      roleName: 'doomed-role',
      justification: 'me too',
    });
    expect(second).toMatchObject({ ok: false, code: 'conflict' });
    expect(second.ok ? '' : second.message).toContain('already pending');
    value(
      await approveRequest(bob, { requestId: deletion.id, specSha256: deletion.specSha256 }, () =>
        Promise.resolve(ok(null)),
      ),
    );
    await test.db.transaction().execute(async (tx) => {
      value(await markProvisioning(tx, deletion.id));
      value(await markProvisioned(tx, deletion.id));
    });
    expect((await getRoleSummary(alice, PRODUCTION, 'doomed-role')).ok).toBe(false);
    for (const who of [alice, erin, bob, carol]) {
      const deleted = value(await getDeletedRoleSummary(who, PRODUCTION, 'DOOMED-ROLE'));
      expect(deleted.roleName).toBe('doomed-role');
      expect(deleted.deletedBy).toMatchObject({ id: deletion.id, kind: 'delete', state: 'provisioned' });
      expect(deleted.deletedBy?.requester.id).toBe('erin');
      expect(deleted.history.requests.map((request) => request.id)).toEqual([created.id, deletion.id]);
      expect(deleted.history.events.length).toBeGreaterThan(0);
    }
    for (const who of [dave, mallory, pat]) {
      expect(await getDeletedRoleSummary(who, PRODUCTION, 'doomed-role'), who.id).toMatchObject({
        code: 'not_found',
      });
    }
    expect(await getDeletedRoleSummary(alice, PRODUCTION, 'doomed-role', '/other/')).toMatchObject({
      code: 'not_found',
    });
  });
});
