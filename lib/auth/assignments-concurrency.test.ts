import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeAssignment } from '@/lib/auth/assignments';
import type { Principal } from '@/lib/auth/principal';
import { resetEnvForTests } from '@/lib/env';
import {
  createTestServerDatabase,
  startTestPostgres,
  type TestPostgresServer,
  type TestServerDatabase,
} from '@/lib/testing/postgres';

// Two admins revoking the last two admin assignments at the same moment: on a real PostgreSQL
// server (concurrent transactions on a pool), exactly one revoke may succeed.

let server: TestPostgresServer;
let test: TestServerDatabase;

const admin = (id: string): Principal => ({
  id,
  email: `${id}@acme.example`,
  name: id,
  groups: [],
  roles: { requester: true, approver: null, admin: true },
  sandboxIdentity: null,
});

beforeAll(async () => {
  process.env.ROLESMITH_MODE = 'sandbox';
  resetEnvForTests();
  server = await startTestPostgres();
  test = await createTestServerDatabase(server);
}, 120_000);

afterAll(async () => {
  await test.close();
  await server.stop();
});

describe('revoking admin assignments concurrently', () => {
  it('never removes the last admin assignment: of two concurrent revokes exactly one succeeds', async () => {
    for (let round = 0; round < 8; round += 1) {
      await test.db.deleteFrom('portal_role_assignments').execute();
      const rows = await test.db
        .insertInto('portal_role_assignments')
        .values(
          ['ann', 'ben'].map((name) => ({
            subject_kind: 'person' as const,
            subject: `${name}@acme.example`,
            role: 'admin' as const,
            account_ids: null,
            granted_by: 't',
          })),
        )
        .returning('id')
        .execute();
      const results = await Promise.all([
        revokeAssignment(admin('ann'), { assignmentId: rows[1]?.id }),
        revokeAssignment(admin('ben'), { assignmentId: rows[0]?.id }),
      ]);
      expect(
        results.filter((result) => result.ok),
        `round ${round}`,
      ).toHaveLength(1);
      expect(
        results.find((result) => !result.ok),
        `round ${round}`,
      ).toMatchObject({ ok: false, code: 'conflict' });
      const left = await test.db
        .selectFrom('portal_role_assignments')
        .select('id')
        .where('role', '=', 'admin')
        .execute();
      expect(left, `round ${round}`).toHaveLength(1);
    }
  });
});
