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
      'delete_role',
      'delete_policy',
      'verify_role_deleted',
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
