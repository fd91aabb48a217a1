import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePolicy, policyDocumentSchema, type PolicyStatement } from '@/lib/iam/policy';
import { assessPermissionsRisk, assessRoleRisk, assessTrustRisk } from '@/lib/iam/risk';
import { roleSpecSchema } from '@/lib/iam/role-spec';

const policy = (...statements: object[]) =>
  normalizePolicy(policyDocumentSchema.parse({ Version: '2012-10-17', Statement: statements }));
const allow = (
  action: string | string[],
  resource: string | string[] = '*',
  extra: Partial<PolicyStatement> = {},
) => ({ Effect: 'Allow', Action: action, Resource: resource, ...extra });
const deny = (
  action: string | string[],
  resource: string | string[] = '*',
  extra: Partial<PolicyStatement> = {},
) => ({ Effect: 'Deny', Action: action, Resource: resource, ...extra });
const codes = (statements: object[]) => assessPermissionsRisk(policy(...statements)).map((f) => f.code);

describe('assessPermissionsRisk', () => {
  it.each([
    { name: 'admin', statements: [allow('*')], code: 'full_admin', pointers: ['/Statement/0'] },
    {
      name: 'NotAction',
      statements: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }],
      code: 'allow_not_action',
      pointers: ['/Statement/0'],
    },
    {
      name: 's3:*',
      statements: [allow('s3:GetObject', 'arn:aws:s3:::a/*'), allow('s3:*', 'arn:aws:s3:::b')],
      code: 'service_wildcard',
      pointers: ['/Statement/1'],
    },
    {
      name: 'PassRole + RunInstances',
      statements: [allow('iam:PassRole'), allow('ec2:RunInstances')],
      code: 'privesc_passrole_compute',
      pointers: ['/Statement/0', '/Statement/1'],
    },
    {
      name: 'PassRole + Lambda via wildcard',
      statements: [allow(['iam:PassRole', 'lambda:Create*'])],
      code: 'privesc_passrole_compute',
      pointers: ['/Statement/0'],
    },
    {
      name: 'PassRole + sagemaker:Create*',
      statements: [allow('iam:PassRole', 'arn:aws:iam::111122223333:role/ml'), allow('sagemaker:Create*')],
      code: 'privesc_passrole_compute',
      pointers: ['/Statement/0', '/Statement/1'],
    },
    {
      name: 'PassRole alone on all roles',
      statements: [allow('iam:PassRole')],
      code: 'privesc_passrole_any_role',
      pointers: ['/Statement/0'],
    },
    {
      name: 'CreatePolicyVersion',
      statements: [allow('iam:CreatePolicyVersion', 'arn:aws:iam::111122223333:policy/x')],
      code: 'privesc_policy_version',
      pointers: ['/Statement/0'],
    },
    {
      name: 'SetDefaultPolicyVersion',
      statements: [allow('iam:SetDefaultPolicyVersion')],
      code: 'privesc_policy_version',
      pointers: ['/Statement/0'],
    },
    {
      name: 'AttachRolePolicy',
      statements: [allow('iam:AttachRolePolicy')],
      code: 'privesc_attach_policy',
      pointers: ['/Statement/0'],
    },
    {
      name: 'iam:Attach*',
      statements: [allow('iam:Attach*')],
      code: 'privesc_attach_policy',
      pointers: ['/Statement/0'],
    },
    {
      name: 'PutUserPolicy',
      statements: [allow('iam:PutUserPolicy')],
      code: 'privesc_put_policy',
      pointers: ['/Statement/0'],
    },
    {
      name: 'CreateAccessKey',
      statements: [allow('iam:CreateAccessKey')],
      code: 'privesc_user_credentials',
      pointers: ['/Statement/0'],
    },
    {
      name: 'UpdateLoginProfile',
      statements: [allow('iam:UpdateLoginProfile')],
      code: 'privesc_user_credentials',
      pointers: ['/Statement/0'],
    },
    {
      name: 'UpdateAssumeRolePolicy',
      statements: [allow('iam:UpdateAssumeRolePolicy')],
      code: 'privesc_update_trust',
      pointers: ['/Statement/0'],
    },
    {
      name: 'AddUserToGroup',
      statements: [allow('iam:AddUserToGroup')],
      code: 'privesc_group_membership',
      pointers: ['/Statement/0'],
    },
    {
      name: 'AssumeRole on *',
      statements: [allow('sts:AssumeRole')],
      code: 'privesc_assume_any_role',
      pointers: ['/Statement/0'],
    },
    {
      name: 'AssumeRole on every role',
      statements: [allow('sts:AssumeRole', 'arn:aws:iam::*:role/*')],
      code: 'privesc_assume_any_role',
      pointers: ['/Statement/0'],
    },
    {
      name: 'UpdateFunctionCode',
      statements: [allow('lambda:UpdateFunctionCode')],
      code: 'privesc_update_code',
      pointers: ['/Statement/0'],
    },
    {
      name: 'DeleteRolePermissionsBoundary',
      statements: [allow('iam:DeleteRolePermissionsBoundary')],
      code: 'privesc_boundary_removal',
      pointers: ['/Statement/0'],
    },
    {
      name: 'SendCommand',
      statements: [allow('ssm:SendCommand')],
      code: 'privesc_remote_execution',
      pointers: ['/Statement/0'],
    },
    {
      name: 'GetObject on *',
      statements: [allow('s3:GetObject')],
      code: 'data_exfiltration',
      pointers: ['/Statement/0'],
    },
    {
      name: 'GetObject on every bucket',
      statements: [allow('s3:GetObject', 'arn:aws:s3:::*')],
      code: 'data_exfiltration',
      pointers: ['/Statement/0'],
    },
    {
      name: 'GetSecretValue',
      statements: [allow('secretsmanager:GetSecretValue')],
      code: 'data_exfiltration',
      pointers: ['/Statement/0'],
    },
    {
      name: 'ssm:GetParameter*',
      statements: [allow('ssm:GetParameter*')],
      code: 'data_exfiltration',
      pointers: ['/Statement/0'],
    },
    {
      name: 'kms:Decrypt',
      statements: [allow('kms:Decrypt')],
      code: 'data_exfiltration',
      pointers: ['/Statement/0'],
    },
    {
      name: 'GetPasswordData',
      statements: [allow('ec2:GetPasswordData')],
      code: 'credentials_exposure',
      pointers: ['/Statement/0'],
    },
    {
      name: 'PutBucketPolicy',
      statements: [allow('s3:PutBucketPolicy', 'arn:aws:s3:::bucket')],
      code: 'resource_exposure',
      pointers: ['/Statement/0'],
    },
    {
      name: 'secretsmanager:PutResourcePolicy',
      statements: [
        allow('secretsmanager:PutResourcePolicy', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:x'),
      ],
      code: 'resource_exposure',
      pointers: ['/Statement/0'],
    },
    {
      name: 'lambda:AddPermission',
      statements: [allow('lambda:AddPermission')],
      code: 'resource_exposure',
      pointers: ['/Statement/0'],
    },
    {
      name: 'kms:PutKeyPolicy',
      statements: [allow('kms:PutKeyPolicy')],
      code: 'resource_exposure',
      pointers: ['/Statement/0'],
    },
    {
      name: 'StopLogging',
      statements: [allow('cloudtrail:StopLogging')],
      code: 'logging_disabled',
      pointers: ['/Statement/0'],
    },
    {
      name: 'AuthorizeSecurityGroupIngress',
      statements: [allow('ec2:AuthorizeSecurityGroupIngress')],
      code: 'infrastructure_modification',
      pointers: ['/Statement/0'],
    },
  ])('$name raises $code', ({ statements, code, pointers }) => {
    const found = assessPermissionsRisk(policy(...statements)).find((f) => f.code === code);
    expect(found?.pointers).toEqual(pointers);
    expect(found?.explanation.length).toBeGreaterThan(20);
  });

  it.each([
    { name: 'admin on one bucket', statements: [allow('*', 'arn:aws:s3:::bucket')], code: 'full_admin' },
    {
      name: 'Deny with NotAction',
      statements: [{ Effect: 'Deny', NotAction: 'iam:*', Resource: '*' }],
      code: 'allow_not_action',
    },
    { name: 's3:Get*', statements: [allow('s3:Get*', 'arn:aws:s3:::a/*')], code: 'service_wildcard' },
    {
      name: 'PassRole without compute',
      statements: [allow('iam:PassRole', 'arn:aws:iam::111122223333:role/x'), allow('s3:ListBucket')],
      code: 'privesc_passrole_compute',
    },
    {
      name: 'PassRole on one role',
      statements: [allow('iam:PassRole', 'arn:aws:iam::111122223333:role/x')],
      code: 'privesc_passrole_any_role',
    },
    { name: 'GetPolicyVersion', statements: [allow('iam:GetPolicyVersion')], code: 'privesc_policy_version' },
    { name: 'iam:List*', statements: [allow('iam:List*')], code: 'privesc_attach_policy' },
    { name: 'iam:Get*', statements: [allow('iam:Get*')], code: 'privesc_put_policy' },
    { name: 'ListAccessKeys', statements: [allow('iam:ListAccessKeys')], code: 'privesc_user_credentials' },
    { name: 'GetRole', statements: [allow('iam:GetRole')], code: 'privesc_update_trust' },
    {
      name: 'RemoveUserFromGroup',
      statements: [allow('iam:RemoveUserFromGroup')],
      code: 'privesc_group_membership',
    },
    {
      name: 'AssumeRole on one role',
      statements: [allow('sts:AssumeRole', 'arn:aws:iam::444455556666:role/Deploy')],
      code: 'privesc_assume_any_role',
    },
    {
      name: 'UpdateFunctionCode on one function',
      statements: [allow('lambda:UpdateFunctionCode', 'arn:aws:lambda:us-east-1:111122223333:function:mine')],
      code: 'privesc_update_code',
    },
    {
      name: 'GetRole for boundary',
      statements: [allow('iam:GetRolePolicy')],
      code: 'privesc_boundary_removal',
    },
    {
      name: 'SendCommand on one instance',
      statements: [allow('ssm:SendCommand', 'arn:aws:ec2:us-east-1:111122223333:instance/i-123')],
      code: 'privesc_remote_execution',
    },
    {
      name: 'GetObject on one bucket',
      statements: [allow('s3:GetObject', 'arn:aws:s3:::logs/*')],
      code: 'data_exfiltration',
    },
    {
      name: 'GetObject denied everywhere',
      statements: [allow('s3:GetObject'), deny('s3:*')],
      code: 'data_exfiltration',
    },
    { name: 'DescribeInstances', statements: [allow('ec2:DescribeInstances')], code: 'credentials_exposure' },
    { name: 'GetBucketPolicy', statements: [allow('s3:GetBucketPolicy')], code: 'resource_exposure' },
    { name: 'LookupEvents', statements: [allow('cloudtrail:LookupEvents')], code: 'logging_disabled' },
    {
      name: 'DescribeSecurityGroups',
      statements: [allow('ec2:DescribeSecurityGroups')],
      code: 'infrastructure_modification',
    },
  ])('$name does not raise $code', ({ statements, code }) => {
    expect(codes(statements)).not.toContain(code);
  });

  it('full admin replaces the flags it implies, most severe first', () => {
    const flags = assessPermissionsRisk(policy(allow('*'), allow('s3:GetObject', 'arn:aws:s3:::x/*')));
    expect(flags.map((f) => f.code)).toEqual(['full_admin']);
  });

  it('orders by severity', () => {
    const flags = assessPermissionsRisk(policy(allow(['s3:*', 'iam:AttachRolePolicy'])));
    expect(flags.map((f) => f.severity)).toEqual(
      [...flags.map((f) => f.severity)].sort(
        (a, b) =>
          ['critical', 'high', 'medium', 'low'].indexOf(a) - ['critical', 'high', 'medium', 'low'].indexOf(b),
      ),
    );
    expect(flags[0]?.code).toBe('privesc_attach_policy');
  });
});

const trust = (...statements: object[]) => policy(...statements);
const GITHUB = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';

describe('assessTrustRisk', () => {
  it.each([
    {
      name: 'Principal *',
      statements: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }],
      code: 'trust_any_principal',
      severity: 'critical',
    },
    {
      name: 'AWS * with org condition',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } },
        },
      ],
      code: 'trust_any_principal',
      severity: 'high',
    },
    {
      name: 'third party',
      statements: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'sts:AssumeRole' },
      ],
      code: 'trust_third_party_without_external_id',
      severity: 'high',
    },
    {
      name: 'GitHub without sub',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Federated: GITHUB },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } },
        },
      ],
      code: 'trust_web_identity_without_sub',
      severity: 'critical',
    },
    {
      name: 'Google without aud',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'accounts.google.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
        },
      ],
      code: 'trust_web_identity_without_audience',
      severity: 'critical',
    },
    {
      name: 'GitHub whole org',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Federated: GITHUB },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
            StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' },
          },
        },
      ],
      code: 'trust_web_identity_broad_sub',
      severity: 'medium',
    },
  ])('$name raises $code ($severity)', ({ statements, code, severity }) => {
    const found = assessTrustRisk(trust(...statements), {
      ownAccountId: '111122223333',
      organizationAccountIds: ['444455556666'],
    }).find((f) => f.code === code);
    expect(found?.severity).toBe(severity);
    expect(found?.pointers).toEqual(['/Statement/0']);
  });

  it.each([
    {
      name: 'named account',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::999988887777:root' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'x' } },
        },
      ],
    },
    {
      name: 'organisation account',
      statements: [{ Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 'sts:AssumeRole' }],
    },
    {
      name: 'own account',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:role/Ops' },
          Action: 'sts:AssumeRole',
        },
      ],
    },
    {
      name: 'service',
      statements: [
        { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    },
    {
      name: 'GitHub one branch',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Federated: GITHUB },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
            StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main' },
          },
        },
      ],
    },
    {
      name: 'GitHub one environment',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Federated: GITHUB },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
            StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:environment:production' },
          },
        },
      ],
    },
    {
      name: 'SAML',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::111122223333:saml-provider/Okta' },
          Action: 'sts:AssumeRoleWithSAML',
        },
      ],
    },
    { name: 'Deny *', statements: [{ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' }] },
  ])('$name raises nothing', ({ statements }) => {
    expect(
      assessTrustRisk(trust(...statements), {
        ownAccountId: '111122223333',
        organizationAccountIds: ['444455556666'],
      }),
    ).toEqual([]);
  });
});

describe('assessRoleRisk', () => {
  it('names the policy of each flag and resolves managed policies', () => {
    const spec = roleSpecSchema.parse({
      accountId: '111122223333',
      name: 'R',
      trustedEntity: { type: 'aws_account', accountId: '999988887777' },
      inlinePolicies: [
        {
          name: 'reader',
          document: JSON.stringify({ Version: '2012-10-17', Statement: [allow('s3:GetObject')] }),
        },
      ],
      managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/Unknown'],
    });
    const flags = assessRoleRisk(spec, {
      resolveManagedPolicy: (arn) =>
        arn.endsWith('/AdministratorAccess')
          ? JSON.stringify({ Version: '2012-10-17', Statement: [allow('*')] })
          : undefined,
    });
    expect(flags.map((f) => [f.code, f.policy.kind, f.policy.name])).toEqual([
      ['full_admin', 'managed', 'arn:aws:iam::aws:policy/AdministratorAccess'],
      ['trust_third_party_without_external_id', 'trust', ''],
      ['data_exfiltration', 'inline', 'reader'],
    ]);
  });
});

describe('properties', () => {
  const actions = fc.constantFrom(
    '*',
    's3:*',
    's3:GetObject',
    'iam:PassRole',
    'ec2:RunInstances',
    'iam:Attach*',
    'kms:Decrypt',
    'lambda:AddPermission',
    'sts:AssumeRole',
    'ssm:Get*',
    'ec2:Describe*',
  );
  const resources = fc.constantFrom('*', 'arn:aws:s3:::b/*', 'arn:aws:iam::111122223333:role/x');
  const statement = fc.record({
    Effect: fc.constant('Allow'),
    Action: fc.array(actions, { minLength: 1, maxLength: 3 }),
    Resource: resources,
  });

  it('an unconditional Deny of everything leaves no permission flag, and flags only name real statements', () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 6 }), (statements) => {
        for (const found of assessPermissionsRisk(policy(...statements))) {
          expect(found.statements.every((index) => index < statements.length)).toBe(true);
        }
        expect(assessPermissionsRisk(policy(...statements, deny('*')))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
