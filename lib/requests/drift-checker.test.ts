import { AttachRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { updateClaimDueDriftChecks } from '@/lib/db/queries/role-drift';
import { createDriftChecker } from '@/lib/requests/drift-checker';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import {
  TARGET,
  drainJobs,
  roleSpec,
  seedTargetAccounts,
  startTestEmulator,
  submitAndApprove,
  type TestEmulator,
} from '@/lib/testing/provisioning';

// The background drift check on PGlite, reaching the standalone emulator over HTTP.
let database: TestDatabase;
let emulator: TestEmulator;

const names = ['bg-one', 'bg-two', 'bg-three'];

beforeAll(async () => {
  [database, emulator] = await Promise.all([createTestPglite(), startTestEmulator()]);
  await seedTargetAccounts();
  for (const name of names)
    await submitAndApprove(emulator, roleSpec(name, { newPolicies: 0, managed: 1, inline: 0 }));
  await drainJobs(database.db, emulator);
});

afterAll(async () => {
  await Promise.all([database?.close(), emulator?.close()]);
});

beforeEach(async () => {
  await emulator.setFaults({});
  await sql`delete from role_drift`.execute(database.db);
});

async function driftRows() {
  const result = await sql<{
    role_name: string;
    state: string | null;
    sentences: string[];
    leased: boolean;
    due_in_s: number;
  }>`
    select p.role_name, d.state,
      array(select x->>'sentence' from jsonb_array_elements(d.differences) x) as sentences,
      d.lease_owner is not null as leased,
      round(extract(epoch from d.next_check_at - now()))::integer as due_in_s
    from role_drift d join provisioned_roles p on p.id = d.provisioned_role_id
    order by p.role_name`.execute(database.db);
  return result.rows;
}

function checker(
  options: { batchSize?: number; iamFor?: (id: string) => Promise<ReturnType<TestEmulator['iam']>> } = {},
) {
  return createDriftChecker({
    db: database.db,
    intervalSeconds: 3600,
    iamFor: options.iamFor ?? ((accountId) => Promise.resolve(emulator.iam(accountId))),
    batchSize: options.batchSize ?? 5,
    throttledRetryMs: 60_000,
  });
}

describe('claiming roles for the background drift check', () => {
  it('claims each due role once: a second claimer gets the others, then none while the leases hold', async () => {
    const first = await updateClaimDueDriftChecks(database.db, 'worker-a', 60_000, 2);
    const second = await updateClaimDueDriftChecks(database.db, 'worker-b', 60_000, 2);
    const third = await updateClaimDueDriftChecks(database.db, 'worker-c', 60_000, 2);
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(1);
    expect(third).toEqual([]);
    expect([...first, ...second].map((role) => role.roleName).sort()).toEqual([...names].sort());
    expect(first[0]).toMatchObject({ accountId: TARGET, spec: { accountId: TARGET } });
  });

  it('gives a role whose lease expired (a dead worker) to the next claimer', async () => {
    await updateClaimDueDriftChecks(database.db, 'dead-worker', 60_000, 5);
    await sql`update role_drift set lease_expires_at = now() - interval '1 second'`.execute(database.db);
    expect(await updateClaimDueDriftChecks(database.db, 'next-worker', 60_000, 5)).toHaveLength(3);
  });
});

describe('a round of background drift checks', () => {
  it('checks every due role, records each outcome with its sentences, releases the leases and spreads the next checks', async () => {
    const admin = new IAMClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: emulator.adminKeys(TARGET),
    });
    await admin.send(
      new AttachRolePolicyCommand({
        RoleName: 'bg-two',
        PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      }),
    );
    admin.destroy();

    expect(await checker().runOnce()).toEqual({ checked: 3, throttled: false });
    const rows = await driftRows();
    expect(
      rows.map(({ role_name, state, sentences, leased }) => ({ role_name, state, sentences, leased })),
    ).toEqual([
      { role_name: 'bg-one', state: 'matches', sentences: [], leased: false },
      { role_name: 'bg-three', state: 'matches', sentences: [], leased: false },
      {
        role_name: 'bg-two',
        state: 'drifted',
        sentences: ['`AdministratorAccess` was attached outside Rolesmith'],
        leased: false,
      },
    ]);
    // Next checks an interval later, ±10%.
    for (const row of rows) {
      expect(row.due_in_s).toBeGreaterThanOrEqual(3240 - 2);
      expect(row.due_in_s).toBeLessThanOrEqual(3960 + 2);
    }
    // Nothing is due again now.
    expect(await checker().runOnce()).toEqual({ checked: 0, throttled: false });
  });

  it('stops the round at throttling, keeps the last outcome and puts the round off', async () => {
    expect((await checker().runOnce()).checked).toBe(3);
    await sql`update role_drift set next_check_at = now()`.execute(database.db);
    await emulator.setFaults({ throttleRate: 1 });
    const round = await checker({
      iamFor: (accountId) => Promise.resolve(emulator.freshIam(accountId, 1)),
    }).runOnce();
    expect(round).toEqual({ checked: 1, throttled: true });
    const rows = await driftRows();
    // bg-two still has the policy attached in the test before.
    expect(rows.map((row) => row.state)).toEqual(['matches', 'matches', 'drifted']);
    // The throttled role and the rest of its round wait a minute, their leases released.
    for (const row of rows) {
      expect(row.due_in_s).toBeGreaterThan(50);
      expect(row.due_in_s).toBeLessThanOrEqual(61);
    }
    expect(rows.filter((row) => row.leased)).toEqual([]);
  });
});
