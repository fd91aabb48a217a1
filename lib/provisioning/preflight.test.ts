import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { roleSpecSchema, type RoleSpec } from '@/lib/iam/role-spec';
import { preflightCheck } from '@/lib/provisioning/preflight';
import {
  HOME,
  TARGET,
  roleSpec,
  startTestEmulator,
  type TestEmulator,
} from '@/lib/testing/provisioning';

// The preflight reads the standalone emulator over HTTP through the real SDK.
let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${HOME}:root` }, Action: 'sts:AssumeRole' },
    ],
  });
  const created = await emulator.iam().createRole({
    name: 'taken',
    path: '/',
    description: null,
    maxSessionDurationSeconds: 3600,
    trustPolicy: trust,
    permissionsBoundaryArn: null,
    tags: [],
  });
  const policy = await emulator.iam().createPolicy({
    name: 'existing-policy',
    path: '/',
    description: null,
    document: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
    }),
    tags: [],
  });
  if (!created.ok || !policy.ok) throw new Error('setup failed');
});

afterAll(async () => {
  await emulator?.close();
});

function spec(name: string, overrides: Partial<RoleSpec> = {}): RoleSpec {
  return { ...roleSpecSchema.parse(roleSpec(name, { newPolicies: 1, managed: 2, inline: 1 })), ...overrides };
}

describe('preflightCheck', () => {
  it('passes a role that can be created, reporting the quota it read', async () => {
    expect(
      await preflightCheck(emulator.iam(), { kind: 'create', spec: spec('fresh-role'), baseSpec: null }),
    ).toEqual({
      ok: true,
      value: { attachedPoliciesPerRoleQuota: 10, managedPolicyCount: 3 },
    });
  });

  it.each([
    {
      name: 'a taken role name',
      input: spec('taken'),
      code: 'conflict',
      field: 'name',
      text: 'A role called taken already exists',
    },
    {
      name: 'a managed policy that does not exist',
      input: spec('r1', { managedPolicyArns: ['arn:aws:iam::aws:policy/NoSuchPolicyAnywhere'] }),
      code: 'invalid_input',
      field: 'managedPolicyArns',
      text: 'Managed policy arn:aws:iam::aws:policy/NoSuchPolicyAnywhere does not exist',
    },
    {
      name: 'a boundary that does not exist',
      input: spec('r2', { permissionsBoundaryArn: `arn:aws:iam::${TARGET}:policy/missing-boundary` }),
      code: 'invalid_input',
      field: 'permissionsBoundaryArn',
      text: 'Permissions boundary',
    },
    {
      name: 'a new policy name already taken',
      input: spec('r3', {
        newManagedPolicies: [
          { name: 'existing-policy', description: '', document: '{"Version":"2012-10-17","Statement":[]}' },
        ],
      }),
      code: 'conflict',
      field: 'newManagedPolicies',
      text: 'A policy called existing-policy already exists',
    },
    {
      name: 'more managed policies than the quota',
      input: spec('r4', {
        managedPolicyArns: [
          'ReadOnlyAccess',
          'AmazonS3ReadOnlyAccess',
          'AWSLambda_ReadOnlyAccess',
          'IAMReadOnlyAccess',
          'AmazonEC2ReadOnlyAccess',
          'AmazonSQSReadOnlyAccess',
          'AmazonSNSReadOnlyAccess',
          'AmazonDynamoDBReadOnlyAccess',
          'CloudWatchReadOnlyAccess',
          'AmazonRDSReadOnlyAccess',
        ].map((name) => `arn:aws:iam::aws:policy/${name}`),
      }),
      code: 'conflict',
      field: 'managedPolicyArns',
      text: 'allows 10 managed policies per role; this role would have 11',
    },
  ])('refuses $name with the reason', async ({ input, code, field, text }) => {
    const result = await preflightCheck(emulator.iam(), { kind: 'create', spec: input, baseSpec: null });
    expect(result).toMatchObject({ ok: false, code });
    if (result.ok) return;
    expect(result.message).toContain(text);
    expect(result.fieldErrors?.[field]?.join(' ')).toContain(text);
  });

  it('requires the role to exist for a delete', async () => {
    const gone = spec('never-created');
    expect(
      await preflightCheck(emulator.iam(), { kind: 'delete', spec: gone, baseSpec: gone }),
    ).toMatchObject({
      ok: false,
      code: 'conflict',
      fieldErrors: { name: [expect.stringContaining('no longer exists') as unknown] },
    });
    const live = spec('taken');
    expect(
      await preflightCheck(emulator.iam(), { kind: 'delete', spec: live, baseSpec: live }),
    ).toMatchObject({ ok: true });
  });

  it('refuses to approve unchecked when the account cannot be read', async () => {
    await emulator.setFaults({ throttleRate: 1 });
    try {
      const result = await preflightCheck(emulator.freshIam(TARGET, 1), {
        kind: 'create',
        spec: spec('whatever'),
        baseSpec: null,
      });
      expect(result).toMatchObject({ ok: false, code: 'rate_limited' });
      expect(result.ok ? '' : result.message).toContain('Could not check account 444455556666: Throttling');
    } finally {
      await emulator.setFaults({});
    }
  });
});
