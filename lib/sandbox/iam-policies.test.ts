import {
  AttachRolePolicyCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  GetSAMLProviderCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachRolePolicyCommand,
  GetAccountSummaryCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListAccountAliasesCommand,
  ListEntitiesForPolicyCommand,
  ListOpenIDConnectProvidersCommand,
  ListPoliciesCommand,
  ListSAMLProvidersCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allow,
  doc,
  expectAwsError,
  startHarness,
  trustAccount,
  type Harness,
} from '@/lib/sandbox/test-harness';

let harness: Harness;
let iam: IAMClient;
const trust = trustAccount('111122223333');

beforeAll(async () => {
  harness = await startHarness();
  iam = harness.iam();
});

afterAll(async () => {
  await harness.close();
});

describe('CreatePolicy, GetPolicy, GetPolicyVersion', () => {
  it('creates v1 as default, without Description in the answer; GetPolicy adds Description and Tags', async () => {
    const created = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'read-logs',
        Path: '/team/',
        PolicyDocument: allow('logs:GetLogEvents'),
        Description: 'read the logs',
        Tags: [{ Key: 'owner', Value: 'ops' }],
      }),
    );
    const policy = created.Policy!;
    expect(policy.Arn).toBe('arn:aws:iam::111122223333:policy/team/read-logs');
    expect(policy.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
    expect(policy).toMatchObject({
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      Path: '/team/',
    });
    expect(policy.Description).toBeUndefined();
    expect(policy.Tags).toEqual([{ Key: 'owner', Value: 'ops' }]);
    const got = (await iam.send(new GetPolicyCommand({ PolicyArn: policy.Arn }))).Policy!;
    expect(got.Description).toBe('read the logs');
    expect(got.Tags).toEqual([{ Key: 'owner', Value: 'ops' }]);
    const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: policy.Arn, VersionId: 'v1' })))
      .PolicyVersion!;
    expect(version.IsDefaultVersion).toBe(true);
    expect(decodeURIComponent(version.Document!)).toBe(allow('logs:GetLogEvents'));
  });

  it('refuses a duplicate name in any case and path', async () => {
    await expectAwsError(
      iam.send(
        new CreatePolicyCommand({ PolicyName: 'READ-LOGS', PolicyDocument: allow('logs:GetLogEvents') }),
      ),
      'EntityAlreadyExists',
      409,
      'A policy called READ-LOGS already exists. Duplicate names are not allowed.',
    );
  });

  it.each([
    { name: 'not JSON', policy: '{', message: 'Syntax errors in policy.' },
    {
      name: 'an unknown top-level key',
      policy: doc({ Version: '2012-10-17', Foo: 1, Statement: [] }),
      message: 'Syntax errors in policy.',
    },
    {
      name: 'no Version',
      policy: doc({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }),
      message: 'Policy document must be version 2012-10-17 or greater.',
    },
    {
      name: 'version 2008-10-17',
      policy: doc({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }),
      message: 'Policy document must be version 2012-10-17 or greater.',
    },
    {
      name: 'a lower-case Effect',
      policy: doc({ Version: '2012-10-17', Statement: [{ Effect: 'allow', Action: 's3:*', Resource: '*' }] }),
      message: 'The policy failed legacy parsing',
    },
    {
      name: 'duplicate Sids',
      policy: doc({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'a', Effect: 'Allow', Action: 's3:*', Resource: '*' },
          { Sid: 'a', Effect: 'Deny', Action: 's3:*', Resource: '*' },
        ],
      }),
      message: 'Statement IDs (SID) in a single policy must be unique.',
    },
    {
      name: 'no actions',
      policy: doc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }),
      message: 'Policy statement must contain actions.',
    },
    {
      name: 'no resources',
      policy: doc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'nonsense' }] }),
      message: 'Policy statement must contain resources.',
    },
    {
      name: 'an action without vendor',
      policy: allow('GetObject'),
      message: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
    },
    {
      name: 'two colons',
      policy: allow('s3:Get:Object'),
      message: 'Actions/Condition can contain only one colon.',
    },
    { name: 'a bad vendor', policy: allow('s_3:GetObject'), message: 'Vendor s_3 is not valid' },
    {
      name: 'a resource that is no ARN',
      policy: allow('s3:GetObject', 'bucket'),
      message: 'Resource bucket must be in ARN format or "*".',
    },
    {
      name: 'a bad partition',
      policy: allow('s3:GetObject', 'arn:foo:s3:::bucket'),
      message: 'Partition "foo" is not valid for resource "arn:foo:s3:::bucket".',
    },
    {
      name: 'an IAM resource with region',
      policy: allow('iam:GetRole', 'arn:aws:iam:us-east-1:111122223333:role/x'),
      message: 'IAM resource arn:aws:iam:us-east-1:111122223333:role/x cannot contain region information.',
    },
    {
      name: 'a Principal',
      policy: doc({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:*', Resource: '*' }],
      }),
      message: 'Policy document should not specify a principal.',
    },
  ])('refuses a document with $name (MalformedPolicyDocument)', async ({ policy, message }) => {
    await expectAwsError(
      iam.send(new CreatePolicyCommand({ PolicyName: 'bad', PolicyDocument: policy })),
      'MalformedPolicyDocument',
      400,
      message,
    );
  });

  it('accepts what IAM accepts: unknown services, empty conditions, NotAction with NotResource', async () => {
    const policy = doc({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['fsx:ListBucket', 'aaaa:ListBucket'], Resource: '*', Condition: {} },
        { Effect: 'Deny', NotAction: 'iam:*', NotResource: '*' },
      ],
    });
    await iam.send(new CreatePolicyCommand({ PolicyName: 'lenient', PolicyDocument: policy }));
  });

  it('refuses a policy over 6144 characters without whitespace, duplicate tags and bad input', async () => {
    const actions = Array.from({ length: 480 }, (_, index) => `s3:Get${String(index).padStart(4, '0')}`);
    await expectAwsError(
      iam.send(new CreatePolicyCommand({ PolicyName: 'huge', PolicyDocument: allow(actions) })),
      'LimitExceeded',
      409,
      'Cannot exceed quota for PolicySize: 6144',
    );
    await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'spacious',
        PolicyDocument: allow('s3:GetObject').replace(/,/g, `,${' '.repeat(7000)}`),
      }),
    );
    await expectAwsError(
      iam.send(
        new CreatePolicyCommand({
          PolicyName: 'dups',
          PolicyDocument: allow('s3:GetObject'),
          Tags: [
            { Key: 'a', Value: '1' },
            { Key: 'a', Value: '2' },
          ],
        }),
      ),
      'InvalidInput',
      400,
      'Duplicate tag keys found.',
    );
    await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'cased-tags',
        PolicyDocument: allow('s3:GetObject'),
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'A', Value: '2' },
        ],
      }),
    );
    await expectAwsError(
      iam.send(new CreatePolicyCommand({ PolicyName: 'bad path', PolicyDocument: allow('s3:GetObject') })),
      'ValidationError',
      400,
    );
    await expectAwsError(
      iam.send(
        new CreatePolicyCommand({ PolicyName: 'p', Path: '/no*/', PolicyDocument: allow('s3:GetObject') }),
      ),
      'ValidationError',
      400,
    );
  });

  it('answers NoSuchEntity and ValidationError as IAM does for policies and versions', async () => {
    const arn = 'arn:aws:iam::111122223333:policy/none';
    await expectAwsError(
      iam.send(new GetPolicyCommand({ PolicyArn: arn })),
      'NoSuchEntity',
      404,
      `Policy ${arn} was not found.`,
    );
    await expectAwsError(
      iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' })),
      'NoSuchEntity',
      404,
      `Policy ${arn} version v1 does not exist or is not attachable.`,
    );
    await expectAwsError(
      iam.send(
        new GetPolicyVersionCommand({
          PolicyArn: 'arn:aws:iam::111122223333:policy/team/read-logs',
          VersionId: 'version1',
        }),
      ),
      'ValidationError',
      400,
      "1 validation error detected: Value at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?",
    );
    await expectAwsError(
      iam.send(new GetPolicyCommand({ PolicyArn: 'this-is-not-an-arn-at-all' })),
      'InvalidInput',
      400,
      'ARN this-is-not-an-arn-at-all is not valid.',
    );
  });

  it('serves AWS managed policies with their real ARNs, paths and latest version', async () => {
    const lambda = (
      await iam.send(
        new GetPolicyCommand({
          PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        }),
      )
    ).Policy!;
    expect(lambda.Path).toBe('/service-role/');
    expect(lambda.PolicyName).toBe('AWSLambdaBasicExecutionRole');
    const version = (
      await iam.send(
        new GetPolicyVersionCommand({ PolicyArn: lambda.Arn, VersionId: lambda.DefaultVersionId }),
      )
    ).PolicyVersion!;
    expect(JSON.parse(decodeURIComponent(version.Document!))).toMatchObject({ Version: '2012-10-17' });
    expect(version.IsDefaultVersion).toBe(true);
  });
});

describe('policy versions', () => {
  it('creates versions up to five, sets the default, lists newest first and refuses the sixth', async () => {
    const arn = (
      await iam.send(
        new CreatePolicyCommand({ PolicyName: 'versioned', PolicyDocument: allow('s3:GetObject') }),
      )
    ).Policy!.Arn!;
    const v2 = await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: arn,
        PolicyDocument: allow('s3:PutObject'),
        SetAsDefault: true,
      }),
    );
    expect(v2.PolicyVersion).toMatchObject({ VersionId: 'v2', IsDefaultVersion: true });
    for (let index = 0; index < 3; index += 1)
      await iam.send(
        new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('s3:ListBucket') }),
      );
    await expectAwsError(
      iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('s3:ListBucket') })),
      'LimitExceeded',
      409,
      'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
    );
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId).toBe('v2');
    await expectAwsError(
      iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' })),
      'DeleteConflict',
      409,
      'Cannot delete the default version of a policy.',
    );
    await expectAwsError(
      iam.send(new DeletePolicyCommand({ PolicyArn: arn })),
      'DeleteConflict',
      409,
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
    for (const version of ['v1', 'v3', 'v4', 'v5'])
      await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: version }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    await expectAwsError(
      iam.send(new DeletePolicyCommand({ PolicyArn: arn })),
      'NoSuchEntity',
      404,
      `Policy ${arn} was not found.`,
    );
  });
});

describe('ListPolicies, ListEntitiesForPolicy, DeletePolicy', () => {
  it('lists every AWS managed policy, pages through them, and filters by scope, path and attachment', async () => {
    const aws: string[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 1000, Marker: marker }));
      aws.push(...page.Policies!.map((policy) => policy.Arn!));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    expect(aws.length).toBeGreaterThan(1000);
    expect(aws).toContain('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(new Set(aws).size).toBe(aws.length);
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    expect(local.Policies!.map((policy) => policy.PolicyName)).toContain('read-logs');
    expect(local.Policies!.every((policy) => policy.Arn!.startsWith('arn:aws:iam::111122223333:'))).toBe(
      true,
    );
    expect(local.Policies![0]!.Description).toBeUndefined();
    expect(local.Policies![0]!.Tags).toBeUndefined();
    const serviceRole = await iam.send(
      new ListPoliciesCommand({ Scope: 'AWS', PathPrefix: '/service-role/', MaxItems: 1000 }),
    );
    expect(serviceRole.Policies!.every((policy) => policy.Path!.startsWith('/service-role/'))).toBe(true);
    expect(serviceRole.Policies!.length).toBeGreaterThan(10);
    await expectAwsError(
      iam.send(new ListPoliciesCommand({ Scope: 'Everything' as never })),
      'ValidationError',
      400,
      /Member must satisfy enum value set: \[All, AWS, Local\]/,
    );
    const otherAccount = await harness.iam('444455556666').send(new ListPoliciesCommand({ Scope: 'Local' }));
    expect(otherAccount.Policies).toEqual([]);
  });

  it('counts attachments and boundary uses, lists the entities, and refuses to delete a policy in use', async () => {
    const arn = (
      await iam.send(new CreatePolicyCommand({ PolicyName: 'in-use', PolicyDocument: allow('s3:GetObject') }))
    ).Policy!.Arn!;
    await iam.send(new CreateRoleCommand({ RoleName: 'user-of-policy', AssumeRolePolicyDocument: trust }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'user-of-policy', PolicyArn: arn }));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount).toBe(1);
    const attached = await iam.send(new ListPoliciesCommand({ OnlyAttached: true, Scope: 'Local' }));
    expect(attached.Policies!.map((policy) => policy.PolicyName)).toEqual(['in-use']);
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
    expect(entities.PolicyRoles!.map((role) => role.RoleName)).toEqual(['user-of-policy']);
    expect(entities.PolicyUsers).toEqual([]);
    expect(entities.PolicyGroups).toEqual([]);
    await expectAwsError(
      iam.send(new DeletePolicyCommand({ PolicyArn: arn })),
      'DeleteConflict',
      409,
      'Cannot delete a policy attached to entities.',
    );
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'user-of-policy', PolicyArn: arn }));
    await iam.send(
      new PutRolePermissionsBoundaryCommand({ RoleName: 'user-of-policy', PermissionsBoundary: arn }),
    );
    expect(
      (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.PermissionsBoundaryUsageCount,
    ).toBe(1);
    const boundaries = await iam.send(
      new ListPoliciesCommand({
        OnlyAttached: true,
        PolicyUsageFilter: 'PermissionsBoundary',
        Scope: 'Local',
      }),
    );
    expect(boundaries.Policies!.map((policy) => policy.PolicyName)).toEqual(['in-use']);
    await expectAwsError(
      iam.send(new DeletePolicyCommand({ PolicyArn: arn })),
      'DeleteConflict',
      409,
      'Cannot delete a policy attached to entities.',
    );
    await expectAwsError(
      iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: 'arn:aws:iam::111122223333:policy/none' })),
      'NoSuchEntity',
      404,
    );
  });
});

describe('identity providers', () => {
  it('creates and lists OIDC providers, refusing duplicates and bad URLs', async () => {
    const created = await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
        ClientIDList: ['sts.amazonaws.com'],
        ThumbprintList: ['a'.repeat(40)],
      }),
    );
    expect(created.OpenIDConnectProviderArn).toBe(
      'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
    );
    const listed = await iam.send(new ListOpenIDConnectProvidersCommand({}));
    // The seeded GitHub Actions provider, then the new one.
    expect(listed.OpenIDConnectProviderList).toEqual([
      { Arn: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
      { Arn: created.OpenIDConnectProviderArn },
    ]);
    await expectAwsError(
      iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
          ClientIDList: ['x'],
          ThumbprintList: [],
        }),
      ),
      'EntityAlreadyExists',
      409,
    );
    await expectAwsError(
      iam.send(
        new CreateOpenIDConnectProviderCommand({ Url: 'http://insecure.example.com', ClientIDList: ['x'] }),
      ),
      'InvalidInput',
      400,
    );
    await expectAwsError(
      iam.send(
        new CreateOpenIDConnectProviderCommand({ Url: 'https://x.example.com', ThumbprintList: ['short'] }),
      ),
      'ValidationError',
      400,
    );
  });

  it('creates and lists SAML providers', async () => {
    const metadata = `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com">${' '.repeat(1000)}</md:EntityDescriptor>`;
    const created = await iam.send(
      new CreateSAMLProviderCommand({ Name: 'corp-idp', SAMLMetadataDocument: metadata }),
    );
    expect(created.SAMLProviderArn).toBe('arn:aws:iam::111122223333:saml-provider/corp-idp');
    const listed = await iam.send(new ListSAMLProvidersCommand({}));
    // The seeded AcmeOkta provider, then the new one.
    expect(listed.SAMLProviderList!.map((provider) => provider.Arn)).toEqual([
      'arn:aws:iam::111122223333:saml-provider/AcmeOkta',
      created.SAMLProviderArn,
    ]);
    expect(listed.SAMLProviderList![1]!.ValidUntil).toBeInstanceOf(Date);
    const read = await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: created.SAMLProviderArn }));
    expect(read.SAMLMetadataDocument).toBe(metadata);
    expect(read.CreateDate).toBeInstanceOf(Date);
    expect(read.ValidUntil).toEqual(listed.SAMLProviderList![1]!.ValidUntil);
    expect(read.Tags).toEqual([]);
    await expectAwsError(
      iam.send(
        new GetSAMLProviderCommand({ SAMLProviderArn: 'arn:aws:iam::111122223333:saml-provider/missing' }),
      ),
      'NoSuchEntity',
      404,
    );
    await expectAwsError(
      iam.send(new CreateSAMLProviderCommand({ Name: 'corp-idp', SAMLMetadataDocument: metadata })),
      'EntityAlreadyExists',
      409,
    );
    await expectAwsError(
      iam.send(new CreateSAMLProviderCommand({ Name: 'other', SAMLMetadataDocument: 'x'.repeat(1000) })),
      'InvalidInput',
      400,
    );
  });
});

describe('simulation', () => {
  it('SimulateCustomPolicy decides each action and resource, with explicit deny and boundaries', async () => {
    const policy = doc({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' },
      ],
    });
    const result = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [policy],
        ActionNames: ['s3:GetObject', 's3:DeleteBucket', 'ec2:RunInstances'],
        ResourceArns: ['arn:aws:s3:::bucket/key'],
      }),
    );
    expect(result.EvaluationResults!.map((item) => [item.EvalActionName, item.EvalDecision])).toEqual([
      ['s3:GetObject', 'allowed'],
      ['s3:DeleteBucket', 'explicitDeny'],
      ['ec2:RunInstances', 'implicitDeny'],
    ]);
    expect(result.EvaluationResults![0]!.EvalResourceName).toBe('arn:aws:s3:::bucket/key');
    // s3:DeleteBucket matches both statements: the Allow and the Deny.
    expect(result.EvaluationResults![1]!.MatchedStatements).toEqual([
      {
        SourcePolicyId: 'PolicyInputList.1',
        SourcePolicyType: 'IAM Policy',
        StartPosition: { Line: 1, Column: 38 },
        EndPosition: { Line: 1, Column: 87 },
      },
      {
        SourcePolicyId: 'PolicyInputList.1',
        SourcePolicyType: 'IAM Policy',
        StartPosition: { Line: 1, Column: 88 },
        EndPosition: { Line: 1, Column: 147 },
      },
    ]);
    const bounded = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [policy],
        PermissionsBoundaryPolicyInputList: [allow('s3:PutObject')],
        ActionNames: ['s3:GetObject', 's3:PutObject'],
      }),
    );
    expect(bounded.EvaluationResults!.map((item) => item.EvalDecision)).toEqual(['implicitDeny', 'allowed']);
    expect(bounded.EvaluationResults![0]!.PermissionsBoundaryDecisionDetail).toEqual({
      AllowedByPermissionsBoundary: false,
    });
    await expectAwsError(
      iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy], ActionNames: ['s3:*'] })),
      'InvalidInput',
      400,
    );
    await expectAwsError(
      iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: ['{'], ActionNames: ['s3:GetObject'] })),
      'InvalidInput',
      400,
    );
    await expectAwsError(
      iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy] } as never)),
      'ValidationError',
      400,
    );
  });

  it('SimulateCustomPolicy uses context entries in conditions', async () => {
    const policy = doc({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'ec2:StartInstances',
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestTag/team': 'blue' } },
        },
      ],
    });
    const decide = async (team: string) =>
      (
        await iam.send(
          new SimulateCustomPolicyCommand({
            PolicyInputList: [policy],
            ActionNames: ['ec2:StartInstances'],
            ContextEntries: [
              { ContextKeyName: 'aws:RequestTag/team', ContextKeyValues: [team], ContextKeyType: 'string' },
            ],
          }),
        )
      ).EvaluationResults![0]!.EvalDecision;
    expect(await decide('blue')).toBe('allowed');
    expect(await decide('red')).toBe('implicitDeny');
  });

  it("SimulatePrincipalPolicy evaluates a role's own policies", async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'simulated', AssumeRolePolicyDocument: trust }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'simulated',
        PolicyName: 'p',
        PolicyDocument: allow('dynamodb:GetItem'),
      }),
    );
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'simulated',
        PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      }),
    );
    const result = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: 'arn:aws:iam::111122223333:role/simulated',
        ActionNames: ['dynamodb:GetItem', 's3:GetObject', 's3:PutObject'],
      }),
    );
    expect(result.EvaluationResults!.map((item) => item.EvalDecision)).toEqual([
      'allowed',
      'allowed',
      'implicitDeny',
    ]);
    expect(result.EvaluationResults![0]!.MatchedStatements![0]!.SourcePolicyType).toBe('IAM Policy');
    await expectAwsError(
      iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: 'arn:aws:iam::111122223333:role/none',
          ActionNames: ['s3:GetObject'],
        }),
      ),
      'NoSuchEntity',
      404,
    );
  });
});

describe('account', () => {
  it('GetAccountSummary counts roles, policies and providers and reports the quotas', async () => {
    const summary = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    expect(summary.Roles).toBeGreaterThan(0);
    expect(summary.Policies).toBeGreaterThan(0);
    // Two seeded (GitHub Actions OIDC, AcmeOkta SAML) and the two the identity-provider tests made.
    expect(summary.Providers).toBe(4);
    expect(summary).toMatchObject({
      AttachedPoliciesPerRoleQuota: 10,
      RolesQuota: 1000,
      PolicySizeQuota: 6144,
      AssumeRolePolicySizeQuota: 2048,
      RolePolicySizeQuota: 10240,
      VersionsPerPolicyQuota: 5,
    });
    expect(Object.keys(summary).length).toBeGreaterThanOrEqual(34);
  });

  it('ListAccountAliases returns the account alias', async () => {
    const aliases = await iam.send(new ListAccountAliasesCommand({}));
    expect(aliases.AccountAliases).toEqual(['acme-identity']);
    expect(aliases.IsTruncated).toBe(false);
    expect(
      (await harness.iam('123456789012').send(new ListAccountAliasesCommand({}))).AccountAliases,
    ).toEqual(['northwind-consulting']);
  });
});
