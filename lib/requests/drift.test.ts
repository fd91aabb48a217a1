import {
  AttachRolePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { getDb } from '@/lib/db/client';
import { roleSpecSchema, type RoleSpecInput } from '@/lib/iam/role-spec';
import { checkRecordedRole, checkRoleDrift, type DriftCheck } from '@/lib/requests/drift';
import { getRoleSummary } from '@/lib/requests/roles';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import {
  HOME,
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

// PGlite in this process; the standalone emulator over HTTP through the real SDK. Each test
// provisions its own role through the portal's workflow, then changes it directly through the SDK
// with the account's admin keys, as someone working in the console would.
let database: TestDatabase;
let emulator: TestEmulator;
let admin: IAMClient;

const iamFor = (accountId: string) => Promise.resolve(emulator.iam(accountId));

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

beforeEach(async () => {
  await emulator.setFaults({});
});

async function provision(spec: RoleSpecInput): Promise<string> {
  await submitAndApprove(emulator, spec);
  await drainJobs(database.db, emulator);
  const parsed = roleSpecSchema.parse(spec);
  const summary = await getRoleSummary(requester, TARGET, parsed.name);
  if (!summary.ok) throw new Error(`${parsed.name} was not provisioned: ${summary.message}`);
  return parsed.name;
}

async function check(roleName: string): Promise<DriftCheck> {
  const result = await checkRoleDrift(requester, TARGET, roleName, iamFor);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

const sentences = (drift: DriftCheck) =>
  drift.state === 'unknown' ? [] : drift.differences.map((d) => d.sentence);

async function recorded(roleName: string) {
  const row = await sql<{ state: string | null; differences: { kind: string; sentence: string }[] }>`
    select d.state, d.differences from role_drift d
    join provisioned_roles p on p.id = d.provisioned_role_id
    where p.role_name = ${roleName} and p.deleted_at is null`.execute(await getDb());
  return row.rows[0] ?? null;
}

describe('drift of a role the portal provisioned', () => {
  it('an unchanged role matches, its live spec equal to the record, and the result is recorded', async () => {
    const name = await provision(roleSpec('drift-none', { newPolicies: 1, managed: 2, inline: 1 }));
    const drift = await check(name);
    expect(drift.state).toBe('matches');
    const summary = await getRoleSummary(requester, TARGET, name);
    if (!summary.ok || drift.state !== 'matches') throw new Error('unreachable');
    expect(drift.live).toEqual(summary.value.spec);
    expect(await recorded(name)).toEqual({ state: 'matches', differences: [] });
  });

  it('a trust policy AWS returns URL-encoded and reformatted (keys reordered, lists for single values) still matches', async () => {
    const name = await provision(roleSpec('drift-reformatted', { newPolicies: 0, managed: 1, inline: 1 }));
    // The same trust and inline policy, written another way (as a console or Terraform user might).
    const trust = `{"Statement":[{"Action":["sts:AssumeRole"],"Principal":{"AWS":["arn:aws:iam::${HOME}:root"]},"Effect":"Allow"}],"Version":"2012-10-17"}`;
    await admin.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: trust }));
    await admin.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: 'inline-0',
        PolicyDocument: JSON.stringify(
          {
            Statement: [
              {
                Resource: [`arn:aws:s3:::${name}-bucket/*`],
                Effect: 'Allow',
                Action: ['s3:GetObject'],
              },
            ],
            Version: '2012-10-17',
          },
          null,
          1,
        ),
      }),
    );
    const drift = await check(name);
    expect(sentences(drift)).toEqual([]);
    expect(drift.state).toBe('matches');
  });

  it('finds a managed policy attached outside Rolesmith, and one detached', async () => {
    const name = await provision(roleSpec('drift-attached', { newPolicies: 0, managed: 2, inline: 0 }));
    await admin.send(
      new AttachRolePolicyCommand({
        RoleName: name,
        PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      }),
    );
    await admin.send(
      new DetachRolePolicyCommand({
        RoleName: name,
        PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      }),
    );
    const drift = await check(name);
    expect(drift.state).toBe('drifted');
    expect(sentences(drift)).toEqual([
      '`AdministratorAccess` was attached outside Rolesmith',
      '`AmazonS3ReadOnlyAccess` was detached outside Rolesmith',
    ]);
    // The live spec is the role as read: the restore is planned from it.
    if (drift.state !== 'drifted') throw new Error('unreachable');
    expect(drift.live?.managedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess',
      'arn:aws:iam::aws:policy/AdministratorAccess',
    ]);
    expect(await recorded(name)).toEqual({
      state: 'drifted',
      differences: [
        { kind: 'managed_policy_attached', sentence: '`AdministratorAccess` was attached outside Rolesmith' },
        {
          kind: 'managed_policy_detached',
          sentence: '`AmazonS3ReadOnlyAccess` was detached outside Rolesmith',
        },
      ],
    });
  });

  it('finds an inline policy edited, one added and one deleted', async () => {
    const name = await provision(roleSpec('drift-inline', { newPolicies: 0, managed: 0, inline: 2 }));
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
    });
    await admin.send(
      new PutRolePolicyCommand({ RoleName: name, PolicyName: 'inline-0', PolicyDocument: document }),
    );
    await admin.send(
      new PutRolePolicyCommand({ RoleName: name, PolicyName: 'extra', PolicyDocument: document }),
    );
    await admin.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: 'inline-1' }));
    const drift = await check(name);
    expect(sentences(drift)).toEqual([
      'The inline policy `extra` was added outside Rolesmith',
      'The inline policy `inline-0` was changed outside Rolesmith',
      'The inline policy `inline-1` was deleted outside Rolesmith',
    ]);
    if (drift.state !== 'drifted') throw new Error('unreachable');
    expect(drift.live?.inlinePolicies.map((policy) => policy.name)).toEqual(['extra', 'inline-0']);
  });

  it('finds a tag changed, the trust changed, and the description and session duration changed', async () => {
    const name = await provision(roleSpec('drift-details', { newPolicies: 0, managed: 0, inline: 0 }));
    await admin.send(new TagRoleCommand({ RoleName: name, Tags: [{ Key: 'team', Value: 'x' }] }));
    await admin.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: name,
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::777788889999:root' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    await admin.send(
      new UpdateRoleCommand({ RoleName: name, Description: 'changed by hand', MaxSessionDuration: 3600 }),
    );
    const drift = await check(name);
    expect(sentences(drift)).toEqual([
      'The trust policy was changed outside Rolesmith',
      'Tag `team` is `x` in AWS; Rolesmith recorded `platform`',
      'The description was changed outside Rolesmith',
      'The maximum session duration is 1 hour in AWS; Rolesmith recorded 2 hours',
    ]);
    if (drift.state !== 'drifted') throw new Error('unreachable');
    expect(drift.live?.trustedEntity).toEqual({
      type: 'aws_account',
      accountId: '777788889999',
      requireMfa: false,
    });
    expect(drift.live?.tags).toEqual([{ key: 'team', value: 'x' }]);
  });

  it('says a role deleted outside Rolesmith was deleted', async () => {
    const name = await provision(roleSpec('drift-deleted', { newPolicies: 0, managed: 1, inline: 1 }));
    await admin.send(
      new DetachRolePolicyCommand({
        RoleName: name,
        PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess',
      }),
    );
    await admin.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: 'inline-0' }));
    await admin.send(new DeleteRoleCommand({ RoleName: name }));
    const drift = await check(name);
    expect(drift).toMatchObject({ state: 'drifted', live: null });
    expect(sentences(drift)).toEqual(['The role was deleted outside Rolesmith']);
  });

  it('says the role could not be checked while IAM throttles, and keeps the last result', async () => {
    const name = await provision(roleSpec('drift-throttled', { newPolicies: 0, managed: 0, inline: 0 }));
    expect((await check(name)).state).toBe('matches');
    await emulator.setFaults({ throttleRate: 1 });
    const result = await checkRoleDrift(requester, TARGET, name, (accountId) =>
      Promise.resolve(emulator.freshIam(accountId, 1)),
    );
    expect(result).toMatchObject({
      ok: true,
      value: { state: 'unknown', awsCode: 'Throttling', isTransient: true },
    });
    if (!result.ok || result.value.state !== 'unknown') throw new Error('unreachable');
    expect(result.value.reason).toMatch(/throttling/);
    expect(await recorded(name)).toEqual({ state: 'matches', differences: [] });
  });

  it('says the role could not be checked when AWS refuses the provisioner, and records it as unknown', async () => {
    const name = await provision(roleSpec('drift-denied', { newPolicies: 0, managed: 0, inline: 0 }));
    await emulator.setFaults({ failNth: { action: 'GetRole', n: 1, code: 'AccessDenied' } });
    const drift = await check(name);
    expect(drift).toMatchObject({ state: 'unknown', awsCode: 'AccessDenied', isTransient: false });
    if (drift.state !== 'unknown') throw new Error('unreachable');
    expect(drift.reason).toContain('refused');
    expect(await recorded(name)).toEqual({ state: 'unknown', differences: [] });
  });

  it('reads the customer managed policy Rolesmith created and finds it changed', async () => {
    const name = await provision(roleSpec('drift-customer', { newPolicies: 1, managed: 0, inline: 0 }));
    const summary = await getRoleSummary(requester, TARGET, name);
    if (!summary.ok) throw new Error('unreachable');
    const changed = await checkRecordedRole(
      {
        ...summary.value,
        spec: {
          ...summary.value.spec,
          newManagedPolicies: summary.value.spec.newManagedPolicies.map((policy) => ({
            ...policy,
            document: JSON.stringify({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }],
            }),
          })),
        },
      },
      iamFor,
    );
    expect(sentences(changed)).toEqual([
      'The policy `drift-customer-policy-0` was changed outside Rolesmith',
    ]);
  });

  it('is not_found for a person who may not see the role', async () => {
    const name = await provision(roleSpec('drift-hidden', { newPolicies: 0, managed: 0, inline: 0 }));
    const stranger = { ...requester, id: 'someone-else', email: 'someone@acme.example' };
    expect(await checkRoleDrift(stranger, TARGET, name, iamFor)).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect((await checkRoleDrift(approver, TARGET, name, iamFor)).ok).toBe(true);
  });
});
