import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '@/lib/db/client';
import { migrations } from '@/lib/db/migrations/registry';

// A database as the release before this migration left it, with requests whose stored findings
// take every shape the code has written (the core migration's `[]` default, no risks, each risk
// severity, a security warning), migrated to the latest version: `max_risk` is filled for them.
describe('202612080100_request_queue', () => {
  let opened: Awaited<ReturnType<typeof openPglite>>;
  const findings: Record<string, unknown> = {
    'core-default': [],
    nothing: { items: [], risks: [] },
    'warning-only': { items: [{ severity: 'warning', code: 'w' }], risks: [] },
    low: { items: [], risks: [{ severity: 'low', code: 'l' }] },
    'medium-and-low': { items: [], risks: [{ severity: 'low' }, { severity: 'medium' }] },
    'security-warning': {
      items: [{ severity: 'security_warning', code: 's' }],
      risks: [{ severity: 'low' }],
    },
    critical: {
      items: [{ severity: 'security_warning' }],
      risks: [{ severity: 'high' }, { severity: 'critical' }],
    },
  };

  beforeAll(async () => {
    opened = await openPglite(null);
    const migrator = new Migrator({
      db: opened.db,
      provider: { getMigrations: () => Promise.resolve(migrations) },
    });
    const before = await migrator.migrateTo('202612072000_request_users_and_justifications');
    expect(before.error).toBeUndefined();
    await sql`insert into target_accounts (id, alias, environment, color) values ('444455556666', 'prod', 'production', 'F2B0A9')`.execute(
      opened.db,
    );
    for (const [name, stored] of Object.entries(findings)) {
      await sql`
        insert into requests (kind, account_id, role_name, requester_id, requester_email, requester_name,
          justification, spec, spec_sha256, state, findings)
        values ('create', '444455556666', ${name}, 'alice', 'alice@acme.example', 'Alice', 'x', '{}'::jsonb,
          ${'a'.repeat(64)}, 'pending', ${JSON.stringify(stored)}::jsonb)`.execute(opened.db);
    }
    const after = await migrator.migrateToLatest();
    expect(after.error).toBeUndefined();
  }, 60_000);

  afterAll(async () => {
    await opened.close();
  });

  it('fills max_risk for existing requests from their findings, and keeps it with every write', async () => {
    const rows = await opened.db.selectFrom('requests').select(['role_name', 'max_risk']).execute();
    expect(Object.fromEntries(rows.map((row) => [row.role_name, row.max_risk]))).toEqual({
      'core-default': 0,
      nothing: 0,
      'warning-only': 0,
      low: 1,
      'medium-and-low': 2,
      'security-warning': 3,
      critical: 4,
    });
    await sql`update requests set findings = '{"items":[],"risks":[{"severity":"critical"}]}' where role_name = 'low'`.execute(
      opened.db,
    );
    const updated = await opened.db
      .selectFrom('requests')
      .select('max_risk')
      .where('role_name', '=', 'low')
      .executeTakeFirstOrThrow();
    expect(updated.max_risk).toBe(4);
  });

  it('notes a state change by someone other than the requester, and only that', async () => {
    const { id } = await opened.db
      .selectFrom('requests')
      .select('id')
      .where('role_name', '=', 'nothing')
      .executeTakeFirstOrThrow();
    const event = (actor: string, from: string | null, to: string) =>
      sql`insert into request_events (request_id, actor_id, from_state, to_state, request_version, spec_sha256)
        values (${id}::uuid, ${actor}, ${from}, ${to}, 1, ${'a'.repeat(64)})`.execute(opened.db);
    await event('alice', 'draft', 'pending');
    await event('bob', 'pending', 'pending');
    expect(await opened.db.selectFrom('request_unseen_changes').selectAll().execute()).toEqual([]);
    await event('bob', 'pending', 'approved');
    await event('system:provisioner', 'approved', 'provisioning');
    const unseen = await opened.db.selectFrom('request_unseen_changes').selectAll().execute();
    expect(unseen).toHaveLength(1);
    expect(unseen[0]).toMatchObject({ request_id: id, requester_id: 'alice' });
  });
});
