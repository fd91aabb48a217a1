import { describe, expect, it } from 'vitest';
import { roleSpecSchema, type RoleSpecInput } from '@/lib/iam/role-spec';
import { buildSwitchRoleLink, switchRoleName } from '@/lib/iam/switch-role';

const spec = (change: Partial<RoleSpecInput> = {}) =>
  roleSpecSchema.parse({
    accountId: '111122223333',
    name: 'DataReader',
    trustedEntity: { type: 'aws_account', accountId: '444455556666' },
    ...change,
  });

const trust = (statement: object) => ({
  type: 'custom' as const,
  document: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
});

describe('buildSwitchRoleLink', () => {
  it.each([
    {
      name: 'plain role, console colour',
      input: spec(),
      options: { color: '#83d4e8' },
      url: 'https://signin.aws.amazon.com/switchrole?account=111122223333&roleName=DataReader&displayName=DataReader&color=83D4E8',
    },
    {
      name: "an earlier console colour becomes today's of the same name",
      input: spec(),
      options: { color: '99BCE3' },
      url: 'https://signin.aws.amazon.com/switchrole?account=111122223333&roleName=DataReader&displayName=DataReader&color=83D4E8',
    },
    {
      name: 'path and display name are encoded',
      input: spec({ path: '/team+a/', name: 'Reader' }),
      options: { displayName: 'Prod & reader' },
      url: 'https://signin.aws.amazon.com/switchrole?account=111122223333&roleName=team%2Ba%2FReader&displayName=Prod%20%26%20reader',
    },
    {
      name: 'colour outside the palette is left out',
      input: spec(),
      options: { color: 'FF0000' },
      url: 'https://signin.aws.amazon.com/switchrole?account=111122223333&roleName=DataReader&displayName=DataReader',
    },
    {
      name: 'configured palette',
      input: spec(),
      options: { color: 'ff0000', palette: ['FF0000'] },
      url: 'https://signin.aws.amazon.com/switchrole?account=111122223333&roleName=DataReader&displayName=DataReader&color=FF0000',
    },
    {
      name: 'China partition host',
      input: spec(),
      options: { partition: 'aws-cn' as const },
      url: 'https://signin.amazonaws.cn/switchrole?account=111122223333&roleName=DataReader&displayName=DataReader',
    },
    {
      name: 'GovCloud partition host',
      input: spec(),
      options: { partition: 'aws-us-gov' as const },
      url: 'https://signin.amazonaws-us-gov.com/switchrole?account=111122223333&roleName=DataReader&displayName=DataReader',
    },
    {
      name: 'sandbox switch-role page',
      input: spec(),
      options: { switchRolePageUrl: 'http://127.0.0.1:41234/sandbox/switchrole', color: 'F2B0A9' },
      url: 'http://127.0.0.1:41234/sandbox/switchrole?account=111122223333&roleName=DataReader&displayName=DataReader&color=F2B0A9',
    },
    {
      name: 'custom trust naming a role in another account',
      input: spec({
        trustedEntity: trust({
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::444455556666:role/Ops' },
          Action: 'sts:AssumeRole',
        }),
      }),
      options: {},
      url: 'https://signin.aws.amazon.com/switchrole?account=111122223333&roleName=DataReader&displayName=DataReader',
    },
  ])('$name', ({ input, options, url }) => {
    const link = buildSwitchRoleLink(input, options);
    expect(link.ok && link.url).toBe(url);
  });

  it('cuts the display name to 64 characters', () => {
    const link = buildSwitchRoleLink(spec(), { displayName: 'd'.repeat(80) });
    expect(link.ok && new URL(link.url).searchParams.get('displayName')).toBe('d'.repeat(64));
  });

  it('reports MFA', () => {
    const link = buildSwitchRoleLink(
      spec({ trustedEntity: { type: 'aws_account', accountId: '444455556666', requireMfa: true } }),
    );
    expect(link.ok && link.requiresMfa).toBe(true);
  });

  it.each([
    {
      name: 'external ID',
      input: spec({
        trustedEntity: { type: 'aws_account', accountId: '444455556666', externalId: 'xyz-123' },
      }),
      reason: 'external_id_required',
    },
    {
      name: 'external ID in a custom trust',
      input: spec({
        trustedEntity: trust({
          Effect: 'Allow',
          Principal: { AWS: '444455556666' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'x' } },
        }),
      }),
      reason: 'external_id_required',
    },
    {
      name: 'path + name of 65',
      input: spec({ path: `/${'p'.repeat(54)}/`, name: 'abcdefghij' }),
      reason: 'role_name_too_long',
    },
    {
      name: 'service role',
      input: spec({ trustedEntity: { type: 'aws_service', services: ['ec2.amazonaws.com'] } }),
      reason: 'no_account_principal',
    },
    {
      name: 'SAML role',
      input: spec({
        trustedEntity: { type: 'saml', providerArn: 'arn:aws:iam::111122223333:saml-provider/Okta' },
      }),
      reason: 'no_account_principal',
    },
    {
      name: 'Deny only',
      input: spec({
        trustedEntity: trust({
          Effect: 'Deny',
          Principal: { AWS: '444455556666' },
          Action: 'sts:AssumeRole',
        }),
      }),
      reason: 'no_account_principal',
    },
    {
      name: 'AWS principal for another action',
      input: spec({
        trustedEntity: trust({
          Effect: 'Allow',
          Principal: { AWS: '444455556666' },
          Action: 'sts:TagSession',
        }),
      }),
      reason: 'no_account_principal',
    },
  ])('$name → $reason', ({ input, reason }) => {
    const link = buildSwitchRoleLink(input);
    expect(link.ok ? null : link.reason).toBe(reason);
  });

  it('exactly 64 characters still works', () => {
    const input = spec({ path: `/${'p'.repeat(53)}/`, name: 'abcdefghij' });
    expect(switchRoleName(input)).toHaveLength(64);
    expect(buildSwitchRoleLink(input).ok).toBe(true);
  });
});
