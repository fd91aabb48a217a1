import { AttachRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { liveRoleReadsPerUser } from '@/lib/auth/rate-limit';
import { roleSpecSchema, type RoleSpecInput } from '@/lib/iam/role-spec';
import { viewRoleDrift, type IamFor } from '@/lib/requests/drift';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import {
  TARGET,
  approver,
  drainJobs,
  requester,
  roleSpec,
  seedTargetAccounts,
  startTestEmulator,
  submitAndApprove,
  type TestEmulator,
} from '@/lib/testing/provisioning';

// PGlite in this process; the standalone emulator over HTTP through the real SDK. The summary
// page's live reads of a role are shared while in flight and limited per person.
let database: TestDatabase;
let emulator: TestEmulator;
let admin: IAMClient;

/** The emulator's IAM, counting how many checks reached for it. */
function countingIamFor(): { iamFor: IamFor; calls: () => number } {
  let calls = 0;
  return {
    iamFor: (accountId) => {
      calls += 1;
      return Promise.resolve(emulator.iam(accountId));
    },
    calls: () => calls,
  };
}

beforeAll(async () => {
  [database, emulator] = await Promise.all([createTestPglite(), startTestEmulator()]);
  await seedTargetAccounts();
  admin = new IAMClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: emulator.adminKeys(TARGET),
    maxAttempts: 1,
  });
});

afterAll(async () => {
  admin?.destroy();
  await Promise.all([database?.close(), emulator?.close()]);
});

async function provision(spec: RoleSpecInput): Promise<string> {
  await submitAndApprove(emulator, spec);
  await drainJobs(database.db, emulator);
  return roleSpecSchema.parse(spec).name;
}

async function useUpLiveReads(personId: string) {
  const windowMs = liveRoleReadsPerUser.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(Date.now() / windowMs) * windowMs);
  await database.db
    .insertInto('rate_limit_counters')
    .values({
      key: `${liveRoleReadsPerUser.name}:${personId}`,
      window_start: windowStart,
      count: liveRoleReadsPerUser.limit,
    })
    .onConflict((oc) =>
      oc.columns(['key', 'window_start']).doUpdateSet({ count: liveRoleReadsPerUser.limit }),
    )
    .execute();
}

describe('the summary page’s drift of a role', () => {
  it('shares one live check among views of the same role at the same time', async () => {
    const name = await provision(roleSpec('view-shared', { newPolicies: 0, managed: 1, inline: 0 }));
    const counted = countingIamFor();
    const views = await Promise.all(
      Array.from({ length: 6 }, () => viewRoleDrift(requester, TARGET, name, counted.iamFor)),
    );
    expect(counted.calls()).toBe(1);
    for (const view of views) {
      expect(view).toMatchObject({ ok: true, value: { source: 'live', check: { state: 'matches' } } });
    }
    // Once it has finished, the next view reads the role again: a change made since is seen.
    await admin.send(
      new AttachRolePolicyCommand({
        RoleName: name,
        PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      }),
    );
    const after = await viewRoleDrift(requester, TARGET, name, counted.iamFor);
    expect(counted.calls()).toBe(2);
    expect(after).toMatchObject({ ok: true, value: { source: 'live', check: { state: 'drifted' } } });
  });

  it('past the per-person limit, shows the last recorded check without reading IAM', async () => {
    const name = await provision(roleSpec('view-limited', { newPolicies: 0, managed: 1, inline: 0 }));
    await admin.send(
      new AttachRolePolicyCommand({
        RoleName: name,
        PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      }),
    );
    const counted = countingIamFor();
    const first = await viewRoleDrift(requester, TARGET, name, counted.iamFor);
    if (!first.ok || first.value.source !== 'live') throw new Error('the first view reads live');
    await useUpLiveReads(requester.id);
    const limited = await viewRoleDrift(requester, TARGET, name, counted.iamFor);
    expect(counted.calls()).toBe(1);
    if (!limited.ok || limited.value.source !== 'recorded')
      throw new Error('the view past the limit is recorded');
    expect(limited.value.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited.value.last).toEqual({
      state: 'drifted',
      differences: [
        { kind: 'managed_policy_attached', sentence: '`AdministratorAccess` was attached outside Rolesmith' },
      ],
      reason: null,
      checkedAt: first.value.check.checkedAt,
    });
    // Another person still reads the role live.
    const other = await viewRoleDrift(approver, TARGET, name, counted.iamFor);
    expect(other).toMatchObject({ ok: true, value: { source: 'live' } });
    expect(counted.calls()).toBe(2);
  });

  it('past the limit, a role never checked has no recorded check; a stranger still gets not_found', async () => {
    const name = await provision(roleSpec('view-never', { newPolicies: 0, managed: 0, inline: 0 }));
    await useUpLiveReads(requester.id);
    expect(await viewRoleDrift(requester, TARGET, name)).toMatchObject({
      ok: true,
      value: { source: 'recorded', last: null },
    });
    const stranger = { ...requester, id: 'someone-else', email: 'someone@acme.example' };
    expect(await viewRoleDrift(stranger, TARGET, name)).toMatchObject({ ok: false, code: 'not_found' });
  });
});
