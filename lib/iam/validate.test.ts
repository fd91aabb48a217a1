import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalogue } from '@/lib/iam/catalogue';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { policyDocumentSchema } from '@/lib/iam/policy';
import {
  FINDING_CODES,
  policySize,
  validatePolicy,
  type FindingCode,
  type ValidatedPolicyKind,
  type ValidatePolicyOptions,
} from '@/lib/iam/validate';

type Statement = Record<string, unknown>;
const doc = (...statements: Statement[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
const allow = (Action: unknown, Resource: unknown, extra: Statement = {}): Statement => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});
const deny = (Action: unknown, Resource: unknown, extra: Statement = {}): Statement => ({
  Effect: 'Deny',
  Action,
  Resource,
  ...extra,
});
const trust = (Principal: unknown, Action: unknown = 'sts:AssumeRole', extra: Statement = {}): Statement => ({
  Effect: 'Allow',
  Principal,
  Action,
  ...extra,
});
const condition = (operator: string, key: string, value: unknown): Statement => ({
  Condition: { [operator]: { [key]: value } },
});

const GITHUB = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';
const SAML = 'arn:aws:iam::111122223333:saml-provider/Okta';
const bigPolicy = doc(
  ...Array.from({ length: 60 }, (_, n) =>
    allow(['s3:GetObject', 's3:PutObject'], `arn:aws:s3:::bucket-number-${n}/reports/*`),
  ),
);

interface Case {
  code: FindingCode;
  kind?: ValidatedPolicyKind;
  options?: ValidatePolicyOptions;
  /** A policy that must raise `code` at `path`. */
  raise: string;
  path: string;
  /** A close policy that must not raise `code`. */
  clean: string;
  cleanOptions?: ValidatePolicyOptions;
}

const cases: Case[] = [
  {
    code: 'json_syntax',
    raise: '{"Version": "2012-10-17",}',
    path: '',
    clean: doc(allow('s3:GetObject', '*')),
  },
  {
    code: 'invalid_character',
    raise: doc(allow('s3:GetObject', 'arn:aws:s3:::b/\u0101')),
    path: '',
    clean: doc(allow('s3:GetObject', 'arn:aws:s3:::b/\u00e9')),
  },
  {
    code: 'document_not_object',
    raise: '[]',
    path: '',
    clean: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
  },
  {
    code: 'unknown_element',
    raise: doc({ Effect: 'Allow', Actions: 's3:GetObject', Action: 's3:GetObject', Resource: '*' }),
    path: '/Statement/0/Actions',
    clean: doc(allow('s3:GetObject', '*')),
  },
  {
    code: 'invalid_element_type',
    raise: doc(allow(5, '*')),
    path: '/Statement/0/Action',
    clean: doc(allow('s3:GetObject', '*')),
  },
  {
    code: 'empty_value',
    raise: doc(allow([], '*')),
    path: '/Statement/0/Action',
    clean: doc(allow(['s3:GetObject'], '*')),
  },
  {
    code: 'duplicate_key',
    raise:
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
    path: '/Statement/0/Effect',
    clean: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
  },
  {
    code: 'unknown_version',
    raise: JSON.stringify({ Version: '2020-01-01', Statement: [allow('s3:GetObject', '*')] }),
    path: '/Version',
    clean: doc(allow('s3:GetObject', '*')),
  },
  {
    code: 'missing_version',
    raise: JSON.stringify({ Statement: [allow('s3:GetObject', '*')] }),
    path: '',
    clean: doc(allow('s3:GetObject', '*')),
  },
  {
    code: 'legacy_version',
    raise: JSON.stringify({ Version: '2008-10-17', Statement: [allow('s3:GetObject', '*')] }),
    path: '/Version',
    clean: doc(allow('s3:GetObject', '*')),
  },
  {
    code: 'missing_statement',
    raise: '{"Version": "2012-10-17"}',
    path: '',
    clean: doc(allow('s3:GetObject', '*')),
  },
  {
    code: 'missing_effect',
    raise: doc({ Action: 's3:GetObject', Resource: '*' }),
    path: '/Statement/0',
    clean: doc(allow('s3:GetObject', '*')),
  },
  {
    code: 'invalid_effect',
    raise: doc({ Effect: 'allow', Action: 's3:GetObject', Resource: '*' }),
    path: '/Statement/0/Effect',
    clean: doc(allow('s3:GetObject', '*')),
  },
  {
    code: 'missing_action',
    raise: doc({ Effect: 'Allow', Resource: '*' }),
    path: '/Statement/0',
    clean: doc(allow('s3:GetObject', '*')),
  },
  {
    code: 'missing_resource',
    raise: doc({ Effect: 'Allow', Action: 's3:GetObject' }),
    path: '/Statement/0',
    clean: doc(allow('s3:GetObject', '*')),
  },
  {
    code: 'conflicting_elements',
    raise: doc(allow('s3:GetObject', '*', { NotAction: 's3:PutObject' })),
    path: '/Statement/0/NotAction',
    clean: doc(allow('s3:GetObject', '*')),
  },
  {
    code: 'invalid_sid',
    raise: doc(allow('s3:GetObject', '*', { Sid: 'read-only' })),
    path: '/Statement/0/Sid',
    clean: doc(allow('s3:GetObject', '*', { Sid: 'ReadOnly1' })),
  },
  {
    code: 'duplicate_sid',
    raise: doc(allow('s3:GetObject', '*', { Sid: 'A' }), allow('s3:PutObject', '*', { Sid: 'A' })),
    path: '/Statement/1/Sid',
    clean: doc(allow('s3:GetObject', '*', { Sid: 'A' }), allow('s3:PutObject', '*', { Sid: 'B' })),
  },
  {
    code: 'principal_not_allowed',
    raise: doc(allow('s3:GetObject', '*', { Principal: '*' })),
    path: '/Statement/0/Principal',
    clean: doc(allow('s3:GetObject', '*')),
  },
  {
    code: 'policy_too_large',
    raise: bigPolicy,
    path: '',
    clean: bigPolicy,
    cleanOptions: { identityPolicyType: 'inline' },
  },
  {
    code: 'invalid_action_format',
    raise: doc(allow('s3GetObject', '*')),
    path: '/Statement/0/Action',
    clean: doc(allow('s3:GetObject', '*')),
  },
  {
    code: 'unknown_service',
    raise: doc(allow('s4:GetObject', '*')),
    path: '/Statement/0/Action',
    clean: doc(allow('s3:GetObject', '*')),
  },
  {
    code: 'unknown_action',
    raise: doc(allow('s3:GetObjects', '*')),
    path: '/Statement/0/Action',
    clean: doc(allow('s3:getobject', '*')),
  },
  {
    code: 'action_wildcard_matches_nothing',
    raise: doc(allow('s3:Fly*', '*')),
    path: '/Statement/0/Action',
    clean: doc(allow('s3:Get*', '*')),
  },
  {
    code: 'action_matches_no_resource',
    raise: doc(allow('s3:ListAllMyBuckets', 'arn:aws:s3:::logs')),
    path: '/Statement/0/Action',
    clean: doc(allow('s3:ListAllMyBuckets', '*')),
  },
  {
    code: 'redundant_action',
    raise: doc(allow(['s3:GetObject', 's3:Get*'], '*')),
    path: '/Statement/0/Action/0',
    clean: doc(allow(['s3:GetObject', 's3:PutObject'], '*')),
  },
  {
    code: 'invalid_arn',
    raise: doc(allow('iam:PassRole', 'arn:aws:iam:us-east-1:111122223333:role/app')),
    path: '/Statement/0/Resource',
    clean: doc(allow('iam:PassRole', 'arn:aws:iam::111122223333:role/app')),
  },
  {
    code: 'resource_matches_no_action',
    raise: doc(allow('s3:GetObject', 'arn:aws:ec2:eu-west-1:111122223333:instance/i-1')),
    path: '/Statement/0/Resource',
    clean: doc(allow('s3:GetObject', 'arn:aws:s3:::logs/*')),
  },
  {
    code: 'resource_type_mismatch',
    raise: doc(allow('s3:GetObject', 'arn:aws:s3:::logs')),
    path: '/Statement/0/Resource',
    clean: doc(allow('s3:GetObject', 'arn:aws:s3:::logs/*')),
  },
  {
    code: 'redundant_resource',
    raise: doc(allow('s3:GetObject', ['arn:aws:s3:::logs/*', 'arn:aws:s3:::logs/2026/x'])),
    path: '/Statement/0/Resource/1',
    clean: doc(allow('s3:GetObject', ['arn:aws:s3:::logs/*', 'arn:aws:s3:::data/x'])),
  },
  {
    code: 'unknown_condition_operator',
    raise: doc(allow('s3:GetObject', '*', condition('StringEqual', 'aws:PrincipalAccount', '111122223333'))),
    path: '/Statement/0/Condition/StringEqual',
    clean: doc(
      allow('s3:GetObject', '*', condition('StringEqualsIfExists', 'aws:PrincipalAccount', '111122223333')),
    ),
  },
  {
    code: 'unknown_condition_key',
    raise: doc(allow('s3:GetObject', '*', condition('IpAddress', 'aws:SourceIpp', '203.0.113.0/24'))),
    path: '/Statement/0/Condition/IpAddress/aws:SourceIpp',
    clean: doc(allow('s3:GetObject', '*', condition('IpAddress', 'aws:sourceip', '203.0.113.0/24'))),
  },
  {
    code: 'condition_key_not_supported',
    raise: doc(allow('s3:GetObject', '*', condition('StringEquals', 'ec2:InstanceType', 't3.micro'))),
    path: '/Statement/0/Condition/StringEquals/ec2:InstanceType',
    clean: doc(allow('s3:GetObject', '*', condition('StringEquals', 's3:ExistingObjectTag/team', 'data'))),
  },
  {
    code: 'invalid_condition_value',
    raise: doc(allow('s3:GetObject', '*', condition('Bool', 'aws:SecureTransport', 'yes'))),
    path: '/Statement/0/Condition/Bool/aws:SecureTransport',
    clean: doc(allow('s3:GetObject', '*', condition('Bool', 'aws:SecureTransport', 'true'))),
  },
  {
    code: 'operator_type_mismatch',
    raise: doc(allow('s3:GetObject', '*', condition('NumericEquals', 'aws:SourceIp', '1'))),
    path: '/Statement/0/Condition/NumericEquals/aws:SourceIp',
    clean: doc(allow('s3:GetObject', '*', condition('NotIpAddress', 'aws:SourceIp', '203.0.113.0/24'))),
  },
  {
    code: 'set_operator_on_single_valued_key',
    raise: doc(
      allow(
        's3:GetObject',
        '*',
        condition('ForAllValues:StringEquals', 'aws:PrincipalAccount', ['111122223333']),
      ),
    ),
    path: '/Statement/0/Condition/ForAllValues:StringEquals/aws:PrincipalAccount',
    clean: doc(
      allow('s3:PutObjectTagging', '*', condition('ForAllValues:StringEquals', 'aws:TagKeys', ['team'])),
    ),
  },
  {
    code: 'missing_qualifier',
    raise: doc(allow('s3:PutObjectTagging', '*', condition('StringEquals', 'aws:TagKeys', 'team'))),
    path: '/Statement/0/Condition/StringEquals/aws:TagKeys',
    clean: doc(
      allow('s3:PutObjectTagging', '*', condition('ForAnyValue:StringEquals', 'aws:TagKeys', 'team')),
    ),
  },
  {
    code: 'missing_set_operator',
    raise: doc(
      allow('events:PutRule', '*', condition('StringEquals', 'events:detail-type', 'Scheduled Event')),
    ),
    path: '/Statement/0/Condition/StringEquals/events:detail-type',
    clean: doc(
      allow(
        'events:PutRule',
        '*',
        condition('ForAnyValue:StringEquals', 'events:detail-type', 'Scheduled Event'),
      ),
    ),
  },
  {
    code: 'allow_with_not_action',
    raise: doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }),
    path: '/Statement/0/NotAction',
    clean: doc({ Effect: 'Deny', NotAction: 'iam:*', Resource: '*' }),
  },
  {
    code: 'allow_with_not_resource',
    raise: doc({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }),
    path: '/Statement/0/NotResource',
    clean: doc({ Effect: 'Deny', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }),
  },
  {
    code: 'redundant_statement',
    raise: doc(allow('s3:GetObject', 'arn:aws:s3:::logs/*'), allow('s3:Get*', 'arn:aws:s3:::logs/*')),
    path: '/Statement/0',
    clean: doc(allow('s3:GetObject', 'arn:aws:s3:::logs/*'), allow('s3:Get*', 'arn:aws:s3:::data/*')),
  },
  {
    code: 'boundary_no_allow',
    kind: 'boundary',
    raise: doc(deny('iam:*', '*')),
    path: '/Statement',
    clean: doc(deny('iam:*', '*'), allow('s3:*', '*')),
  },
  {
    code: 'invalid_principal',
    kind: 'trust',
    raise: doc(trust({ AWS: 'arn:aws:iam::111122223333:role/*' })),
    path: '/Statement/0/Principal/AWS',
    clean: doc(trust({ AWS: 'arn:aws:iam::111122223333:role/app' })),
  },
  // Access Analyzer policy check reference:
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
  {
    code: 'variable_unsupported_in_version',
    raise: JSON.stringify({
      Version: '2008-10-17',
      Statement: [allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*')],
    }),
    path: '/Statement/0/Resource',
    clean: doc(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*')),
  },
  {
    code: 'variable_unsupported_in_element',
    raise: doc(allow('s3:${aws:username}', '*')),
    path: '/Statement/0/Action',
    clean: doc(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*')),
  },
  {
    code: 'variable_invalid_for_operator',
    raise: doc(
      allow('s3:GetObject', '*', condition('DateLessThan', 'aws:CurrentTime', '${aws:TokenIssueTime}')),
    ),
    path: '/Statement/0/Condition/DateLessThan/aws:CurrentTime',
    clean: doc(
      allow('s3:GetObject', '*', condition('StringEquals', 'aws:PrincipalTag/team', '${aws:username}')),
    ),
  },
  {
    code: 'variable_missing_brace',
    raise: doc(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username/*')),
    path: '/Statement/0/Resource',
    clean: doc(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*')),
  },
  {
    code: 'variable_unsupported_symbol',
    raise: doc(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:user!name}/*')),
    path: '/Statement/0/Resource',
    clean: doc(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*')),
  },
  {
    code: 'variable_missing_quote',
    raise: doc(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:PrincipalTag/team, none}/*')),
    path: '/Statement/0/Resource',
    clean: doc(allow('s3:GetObject', "arn:aws:s3:::home/${aws:PrincipalTag/team, 'none'}/*")),
  },
  {
    code: 'variable_space',
    raise: doc(allow('s3:GetObject', 'arn:aws:s3:::home/${aws: username}/*')),
    path: '/Statement/0/Resource',
    clean: doc(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*')),
  },
  {
    code: 'variable_empty',
    raise: doc(allow('s3:GetObject', '*', condition('StringEquals', 'aws:PrincipalTag/team', '${}'))),
    path: '/Statement/0/Condition/StringEquals/aws:PrincipalTag~1team',
    clean: doc(allow('s3:GetObject', '*', condition('StringEquals', 'aws:PrincipalTag/team', '${*}'))),
  },
  {
    code: 'multiple_bool_values',
    raise: doc(deny('s3:*', '*', condition('Bool', 'aws:SecureTransport', ['false', 'true']))),
    path: '/Statement/0/Condition/Bool/aws:SecureTransport',
    clean: doc(deny('s3:*', '*', condition('Bool', 'aws:SecureTransport', ['false']))),
  },
  {
    code: 'duplicate_condition_key_case',
    raise: doc(
      allow('s3:GetObject', '*', {
        Condition: { StringEquals: { 'aws:PrincipalTag/team': 'a', 'aws:principaltag/team': 'b' } },
      }),
    ),
    path: '/Statement/0/Condition/StringEquals/aws:principaltag~1team',
    clean: doc(allow('s3:GetObject', '*', condition('StringEquals', 'aws:PrincipalTag/team', ['a', 'b']))),
  },
  {
    code: 'private_ip_address',
    raise: doc(
      allow('s3:GetObject', '*', condition('IpAddress', 'aws:SourceIp', ['10.0.0.0/8', '192.168.1.0/24'])),
    ),
    path: '/Statement/0/Condition/IpAddress/aws:SourceIp',
    clean: doc(allow('s3:GetObject', '*', condition('IpAddress', 'aws:VpcSourceIp', '10.0.0.0/8'))),
  },
  {
    code: 'private_not_ip_address',
    raise: doc(deny('s3:GetObject', '*', condition('NotIpAddress', 'aws:SourceIp', '172.16.0.0/12'))),
    path: '/Statement/0/Condition/NotIpAddress/aws:SourceIp',
    clean: doc(deny('s3:GetObject', '*', condition('NotIpAddress', 'aws:SourceIp', '203.0.113.0/24'))),
  },
  {
    code: 'private_ip_address_subset',
    raise: doc(
      allow('s3:GetObject', '*', condition('IpAddress', 'aws:SourceIp', ['203.0.113.0/24', '10.1.0.0/16'])),
    ),
    path: '/Statement/0/Condition/IpAddress/aws:SourceIp',
    clean: doc(
      allow('s3:GetObject', '*', condition('IpAddress', 'aws:SourceIp', ['203.0.113.0/24', '0.0.0.0/0'])),
    ),
  },
  {
    code: 'private_not_ip_address_subset',
    raise: doc(
      deny('s3:GetObject', '*', condition('NotIpAddress', 'aws:SourceIp', ['203.0.113.0/24', 'fd00::/8'])),
    ),
    path: '/Statement/0/Condition/NotIpAddress/aws:SourceIp',
    clean: doc(
      deny(
        's3:GetObject',
        '*',
        condition('NotIpAddress', 'aws:SourceIp', ['203.0.113.0/24', '2001:db8::/32']),
      ),
    ),
  },
  {
    code: 'invalid_service_principal',
    kind: 'trust',
    raise: doc(trust({ Service: 'lambda.amazonaws' })),
    path: '/Statement/0/Principal/Service',
    clean: doc(trust({ Service: 'lambda.amazonaws.com' })),
  },
  {
    code: 'trust_roles_anywhere_missing_action',
    kind: 'trust',
    raise: doc(trust({ Service: 'rolesanywhere.amazonaws.com' }, ['sts:AssumeRole', 'sts:TagSession'])),
    path: '/Statement/0/Action',
    clean: doc(
      trust({ Service: 'rolesanywhere.amazonaws.com' }, [
        'sts:AssumeRole',
        'sts:TagSession',
        'sts:SetSourceIdentity',
      ]),
    ),
  },
  {
    code: 'invalid_external_id',
    kind: 'trust',
    raise: doc(
      trust(
        { AWS: 'arn:aws:iam::444455556666:root' },
        'sts:AssumeRole',
        condition('StringEquals', 'sts:ExternalId', 'my id'),
      ),
    ),
    path: '/Statement/0/Condition/StringEquals/sts:ExternalId',
    clean: doc(
      trust(
        { AWS: 'arn:aws:iam::444455556666:root' },
        'sts:AssumeRole',
        condition('StringEquals', 'sts:ExternalId', 'my-id'),
      ),
    ),
  },
  {
    code: 'trust_missing_principal',
    kind: 'trust',
    raise: doc({ Effect: 'Allow', Action: 'sts:AssumeRole' }),
    path: '/Statement/0',
    clean: doc(trust({ AWS: '111122223333' })),
  },
  {
    code: 'trust_not_principal',
    kind: 'trust',
    raise: doc({ Effect: 'Deny', NotPrincipal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }),
    path: '/Statement/0/NotPrincipal',
    clean: doc({ Effect: 'Deny', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }),
  },
  {
    code: 'trust_resource_not_allowed',
    kind: 'trust',
    raise: doc(trust({ AWS: '111122223333' }, 'sts:AssumeRole', { Resource: '*' })),
    path: '/Statement/0/Resource',
    clean: doc(trust({ AWS: '111122223333' })),
  },
  {
    code: 'trust_action_not_allowed',
    kind: 'trust',
    raise: doc(trust({ AWS: '111122223333' }, 'sts:GetCallerIdentity')),
    path: '/Statement/0/Action',
    clean: doc(trust({ AWS: '111122223333' }, ['sts:AssumeRole', 'sts:TagSession'])),
  },
  {
    code: 'trust_action_wildcard',
    kind: 'trust',
    raise: doc(trust({ AWS: '111122223333' }, 'sts:AssumeRole*')),
    path: '/Statement/0/Action',
    clean: doc(trust({ AWS: '111122223333' }, 'sts:AssumeRole')),
  },
  {
    code: 'trust_federated_action_mismatch',
    kind: 'trust',
    raise: doc(
      trust(
        { Federated: SAML },
        'sts:AssumeRole',
        condition('StringEquals', 'SAML:aud', 'https://signin.aws.amazon.com/saml'),
      ),
    ),
    path: '/Statement/0/Principal/Federated',
    clean: doc(
      trust(
        { Federated: SAML },
        'sts:AssumeRoleWithSAML',
        condition('StringEquals', 'SAML:aud', 'https://signin.aws.amazon.com/saml'),
      ),
    ),
  },
  {
    code: 'trust_oidc_missing_audience',
    kind: 'trust',
    raise: doc(
      trust(
        { Federated: GITHUB },
        'sts:AssumeRoleWithWebIdentity',
        condition('StringLike', 'token.actions.githubusercontent.com:sub', 'repo:acme/app:*'),
      ),
    ),
    path: '/Statement/0/Principal/Federated',
    clean: doc(
      trust({ Federated: GITHUB }, 'sts:AssumeRoleWithWebIdentity', {
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:*' },
        },
      }),
    ),
  },
  {
    code: 'trust_oidc_missing_subject',
    kind: 'trust',
    raise: doc(
      trust(
        { Federated: GITHUB },
        'sts:AssumeRoleWithWebIdentity',
        condition('StringEquals', 'token.actions.githubusercontent.com:aud', 'sts.amazonaws.com'),
      ),
    ),
    path: '/Statement/0/Principal/Federated',
    clean: doc(
      trust({ Federated: GITHUB }, 'sts:AssumeRoleWithWebIdentity', {
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main' },
        },
      }),
    ),
  },
  {
    code: 'trust_public_principal',
    kind: 'trust',
    raise: doc(trust('*')),
    path: '/Statement/0/Principal',
    clean: doc(trust('*', 'sts:AssumeRole', condition('StringEquals', 'aws:PrincipalOrgID', 'o-abc123'))),
  },
  {
    code: 'trust_third_party_missing_external_id',
    kind: 'trust',
    options: { isForThirdParty: true, accountId: '111122223333' },
    raise: doc(trust({ AWS: 'arn:aws:iam::444455556666:root' })),
    path: '/Statement/0/Principal/AWS',
    clean: doc(
      trust(
        { AWS: 'arn:aws:iam::444455556666:root' },
        'sts:AssumeRole',
        condition('StringEquals', 'sts:ExternalId', 'f3a1-77'),
      ),
    ),
  },
];

describe('validatePolicy: every finding code, both directions', () => {
  let catalogue: Catalogue;
  beforeAll(async () => {
    catalogue = await loadCatalogue();
  });

  it('has a case for every finding code', () => {
    expect(new Set(cases.map((entry) => entry.code))).toEqual(new Set(Object.keys(FINDING_CODES)));
  });

  it.each(cases)(
    '$code: raised at $path, not raised by the close case',
    ({ code, kind = 'identity', options, raise, path, clean, cleanOptions }) => {
      const raised = validatePolicy(raise, kind, { catalogue, ...options });
      const match = raised.find((finding) => finding.code === code);
      expect(match, JSON.stringify(raised, null, 1)).toBeDefined();
      expect(match!.path).toBe(path);
      expect(match!.message.length).toBeGreaterThan(20);
      expect(match!.line).toBeGreaterThanOrEqual(1);
      expect(match!.column).toBeGreaterThanOrEqual(1);
      // The range an editor underlines is not empty: it ends after it starts.
      const at = (line: number, column: number) => line * 100_000 + column;
      expect(at(match!.endLine, match!.endColumn)).toBeGreaterThan(at(match!.line, match!.column));
      const other = validatePolicy(clean, kind, { catalogue, ...(cleanOptions ?? options) });
      expect(other.filter((finding) => finding.code === code)).toEqual([]);
    },
  );
});

describe('validatePolicy: positions, severities and values', () => {
  let catalogue: Catalogue;
  beforeAll(async () => {
    catalogue = await loadCatalogue();
  });

  it('gives the line and column of a JSON syntax error', () => {
    const [finding] = validatePolicy(
      '{\n  "Version": "2012-10-17",\n  "Statement": [\n  ]\n  ,\n}',
      'identity',
    );
    expect(finding).toMatchObject({ code: 'json_syntax', severity: 'error', path: '', line: 6, column: 1 });
  });

  it('points at the offending token', () => {
    const text = doc(allow('s3:GetObject', '*'), allow(['s3:PutObject', 's3:Nope'], '*'));
    const finding = validatePolicy(text, 'identity', { catalogue }).find(
      (entry) => entry.code === 'unknown_action',
    );
    const offset = text.indexOf('"s3:Nope"');
    const before = text.slice(0, offset).split('\n');
    expect(finding).toMatchObject({
      path: '/Statement/1/Action/1',
      line: before.length,
      column: before.at(-1)!.length + 1,
    });
  });

  it('ends each finding where its token ends, so that an editor can underline the range', () => {
    const text = doc(allow('s3:GetObject', '*'), allow(['s3:PutObject', 's3:Nope'], '*'));
    const findings = validatePolicy(text, 'identity', { catalogue });
    const unknown = findings.find((entry) => entry.code === 'unknown_action')!;
    expect(unknown.endLine).toBe(unknown.line);
    expect(unknown.endColumn).toBe(unknown.column + '"s3:Nope"'.length);

    // A key: the finding ends after the key's closing quote.
    const keyed = validatePolicy('{"Version": "2012-10-17", "Statment": []}', 'identity');
    expect(keyed.find((entry) => entry.code === 'unknown_element')).toMatchObject({
      line: 1,
      column: 27,
      endLine: 1,
      endColumn: 27 + '"Statment"'.length,
    });

    // A statement: from its "{" to just after its "}", over several lines.
    const multi =
      '{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Action": "s3:GetObject",\n    "Resource": "*"\n  }]\n}';
    expect(validatePolicy(multi, 'identity').find((entry) => entry.code === 'missing_effect')).toMatchObject({
      path: '/Statement/0',
      line: 3,
      column: 17,
      endLine: 6,
      endColumn: 4,
    });

    // A syntax error: one character at the error.
    expect(validatePolicy('{"a": tru}', 'identity')[0]).toMatchObject({
      code: 'json_syntax',
      column: 7,
      endLine: 1,
      endColumn: 8,
    });
  });

  it('points into a Statement written as a single object', () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: allow('s3:GetObjects', '*') });
    const finding = validatePolicy(text, 'identity', { catalogue }).find(
      (entry) => entry.code === 'unknown_action',
    );
    expect(finding).toMatchObject({
      path: '/Statement/Action',
      line: 1,
      column: text.indexOf('"s3:GetObjects"') + 1,
    });
  });

  it.each([
    {
      text: JSON.stringify({ Statement: [allow('s3:GetObject', '*')] }),
      kind: 'identity' as const,
      options: {},
      code: 'missing_version',
      severity: 'warning',
    },
    {
      text: JSON.stringify({ Statement: [allow('s3:GetObject', '*')] }),
      kind: 'identity' as const,
      options: { identityPolicyType: 'inline' as const },
      code: 'missing_version',
      severity: 'warning',
    },
    {
      text: JSON.stringify({ Statement: [trust({ AWS: '111122223333' })] }),
      kind: 'trust' as const,
      options: {},
      code: 'missing_version',
      severity: 'warning',
    },
    {
      text: doc(trust({ AWS: '111122223333' }, 'sts:AssumeRole', { Sid: 'from-ops' })),
      kind: 'trust' as const,
      options: {},
      code: 'invalid_sid',
      severity: 'warning',
    },
    {
      text: doc(allow('s3:GetObject', '*', { Condition: { StringEqual: {} } })),
      kind: 'identity' as const,
      options: {},
      code: 'unknown_condition_operator',
      severity: 'warning',
    },
  ])('$code is a $severity for $kind $options', ({ text, kind, options, code, severity }) => {
    expect(validatePolicy(text, kind, options).find((finding) => finding.code === code)?.severity).toBe(
      severity,
    );
  });

  it.each([
    { operator: 'DateGreaterThan', key: 'aws:CurrentTime', bad: '31/01/2026', good: '2026-01-31T00:00:00Z' },
    { operator: 'DateLessThan', key: 'aws:EpochTime', bad: 'soon', good: 1767225600 },
    { operator: 'IpAddress', key: 'aws:SourceIp', bad: '10.0.0.300/8', good: '2001:db8::/32' },
    { operator: 'ArnLike', key: 'aws:SourceArn', bad: 'my-bucket', good: 'arn:aws:s3:::my-bucket' },
    { operator: 'Null', key: 'aws:TokenIssueTime', bad: 'maybe', good: true },
    { operator: 'Bool', key: 'aws:MultiFactorAuthPresent', bad: 1, good: false },
    { operator: 'StringEquals', key: 'aws:username', bad: null, good: '${aws:username}' },
  ])('$operator values: $bad is refused, $good accepted', ({ operator, key, bad, good }) => {
    const codes = (value: unknown): string[] =>
      validatePolicy(
        doc(allow('s3:ListBucket', 'arn:aws:s3:::logs', condition(operator, key, value))),
        'identity',
        { catalogue },
      )
        .filter((finding) => finding.severity === 'error')
        .map((finding) => finding.code);
    if (bad !== null) expect(codes(bad)).toEqual(['invalid_condition_value']);
    expect(codes(good)).toEqual([]);
  });

  it.each([
    {
      name: 'a least-privilege identity policy',
      kind: 'identity' as const,
      text: doc(
        allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::logs/*', { Sid: 'Objects' }),
        allow('s3:ListBucket', 'arn:aws:s3:::logs', condition('StringLike', 's3:prefix', ['app/*'])),
      ),
    },
    {
      name: 'another account with external ID and MFA',
      kind: 'trust' as const,
      text: doc(
        trust({ AWS: 'arn:aws:iam::444455556666:root' }, 'sts:AssumeRole', {
          Condition: {
            StringEquals: { 'sts:ExternalId': 'x-1' },
            Bool: { 'aws:MultiFactorAuthPresent': 'true' },
          },
        }),
      ),
    },
    { name: 'a service', kind: 'trust' as const, text: doc(trust({ Service: 'lambda.amazonaws.com' })) },
    {
      name: 'SAML with console access',
      kind: 'trust' as const,
      text: doc(
        trust(
          { Federated: SAML },
          ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
          condition('StringEquals', 'SAML:aud', 'https://signin.aws.amazon.com/saml'),
        ),
      ),
    },
    {
      name: 'Cognito',
      kind: 'trust' as const,
      text: doc(
        trust({ Federated: 'cognito-identity.amazonaws.com' }, 'sts:AssumeRoleWithWebIdentity', {
          Condition: {
            StringEquals: { 'cognito-identity.amazonaws.com:aud': 'eu-west-1:abc' },
            'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
          },
        }),
      ),
    },
    {
      name: 'a boundary',
      kind: 'boundary' as const,
      text: doc(allow(['s3:*', 'dynamodb:*'], '*'), deny('iam:*', '*')),
    },
  ])('finds nothing in $name', ({ kind, text }) => {
    expect(validatePolicy(text, kind, { catalogue })).toEqual([]);
  });

  it('skips catalogue checks without a catalogue, and keeps structural ones', () => {
    const findings = validatePolicy(doc(allow('s4:GetObjects', '*', { Principal: '*' })), 'identity');
    expect(findings.map((finding) => finding.code)).toEqual(['principal_not_allowed']);
  });

  it('agrees with the zod model: documents with no structural error parse', () => {
    for (const entry of cases) {
      const findings = validatePolicy(entry.clean, entry.kind ?? 'identity', { catalogue });
      if (findings.some((finding) => finding.severity === 'error')) continue;
      expect(policyDocumentSchema.safeParse(JSON.parse(entry.clean)).success, entry.code).toBe(true);
    }
  });

  it('counts size without whitespace outside strings', () => {
    expect(policySize('{ "a" : "b c" }')).toBe('{"a":"b c"}'.length);
    expect(policySize('{"a":"\\" x"}')).toBe(12);
    const text = doc(allow('s3:GetObject', '*'));
    expect(policySize(text)).toBe(JSON.stringify(JSON.parse(text)).length);
  });

  it('never throws, whatever the text', () => {
    const samples = [
      '',
      'null',
      '"x"',
      '{"Statement": null}',
      '{"Statement": [1, "x", null]}',
      '{"Statement": {"Effect": "Allow", "Action": {"a": 1}, "Resource": [[]], "Condition": []}}',
      '{"Statement":{"Condition":{"Bool":[]},"Principal":{"AWS":[1]}}}',
      '\u0000',
      '{"Version": 2012}',
      '['.repeat(100),
    ];
    for (const kind of ['identity', 'trust', 'boundary'] as const) {
      for (const text of samples) expect(() => validatePolicy(text, kind, { catalogue })).not.toThrow();
    }
  });
});
