import { describe, expect, it } from 'vitest';

import {
  REQUEST_TAG_KEY,
  customerPolicyArn,
  expectedCreateCalls,
  planChange,
  planCreate,
  planDelete,
  type RoleToProvision,
} from '@/lib/provisioning/plan';

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' },
  ],
});
const s3Read = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/*' }],
});

function role(overrides: Partial<RoleToProvision> = {}): RoleToProvision {
  return {
    accountId: '444455556666',
    name: 'app-reader',
    path: '/apps/',
    description: 'Reads app logs',
    maxSessionDurationSeconds: 3600,
    trustPolicy: trust,
    permissionsBoundaryArn: 'arn:aws:iam::444455556666:policy/boundary',
    managedPolicyArns: [
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    ],
    newPolicies: [{ name: 'logs-read', path: '/', description: 'logs', document: s3Read }],
    inlinePolicies: [{ name: 'inline-a', document: s3Read }],
    tags: [{ key: 'team', value: 'payments' }],
    ...overrides,
  };
}

describe('planCreate', () => {
  it('orders P CreatePolicy, CreateRole, M+P AttachRolePolicy, I PutRolePolicy, then 3 reads', () => {
    const result = planCreate(role(), 'req-1');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.steps.map((s) => s.kind)).toEqual([
      'create_policy',
      'create_role',
      'attach_policy',
      'attach_policy',
      'attach_policy',
      'put_inline_policy',
      'verify_role',
      'verify_attached_policies',
      'verify_inline_policies',
    ]);
    expect(result.value.steps).toHaveLength(expectedCreateCalls(role()));
  });

  it('tags the role and the new policy with the request and attaches the new policy by its ARN', () => {
    const result = planCreate(role(), 'req-7');
    if (!result.ok) throw new Error(result.message);
    const [createPolicy, createRole, , , attachNew] = result.value.steps;
    expect(createPolicy).toMatchObject({
      kind: 'create_policy',
      arn: 'arn:aws:iam::444455556666:policy/logs-read',
    });
    if (createPolicy?.kind !== 'create_policy' || createRole?.kind !== 'create_role')
      throw new Error('unexpected order');
    expect(createPolicy.policy.tags).toEqual([{ key: REQUEST_TAG_KEY, value: 'req-7' }]);
    expect(createRole.role.tags).toEqual([
      { key: 'team', value: 'payments' },
      { key: REQUEST_TAG_KEY, value: 'req-7' },
    ]);
    expect(createRole.role).toMatchObject({
      path: '/apps/',
      description: 'Reads app logs',
      maxSessionDurationSeconds: 3600,
      permissionsBoundaryArn: 'arn:aws:iam::444455556666:policy/boundary',
      trustPolicy: trust,
    });
    expect(attachNew).toMatchObject({
      kind: 'attach_policy',
      policyArn: 'arn:aws:iam::444455556666:policy/logs-read',
    });
  });

  it.each([
    { p: 0, m: 0, i: 0, calls: 4 },
    { p: 1, m: 2, i: 1, calls: 8 },
    { p: 3, m: 5, i: 4, calls: 16 },
  ])('costs P + 1 + M + I + 3 calls (P=$p, M=$m, I=$i)', ({ p, m, i, calls }) => {
    const spec = role({
      newPolicies: Array.from({ length: p }, (_, n) => ({
        name: `new-${n}`,
        path: '/',
        description: null,
        document: s3Read,
      })),
      managedPolicyArns: Array.from({ length: m }, (_, n) => `arn:aws:iam::aws:policy/P${n}`),
      inlinePolicies: Array.from({ length: i }, (_, n) => ({ name: `in-${n}`, document: s3Read })),
    });
    const result = planCreate(spec, 'r');
    if (!result.ok) throw new Error(result.message);
    // M in the issue's formula counts every attachment, the new policies' included.
    expect(result.value.steps).toHaveLength(calls + p);
    expect(expectedCreateCalls(spec)).toBe(calls + p);
  });

  it('replaces a request tag the requester set and refuses 50 tags of their own', () => {
    const replaced = planCreate(role({ tags: [{ key: 'Rolesmith:Request-Id', value: 'forged' }] }), 'req-2');
    if (!replaced.ok) throw new Error(replaced.message);
    const create = replaced.value.steps.find((s) => s.kind === 'create_role');
    expect(create?.kind === 'create_role' && create.role.tags).toEqual([
      { key: REQUEST_TAG_KEY, value: 'req-2' },
    ]);
    const full = planCreate(
      role({ tags: Array.from({ length: 50 }, (_, n) => ({ key: `k${n}`, value: 'v' })) }),
      'r',
    );
    expect(full).toMatchObject({ ok: false, code: 'invalid_input' });
  });

  it('builds customer policy ARNs with their path', () => {
    expect(customerPolicyArn('111122223333', '/team/a/', 'p')).toBe(
      'arn:aws:iam::111122223333:policy/team/a/p',
    );
    expect(customerPolicyArn('111122223333', 'team', 'p')).toBe('arn:aws:iam::111122223333:policy/team/p');
  });
});

describe('planChange', () => {
  it('plans only the verifying reads when nothing changed', () => {
    const result = planChange(
      role(),
      role({ trustPolicy: JSON.stringify(JSON.parse(trust), null, 2) }),
      'c1',
    );
    if (!result.ok) throw new Error(result.message);
    expect(result.value.steps.map((s) => s.kind)).toEqual([
      'verify_role',
      'verify_attached_policies',
      'verify_inline_policies',
    ]);
  });

  it('plans no change for a trust policy or inline policy whose keys were only reordered', () => {
    const reorder = (text: string) => {
      const { Version, Statement } = JSON.parse(text) as { Version: string; Statement: object[] };
      return JSON.stringify({
        Statement: Statement.map((statement) => Object.fromEntries(Object.entries(statement).reverse())),
        Version,
      });
    };
    expect(reorder(trust)).not.toBe(trust);
    const result = planChange(
      role(),
      role({
        trustPolicy: reorder(trust),
        inlinePolicies: [{ name: 'inline-a', document: reorder(s3Read) }],
      }),
      'c1',
    );
    if (!result.ok) throw new Error(result.message);
    expect(result.value.steps.map((s) => s.kind)).toEqual([
      'verify_role',
      'verify_attached_policies',
      'verify_inline_policies',
    ]);
  });

  it('applies the minimal diff', () => {
    const desired = role({
      description: 'Reads and lists logs',
      permissionsBoundaryArn: null,
      managedPolicyArns: [
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
        'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      ],
      inlinePolicies: [{ name: 'inline-b', document: s3Read }],
      tags: [
        { key: 'team', value: 'platform' },
        { key: 'cost-centre', value: '42' },
      ],
    });
    const result = planChange(role(), desired, 'c2');
    if (!result.ok) throw new Error(result.message);
    expect(result.value.steps.map((s) => s.key)).toEqual([
      'update_role',
      'delete_boundary',
      'tag_role',
      'detach_policy:arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      'attach_policy:arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      'put_inline_policy:inline-b',
      'delete_inline_policy:inline-a',
      'verify_role',
      'verify_attached_policies',
      'verify_inline_policies',
    ]);
  });

  it('refuses to rename a role', () => {
    expect(planChange(role(), role({ name: 'other' }), 'c3')).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
  });
});

describe('planDelete', () => {
  it('empties the role before deleting it, then deletes its own policies and checks it is gone', () => {
    expect(planDelete(role(), 'd1').steps.map((s) => s.kind)).toEqual([
      'detach_policy',
      'detach_policy',
      'detach_policy',
      'delete_inline_policy',
      'remove_unrecorded_policies',
      'remove_role_from_instance_profiles',
      'delete_role',
      'delete_policy',
      'verify_role_deleted',
    ]);
  });

  it('deletes the role and the policies created with it only if they carry the portal’s tag', () => {
    const steps = planDelete(role(), 'd1').steps;
    expect(steps.find((step) => step.kind === 'delete_role')).toMatchObject({ ifRolesmith: true });
    expect(steps.filter((step) => step.kind === 'delete_policy')).toEqual([
      expect.objectContaining({ ifRolesmith: true }),
    ]);
  });
});

describe('planRollback', () => {
  it('undoes only what the failed attempt touched, role contents before the role, policies last', async () => {
    const { planRollback } = await import('@/lib/provisioning/plan');
    const created = planCreate(role(), 'req-9');
    if (!created.ok) throw new Error(created.message);
    const touched = new Set([
      'create_policy:logs-read',
      'create_role',
      'attach_policy:arn:aws:iam::aws:policy/ReadOnlyAccess',
    ]);
    const rollback = planRollback(created.value, touched, 'req-9');
    if (!rollback.ok) throw new Error(rollback.message);
    expect(rollback.value.steps.map((s) => s.key)).toEqual([
      'detach_policy:arn:aws:iam::aws:policy/ReadOnlyAccess',
      'delete_role',
      'delete_policy:logs-read',
      'verify_role_deleted',
    ]);
  });
});

describe("an EC2 role's instance profile", () => {
  const ec2Trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
  const ec2Role = (overrides: Partial<RoleToProvision> = {}) => role({ trustPolicy: ec2Trust, ...overrides });
  const keys = (plan: { steps: { key: string }[] }) => plan.steps.map((step) => step.key);

  it('is created right after the role, with its name, path and the request tag, and read back last', () => {
    const created = planCreate(ec2Role(), 'req-ec2');
    if (!created.ok) throw new Error(created.message);
    expect(keys(created.value)).toEqual([
      'create_policy:logs-read',
      'create_role',
      'create_instance_profile',
      'add_role_to_instance_profile',
      'attach_policy:arn:aws:iam::aws:policy/ReadOnlyAccess',
      'attach_policy:arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      'attach_policy:arn:aws:iam::444455556666:policy/logs-read',
      'put_inline_policy:inline-a',
      'verify_role',
      'verify_attached_policies',
      'verify_inline_policies',
      'verify_instance_profile',
    ]);
    expect(created.value.steps[2]).toEqual({
      kind: 'create_instance_profile',
      key: 'create_instance_profile',
      profile: { name: 'app-reader', path: '/apps/', tags: [{ key: REQUEST_TAG_KEY, value: 'req-ec2' }] },
    });
    expect(created.value.steps[3]).toMatchObject({ profileName: 'app-reader', roleName: 'app-reader' });
    expect(created.value.steps).toHaveLength(expectedCreateCalls(ec2Role()));
  });

  it.each([
    ['create', () => planCreate(role(), 'r'), null],
    ['change', () => planChange(role(), role({ description: 'other' }), 'r'), null],
    ['delete', () => ({ ok: true as const, value: planDelete(role(), 'r') }), null],
  ])('is no part of a %s plan of a role EC2 cannot assume', (kind, plan) => {
    const result = plan();
    if (!result.ok) throw new Error(result.message);
    // A delete still takes the role out of any profile someone put it in (DeleteRole needs it bare).
    expect(result.value.steps.filter((step) => step.kind.includes('instance_profile'))).toEqual(
      kind === 'delete'
        ? [
            {
              kind: 'remove_role_from_instance_profiles',
              key: 'remove_role_from_instance_profiles',
              roleName: 'app-reader',
            },
          ]
        : [],
    );
  });

  it.each([
    [
      'gains EC2',
      role(),
      ec2Role(),
      ['update_trust_policy', 'create_instance_profile', 'add_role_to_instance_profile'],
      ['verify_role', 'verify_attached_policies', 'verify_inline_policies', 'verify_instance_profile'],
    ],
    [
      'loses EC2',
      ec2Role(),
      role(),
      ['update_trust_policy', 'remove_role_from_instance_profiles', 'delete_instance_profile'],
      ['verify_role', 'verify_attached_policies', 'verify_inline_policies'],
    ],
    [
      'keeps EC2',
      ec2Role(),
      ec2Role({ description: 'x' }),
      ['update_role'],
      ['verify_role', 'verify_attached_policies', 'verify_inline_policies'],
    ],
  ])('follows a change whose trust %s', (_what, current, desired, writes, reads) => {
    const changed = planChange(current, desired, 'chg');
    if (!changed.ok) throw new Error(changed.message);
    expect(keys(changed.value)).toEqual([...writes, ...reads]);
  });

  it('a delete empties the role from its profiles and deletes the portal-made one before the role', () => {
    const deleted = planDelete(ec2Role(), 'del');
    expect(keys(deleted)).toEqual([
      'detach_policy:arn:aws:iam::aws:policy/ReadOnlyAccess',
      'detach_policy:arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      'detach_policy:arn:aws:iam::444455556666:policy/logs-read',
      'delete_inline_policy:inline-a',
      'remove_unrecorded_policies',
      'remove_role_from_instance_profiles',
      'delete_instance_profile',
      'delete_role',
      'delete_policy:logs-read',
      'verify_role_deleted',
    ]);
    expect(deleted.steps[6]).toMatchObject({ profileName: 'app-reader', ownedBy: null });
  });

  it.each([
    ['before the profile was touched', ['create_role'], [], []],
    [
      'after the profile was touched, the role ours',
      ['create_role', 'create_instance_profile'],
      ['create_role', 'create_instance_profile'],
      [{ kind: 'remove_role_from_instance_profiles' }, { ownedBy: 'req-rb' }],
    ],
    [
      'after the profile was touched, the role of unknown owner',
      ['create_role', 'create_instance_profile'],
      [],
      [{ kind: 'remove_role_from_instance_profiles', ifTaggedBy: 'req-rb' }, { ownedBy: 'req-rb' }],
    ],
  ])('a rollback %s', async (_when, touched, done, profileSteps) => {
    const { planRollback } = await import('@/lib/provisioning/plan');
    const created = planCreate(
      ec2Role({ newPolicies: [], managedPolicyArns: [], inlinePolicies: [] }),
      'req-rb',
    );
    if (!created.ok) throw new Error(created.message);
    const rollback = planRollback(created.value, new Set(touched), 'req-rb', new Set(done));
    if (!rollback.ok) throw new Error(rollback.message);
    const steps = rollback.value.steps;
    expect(steps.filter((step) => step.kind.includes('instance_profile'))).toMatchObject(profileSteps);
    if (profileSteps.length > 0)
      expect(keys(rollback.value).slice(0, 3)).toEqual([
        'remove_role_from_instance_profiles',
        'delete_instance_profile',
        'delete_role',
      ]);
  });
});
