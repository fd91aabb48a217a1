import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  ListRolesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
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
const arnOf = (name: string, path = '/') => `arn:aws:iam::111122223333:role${path}${name}`;

beforeAll(async () => {
  harness = await startHarness();
  iam = harness.iam();
});

afterAll(async () => {
  await harness.close();
});

describe('CreateRole', () => {
  it('creates a role and returns the fields CreateRole returns, and no others', async () => {
    const response = await iam.send(
      new CreateRoleCommand({
        RoleName: 'created-role',
        Path: '/team/app/',
        AssumeRolePolicyDocument: trust,
        Description: 'not returned by CreateRole',
        MaxSessionDuration: 7200,
        Tags: [{ Key: 'team', Value: 'payments' }],
      }),
    );
    const role = response.Role!;
    expect(role.Arn).toBe(arnOf('created-role', '/team/app/'));
    expect(role.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(decodeURIComponent(role.AssumeRolePolicyDocument!)).toBe(trust);
    expect(role.AssumeRolePolicyDocument).not.toContain('{');
    expect(role.Tags).toEqual([{ Key: 'team', Value: 'payments' }]);
    expect(role.Description).toBeUndefined();
    expect(role.MaxSessionDuration).toBeUndefined();
    expect(role.RoleLastUsed).toBeUndefined();
    expect(role.PermissionsBoundary).toBeUndefined();
    expect(response.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('returns the permissions boundary with the type AWS sends (Policy)', async () => {
    const response = await iam.send(
      new CreateRoleCommand({
        RoleName: 'bounded-role',
        AssumeRolePolicyDocument: trust,
        PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
      }),
    );
    expect(response.Role!.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'Policy',
      PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
    });
    expect(response.Role!.Tags).toBeUndefined();
  });

  it('refuses a name taken in another case', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'CaseRole', AssumeRolePolicyDocument: trust }));
    await expectAwsError(
      iam.send(new CreateRoleCommand({ RoleName: 'caserole', AssumeRolePolicyDocument: trust })),
      'EntityAlreadyExists',
      409,
      'Role with name caserole already exists.',
    );
  });

  it.each([
    {
      name: 'invalid JSON',
      policy: '{"Version":"2012-10-17",}',
      message: 'This policy contains invalid Json',
    },
    {
      name: 'a Resource',
      policy: doc({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole', Resource: '*' },
        ],
      }),
      message: 'Has prohibited field Resource',
    },
    {
      name: 'a non-STS action',
      policy: doc({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:InvalidAction' }],
      }),
      message: 'AssumeRole policy may only specify STS AssumeRole actions.',
    },
    {
      name: 'no principal',
      policy: doc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }),
      message:
        'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!',
    },
    {
      name: 'a role principal that does not exist',
      policy: doc({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:role/none' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
      message: 'Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:role/none"',
    },
    {
      name: 'a malformed account principal',
      policy: doc({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: '123' }, Action: 'sts:AssumeRole' }],
      }),
      message: 'Invalid principal in policy: "AWS":"123"',
    },
  ])('refuses a trust policy with $name (MalformedPolicyDocument)', async ({ policy, message }) => {
    await expectAwsError(
      iam.send(new CreateRoleCommand({ RoleName: 'bad-trust', AssumeRolePolicyDocument: policy })),
      'MalformedPolicyDocument',
      400,
      message,
    );
  });

  it('accepts an existing role and user as principals, and trust policies of version 2008-10-17', async () => {
    const policy = doc({
      Version: '2008-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: {
            AWS: ['arn:aws:iam::111122223333:role/CaseRole', 'arn:aws:iam::111122223333:user/alice'],
            Service: 'ec2.amazonaws.com',
          },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
        },
      ],
    });
    const response = await iam.send(
      new CreateRoleCommand({ RoleName: 'principal-role', AssumeRolePolicyDocument: policy }),
    );
    expect(decodeURIComponent(response.Role!.AssumeRolePolicyDocument!)).toBe(policy);
  });

  it('counts the trust policy size without whitespace, and refuses one over the quota (LimitExceeded)', async () => {
    const principals = Array.from(
      { length: 60 },
      (_, index) => `arn:aws:iam::${String(100000000000 + index)}:root`,
    );
    const big = doc({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: principals }, Action: 'sts:AssumeRole' }],
    });
    expect(big.length).toBeGreaterThan(2048);
    await expectAwsError(
      iam.send(new CreateRoleCommand({ RoleName: 'big-trust', AssumeRolePolicyDocument: big })),
      'LimitExceeded',
      409,
      'Cannot exceed quota for ACLSizePerRole: 2048',
    );
    const padded = trust.replace(/,/g, `,${' '.repeat(1000)}`);
    expect(padded.length).toBeGreaterThan(2048);
    await iam.send(new CreateRoleCommand({ RoleName: 'padded-trust', AssumeRolePolicyDocument: padded }));
  });

  it.each([
    {
      input: { RoleName: 'x'.repeat(65) },
      phrase:
        "Value at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64",
    },
    {
      input: { RoleName: 'bad:name' },
      phrase:
        "Value at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    },
    {
      input: { RoleName: 'ok', Path: 'no-slash' },
      phrase: "Value at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern",
    },
    {
      input: { RoleName: 'ok', MaxSessionDuration: 100 },
      phrase:
        "Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
    },
    {
      input: { RoleName: 'ok', Description: 'é€' },
      phrase: "Value at 'description' failed to satisfy constraint",
    },
    {
      input: {
        RoleName: 'ok',
        Tags: Array.from({ length: 51 }, (_, index) => ({ Key: `k${index}`, Value: 'v' })),
      },
      phrase:
        "Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
    },
    {
      input: { RoleName: 'ok', Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] },
      phrase: "Value at 'tags.1.member.key' failed to satisfy constraint",
    },
  ])('refuses invalid parameters with ValidationError: $phrase', async ({ input, phrase }) => {
    await expectAwsError(
      iam.send(new CreateRoleCommand({ AssumeRolePolicyDocument: trust, ...input })),
      'ValidationError',
      400,
      new RegExp(`^1 validation error detected: .*${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });

  it('lists every failure in one ValidationError', async () => {
    await expectAwsError(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'bad:name',
          AssumeRolePolicyDocument: trust,
          MaxSessionDuration: 99999,
        }),
      ),
      'ValidationError',
      400,
      /^2 validation errors detected: /,
    );
  });

  it('refuses a missing required member', async () => {
    await expectAwsError(
      iam.send(new CreateRoleCommand({ RoleName: 'no-trust' } as never)),
      'ValidationError',
      400,
      "1 validation error detected: Value at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null",
    );
  });

  it('refuses duplicate tag keys in any case, and a bad or missing boundary', async () => {
    await expectAwsError(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'dup-tags',
          AssumeRolePolicyDocument: trust,
          Tags: [
            { Key: 'a', Value: '1' },
            { Key: 'A', Value: '2' },
          ],
        }),
      ),
      'InvalidInput',
      400,
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    );
    await expectAwsError(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'bad-boundary',
          AssumeRolePolicyDocument: trust,
          PermissionsBoundary: 'not-an-arn-but-long-enough',
        }),
      ),
      'InvalidInput',
      400,
      'ARN not-an-arn-but-long-enough is not valid.',
    );
    await expectAwsError(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'bad-boundary',
          AssumeRolePolicyDocument: trust,
          PermissionsBoundary: 'arn:aws:iam::111122223333:policy/missing',
        }),
      ),
      'NoSuchEntity',
      404,
      'Scope ARN: arn:aws:iam::111122223333:policy/missing does not exist or is not attachable.',
    );
  });
});

describe('GetRole, ListRoles', () => {
  it('returns MaxSessionDuration, Description, an empty RoleLastUsed and tags; finds the role in any case', async () => {
    const role = (await iam.send(new GetRoleCommand({ RoleName: 'CREATED-ROLE' }))).Role!;
    expect(role.RoleName).toBe('created-role');
    expect(role.Description).toBe('not returned by CreateRole');
    expect(role.MaxSessionDuration).toBe(7200);
    expect(role.RoleLastUsed).toEqual({});
    expect(role.Tags).toEqual([{ Key: 'team', Value: 'payments' }]);
  });

  it('answers NoSuchEntity for a missing role', async () => {
    await expectAwsError(
      iam.send(new GetRoleCommand({ RoleName: 'missing' })),
      'NoSuchEntity',
      404,
      'The role with name missing cannot be found.',
    );
  });

  it('filters by path prefix and paginates with opaque markers, never returning tags, boundary or last use', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) {
      await iam.send(
        new CreateRoleCommand({
          RoleName: name,
          Path: '/paged/',
          AssumeRolePolicyDocument: trust,
          Tags: [{ Key: 't', Value: 'v' }],
        }),
      );
    }
    const first = await iam.send(new ListRolesCommand({ PathPrefix: '/paged/', MaxItems: 2 }));
    expect(first.Roles!.map((role) => role.RoleName)).toEqual(['page-a', 'page-b']);
    expect(first.IsTruncated).toBe(true);
    expect(first.Marker).toBeTruthy();
    const second = await iam.send(
      new ListRolesCommand({ PathPrefix: '/paged/', MaxItems: 2, Marker: first.Marker }),
    );
    expect(second.Roles!.map((role) => role.RoleName)).toEqual(['page-c']);
    expect(second.IsTruncated).toBe(false);
    expect(second.Marker).toBeUndefined();
    expect(second.Roles![0]!.Tags).toBeUndefined();
    expect(second.Roles![0]!.RoleLastUsed).toBeUndefined();
    expect(second.Roles![0]!.MaxSessionDuration).toBe(3600);
    const none = await iam.send(new ListRolesCommand({ PathPrefix: '/nothing-here/' }));
    expect(none.Roles).toEqual([]);
    expect(none.IsTruncated).toBe(false);
    await expectAwsError(
      iam.send(new ListRolesCommand({ MaxItems: 1001 })),
      'ValidationError',
      400,
      /Member must have value less than or equal to 1000/,
    );
  });
});

describe('UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy', () => {
  it('changes only what is given', async () => {
    await iam.send(new UpdateRoleCommand({ RoleName: 'created-role', MaxSessionDuration: 43200 }));
    let role = (await iam.send(new GetRoleCommand({ RoleName: 'created-role' }))).Role!;
    expect(role.MaxSessionDuration).toBe(43200);
    expect(role.Description).toBe('not returned by CreateRole');
    await iam.send(new UpdateRoleCommand({ RoleName: 'created-role', Description: 'new words' }));
    role = (await iam.send(new GetRoleCommand({ RoleName: 'created-role' }))).Role!;
    expect(role.MaxSessionDuration).toBe(43200);
    expect(role.Description).toBe('new words');
    const described = await iam.send(
      new UpdateRoleDescriptionCommand({ RoleName: 'created-role', Description: 'third' }),
    );
    expect(described.Role!.Description).toBe('third');
    await expectAwsError(iam.send(new UpdateRoleCommand({ RoleName: 'missing' })), 'NoSuchEntity', 404);
    await expectAwsError(
      iam.send(new UpdateRoleCommand({ RoleName: 'created-role', MaxSessionDuration: 50000 })),
      'ValidationError',
      400,
    );
    await expectAwsError(
      iam.send(new UpdateRoleDescriptionCommand({ RoleName: 'missing', Description: 'x' })),
      'NoSuchEntity',
      404,
    );
  });

  it('replaces the trust policy after the same checks as CreateRole', async () => {
    const next = doc({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    });
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'created-role', PolicyDocument: next }));
    const role = (await iam.send(new GetRoleCommand({ RoleName: 'created-role' }))).Role!;
    expect(decodeURIComponent(role.AssumeRolePolicyDocument!)).toBe(next);
    await expectAwsError(
      iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'created-role', PolicyDocument: '{' })),
      'MalformedPolicyDocument',
      400,
      'This policy contains invalid Json',
    );
    await expectAwsError(
      iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: 'created-role',
          PolicyDocument: doc({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: 'arn:aws:iam::111122223333:user/nobody' },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
        }),
      ),
      'MalformedPolicyDocument',
      400,
      'Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:user/nobody"',
    );
    await expectAwsError(
      iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'missing', PolicyDocument: trust })),
      'NoSuchEntity',
      404,
    );
  });
});

describe('TagRole, UntagRole, ListRoleTags', () => {
  it('overwrites keys case-insensitively keeping the new case, lists sorted, removes silently', async () => {
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'tagged',
        AssumeRolePolicyDocument: trust,
        Tags: [{ Key: 'somekey', Value: 'old' }],
      }),
    );
    await iam.send(
      new TagRoleCommand({
        RoleName: 'tagged',
        Tags: [
          { Key: 'Somekey', Value: 'new' },
          { Key: 'env', Value: '' },
        ],
      }),
    );
    const listed = await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }));
    expect(listed.Tags).toEqual([
      { Key: 'Somekey', Value: 'new' },
      { Key: 'env', Value: '' },
    ]);
    expect(listed.IsTruncated).toBe(false);
    await iam.send(new UntagRoleCommand({ RoleName: 'tagged', TagKeys: ['SOMEKEY', 'absent'] }));
    await iam.send(new UntagRoleCommand({ RoleName: 'tagged', TagKeys: [] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }))).Tags).toEqual([
      { Key: 'env', Value: '' },
    ]);
  });

  it('refuses duplicates, bad keys, too many tags and missing roles', async () => {
    await expectAwsError(
      iam.send(
        new TagRoleCommand({
          RoleName: 'tagged',
          Tags: [
            { Key: 'x', Value: '1' },
            { Key: 'X', Value: '2' },
          ],
        }),
      ),
      'InvalidInput',
      400,
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    );
    await expectAwsError(
      iam.send(new UntagRoleCommand({ RoleName: 'tagged', TagKeys: ['bad#key'] })),
      'ValidationError',
      400,
      /^1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: \[Member must have length less than or equal to 128/,
    );
    const many = Array.from({ length: 50 }, (_, index) => ({ Key: `many${index}`, Value: 'v' }));
    await expectAwsError(
      iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: many })),
      'LimitExceeded',
      409,
    );
    await expectAwsError(
      iam.send(new TagRoleCommand({ RoleName: 'missing', Tags: [{ Key: 'a', Value: 'b' }] })),
      'NoSuchEntity',
      404,
    );
    await expectAwsError(
      iam.send(new UntagRoleCommand({ RoleName: 'missing', TagKeys: ['a'] })),
      'NoSuchEntity',
      404,
    );
    await expectAwsError(iam.send(new ListRoleTagsCommand({ RoleName: 'missing' })), 'NoSuchEntity', 404);
  });
});

describe('inline policies', () => {
  const policy = allow('s3:GetObject', 'arn:aws:s3:::bucket/*');

  it('puts, replaces, gets URL-encoded, lists and deletes', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'inline', AssumeRolePolicyDocument: trust }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'inline',
        PolicyName: 'one',
        PolicyDocument: allow('s3:ListBucket'),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'inline', PolicyName: 'one', PolicyDocument: policy }),
    );
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'inline', PolicyName: 'two', PolicyDocument: policy }),
    );
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'inline', PolicyName: 'one' }));
    expect(got.RoleName).toBe('inline');
    expect(got.PolicyDocument).toContain('%22');
    expect(decodeURIComponent(got.PolicyDocument!)).toBe(policy);
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'inline' }))).PolicyNames).toEqual([
      'one',
      'two',
    ]);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'inline', PolicyName: 'two' }));
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'inline' }))).PolicyNames).toEqual([
      'one',
    ]);
  });

  it('answers NoSuchEntity for missing roles and policies', async () => {
    await expectAwsError(
      iam.send(new GetRolePolicyCommand({ RoleName: 'inline', PolicyName: 'none' })),
      'NoSuchEntity',
      404,
      'The role policy with name none cannot be found.',
    );
    await expectAwsError(
      iam.send(new DeleteRolePolicyCommand({ RoleName: 'inline', PolicyName: 'none' })),
      'NoSuchEntity',
      404,
      'The role policy with name none cannot be found.',
    );
    await expectAwsError(
      iam.send(new PutRolePolicyCommand({ RoleName: 'missing', PolicyName: 'p', PolicyDocument: policy })),
      'NoSuchEntity',
      404,
    );
    await expectAwsError(iam.send(new ListRolePoliciesCommand({ RoleName: 'missing' })), 'NoSuchEntity', 404);
    await expectAwsError(
      iam.send(new GetRolePolicyCommand({ RoleName: 'missing', PolicyName: 'p' })),
      'NoSuchEntity',
      404,
    );
  });

  it('checks the document as an identity policy', async () => {
    await expectAwsError(
      iam.send(
        new PutRolePolicyCommand({
          RoleName: 'inline',
          PolicyName: 'principal',
          PolicyDocument: doc({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }],
          }),
        }),
      ),
      'MalformedPolicyDocument',
      400,
      'Policy document should not specify a principal.',
    );
    await expectAwsError(
      iam.send(
        new PutRolePolicyCommand({ RoleName: 'inline', PolicyName: 'bad', PolicyDocument: 'not json' }),
      ),
      'MalformedPolicyDocument',
      400,
      'Syntax errors in policy.',
    );
  });

  it('refuses an inline policy set over 10240 characters in all (LimitExceeded), counted without whitespace', async () => {
    const actions = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, index) => `s3:${prefix}${String(index).padStart(4, '0')}`);
    const half = allow(actions('Get', 390));
    expect(half.length).toBeGreaterThan(5000);
    expect(half.length).toBeLessThan(5400);
    await iam.send(new CreateRoleCommand({ RoleName: 'inline-size', AssumeRolePolicyDocument: trust }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'inline-size',
        PolicyName: 'a',
        PolicyDocument: half.replace(/,/g, `,\n${' '.repeat(20)}`),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'inline-size', PolicyName: 'a', PolicyDocument: half }),
    );
    await expectAwsError(
      iam.send(
        new PutRolePolicyCommand({
          RoleName: 'inline-size',
          PolicyName: 'b',
          PolicyDocument: allow(actions('Put', 390)),
        }),
      ),
      'LimitExceeded',
      409,
      'Maximum policy size of 10240 bytes exceeded for role inline-size',
    );
  });
});

describe('managed policy attachments and boundaries', () => {
  it('attaches AWS managed and customer policies, lists them with a path filter, detaches', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'attached', AssumeRolePolicyDocument: trust }));
    const created = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'attach-me',
        Path: '/custom/',
        PolicyDocument: allow('s3:GetObject'),
      }),
    );
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'attached',
        PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      }),
    );
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'attached',
        PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'attached', PolicyArn: created.Policy!.Arn }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'attached', PolicyArn: created.Policy!.Arn }));
    const all = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'attached' }));
    expect(all.AttachedPolicies).toHaveLength(3);
    expect(all.AttachedPolicies).toContainEqual({
      PolicyName: 'AWSLambdaBasicExecutionRole',
      PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    });
    const custom = await iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: 'attached', PathPrefix: '/custom/' }),
    );
    expect(custom.AttachedPolicies).toEqual([{ PolicyName: 'attach-me', PolicyArn: created.Policy!.Arn }]);
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'attached', PolicyArn: created.Policy!.Arn }));
    await expectAwsError(
      iam.send(new DetachRolePolicyCommand({ RoleName: 'attached', PolicyArn: created.Policy!.Arn })),
      'NoSuchEntity',
      404,
      `Policy ${created.Policy!.Arn} was not found.`,
    );
    expect(
      (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'CaseRole' }))).AttachedPolicies,
    ).toEqual([]);
  });

  it('refuses invalid, missing and service-linked policies, and the 11th attachment', async () => {
    await expectAwsError(
      iam.send(
        new AttachRolePolicyCommand({
          RoleName: 'attached',
          PolicyArn: 'arn:aws:iam::111122223333:policy/nope',
        }),
      ),
      'NoSuchEntity',
      404,
      'Policy arn:aws:iam::111122223333:policy/nope does not exist or is not attachable.',
    );
    await expectAwsError(
      iam.send(new AttachRolePolicyCommand({ RoleName: 'attached', PolicyArn: 'this-is-not-a-policy-arn' })),
      'ValidationError',
      400,
      'ARN this-is-not-a-policy-arn is not valid.',
    );
    await expectAwsError(
      iam.send(
        new AttachRolePolicyCommand({
          RoleName: 'attached',
          PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AmazonRDSServiceRolePolicy',
        }),
      ),
      'PolicyNotAttachable',
      400,
      'Cannot attach a Service Role Policy to a Customer Role.',
    );
    await expectAwsError(
      iam.send(
        new AttachRolePolicyCommand({
          RoleName: 'missing',
          PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        }),
      ),
      'NoSuchEntity',
      404,
      'The role with name missing cannot be found.',
    );
    await iam.send(new CreateRoleCommand({ RoleName: 'eleven', AssumeRolePolicyDocument: trust }));
    const names = [
      'ReadOnlyAccess',
      'IAMFullAccess',
      'PowerUserAccess',
      'AmazonS3ReadOnlyAccess',
      'AmazonEC2ReadOnlyAccess',
      'AWSLambda_ReadOnlyAccess',
      'AmazonDynamoDBReadOnlyAccess',
      'CloudWatchReadOnlyAccess',
      'AmazonSQSReadOnlyAccess',
      'AmazonSNSReadOnlyAccess',
      'AdministratorAccess',
    ];
    for (const name of names.slice(0, 10)) {
      await iam.send(
        new AttachRolePolicyCommand({ RoleName: 'eleven', PolicyArn: `arn:aws:iam::aws:policy/${name}` }),
      );
    }
    await expectAwsError(
      iam.send(
        new AttachRolePolicyCommand({
          RoleName: 'eleven',
          PolicyArn: `arn:aws:iam::aws:policy/${names[10]!}`,
        }),
      ),
      'LimitExceeded',
      409,
      'Cannot exceed quota for PoliciesPerRole: 10',
    );
  });

  it('puts and deletes a permissions boundary', async () => {
    await iam.send(
      new PutRolePermissionsBoundaryCommand({
        RoleName: 'attached',
        PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
      }),
    );
    expect((await iam.send(new GetRoleCommand({ RoleName: 'attached' }))).Role!.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'Policy',
      PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
    });
    await expectAwsError(
      iam.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: 'attached',
          PermissionsBoundary: 'not-a-valid-arn-at-all',
        }),
      ),
      'InvalidInput',
      400,
      'ARN not-a-valid-arn-at-all is not valid.',
    );
    await expectAwsError(
      iam.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: 'attached',
          PermissionsBoundary: 'arn:aws:iam::111122223333:policy/none',
        }),
      ),
      'NoSuchEntity',
      404,
      'Scope ARN: arn:aws:iam::111122223333:policy/none does not exist or is not attachable.',
    );
    await expectAwsError(
      iam.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: 'missing',
          PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
        }),
      ),
      'NoSuchEntity',
      404,
      'The role with name missing cannot be found.',
    );
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'attached' }));
    expect(
      (await iam.send(new GetRoleCommand({ RoleName: 'attached' }))).Role!.PermissionsBoundary,
    ).toBeUndefined();
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'attached' }));
    await expectAwsError(
      iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'missing' })),
      'NoSuchEntity',
      404,
    );
  });
});

describe('DeleteRole', () => {
  it('refuses while policies are attached or inline, then deletes', async () => {
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'doomed',
        AssumeRolePolicyDocument: trust,
        PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
      }),
    );
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'doomed',
        PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'doomed',
        PolicyName: 'p',
        PolicyDocument: allow('s3:GetObject'),
      }),
    );
    await expectAwsError(
      iam.send(new DeleteRoleCommand({ RoleName: 'doomed' })),
      'DeleteConflict',
      409,
      'Cannot delete entity, must detach all policies first.',
    );
    await iam.send(
      new DetachRolePolicyCommand({
        RoleName: 'doomed',
        PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      }),
    );
    await expectAwsError(
      iam.send(new DeleteRoleCommand({ RoleName: 'doomed' })),
      'DeleteConflict',
      409,
      'Cannot delete entity, must delete policies first.',
    );
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'doomed', PolicyName: 'p' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'doomed' }));
    await expectAwsError(iam.send(new GetRoleCommand({ RoleName: 'doomed' })), 'NoSuchEntity', 404);
    await expectAwsError(iam.send(new DeleteRoleCommand({ RoleName: 'doomed' })), 'NoSuchEntity', 404);
  });

  it('gives a re-created role a new id', async () => {
    const first = await iam.send(
      new CreateRoleCommand({ RoleName: 'reborn', AssumeRolePolicyDocument: trust }),
    );
    await iam.send(new DeleteRoleCommand({ RoleName: 'reborn' }));
    const second = await iam.send(
      new CreateRoleCommand({ RoleName: 'reborn', AssumeRolePolicyDocument: trust }),
    );
    expect(second.Role!.RoleId).not.toBe(first.Role!.RoleId);
  });
});

describe('service-linked roles', () => {
  const name = 'AWSServiceRoleForSupport';
  const protectedMessage = `Cannot perform the operation on the protected role '${name}' - this role is only modifiable by AWS`;

  it('exist in every account, as in a real one', async () => {
    const role = (await harness.iam('777788889999').send(new GetRoleCommand({ RoleName: name }))).Role!;
    expect(role.Arn).toBe(`arn:aws:iam::777788889999:role/aws-service-role/support.amazonaws.com/${name}`);
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }));
    expect(attached.AttachedPolicies!.map((policy) => policy.PolicyName)).toEqual([
      'AWSSupportServiceRolePolicy',
    ]);
  });

  it('cannot be changed or deleted (UnmodifiableEntity)', async () => {
    const attempts = [
      iam.send(new DeleteRoleCommand({ RoleName: name })),
      iam.send(new UpdateRoleCommand({ RoleName: name, MaxSessionDuration: 7200 })),
      iam.send(new UpdateRoleDescriptionCommand({ RoleName: name, Description: 'mine now' })),
      iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: trust })),
      iam.send(
        new PutRolePolicyCommand({ RoleName: name, PolicyName: 'p', PolicyDocument: allow('s3:GetObject') }),
      ),
      iam.send(
        new AttachRolePolicyCommand({ RoleName: name, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
      ),
      iam.send(
        new DetachRolePolicyCommand({
          RoleName: name,
          PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy',
        }),
      ),
      iam.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: name,
          PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        }),
      ),
      iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: name })),
      iam.send(new TagRoleCommand({ RoleName: name, Tags: [{ Key: 'a', Value: 'b' }] })),
    ];
    for (const attempt of attempts)
      await expectAwsError(attempt, 'UnmodifiableEntity', 400, protectedMessage);
  });

  it('cannot be imitated with CreateRole under a reserved path', async () => {
    await expectAwsError(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'fake',
          Path: '/aws-service-role/support.amazonaws.com/',
          AssumeRolePolicyDocument: trust,
        }),
      ),
      'InvalidInput',
      400,
    );
  });
});

describe('configured quotas and reserved tags', () => {
  it('echoes the configured quota in LimitExceeded, and refuses aws: tag keys', async () => {
    const small = await startHarness({ quotas: { policiesPerRole: 2, trustPolicySize: 4096 } });
    try {
      const client = small.iam();
      await client.send(new CreateRoleCommand({ RoleName: 'two', AssumeRolePolicyDocument: trust }));
      await client.send(
        new AttachRolePolicyCommand({ RoleName: 'two', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
      );
      await client.send(
        new AttachRolePolicyCommand({
          RoleName: 'two',
          PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess',
        }),
      );
      await expectAwsError(
        client.send(
          new AttachRolePolicyCommand({
            RoleName: 'two',
            PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
          }),
        ),
        'LimitExceeded',
        409,
        'Cannot exceed quota for PoliciesPerRole: 2',
      );
      await expectAwsError(
        client.send(new TagRoleCommand({ RoleName: 'two', Tags: [{ Key: 'aws:owner', Value: 'me' }] })),
        'InvalidInput',
        400,
      );
      await expectAwsError(
        client.send(new ListRolesCommand({ Marker: 'not-a-marker-we-gave' })),
        'ValidationError',
        400,
      );
    } finally {
      await small.close();
    }
  });
});
