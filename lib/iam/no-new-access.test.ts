import { beforeAll, describe, expect, it } from 'vitest';
import { awsManagedPolicyDocument } from '@/lib/iam/aws-managed-policies';
import type { Catalogue } from '@/lib/iam/catalogue';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { checkNoNewAccess } from '@/lib/iam/no-new-access';
import { roleSpecSchema, type RoleSpec, type RoleSpecInput } from '@/lib/iam/role-spec';

const ACCOUNT = '444455556666';
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/s3-get-boundary`;
const OPAQUE = `arn:aws:iam::${ACCOUNT}:policy/unknown-policy`;
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

type Statement = Record<string, unknown>;
const doc = (...statements: Statement[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (action: unknown, resource: unknown = '*', extra: Statement = {}): Statement => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
  ...extra,
});
const deny = (action: unknown, resource: unknown = '*', extra: Statement = {}): Statement => ({
  Effect: 'Deny',
  Action: action,
  Resource: resource,
  ...extra,
});

const documents: Record<string, string> = {
  [BOUNDARY]: doc(allow('s3:GetObject')),
};
const lookup = (arn: string) =>
  documents[arn] ?? (arn === OPAQUE ? undefined : awsManagedPolicyDocument(arn));

function spec(statements: Statement[] | null, overrides: Partial<RoleSpecInput> = {}): RoleSpec {
  return roleSpecSchema.parse({
    accountId: ACCOUNT,
    name: 'app-role',
    trustedEntity: { type: 'aws_account', accountId: '111122223333' },
    inlinePolicies: statements ? [{ name: 'main', document: doc(...statements) }] : [],
    ...overrides,
  });
}

let catalogue: Catalogue;
beforeAll(async () => {
  catalogue = await loadCatalogue();
});

interface Case {
  name: string;
  before: RoleSpec;
  after: RoleSpec;
  /** null: grants no new access; otherwise the first responsible statement's field and pointer. */
  expected: { field: string; pointer: string; reason?: RegExp } | null;
}

const atMain = (pointer: string, reason?: RegExp) => ({
  field: 'inlinePolicies.0.document',
  pointer,
  reason,
});
const ipCondition = (cidr: string | string[]) => ({ Condition: { IpAddress: { 'aws:SourceIp': cidr } } });

const permissionCases: Case[] = [
  {
    name: 'identical',
    before: spec([allow('s3:GetObject')]),
    after: spec([allow('s3:GetObject')]),
    expected: null,
  },
  {
    name: 'one action of a wildcard',
    before: spec([allow('s3:Get*')]),
    after: spec([allow('s3:GetObject')]),
    expected: null,
  },
  {
    name: 'a wildcard replacing one action',
    before: spec([allow('s3:GetObject')]),
    after: spec([allow('s3:Get*')]),
    expected: atMain('/Statement/0', /s3:Get\*, which no statement allowed before/),
  },
  {
    name: 'actions match ignoring case',
    before: spec([allow('S3:GETOBJECT')]),
    after: spec([allow('s3:GetObject')]),
    expected: null,
  },
  {
    name: 'fewer characters, yet s3:* replaces two actions (widening that looks narrower)',
    before: spec([allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::b/*')]),
    after: spec([allow('s3:*', 'arn:aws:s3:::b/*')]),
    expected: atMain('/Statement/0'),
  },
  {
    name: 'a narrower resource path',
    before: spec([allow('s3:GetObject', 'arn:aws:s3:::b/*')]),
    after: spec([allow('s3:GetObject', 'arn:aws:s3:::b/x/*')]),
    expected: null,
  },
  {
    name: 'a wider resource path',
    before: spec([allow('s3:GetObject', 'arn:aws:s3:::b/x/*')]),
    after: spec([allow('s3:GetObject', 'arn:aws:s3:::b/*')]),
    expected: atMain('/Statement/0', /beyond the resources allowed before/),
  },
  {
    name: 'the resource part is case-sensitive',
    before: spec([allow('s3:GetObject', 'arn:aws:s3:::b/Data/*')]),
    after: spec([allow('s3:GetObject', 'arn:aws:s3:::b/data/*')]),
    expected: atMain('/Statement/0'),
  },
  {
    name: 'a condition added (narrower)',
    before: spec([allow('s3:GetObject')]),
    after: spec([allow('s3:GetObject', '*', ipCondition('10.0.0.0/8'))]),
    expected: null,
  },
  {
    name: 'a condition removed (wider)',
    before: spec([allow('s3:GetObject', '*', ipCondition('10.0.0.0/8'))]),
    after: spec([allow('s3:GetObject')]),
    expected: atMain('/Statement/0', /without the conditions/),
  },
  {
    name: 'a condition narrowed to a smaller network',
    before: spec([allow('s3:GetObject', '*', ipCondition('10.0.0.0/8'))]),
    after: spec([allow('s3:GetObject', '*', ipCondition('10.1.0.0/16'))]),
    expected: null,
  },
  {
    name: 'a condition widened to a larger network',
    before: spec([allow('s3:GetObject', '*', ipCondition('10.1.0.0/16'))]),
    after: spec([allow('s3:GetObject', '*', ipCondition('10.0.0.0/8'))]),
    expected: atMain('/Statement/0'),
  },
  {
    name: 'a condition value added (wider)',
    before: spec([allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } })]),
    after: spec([
      allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:SourceVpc': ['vpc-1', 'vpc-2'] } } }),
    ]),
    expected: atMain('/Statement/0'),
  },
  {
    name: 'a condition value removed (narrower); a one-element list as its element',
    before: spec([
      allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:SourceVpc': ['vpc-1', 'vpc-2'] } } }),
    ]),
    after: spec([
      allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:sourcevpc': ['vpc-1'] } } }),
    ]),
    expected: null,
  },
  {
    name: 'StringLike narrowed to StringEquals within it',
    before: spec([allow('s3:GetObject', '*', { Condition: { StringLike: { 'aws:userid': 'AIDA*' } } })]),
    after: spec([allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:userid': 'AIDA123' } } })]),
    expected: null,
  },
  {
    name: 'a numeric limit lowered',
    before: spec([allow('s3:GetObject', '*', { Condition: { NumericLessThan: { 's3:max-keys': '100' } } })]),
    after: spec([
      allow('s3:GetObject', '*', { Condition: { NumericLessThanEquals: { 's3:max-keys': '10' } } }),
    ]),
    expected: null,
  },
  {
    name: 'a numeric limit raised',
    before: spec([allow('s3:GetObject', '*', { Condition: { NumericLessThan: { 's3:max-keys': '10' } } })]),
    after: spec([allow('s3:GetObject', '*', { Condition: { NumericLessThan: { 's3:max-keys': '100' } } })]),
    expected: atMain('/Statement/0'),
  },
  {
    name: 'IfExists added (holds when the key is absent: wider)',
    before: spec([allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } })]),
    after: spec([
      allow('s3:GetObject', '*', { Condition: { StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } } }),
    ]),
    expected: atMain('/Statement/0'),
  },
  {
    name: 'a condition operator the evaluator does not know',
    before: spec([allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } })]),
    after: spec([allow('s3:GetObject', '*', { Condition: { StringFuzzy: { 'aws:SourceVpc': 'vpc-1' } } })]),
    expected: atMain('/Statement/0', /StringFuzzy|stringfuzzy/i),
  },
  {
    name: 'NotAction within Action *',
    before: spec([allow('*')]),
    after: spec([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]),
    expected: null,
  },
  {
    name: 'NotAction excluding more',
    before: spec([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]),
    after: spec([{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }]),
    expected: null,
  },
  {
    name: 'NotAction excluding less',
    before: spec([{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }]),
    after: spec([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]),
    expected: atMain('/Statement/0', /every action except iam:\*/),
  },
  {
    name: 'NotAction cannot be bounded by a list of actions',
    before: spec([allow('s3:*')]),
    after: spec([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]),
    expected: atMain('/Statement/0'),
  },
  {
    name: 'an action outside an old NotAction',
    before: spec([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]),
    after: spec([allow('s3:GetObject')]),
    expected: null,
  },
  {
    name: 'an action inside an old NotAction',
    before: spec([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]),
    after: spec([allow('iam:PassRole')]),
    expected: atMain('/Statement/0'),
  },
  {
    name: 'NotResource within Resource *',
    before: spec([allow('s3:GetObject')]),
    after: spec([{ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }]),
    expected: null,
  },
  {
    name: 'NotResource excluding less',
    before: spec([
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        NotResource: ['arn:aws:s3:::secret/*', 'arn:aws:s3:::keys/*'],
      },
    ]),
    after: spec([{ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }]),
    expected: atMain('/Statement/0'),
  },
  {
    name: 'a resource outside an old NotResource',
    before: spec([{ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }]),
    after: spec([allow('s3:GetObject', 'arn:aws:s3:::public/*')]),
    expected: null,
  },
  {
    name: 'a resource meeting an old NotResource',
    before: spec([{ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }]),
    after: spec([allow('s3:GetObject', 'arn:aws:s3:::*')]),
    expected: atMain('/Statement/0'),
  },
  {
    name: 'a Deny added to a larger text (narrowing that looks wider)',
    before: spec([allow('s3:*')]),
    after: spec([
      allow('s3:*'),
      deny(['s3:DeleteObject', 's3:DeleteBucket'], '*', { Sid: 'NoDeletes' }),
      deny('s3:PutBucketPolicy', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]),
    expected: null,
  },
  {
    name: 'more statements, each within an old one (narrowing that looks wider)',
    before: spec([allow('s3:*', 'arn:aws:s3:::b/*')]),
    after: spec([
      allow('s3:GetObject', 'arn:aws:s3:::b/reports/*', { Sid: 'Reports' }),
      allow('s3:PutObject', 'arn:aws:s3:::b/uploads/*', ipCondition('10.0.0.0/8')),
      allow(['s3:GetObjectVersion', 's3:GetObjectTagging'], ['arn:aws:s3:::b/a/*', 'arn:aws:s3:::b/c/*']),
    ]),
    expected: null,
  },
  {
    name: 'a Deny removed (widening that looks narrower)',
    before: spec([allow('s3:*'), deny('s3:DeleteObject', '*', { Sid: 'NoDeletes' })]),
    after: spec([allow('s3:*')]),
    expected: atMain('/Statement/0', /no longer limited by the Deny of statement 1 \(NoDeletes\)/),
  },
  {
    name: 'a Deny narrowed',
    before: spec([allow('s3:*'), deny('s3:Delete*')]),
    after: spec([allow('s3:*'), deny('s3:DeleteObject')]),
    expected: atMain('/Statement/0'),
  },
  {
    name: 'a Deny given a condition (it applies less often)',
    before: spec([allow('s3:*'), deny('s3:DeleteObject')]),
    after: spec([
      allow('s3:*'),
      deny('s3:DeleteObject', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }),
    ]),
    expected: atMain('/Statement/0'),
  },
  {
    name: 'a Deny widened',
    before: spec([allow('s3:*'), deny('s3:DeleteObject')]),
    after: spec([allow('s3:*'), deny('s3:Delete*')]),
    expected: null,
  },
  {
    name: 'a Deny removed that no allowed action meets',
    before: spec([allow('s3:GetObject'), deny('ec2:*')]),
    after: spec([allow('s3:GetObject')]),
    expected: null,
  },
  {
    name: 'pieces of one statement covered by two old statements',
    before: spec([allow('s3:GetObject', 'arn:aws:s3:::b/*'), allow('s3:PutObject', 'arn:aws:s3:::b/in/*')]),
    after: spec([allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::b/in/*')]),
    expected: null,
  },
  {
    name: 'a piece no old statement covers',
    before: spec([allow('s3:GetObject', 'arn:aws:s3:::b/*'), allow('s3:PutObject', 'arn:aws:s3:::b/in/*')]),
    after: spec([allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::b/*')]),
    expected: atMain('/Statement/0', /s3:PutObject on arn:aws:s3:::b\/\*/),
  },
  {
    name: 'the same policy variable on both sides',
    before: spec([allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*')]),
    after: spec([allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/docs/*')]),
    expected: null,
  },
  {
    name: 'a policy variable replaced by a wildcard',
    before: spec([allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*')]),
    after: spec([allow('s3:GetObject', 'arn:aws:s3:::home/*')]),
    expected: atMain('/Statement/0'),
  },
  {
    name: 'a statement moved to another inline policy',
    before: spec([allow('s3:GetObject'), allow('sqs:SendMessage')]),
    after: spec([allow('s3:GetObject')], {
      inlinePolicies: [
        { name: 'main', document: doc(allow('s3:GetObject')) },
        { name: 'queue', document: doc(allow('sqs:SendMessage')) },
      ],
    }),
    expected: null,
  },
  {
    name: 'an AWS managed policy attached',
    before: spec([allow('s3:GetObject')]),
    after: spec([allow('s3:GetObject')], { managedPolicyArns: [READ_ONLY] }),
    expected: { field: 'managedPolicyArns.0', pointer: '/Statement/0' },
  },
  {
    name: 'an AWS managed policy detached',
    before: spec([allow('s3:GetObject')], { managedPolicyArns: [READ_ONLY] }),
    after: spec([allow('s3:GetObject')]),
    expected: null,
  },
  {
    name: 'a managed policy whose document is not known, attached',
    before: spec([allow('s3:GetObject')]),
    after: spec([allow('s3:GetObject')], { managedPolicyArns: [OPAQUE] }),
    expected: { field: 'managedPolicyArns.0', pointer: '', reason: /not known/ },
  },
  {
    name: 'a managed policy whose document is not known, detached (it may hold a Deny)',
    before: spec([allow('s3:GetObject')], { managedPolicyArns: [OPAQUE] }),
    after: spec([allow('s3:GetObject')]),
    expected: { field: 'managedPolicyArns.0', pointer: '', reason: /may hold a Deny/ },
  },
  {
    name: 'a managed policy whose document is not known, kept',
    before: spec([allow('s3:GetObject')], { managedPolicyArns: [OPAQUE] }),
    after: spec([allow('s3:GetObject', 'arn:aws:s3:::b/*')], { managedPolicyArns: [OPAQUE] }),
    expected: null,
  },
  {
    name: 'a permissions boundary added',
    before: spec([allow('s3:*')]),
    after: spec([allow('s3:*')], { permissionsBoundaryArn: BOUNDARY }),
    expected: null,
  },
  {
    name: 'a permissions boundary removed',
    before: spec([allow('s3:*')], { permissionsBoundaryArn: BOUNDARY }),
    after: spec([allow('s3:*')]),
    expected: atMain('/Statement/0', /outside the permissions boundary/),
  },
  {
    name: 'a wider policy held within the old one by a new boundary',
    before: spec([allow('s3:GetObject')]),
    after: spec([allow('s3:*')], { permissionsBoundaryArn: BOUNDARY }),
    expected: null,
  },
  {
    name: 'tags changed while a statement tests them',
    before: spec([
      allow('s3:*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'admins' } } }),
    ]),
    after: spec(
      [allow('s3:*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'admins' } } })],
      {
        tags: [{ key: 'team', value: 'admins' }],
      },
    ),
    expected: atMain('/Statement/0', /tags/),
  },
  {
    name: "the boundary is the role's own new managed policy, and the change widens its document",
    before: spec([allow('s3:*')], {
      newManagedPolicies: [{ name: 'own-boundary', document: doc(allow('s3:GetObject')) }],
      permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/own-boundary`,
    }),
    after: spec([allow('s3:*')], {
      newManagedPolicies: [{ name: 'own-boundary', document: doc(allow('s3:*')) }],
      permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/own-boundary`,
    }),
    expected: atMain('/Statement/0', /outside the permissions boundary/),
  },
  {
    name: 'a lone Statement object is pointed at as /Statement',
    before: spec([allow('s3:GetObject')]),
    after: spec(null, {
      inlinePolicies: [
        {
          name: 'main',
          document: JSON.stringify({ Version: '2012-10-17', Statement: allow('s3:PutObject') }),
        },
      ],
    }),
    expected: atMain('/Statement'),
  },
];

const trustCases: Case[] = [
  { name: 'same account', before: spec([]), after: spec([]), expected: null },
  {
    name: 'MFA required (narrower)',
    before: spec([]),
    after: spec([], { trustedEntity: { type: 'aws_account', accountId: '111122223333', requireMfa: true } }),
    expected: null,
  },
  {
    name: 'external ID required (narrower)',
    before: spec([]),
    after: spec([], {
      trustedEntity: { type: 'aws_account', accountId: '111122223333', externalId: 'ext-12345' },
    }),
    expected: null,
  },
  {
    name: 'MFA no longer required (wider)',
    before: spec([], { trustedEntity: { type: 'aws_account', accountId: '111122223333', requireMfa: true } }),
    after: spec([]),
    expected: { field: 'trustedEntity', pointer: '/Statement/0', reason: /weaker conditions/ },
  },
  {
    name: 'another account trusted',
    before: spec([]),
    after: spec([], { trustedEntity: { type: 'aws_account', accountId: '777788889999' } }),
    expected: { field: 'trustedEntity', pointer: '/Statement/0', reason: /account 777788889999/ },
  },
  {
    name: 'one role of the trusted account (another account: narrower)',
    before: spec([]),
    after: spec([], {
      trustedEntity: {
        type: 'custom',
        document: doc({
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:role/deployer' },
          Action: 'sts:AssumeRole',
        }),
      },
    }),
    expected: null,
  },
  {
    name: 'one role of the own account instead of the account (it no longer needs an identity policy)',
    before: spec([], { trustedEntity: { type: 'aws_account', accountId: ACCOUNT } }),
    after: spec([], {
      trustedEntity: {
        type: 'custom',
        document: doc({
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/deployer` },
          Action: 'sts:AssumeRole',
        }),
      },
    }),
    expected: { field: 'trustedEntity', pointer: '/Statement/0' },
  },
  {
    name: 'a service added',
    before: spec([], { trustedEntity: { type: 'aws_service', services: ['ec2.amazonaws.com'] } }),
    after: spec([], {
      trustedEntity: { type: 'aws_service', services: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] },
    }),
    expected: { field: 'trustedEntity', pointer: '/Statement/0', reason: /lambda\.amazonaws\.com/ },
  },
  {
    name: 'a service removed',
    before: spec([], {
      trustedEntity: { type: 'aws_service', services: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] },
    }),
    after: spec([], { trustedEntity: { type: 'aws_service', services: ['ec2.amazonaws.com'] } }),
    expected: null,
  },
  {
    name: 'a trust Deny removed',
    before: spec([], {
      trustedEntity: {
        type: 'custom',
        document: doc(
          { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' },
          {
            Effect: 'Deny',
            Principal: { AWS: 'arn:aws:iam::111122223333:user/mallory' },
            Action: 'sts:AssumeRole',
          },
        ),
      },
    }),
    after: spec([], {
      trustedEntity: {
        type: 'custom',
        document: doc({ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }),
      },
    }),
    expected: { field: 'trustedEntity', pointer: '/Statement/0', reason: /Deny/ },
  },
  {
    name: "tags changed while the trust policy tests the role's tags (aws:ResourceTag)",
    before: spec([], {
      trustedEntity: {
        type: 'custom',
        document: doc({
          Effect: 'Allow',
          Principal: { AWS: '111122223333' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:ResourceTag/open': 'yes' } },
        }),
      },
    }),
    after: spec([], {
      trustedEntity: {
        type: 'custom',
        document: doc({
          Effect: 'Allow',
          Principal: { AWS: '111122223333' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:ResourceTag/open': 'yes' } },
        }),
      },
      tags: [{ key: 'open', value: 'yes' }],
    }),
    expected: { field: 'trustedEntity', pointer: '/Statement/0', reason: /tags/ },
  },
];

function check({ before, after, expected }: Case) {
  const verdict = checkNoNewAccess(before, after, { lookup, catalogue });
  if (expected === null) {
    expect(verdict.permissions.statements).toEqual([]);
    expect(verdict.trust.statements).toEqual([]);
    expect(verdict.grantsNoNewAccess).toBe(true);
    return;
  }
  expect(verdict.grantsNoNewAccess).toBe(false);
  const first = [...verdict.permissions.statements, ...verdict.trust.statements][0]!;
  expect({ field: first.field, pointer: first.pointer }).toEqual({
    field: expected.field,
    pointer: expected.pointer,
  });
  if (expected.reason) expect(first.reasons.join(' ')).toMatch(expected.reason);
}

describe('checkNoNewAccess: permissions', () => {
  it.each(permissionCases)('$name', check);

  it('illustrates a widening with a request the evaluator allows after and refused before', () => {
    const verdict = checkNoNewAccess(
      spec([allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::b/*')]),
      spec([allow('s3:*', 'arn:aws:s3:::b/*')]),
      { lookup, catalogue },
    );
    expect(verdict.permissions.statements[0]!.reasons.at(-1)).toMatch(
      /^For example, s3:\w+ on arn:aws:s3:::b\/example is allowed after the change and was not before\.$/,
    );
  });
});

describe('checkNoNewAccess: trust', () => {
  it.each(trustCases)('$name', check);
});
