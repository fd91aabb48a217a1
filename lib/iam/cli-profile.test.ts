import { describe, expect, it } from 'vitest';
import { buildCliProfile } from '@/lib/iam/cli-profile';
import { roleSpecSchema, type RoleSpecInput } from '@/lib/iam/role-spec';

const spec = (change: Partial<RoleSpecInput> = {}) =>
  roleSpecSchema.parse({
    accountId: '111122223333',
    name: 'DataReader',
    path: '/team/',
    trustedEntity: { type: 'aws_account', accountId: '444455556666' },
    ...change,
  });

describe('buildCliProfile', () => {
  it.each([
    {
      name: 'plain',
      input: spec(),
      options: {},
      text: '[profile DataReader-111122223333]\nrole_arn = arn:aws:iam::111122223333:role/team/DataReader\nsource_profile = default\n',
    },
    {
      name: 'MFA, external ID, longer session, session name',
      input: spec({
        maxSessionDuration: 14400,
        trustedEntity: {
          type: 'aws_account',
          accountId: '444455556666',
          externalId: 'ext-42',
          requireMfa: true,
        },
      }),
      options: {
        profileName: 'acme prod',
        sourceProfile: 'northwind',
        roleSessionName: 'jane@northwind',
        region: 'eu-west-1',
      },
      text: [
        '[profile acme-prod]',
        'role_arn = arn:aws:iam::111122223333:role/team/DataReader',
        'source_profile = northwind',
        'mfa_serial = arn:aws:iam::444455556666:mfa/YOUR_USER_NAME',
        'external_id = ext-42',
        'duration_seconds = 14400',
        'role_session_name = jane@northwind',
        'region = eu-west-1',
        '',
      ].join('\n'),
    },
    {
      name: 'MFA serial template and a shorter requested duration',
      input: spec({
        maxSessionDuration: 14400,
        trustedEntity: { type: 'aws_account', accountId: '444455556666', requireMfa: true },
      }),
      options: { mfaSerialTemplate: 'arn:aws:iam::{account}:mfa/jane', durationSeconds: 3600 },
      text: '[profile DataReader-111122223333]\nrole_arn = arn:aws:iam::111122223333:role/team/DataReader\nsource_profile = default\nmfa_serial = arn:aws:iam::444455556666:mfa/jane\n',
    },
    {
      name: 'requested duration capped at the role maximum, GovCloud',
      input: spec({ maxSessionDuration: 7200 }),
      options: { durationSeconds: 43200, partition: 'aws-us-gov' as const, region: 'us-gov-west-1' },
      text: '[profile DataReader-111122223333]\nrole_arn = arn:aws-us-gov:iam::111122223333:role/team/DataReader\nsource_profile = default\nduration_seconds = 7200\nregion = us-gov-west-1\n',
    },
    {
      name: 'a region that is not one is left out',
      input: spec(),
      options: { region: 'eu-west-1\nsource_profile = evil' },
      text: '[profile DataReader-111122223333]\nrole_arn = arn:aws:iam::111122223333:role/team/DataReader\nsource_profile = default\n',
    },
  ])('$name', ({ input, options, text }) => {
    const profile = buildCliProfile(input, options);
    expect(profile.ok && profile.text).toBe(text);
  });

  // A custom trust policy's ExternalId condition is the requester's text: a line break in it would
  // write further lines (another section, a credential_process) into the person's ~/.aws/config.
  it.each([
    { name: 'a line break', externalId: 'abc\n[profile evil]\ncredential_process = sh -c id' },
    { name: 'a wildcard (StringLike)', externalId: 'ext-*' },
    { name: 'a space', externalId: 'ext 42' },
  ])('an external ID AssumeRole could not send ($name) is a placeholder', ({ externalId }) => {
    const operator = externalId.includes('*') ? 'StringLike' : 'StringEquals';
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::444455556666:root' },
          Action: 'sts:AssumeRole',
          Condition: { [operator]: { 'sts:ExternalId': externalId } },
        },
      ],
    });
    const profile = buildCliProfile(spec({ trustedEntity: { type: 'custom', document } }));
    expect(profile.ok && profile.text).toBe(
      [
        '[profile DataReader-111122223333]',
        'role_arn = arn:aws:iam::111122223333:role/team/DataReader',
        'source_profile = default',
        'external_id = EXTERNAL_ID_AGREED_WITH_THE_ROLE_OWNER',
        '',
      ].join('\n'),
    );
  });

  it('keeps every option on its own line whatever the caller passes', () => {
    const profile = buildCliProfile(spec(), {
      sourceProfile: 'dev\ncredential_process = sh -c id',
      mfaSerialTemplate: 'x\ny',
    });
    expect(profile.ok && profile.text.split('\n')).toEqual([
      '[profile DataReader-111122223333]',
      'role_arn = arn:aws:iam::111122223333:role/team/DataReader',
      'source_profile = dev-credential_process-=-sh--c-id',
      '',
    ]);
  });

  it('refuses a service role', () => {
    const profile = buildCliProfile(
      spec({ trustedEntity: { type: 'aws_service', services: ['lambda.amazonaws.com'] } }),
    );
    expect(profile.ok ? null : profile.reason).toBe('no_account_principal');
  });
});
