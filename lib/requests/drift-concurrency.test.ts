import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { updateClaimDueDriftChecks } from '@/lib/db/queries/role-drift';
import {
  createTestServerDatabase,
  startTestPostgres,
  type TestPostgresServer,
  type TestServerDatabase,
} from '@/lib/testing/postgres';
import {
  drainJobs,
  roleSpec,
  seedTargetAccounts,
  startTestEmulator,
  submitAndApprove,
  type TestEmulator,
} from '@/lib/testing/provisioning';

// Background drift checks claimed by several instances at the same moment: a real PostgreSQL
// server and a pool of connections, so that `FOR UPDATE SKIP LOCKED` really meets concurrency.

let server: TestPostgresServer;
let test: TestServerDatabase;
let emulator: TestEmulator;
const ROLES = 8;

beforeAll(async () => {
  [server, emulator] = await Promise.all([startTestPostgres(), startTestEmulator()]);
  test = await createTestServerDatabase(server, 12);
  await seedTargetAccounts();
  for (let index = 0; index < ROLES; index += 1) {
    await submitAndApprove(emulator, roleSpec(`claim-${index}`, { newPolicies: 0, managed: 0, inline: 0 }));
  }
  await drainJobs(test.db, emulator);
}, 180_000);

afterAll(async () => {
  await test?.close();
  await Promise.all([server?.stop(), emulator?.close()]);
});

describe('claiming drift checks from several instances at once', () => {
  it('never gives one role to two claimers, and every due role to someone', async () => {
    for (let round = 0; round < 10; round += 1) {
      await sql`delete from role_drift`.execute(test.db);
      const claims = await Promise.all(
        Array.from({ length: 5 }, (_, index) =>
          updateClaimDueDriftChecks(test.db, `instance-${index}`, 60_000, 3),
        ),
      );
      const claimed = claims.flat().map((role) => role.roleName);
      expect(new Set(claimed).size, `round ${round}: ${claimed.join(', ')}`).toBe(claimed.length);
      // A role skipped because another claimer held its row is left for the next claim: nothing is lost.
      const rest = await updateClaimDueDriftChecks(test.db, 'late-instance', 60_000, ROLES);
      expect([...claimed, ...rest.map((role) => role.roleName)].sort(), `round ${round}`).toEqual(
        Array.from({ length: ROLES }, (_, index) => `claim-${index}`).sort(),
      );
      const { rows } = await sql<{ n: number }>`
        select count(*)::integer as n from role_drift where lease_owner is not null`.execute(test.db);
      expect(rows[0]?.n).toBe(ROLES);
    }
  });
});
