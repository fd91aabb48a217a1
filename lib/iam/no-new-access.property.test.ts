import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compilePolicyOrThrow,
  evaluate,
  evaluateAssumeRole,
  type ParsedPolicy,
  type PolicySet,
  type RequestPrincipal,
} from '@/lib/iam/evaluate';
import { checkNoNewAccess } from '@/lib/iam/no-new-access';
import { roleSpecSchema, type RoleSpec } from '@/lib/iam/role-spec';

/**
 * The property behind the verdict: whenever it says "grants no new access", no request the
 * evaluator allows after the change is refused before it. Pairs of role specifications come from
 * a small vocabulary (so that containment, overlap and disjointness all occur often), and the
 * requests from a vocabulary of actions, resources and context values meeting those patterns.
 */

const ACCOUNT = '444455556666';
const OTHER = '111122223333';
const boundaries: Record<string, string> = {
  [`arn:aws:iam::${ACCOUNT}:policy/b-s3-read`]: doc([{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }]),
  [`arn:aws:iam::${ACCOUNT}:policy/b-s3`]: doc([
    { Effect: 'Allow', Action: 's3:*', Resource: '*' },
    { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::b/*' },
  ]),
};
const lookup = (arn: string) => boundaries[arn];

function doc(statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const actionPatterns = [
  's3:GetObject',
  's3:PutObject',
  's3:Get*',
  's3:*',
  's3:Delete*',
  'ec2:StartInstances',
  'ec2:*',
  '*',
  's3:?etObject',
];
const resourcePatterns = [
  '*',
  'arn:aws:s3:::b/*',
  'arn:aws:s3:::b/x/*',
  'arn:aws:s3:::c/*',
  'arn:aws:s3:::b/x/y',
  'arn:aws:s3:::*',
  'arn:aws:s3:::home/${aws:username}/*',
  'arn:aws:ec2:*:*:instance/*',
];
const conditions: (object | undefined)[] = [
  undefined,
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { IpAddress: { 'aws:SourceIp': '10.1.0.0/16' } },
  { NotIpAddress: { 'aws:SourceIp': '10.1.0.0/16' } },
  { StringEquals: { 'aws:SourceVpc': 'vpc-1' } },
  { StringEquals: { 'aws:SourceVpc': ['vpc-1', 'vpc-2'] } },
  { StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } },
  { StringNotEquals: { 'aws:SourceVpc': 'vpc-3' } },
  { StringLike: { 'aws:userid': 'AIDA*' } },
  { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
  { NumericLessThan: { 's3:max-keys': '10' } },
  { NumericLessThanEquals: { 's3:max-keys': '100' } },
  { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a', 'b'] } },
  { Null: { 'aws:SourceVpc': 'false' } },
];

const someOf = <T>(values: readonly T[]) =>
  fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 2 });

const statementArbitrary = fc
  .record({
    effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
    notAction: fc.boolean(),
    notResource: fc.boolean(),
    actions: someOf(actionPatterns),
    resources: someOf(resourcePatterns),
    condition: fc.constantFrom(...conditions),
  })
  .map((s) => ({
    Effect: s.effect,
    // NotAction / NotResource one time in five.
    [s.notAction && s.actions[0] !== '*' ? 'NotAction' : 'Action']:
      s.actions.length === 1 ? s.actions[0] : s.actions,
    [s.notResource && s.resources[0] !== '*' ? 'NotResource' : 'Resource']: s.resources,
    ...(s.condition ? { Condition: s.condition } : {}),
  }));

const boundaryArbitrary = fc.constantFrom(undefined, undefined, ...Object.keys(boundaries));

const trustStatement = fc
  .record({
    effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
    principals: someOf([
      OTHER,
      `arn:aws:iam::${OTHER}:user/dev`,
      `arn:aws:iam::${ACCOUNT}:role/ops`,
      ACCOUNT,
      '*',
    ]),
    services: fc.uniqueArray(fc.constantFrom('ec2.amazonaws.com', 'lambda.amazonaws.com'), { maxLength: 2 }),
    condition: fc.constantFrom(
      undefined,
      { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      { StringEquals: { 'sts:ExternalId': 'ext-1' } },
    ),
  })
  .map((s) => ({
    Effect: s.effect,
    Principal: s.services.length > 0 ? { AWS: s.principals, Service: s.services } : { AWS: s.principals },
    Action: 'sts:AssumeRole',
    ...(s.condition ? { Condition: s.condition } : {}),
  }));

const specArbitrary = fc
  .record({
    policies: fc.array(fc.array(statementArbitrary, { minLength: 1, maxLength: 3 }), {
      minLength: 0,
      maxLength: 2,
    }),
    boundary: boundaryArbitrary,
    trust: fc.array(trustStatement, { minLength: 1, maxLength: 2 }),
  })
  .map(({ policies, boundary, trust }) =>
    roleSpecSchema.parse({
      accountId: ACCOUNT,
      name: 'app',
      trustedEntity: { type: 'custom', document: doc(trust) },
      inlinePolicies: policies.map((statements, index) => ({ name: `p${index}`, document: doc(statements) })),
      ...(boundary ? { permissionsBoundaryArn: boundary } : {}),
    }),
  );

/** A spec and a variation of it (statements dropped, duplicated, swapped), so that pairs are often close. */
const pairArbitrary = fc.oneof(
  fc.tuple(specArbitrary, specArbitrary),
  fc
    .tuple(specArbitrary, fc.array(statementArbitrary, { maxLength: 2 }), boundaryArbitrary, fc.boolean())
    .map(([base, extra, boundary, drop]) => {
      const policies = base.inlinePolicies.map((p) => ({ ...p }));
      const first = policies[0];
      if (first) {
        const statements = (JSON.parse(first.document) as { Statement: object[] }).Statement;
        const varied = [...(drop ? statements.slice(1) : statements), ...extra];
        first.document = doc(varied.length > 0 ? varied : statements);
      }
      return [base, { ...base, inlinePolicies: policies, permissionsBoundaryArn: boundary }] as [
        RoleSpec,
        RoleSpec,
      ];
    }),
);

const requestActions = [
  's3:GetObject',
  's3:PutObject',
  's3:GetObjectAcl',
  's3:DeleteObject',
  'ec2:StartInstances',
  'iam:PassRole',
  's3:SetObject',
];
const requestResources = [
  'arn:aws:s3:::b/x/y',
  'arn:aws:s3:::b/z',
  'arn:aws:s3:::c/1',
  'arn:aws:s3:::home/alice/f',
  '*',
  'arn:aws:ec2:us-east-1:444455556666:instance/i-1',
];
const contextArbitrary = fc.record(
  {
    'aws:SourceIp': fc.constantFrom('10.1.2.3', '10.2.0.1', '192.168.0.1'),
    'aws:SourceVpc': fc.constantFrom('vpc-1', 'vpc-2', 'vpc-3'),
    'aws:userid': fc.constantFrom('AIDA1', 'XYZ'),
    'aws:username': fc.constantFrom('alice', 'bob'),
    'aws:MultiFactorAuthPresent': fc.constantFrom('true', 'false'),
    's3:max-keys': fc.constantFrom('5', '50', '500'),
    'aws:TagKeys': fc.constantFrom(['a'], ['c'], ['a', 'c']),
  },
  { requiredKeys: [] },
);

const role: RequestPrincipal = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/session`,
  accountId: ACCOUNT,
  kind: 'assumed-role',
};

function policySet(spec: RoleSpec): PolicySet {
  return {
    identityPolicies: spec.inlinePolicies.map((p) => compilePolicyOrThrow(p.document)),
    ...(spec.permissionsBoundaryArn
      ? { permissionsBoundary: compilePolicyOrThrow(lookup(spec.permissionsBoundaryArn)!) }
      : {}),
  };
}

const allowAll = compilePolicyOrThrow(doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]));
const callers: { caller: RequestPrincipal; identity: ParsedPolicy[] }[] = [
  { caller: { arn: `arn:aws:iam::${OTHER}:user/dev`, accountId: OTHER, kind: 'user' }, identity: [allowAll] },
  { caller: { arn: `arn:aws:iam::${OTHER}:user/qa`, accountId: OTHER, kind: 'user' }, identity: [allowAll] },
  { caller: { arn: `arn:aws:iam::${ACCOUNT}:role/ops`, accountId: ACCOUNT, kind: 'role' }, identity: [] },
  {
    caller: { arn: `arn:aws:iam::${ACCOUNT}:role/ops`, accountId: ACCOUNT, kind: 'role' },
    identity: [allowAll],
  },
  { caller: { arn: `arn:aws:iam::${ACCOUNT}:user/eve`, accountId: ACCOUNT, kind: 'user' }, identity: [] },
  {
    caller: { arn: 'ec2.amazonaws.com', accountId: '', kind: 'service', service: 'ec2.amazonaws.com' },
    identity: [],
  },
  {
    caller: { arn: 'lambda.amazonaws.com', accountId: '', kind: 'service', service: 'lambda.amazonaws.com' },
    identity: [],
  },
];

describe('checkNoNewAccess (property)', () => {
  it('a "grants no new access" verdict holds for every generated request, evaluated before and after', () => {
    const proven = { permissions: 0, trust: 0 };
    let requests = 0;
    fc.assert(
      fc.property(
        pairArbitrary,
        fc.array(contextArbitrary, { minLength: 4, maxLength: 4 }),
        ([before, after], contexts) => {
          const verdict = checkNoNewAccess(before, after, { lookup });
          if (verdict.permissions.grantsNoNewAccess) {
            proven.permissions += 1;
            const old = policySet(before);
            const next = policySet(after);
            for (const action of requestActions)
              for (const resource of requestResources)
                for (const context of contexts) {
                  requests += 1;
                  const request = { principal: role, action, resource, resourceAccount: ACCOUNT, context };
                  if (
                    evaluate(request, next).decision === 'allowed' &&
                    evaluate(request, old).decision !== 'allowed'
                  )
                    expect.fail(
                      `${action} on ${resource} with ${JSON.stringify(context)} is allowed only after`,
                    );
                }
          }
          if (verdict.trust.grantsNoNewAccess) {
            proven.trust += 1;
            const oldTrust = compilePolicyOrThrow((before.trustedEntity as { document: string }).document);
            const newTrust = compilePolicyOrThrow((after.trustedEntity as { document: string }).document);
            for (const { caller, identity } of callers)
              for (const context of contexts) {
                const check = (trustPolicy: ParsedPolicy) =>
                  evaluateAssumeRole({
                    caller,
                    callerPolicies: { identityPolicies: identity },
                    roleArn: `arn:aws:iam::${ACCOUNT}:role/app`,
                    roleAccount: ACCOUNT,
                    trustPolicy,
                    action: 'sts:AssumeRole',
                    context: {
                      ...context,
                      'sts:ExternalId': context['aws:SourceVpc'] === 'vpc-1' ? 'ext-1' : 'other',
                    },
                  }).decision;
                if (check(newTrust) === 'allowed' && check(oldTrust) !== 'allowed')
                  expect.fail(`${caller.arn} with ${JSON.stringify(context)} may assume only after`);
              }
          }
        },
      ),
      { seed: 20261208, numRuns: 1500 },
    );
    // The property is only worth something if "no new access" is proven often.
    expect(proven.permissions).toBeGreaterThan(200);
    expect(proven.trust).toBeGreaterThan(200);
    expect(requests).toBeGreaterThan(100_000);
  });
});
