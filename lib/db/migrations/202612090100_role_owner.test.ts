import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '@/lib/db/client';
import { migrations } from '@/lib/db/migrations/registry';

// Records as the release before this migration left them (owner and users read from the request
// that touched the role last), migrated: the owner is the create request's requester, and the
// users those of the last request when its requester is that owner, else the create request's.
describe('202612090100_role_owner', () => {
  let opened: Awaited<ReturnType<typeof openPglite>>;

  async function request(
    roleName: string,
    kind: 'create' | 'change',
    requester: string,
    roleUsers: string[],
    createdAt: string,
  ): Promise<string> {
    const result = await sql<{ id: string }>`
      insert into requests (kind, account_id, role_name, requester_id, requester_email, requester_name,
        justification, spec, spec_sha256, state, role_users, created_at)
      values (${kind}, '444455556666', ${roleName}, ${requester}, ${`${requester}@acme.example`}, ${requester},
        'x', '{}'::jsonb, ${'a'.repeat(64)}, 'provisioned', ${JSON.stringify(roleUsers)}::jsonb, ${createdAt}::timestamptz)
      returning id`.execute(opened.db);
    return result.rows[0]!.id;
  }

  async function record(roleName: string, requestId: string): Promise<void> {
    await sql`
      insert into provisioned_roles (account_id, role_name, path, arn, request_id, spec, updated_at)
      values ('444455556666', ${roleName}, '/', ${`arn:aws:iam::444455556666:role/${roleName}`},
        ${requestId}::uuid, '{}'::jsonb, '2026-12-05T00:00:00Z')`.execute(opened.db);
  }

  const ids: Record<string, string> = {};

  beforeAll(async () => {
    opened = await openPglite(null);
    const migrator = new Migrator({
      db: opened.db,
      provider: { getMigrations: () => Promise.resolve(migrations) },
    });
    expect((await migrator.migrateTo('202612080140_role_drift')).error).toBeUndefined();
    await sql`insert into target_accounts (id, alias, environment, color) values ('444455556666', 'prod', 'production', 'F2B0A9')`.execute(
      opened.db,
    );
    // Restored by an approver: the record names the approver's request.
    ids.restoredCreate = await request('restored', 'create', 'alice', ['uma@acme.example'], '2026-12-01');
    ids.restoredChange = await request('restored', 'change', 'bob', ['uma@acme.example'], '2026-12-02');
    await record('restored', ids.restoredChange);
    // Changed by its owner, who named someone else.
    ids.ownCreate = await request('own', 'create', 'dave', ['uma@acme.example'], '2026-12-01');
    ids.ownChange = await request('own', 'change', 'dave', ['vic@acme.example'], '2026-12-02');
    await record('own', ids.ownChange);
    // Never changed.
    ids.plain = await request('plain', 'create', 'erin', [], '2026-12-01');
    await record('plain', ids.plain);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
  }, 60_000);

  afterAll(async () => {
    await opened.close();
  });

  it('gives each record the owner of its create request, and the users its owner named last', async () => {
    const rows = await opened.db
      .selectFrom('provisioned_roles')
      .select(['role_name', 'owner_request_id', 'role_users'])
      .orderBy('role_name')
      .execute();
    expect(rows).toEqual([
      { role_name: 'own', owner_request_id: ids.ownCreate, role_users: ['vic@acme.example'] },
      { role_name: 'plain', owner_request_id: ids.plain, role_users: [] },
      { role_name: 'restored', owner_request_id: ids.restoredCreate, role_users: ['uma@acme.example'] },
    ]);
  });
});
