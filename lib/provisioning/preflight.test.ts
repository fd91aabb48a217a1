import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleSpecSchema, type RoleSpec } from '@/lib/iam/role-spec';
import { preflightCheck } from '@/lib/provisioning/preflight';
import { defaultGuardrails } from '@/lib/iam/guardrail-check';
import {
  addPolicyVersion,
  createCustomerPolicy as createPolicyIn,
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
      value: { attachedPoliciesPerRoleQuota: 10, managedPolicyCount: 3, customerPolicyRisks: [] },
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

  it("requires an EC2 role's instance profile name to be free, reading it only for an EC2 role", async () => {
    const ec2 = (name: string): RoleSpec =>
      spec(name, {
        trustedEntity: { type: 'aws_service', services: ['ec2.amazonaws.com'], tagSession: false },
      });
    expect((await emulator.iam().createInstanceProfile({ name: 'profiled', path: '/', tags: [] })).ok).toBe(
      true,
    );
    expect(
      await preflightCheck(emulator.iam(), { kind: 'create', spec: ec2('profiled'), baseSpec: null }),
    ).toMatchObject({
      ok: false,
      code: 'conflict',
      fieldErrors: {
        name: [expect.stringContaining('An instance profile called profiled already exists') as unknown],
      },
    });
    await emulator.resetCalls();
    expect(
      await preflightCheck(emulator.iam(), { kind: 'create', spec: ec2('unprofiled'), baseSpec: null }),
    ).toMatchObject({ ok: true });
    expect(await emulator.calls()).toMatchObject({ GetInstanceProfile: 1 });
    await emulator.resetCalls();
    expect(
      await preflightCheck(emulator.iam(), { kind: 'create', spec: spec('profiled'), baseSpec: null }),
    ).toMatchObject({ ok: true });
    expect((await emulator.calls()).GetInstanceProfile).toBeUndefined();
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

describe('preflightCheck of attached customer managed policies', () => {
  const document = (...statements: object[]) =>
    JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const allow = (action: string | string[]) => ({ Effect: 'Allow', Action: action, Resource: '*' });
  const arnOf = (name: string) => `arn:aws:iam::${TARGET}:policy/${name}`;

  const createCustomerPolicy = (name: string, text: string) => createPolicyIn(emulator, name, text);
  const addVersion = (arn: string, text: string, setAsDefault: boolean) =>
    addPolicyVersion(emulator, arn, text, setAsDefault);

  const attaching = (name: string, arns: string[]): RoleSpec =>
    spec(name, { managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', ...arns] });

  it('refuses a customer managed policy whose default version allows a forbidden action, naming both', async () => {
    const arn = await createCustomerPolicy('cust-benign-then-org', document(allow('s3:ListBucket')));
    // The default version (v2) is the one that counts.
    await addVersion(arn, document(allow(['s3:ListBucket', 'organizations:LeaveOrganization'])), true);
    await emulator.resetCalls();
    const result = await preflightCheck(
      emulator.iam(),
      { kind: 'create', spec: attaching('cust-r1', [arn]), baseSpec: null },
      defaultGuardrails,
    );
    expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
    if (result.ok) return;
    const reason = result.fieldErrors?.managedPolicyArns?.join(' ') ?? '';
    expect(reason).toContain(`Customer managed policy ${arn} (default version v2)`);
    expect(reason).toContain('organizations:Leave*');
    expect(result.message).toContain(arn);
    // One GetPolicy per existing managed policy and one GetPolicyVersion for the customer one.
    expect(await emulator.calls()).toMatchObject({ GetPolicy: 3, GetPolicyVersion: 1 });
  });

  it('passes when only a version that is not the default allows the forbidden action', async () => {
    const arn = await createCustomerPolicy('cust-old-version', document(allow('s3:ListBucket')));
    await addVersion(arn, document(allow('iam:CreateUser')), false);
    const result = await preflightCheck(
      emulator.iam(),
      { kind: 'create', spec: attaching('cust-r2', [arn]), baseSpec: null },
      defaultGuardrails,
    );
    expect(result).toMatchObject({ ok: true, value: { customerPolicyRisks: [] } });
  });

  it('reports the risk flags of an allowed customer managed policy', async () => {
    const arn = await createCustomerPolicy(
      'cust-passrole',
      document(allow(['iam:PassRole', 'ec2:RunInstances'])),
    );
    const result = await preflightCheck(
      emulator.iam(),
      { kind: 'create', spec: attaching('cust-r3', [arn]), baseSpec: null },
      defaultGuardrails,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.customerPolicyRisks).toContainEqual(
      expect.objectContaining({
        policyArn: arn,
        versionId: 'v1',
        code: 'privesc_passrole_compute',
        pointers: ['/Statement/0'],
      }),
    );
    // AWS managed policies are not read here: their documents are known at submission.
    expect(result.value.customerPolicyRisks.every((risk) => risk.policyArn === arn)).toBe(true);
  });

  it('checks customer managed policies a change request keeps attached too', async () => {
    const arn = await createCustomerPolicy('cust-kept', document(allow('iam:CreateAccessKey')));
    const base = attaching('taken', [arn]);
    const result = await preflightCheck(
      emulator.iam(),
      { kind: 'change', spec: { ...base, description: 'changed' }, baseSpec: base },
      defaultGuardrails,
    );
    expect(result).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { managedPolicyArns: [expect.stringContaining(arnOf('cust-kept')) as unknown] },
    });
  });

  it('still refuses a customer managed policy that does not exist', async () => {
    const result = await preflightCheck(
      emulator.iam(),
      { kind: 'create', spec: attaching('cust-r4', [arnOf('cust-missing')]), baseSpec: null },
      defaultGuardrails,
    );
    expect(result).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: {
        managedPolicyArns: [`Managed policy ${arnOf('cust-missing')} does not exist in account ${TARGET}`],
      },
    });
  });
});
