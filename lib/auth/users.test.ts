import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadPrincipal, seedSandboxPeopleInto, upsertSignedInUser } from '@/lib/auth/users';
import { parseEnv } from '@/lib/env';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

const sandbox = parseEnv({ ROLESMITH_MODE: 'sandbox' });
const aws = parseEnv({
  ROLESMITH_MODE: 'aws',
  DATABASE_URL: 'postgres://u:p@localhost:5432/rolesmith',
  AUTH_SECRET: 'x'.repeat(40),
  ROLESMITH_PUBLIC_URL: 'https://rolesmith.example.com',
  ROLESMITH_OIDC_ISSUER: 'https://login.example.com',
  ROLESMITH_OIDC_CLIENT_ID: 'rolesmith',
  ROLESMITH_OIDC_CLIENT_SECRET: 'secret',
  ROLESMITH_BOOTSTRAP_ADMINS: 'Root@Example.com',
});

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestPglite();
});
afterAll(async () => {
  await test.close();
});
beforeEach(async () => {
  await test.db.deleteFrom('portal_role_assignments').execute();
  await test.db.deleteFrom('users').execute();
});

describe('seedSandboxPeopleInto', () => {
  it('seeds the demo people with their roles, and running it twice changes nothing', async () => {
    await seedSandboxPeopleInto(test.db);
    await seedSandboxPeopleInto(test.db);
    expect(await test.db.selectFrom('users').select('id').orderBy('id').execute()).toHaveLength(5);
    expect(
      await test.db
        .selectFrom('portal_role_assignments')
        .select(['subject', 'role'])
        .orderBy('subject')
        .execute(),
    ).toEqual([
      { subject: 'bob@acme.example', role: 'approver' },
      { subject: 'carol@acme.example', role: 'admin' },
    ]);
  });

  it('does not restore a role an admin revoked', async () => {
    await seedSandboxPeopleInto(test.db);
    await test.db.deleteFrom('portal_role_assignments').where('subject', '=', 'bob@acme.example').execute();
    await seedSandboxPeopleInto(test.db);
    expect((await loadPrincipal(test.db, sandbox, 'demo-bob'))?.roles.approver).toBeNull();
  });

  it.each([
    ['demo-alice', null, false, '111122223333'],
    ['demo-dave', null, false, '111122223333'],
    ['demo-bob', 'all', false, '111122223333'],
    ['demo-carol', null, true, '111122223333'],
    ['demo-erin', null, false, '123456789012'],
  ] as const)(
    '%s gets approver %s, admin %s and a sandbox identity in %s',
    async (id, approver, admin, accountId) => {
      await seedSandboxPeopleInto(test.db);
      const principal = await loadPrincipal(test.db, sandbox, id);
      expect(principal?.roles).toEqual({ requester: true, approver, admin });
      expect(principal?.sandboxIdentity?.accountId).toBe(accountId);
      expect(principal?.sandboxIdentity?.arn).toBe(`arn:aws:iam::${accountId}:user/${id.slice(5)}`);
    },
  );
});

describe('loadPrincipal', () => {
  it('returns null for an unknown user', async () => {
    expect(await loadPrincipal(test.db, sandbox, 'nobody')).toBeNull();
  });

  it('maps group assignments and account-limited approvers, and sees a revocation at once', async () => {
    await upsertSignedInUser(test.db, {
      id: 'sub-1',
      email: 'Pat@Example.com',
      name: 'Pat',
      groups: ['platform', 'dev'],
      emailVerified: true,
    });
    expect((await loadPrincipal(test.db, aws, 'sub-1'))?.roles).toEqual({
      requester: true,
      approver: null,
      admin: false,
    });

    await test.db
      .insertInto('portal_role_assignments')
      .values([
        {
          subject_kind: 'group',
          subject: 'platform',
          role: 'approver',
          account_ids: ['444455556666'],
          granted_by: 't',
        },
        {
          subject_kind: 'person',
          subject: 'pat@example.com',
          role: 'approver',
          account_ids: ['111122223333'],
          granted_by: 't',
        },
        { subject_kind: 'group', subject: 'other', role: 'admin', account_ids: null, granted_by: 't' },
      ])
      .execute();
    const principal = await loadPrincipal(test.db, aws, 'sub-1');
    expect(principal).toMatchObject({
      email: 'pat@example.com',
      groups: ['platform', 'dev'],
      sandboxIdentity: null,
    });
    expect(principal?.roles).toEqual({
      requester: true,
      approver: ['111122223333', '444455556666'],
      admin: false,
    });

    await test.db.deleteFrom('portal_role_assignments').where('subject', '=', 'platform').execute();
    expect((await loadPrincipal(test.db, aws, 'sub-1'))?.roles.approver).toEqual(['111122223333']);
  });

  it('treats the bootstrap admins as admins in aws mode only', async () => {
    await upsertSignedInUser(test.db, {
      id: 'sub-root',
      email: 'root@example.com',
      name: 'Root',
      groups: [],
      emailVerified: true,
    });
    expect((await loadPrincipal(test.db, aws, 'sub-root'))?.roles.admin).toBe(true);
    expect((await loadPrincipal(test.db, sandbox, 'sub-root'))?.roles.admin).toBe(false);
  });

  it('matches person assignments and bootstrap admins only on a verified e-mail (groups still count)', async () => {
    // An identity-provider account that set its unverified e-mail to an admin's address.
    await upsertSignedInUser(test.db, {
      id: 'sub-mallory',
      email: 'Root@Example.com',
      name: 'M',
      groups: ['dev'],
      emailVerified: false,
    });
    await upsertSignedInUser(test.db, {
      id: 'sub-eve',
      email: 'pat@example.com',
      name: 'E',
      groups: [],
      emailVerified: false,
    });
    await test.db
      .insertInto('portal_role_assignments')
      .values([
        {
          subject_kind: 'person',
          subject: 'pat@example.com',
          role: 'admin',
          account_ids: null,
          granted_by: 't',
        },
        {
          subject_kind: 'person',
          subject: 'root@example.com',
          role: 'approver',
          account_ids: null,
          granted_by: 't',
        },
        {
          subject_kind: 'group',
          subject: 'dev',
          role: 'approver',
          account_ids: ['111122223333'],
          granted_by: 't',
        },
      ])
      .execute();
    expect((await loadPrincipal(test.db, aws, 'sub-mallory'))?.roles).toEqual({
      requester: true,
      approver: ['111122223333'],
      admin: false,
    });
    expect((await loadPrincipal(test.db, aws, 'sub-eve'))?.roles).toEqual({
      requester: true,
      approver: null,
      admin: false,
    });

    // The same person once the identity provider verified the address.
    await upsertSignedInUser(test.db, {
      id: 'sub-eve',
      email: 'pat@example.com',
      name: 'E',
      groups: [],
      emailVerified: true,
    });
    expect((await loadPrincipal(test.db, aws, 'sub-eve'))?.roles.admin).toBe(true);
  });

  it('refuses a second user with the same verified e-mail; unverified duplicates are kept apart', async () => {
    await upsertSignedInUser(test.db, {
      id: 'sub-a',
      email: 'x@example.com',
      name: 'A',
      groups: [],
      emailVerified: true,
    });
    await upsertSignedInUser(test.db, {
      id: 'sub-b',
      email: 'x@example.com',
      name: 'B',
      groups: [],
      emailVerified: false,
    });
    await expect(
      upsertSignedInUser(test.db, {
        id: 'sub-c',
        email: 'X@example.com',
        name: 'C',
        groups: [],
        emailVerified: true,
      }),
    ).rejects.toThrow(/users_verified_email_key|unique/i);
    await expect(
      upsertSignedInUser(test.db, {
        id: 'sub-b',
        email: 'x@example.com',
        name: 'B',
        groups: [],
        emailVerified: true,
      }),
    ).rejects.toThrow(/users_verified_email_key|unique/i);
  });

  it('records the groups of the latest sign-in only', async () => {
    await upsertSignedInUser(test.db, {
      id: 'sub-2',
      email: 'sam@example.com',
      name: 'Sam',
      groups: ['admins'],
      emailVerified: false,
    });
    await test.db
      .insertInto('portal_role_assignments')
      .values({ subject_kind: 'group', subject: 'admins', role: 'admin', account_ids: null, granted_by: 't' })
      .execute();
    expect((await loadPrincipal(test.db, aws, 'sub-2'))?.roles.admin).toBe(true);
    await upsertSignedInUser(test.db, {
      id: 'sub-2',
      email: 'sam@example.com',
      name: 'Sam S',
      groups: [],
      emailVerified: false,
    });
    const principal = await loadPrincipal(test.db, aws, 'sub-2');
    expect(principal?.roles.admin).toBe(false);
    expect(principal?.name).toBe('Sam S');
  });
});
