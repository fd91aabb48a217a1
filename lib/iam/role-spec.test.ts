import { describe, expect, it } from 'vitest';
import { roleArn, roleSpecSchema, roleSpecSchemaFor, type RoleSpecInput } from '@/lib/iam/role-spec';

const base: RoleSpecInput = {
  accountId: '111122223333',
  name: 'DataReader',
  trustedEntity: { type: 'aws_account', accountId: '444455556666' },
};

const doc =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}';
const arns = (n: number) => Array.from({ length: n }, (_, i) => `arn:aws:iam::111122223333:policy/P${i}`);

function messages(input: unknown, schema = roleSpecSchema): { path: string; message: string }[] {
  const parsed = schema.safeParse(input);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('roleSpecSchema', () => {
  it('fills defaults', () => {
    const spec = roleSpecSchema.parse(base);
    expect(spec).toMatchObject({
      path: '/',
      description: '',
      maxSessionDuration: 3600,
      managedPolicyArns: [],
      tags: [],
    });
    expect(spec.trustedEntity).toEqual({ type: 'aws_account', accountId: '444455556666', requireMfa: false });
  });

  it.each([
    {
      change: { accountId: '12345' },
      path: 'accountId',
      message: 'AWS account ID must be exactly 12 digits',
    },
    { change: { name: '' }, path: 'name', message: 'Enter a role name' },
    { change: { name: 'x'.repeat(65) }, path: 'name', message: 'Role name must be at most 64 characters' },
    {
      change: { name: 'has space' },
      path: 'name',
      message: 'Role name may contain only letters, digits and + = , . @ - _',
    },
    {
      change: { path: 'team/' },
      path: 'path',
      message: 'Path must start and end with / and contain no spaces, e.g. /team/app/',
    },
    {
      change: { path: '/team' },
      path: 'path',
      message: 'Path must start and end with / and contain no spaces, e.g. /team/app/',
    },
    {
      change: { path: '/a b/' },
      path: 'path',
      message: 'Path must start and end with / and contain no spaces, e.g. /team/app/',
    },
    {
      change: { path: `/${'a'.repeat(511)}/` },
      path: 'path',
      message: 'Path must be at most 512 characters',
    },
    { change: { path: '/a//b/' }, path: 'path', message: 'Path must not contain an empty segment (//)' },
    {
      change: { description: 'x'.repeat(1001) },
      path: 'description',
      message: 'Description must be at most 1000 characters',
    },
    {
      change: { description: 'emoji 🚀' },
      path: 'description',
      message:
        'Description may contain only Latin-1 letters, digits, punctuation, spaces, tabs and line breaks',
    },
    {
      change: { maxSessionDuration: 3599 },
      path: 'maxSessionDuration',
      message: 'Maximum session duration must be at least 3600 seconds (1 hour)',
    },
    {
      change: { maxSessionDuration: 43201 },
      path: 'maxSessionDuration',
      message: 'Maximum session duration must be at most 43200 seconds (12 hours)',
    },
    {
      change: { maxSessionDuration: 3600.5 },
      path: 'maxSessionDuration',
      message: 'Maximum session duration must be a whole number of seconds',
    },
    {
      change: { managedPolicyArns: ['arn:aws:iam::aws:role/ReadOnlyAccess'] },
      path: 'managedPolicyArns.0',
      message:
        'Policy ARN must look like arn:aws:iam::aws:policy/ReadOnlyAccess or arn:aws:iam::111122223333:policy/MyPolicy',
    },
    {
      change: { managedPolicyArns: ['arn:aws:iam::aws:policy/A', 'arn:aws:iam::aws:policy/A'] },
      path: 'managedPolicyArns.1',
      message: 'Policy arn:aws:iam::aws:policy/A is listed twice; remove one',
    },
    {
      change: { managedPolicyArns: arns(11) },
      path: 'managedPolicyArns',
      message: 'A role can have at most 10 managed policies in this account (attached plus new); remove 1',
    },
    {
      change: {
        managedPolicyArns: arns(9),
        newManagedPolicies: [
          { name: 'a', document: doc },
          { name: 'b', document: doc },
        ],
      },
      path: 'managedPolicyArns',
      message: 'A role can have at most 10 managed policies in this account (attached plus new); remove 1',
    },
    {
      change: {
        newManagedPolicies: [
          { name: 'Abc', document: doc },
          { name: 'aBC', document: doc },
        ],
      },
      path: 'newManagedPolicies.1.name',
      message: 'Policy name aBC is used twice (names ignore case); rename one',
    },
    {
      change: { newManagedPolicies: [{ name: 'x'.repeat(129), document: doc }] },
      path: 'newManagedPolicies.0.name',
      message: 'Policy name must be at most 128 characters',
    },
    {
      change: { newManagedPolicies: [{ name: 'p', description: 'd'.repeat(1001), document: doc }] },
      path: 'newManagedPolicies.0.description',
      message: 'Policy description must be at most 1000 characters',
    },
    {
      change: { inlinePolicies: [{ name: 'p', document: '' }] },
      path: 'inlinePolicies.0.document',
      message: 'Enter the inline policy document',
    },
    {
      change: { inlinePolicies: [{ name: 'p', document: '{"x":"→"}' }] },
      path: 'inlinePolicies.0.document',
      message: 'Inline policy document may contain only Latin-1 characters (no emoji or other Unicode)',
    },
    {
      change: {
        inlinePolicies: [
          { name: 'p', document: doc },
          { name: 'p', document: doc },
        ],
      },
      path: 'inlinePolicies.1.name',
      message: 'Inline policy name p is used twice; rename one',
    },
    {
      change: { managedPolicyArns: ['arn:aws:iam::444455556666:policy/Theirs'] },
      path: 'managedPolicyArns.0',
      message:
        'Policy arn:aws:iam::444455556666:policy/Theirs belongs to account 444455556666; attach an AWS managed policy or one of account 111122223333',
    },
    {
      change: { permissionsBoundaryArn: 'arn:aws:iam::444455556666:policy/B' },
      path: 'permissionsBoundaryArn',
      message:
        'The permissions boundary belongs to account 444455556666; use an AWS managed policy or one of account 111122223333',
    },
    {
      change: { permissionsBoundaryArn: 'ReadOnlyAccess' },
      path: 'permissionsBoundaryArn',
      message:
        'Policy ARN must look like arn:aws:iam::aws:policy/ReadOnlyAccess or arn:aws:iam::111122223333:policy/MyPolicy',
    },
    {
      change: { tags: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: '' })) },
      path: 'tags',
      message:
        'A role can have at most 49 tags here (IAM allows 50 and Rolesmith adds one naming the request); remove some',
    },
    {
      change: { tags: [{ key: 'Rolesmith:request-id', value: 'x' }] },
      path: 'tags.0.key',
      message: 'Tag keys starting with rolesmith: are reserved for Rolesmith; choose another key',
    },
    {
      change: { tags: [{ key: 'AWS:team', value: 'x' }] },
      path: 'tags.0.key',
      message: 'Tag keys starting with aws: are reserved for AWS; choose another key',
    },
    { change: { tags: [{ key: '', value: 'x' }] }, path: 'tags.0.key', message: 'Enter the tag key' },
    {
      change: { tags: [{ key: 'k'.repeat(129), value: 'x' }] },
      path: 'tags.0.key',
      message: 'Tag key must be at most 128 characters',
    },
    {
      change: { tags: [{ key: 'k', value: 'v'.repeat(257) }] },
      path: 'tags.0.value',
      message: 'Tag value must be at most 256 characters',
    },
    {
      change: { tags: [{ key: 'cost#center', value: 'x' }] },
      path: 'tags.0.key',
      message: 'Tag key may contain only letters, digits, spaces and _ . : / = + - @',
    },
    {
      change: {
        tags: [
          { key: 'Team', value: 'a' },
          { key: 'team', value: 'b' },
        ],
      },
      path: 'tags.1.key',
      message: 'Tag key team is used twice (keys ignore case); remove one',
    },
    {
      change: { trustedEntity: { type: 'aws_account', accountId: '1' } },
      path: 'trustedEntity.accountId',
      message: 'AWS account ID must be exactly 12 digits',
    },
    {
      change: { trustedEntity: { type: 'aws_account', accountId: '444455556666', externalId: 'a b' } },
      path: 'trustedEntity.externalId',
      message: 'External ID may contain only letters, digits and + = , . @ : / - _',
    },
    {
      change: { trustedEntity: { type: 'aws_service', services: [] } },
      path: 'trustedEntity.services',
      message: 'Choose at least one AWS service',
    },
    {
      change: { trustedEntity: { type: 'saml', providerArn: 'arn:aws:iam::111122223333:oidc-provider/x' } },
      path: 'trustedEntity.providerArn',
      message: 'SAML provider ARN must look like arn:aws:iam::111122223333:saml-provider/MyProvider',
    },
  ])('$path: $message', ({ change, path, message }) => {
    expect(messages({ ...base, ...change })).toContainEqual({ path, message });
  });

  it.each([
    { change: { name: 'a'.repeat(64) } },
    { change: { name: 'Role+=,.@-_1' } },
    { change: { path: '/' } },
    { change: { path: '/team/app/' } },
    { change: { description: 'Tab\tand newline\nand Latin-1 é' } },
    { change: { maxSessionDuration: 43200 } },
    {
      change: {
        managedPolicyArns: [
          'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          'arn:aws-cn:iam::111122223333:policy/team/P',
        ],
      },
    },
    {
      change: {
        managedPolicyArns: arns(8),
        newManagedPolicies: [
          { name: 'a', document: doc },
          { name: 'b', document: doc },
        ],
      },
    },
    {
      change: {
        tags: [
          { key: 'Équipe 1', value: '' },
          { key: 'owner@x', value: 'a:b/c=d+e-f_g.h' },
        ],
      },
    },
    { change: { permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/Boundary' } },
  ])('accepts $change', ({ change }) => {
    expect(messages({ ...base, ...change })).toEqual([]);
  });
});

describe('roleSpecSchemaFor', () => {
  it('applies a raised quota', () => {
    const schema = roleSpecSchemaFor({ managedPoliciesPerRole: 20 });
    expect(messages({ ...base, managedPolicyArns: arns(20) }, schema)).toEqual([]);
    expect(messages({ ...base, managedPolicyArns: arns(21) }, schema)).toContainEqual({
      path: 'managedPolicyArns',
      message: 'A role can have at most 20 managed policies in this account (attached plus new); remove 1',
    });
  });

  it.each([0, 21, 1.5])('refuses a quota of %s', (quota) => {
    expect(() => roleSpecSchemaFor({ managedPoliciesPerRole: quota })).toThrow(RangeError);
  });
});

describe('roleArn', () => {
  it('includes the path', () => {
    expect(roleArn({ accountId: '111122223333', path: '/team/', name: 'R' })).toBe(
      'arn:aws:iam::111122223333:role/team/R',
    );
    expect(roleArn({ accountId: '111122223333', path: '/', name: 'R' }, 'aws-cn')).toBe(
      'arn:aws-cn:iam::111122223333:role/R',
    );
  });
});
