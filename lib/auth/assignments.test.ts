import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { grantAssignment, listAssignments, revokeAssignment } from '@/lib/auth/assignments';
import type { Principal } from '@/lib/auth/principal';
import { loadPrincipal, seedSandboxPeopleInto } from '@/lib/auth/users';
import { parseEnv, resetEnvForTests } from '@/lib/env';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

const sandbox = parseEnv({ ROLESMITH_MODE: 'sandbox' });
let test: TestDatabase;
let carol: Principal;
let bob: Principal;

beforeAll(async () => {
  process.env.ROLESMITH_MODE = 'sandbox';
  resetEnvForTests();
  test = await createTestPglite();
});
afterAll(async () => {
  await test.close();
});
beforeEach(async () => {
  await test.db.deleteFrom('portal_role_assignments').execute();
  await test.db.deleteFrom('users').execute();
  await seedSandboxPeopleInto(test.db);
  const principal = async (id: string) => {
    const loaded = await loadPrincipal(test.db, sandbox, id);
    if (!loaded) throw new Error(`no ${id}`);
    return loaded;
  };
  carol = await principal('demo-carol');
  bob = await principal('demo-bob');
});

describe('portal-role assignments', () => {
  it('are for admins only', async () => {
    expect(await listAssignments(bob)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(
      await grantAssignment(bob, { subjectKind: 'person', subject: 'bob@acme.example', role: 'admin' }),
    ).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    const list = await listAssignments(carol);
    if (!list.ok) throw new Error(list.message);
    const first = list.value[0];
    expect(await revokeAssignment(bob, { assignmentId: first?.id })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await test.db.selectFrom('portal_role_assignments').select('id').execute()).toHaveLength(2);
  });

  it('grants a role limited to accounts, which the person gets on their next call, and refuses a duplicate', async () => {
    const granted = await grantAssignment(carol, {
      subjectKind: 'person',
      subject: 'Alice@Acme.example',
      role: 'approver',
      accountIds: '444455556666, 111122223333',
    });
    expect(granted.ok).toBe(true);
    expect((await loadPrincipal(test.db, sandbox, 'demo-alice'))?.roles.approver).toEqual([
      '111122223333',
      '444455556666',
    ]);
    const again = await grantAssignment(carol, {
      subjectKind: 'person',
      subject: 'alice@acme.example',
      role: 'approver',
      accountIds: '111122223333 444455556666',
    });
    expect(again).toMatchObject({ ok: false, code: 'conflict' });
    const list = await listAssignments(carol);
    expect(list.ok && list.value.find((item) => item.subject === 'alice@acme.example')).toMatchObject({
      subjectKind: 'person',
      role: 'approver',
      accountIds: ['111122223333', '444455556666'],
      grantedBy: 'carol@acme.example',
    });
  });

  it.each([
    [{ subjectKind: 'person', subject: 'not-an-email', role: 'approver' }, 'subject'],
    [{ subjectKind: 'group', subject: '', role: 'approver' }, 'subject'],
    [{ subjectKind: 'group', subject: 'ops', role: 'owner' }, 'role'],
    [{ subjectKind: 'team', subject: 'ops', role: 'admin' }, 'subjectKind'],
    [{ subjectKind: 'group', subject: 'ops', role: 'approver', accountIds: '12345' }, 'accountIds'],
    [{ subjectKind: 'group', subject: 'ops', role: 'admin', accountIds: '111122223333' }, 'accountIds'],
  ])('refuses %j with an error on %s', async (input, field) => {
    const result = await grantAssignment(carol, input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('invalid_input');
      expect(result.fieldErrors?.[field]?.length).toBeGreaterThan(0);
    }
  });

  it('revokes, with effect on the next call, but never the last admin assignment', async () => {
    const list = await listAssignments(carol);
    if (!list.ok) throw new Error(list.message);
    const bobsRole = list.value.find((item) => item.subject === 'bob@acme.example');
    const carolsRole = list.value.find((item) => item.subject === 'carol@acme.example');
    expect(await revokeAssignment(carol, { assignmentId: bobsRole?.id })).toEqual({ ok: true, value: null });
    expect((await loadPrincipal(test.db, sandbox, 'demo-bob'))?.roles.approver).toBeNull();
    expect(await revokeAssignment(carol, { assignmentId: bobsRole?.id })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await revokeAssignment(carol, { assignmentId: carolsRole?.id })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    expect(await revokeAssignment(carol, { assignmentId: 'nope' })).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
  });

  it('lets a group assignment make someone admin', async () => {
    await test.db
      .updateTable('users')
      .set({ groups: ['secops'] })
      .where('id', '=', 'demo-dave')
      .execute();
    expect(
      (await grantAssignment(carol, { subjectKind: 'group', subject: 'secops', role: 'admin' })).ok,
    ).toBe(true);
    expect((await loadPrincipal(test.db, sandbox, 'demo-dave'))?.roles.admin).toBe(true);
  });
});
