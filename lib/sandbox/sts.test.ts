import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  GetRoleCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allow,
  doc,
  expectAwsError,
  startHarness,
  trustAccount,
  type Credentials,
  type Harness,
} from '@/lib/sandbox/test-harness';

let harness: Harness;
let iam: IAMClient;
let prodIam: IAMClient;

const acme = '111122223333';
const prod = '444455556666';
const roleArn = (account: string, name: string, path = '/') => `arn:aws:iam::${account}:role${path}${name}`;

function credentialsOf(response: {
  Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string };
}): Credentials {
  return {
    accessKeyId: response.Credentials!.AccessKeyId!,
    secretAccessKey: response.Credentials!.SecretAccessKey!,
    sessionToken: response.Credentials!.SessionToken!,
  };
}

const trustWith = (
  principal: unknown,
  extra: Record<string, unknown> = {},
  action: string | string[] = 'sts:AssumeRole',
) =>
  doc({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: action, ...extra }],
  });

beforeAll(async () => {
  harness = await startHarness();
  iam = harness.iam(acme);
  prodIam = harness.iam(prod);
  await prodIam.send(
    new CreateRoleCommand({
      RoleName: 'deployer',
      Path: '/ci/',
      AssumeRolePolicyDocument: trustAccount(acme),
      MaxSessionDuration: 7200,
    }),
  );
  await prodIam.send(
    new PutRolePolicyCommand({
      RoleName: 'deployer',
      PolicyName: 'read',
      PolicyDocument: allow(['iam:GetRole', 'iam:ListRoles']),
    }),
  );
});

afterAll(async () => {
  await harness.close();
});

describe('GetCallerIdentity', () => {
  it('names an IAM user', async () => {
    const identity = await harness.stsAs(harness.person('alice')).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(acme);
    expect(identity.Arn).toBe(`arn:aws:iam::${acme}:user/alice`);
    expect(identity.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
  });
});

describe('AssumeRole', () => {
  it('lets a person assume a role in another account that trusts their account, and the session acts as the role', async () => {
    const alice = harness.stsAs(harness.person('alice'));
    const response = await alice.send(
      new AssumeRoleCommand({ RoleArn: roleArn(prod, 'deployer', '/ci/'), RoleSessionName: 'alice-session' }),
    );
    expect(response.Credentials!.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(response.Credentials!.SecretAccessKey).toHaveLength(40);
    const expiresInMs = response.Credentials!.Expiration!.getTime() - Date.now();
    expect(expiresInMs).toBeGreaterThan(3500_000);
    expect(expiresInMs).toBeLessThanOrEqual(3600_000);
    expect(response.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${prod}:assumed-role/deployer/alice-session`);
    const role = (await prodIam.send(new GetRoleCommand({ RoleName: 'deployer' }))).Role!;
    expect(response.AssumedRoleUser!.AssumedRoleId).toBe(`${role.RoleId!}:alice-session`);
    expect(response.PackedPolicySize).toBeUndefined();
    expect(role.RoleLastUsed!.Region).toBe('us-east-1');
    expect(role.RoleLastUsed!.LastUsedDate).toBeInstanceOf(Date);

    const session = credentialsOf(response);
    const identity = await harness.stsAs(session).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: prod,
      Arn: `arn:aws:sts::${prod}:assumed-role/deployer/alice-session`,
      UserId: `${role.RoleId!}:alice-session`,
    });
    const sessionIam = harness.iamAs(session);
    expect((await sessionIam.send(new GetRoleCommand({ RoleName: 'deployer' }))).Role!.RoleName).toBe(
      'deployer',
    );
    await expectAwsError(
      sessionIam.send(new CreateRoleCommand({ RoleName: 'x', AssumeRolePolicyDocument: trustAccount(prod) })),
      'AccessDenied',
      403,
      `User: arn:aws:sts::${prod}:assumed-role/deployer/alice-session is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::${prod}:role/x because no identity-based policy allows the iam:CreateRole action`,
    );
  });

  it('refuses a missing role, or a role whose trust does not name the caller, with AccessDenied naming the caller', async () => {
    const erin = harness.stsAs(harness.person('erin'));
    for (const arn of [
      roleArn(prod, 'deployer', '/ci/'),
      roleArn(prod, 'no-such-role'),
      roleArn(prod, 'deployer'),
    ]) {
      await expectAwsError(
        erin.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'erin' })),
        'AccessDenied',
        403,
        `User: arn:aws:iam::123456789012:user/erin is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
      );
    }
  });

  it('requires the caller identity policy too when the trust names only the account', async () => {
    await iam.send(
      new CreateRoleCommand({ RoleName: 'same-account', AssumeRolePolicyDocument: trustAccount(acme) }),
    );
    // The sandbox administrator may do everything; a session of a role without sts permissions may not chain.
    const provisioner = harness.sts(acme);
    const first = await provisioner.send(
      new AssumeRoleCommand({ RoleArn: roleArn(acme, 'same-account'), RoleSessionName: 'one' }),
    );
    await expectAwsError(
      harness
        .stsAs(credentialsOf(first))
        .send(new AssumeRoleCommand({ RoleArn: roleArn(acme, 'same-account'), RoleSessionName: 'two' })),
      'AccessDenied',
      403,
    );
  });

  it('lets a trust policy naming the user directly suffice in the same account', async () => {
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'for-dave',
        AssumeRolePolicyDocument: trustWith({ AWS: `arn:aws:iam::${acme}:user/dave` }),
      }),
    );
    const response = await harness
      .stsAs(harness.person('dave'))
      .send(new AssumeRoleCommand({ RoleArn: roleArn(acme, 'for-dave'), RoleSessionName: 'dave' }));
    expect(response.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${acme}:assumed-role/for-dave/dave`);
    await expectAwsError(
      harness
        .stsAs(harness.person('bob'))
        .send(new AssumeRoleCommand({ RoleArn: roleArn(acme, 'for-dave'), RoleSessionName: 'bob' })),
      'AccessDenied',
      403,
    );
  });

  it('checks the external ID', async () => {
    await prodIam.send(
      new CreateRoleCommand({
        RoleName: 'vendor',
        AssumeRolePolicyDocument: trustWith(
          { AWS: '123456789012' },
          { Condition: { StringEquals: { 'sts:ExternalId': 'secret-123' } } },
        ),
      }),
    );
    const erin = harness.stsAs(harness.person('erin'));
    await expectAwsError(
      erin.send(new AssumeRoleCommand({ RoleArn: roleArn(prod, 'vendor'), RoleSessionName: 'erin' })),
      'AccessDenied',
      403,
    );
    await expectAwsError(
      erin.send(
        new AssumeRoleCommand({
          RoleArn: roleArn(prod, 'vendor'),
          RoleSessionName: 'erin',
          ExternalId: 'wrong-one',
        }),
      ),
      'AccessDenied',
      403,
    );
    const response = await erin.send(
      new AssumeRoleCommand({
        RoleArn: roleArn(prod, 'vendor'),
        RoleSessionName: 'erin',
        ExternalId: 'secret-123',
      }),
    );
    expect(response.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${prod}:assumed-role/vendor/erin`);
  });

  it('checks MFA with the virtual device the sandbox shows codes for', async () => {
    await prodIam.send(
      new CreateRoleCommand({
        RoleName: 'mfa-only',
        AssumeRolePolicyDocument: trustWith(
          { AWS: acme },
          { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } },
        ),
      }),
    );
    const carol = harness.person('carol');
    const sts = harness.stsAs(carol);
    const arn = roleArn(prod, 'mfa-only');
    await expectAwsError(
      sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'carol' })),
      'AccessDenied',
      403,
    );
    await expectAwsError(
      sts.send(
        new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'carol', SerialNumber: carol.mfaSerial }),
      ),
      'AccessDenied',
      403,
      'MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.',
    );
    const code = harness.server.emulator.mfaCode(acme, 'carol')!;
    expect(code).toMatch(/^\d{6}$/);
    const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
    await expectAwsError(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: arn,
          RoleSessionName: 'carol',
          SerialNumber: carol.mfaSerial,
          TokenCode: wrong,
        }),
      ),
      'AccessDenied',
      403,
      'MultiFactorAuthentication failed with invalid MFA one time pass code.',
    );
    await expectAwsError(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: arn,
          RoleSessionName: 'carol',
          SerialNumber: harness.person('alice').mfaSerial,
          TokenCode: harness.server.emulator.mfaCode(acme, 'alice')!,
        }),
      ),
      'AccessDenied',
      403,
      'MultiFactorAuthentication failed with invalid MFA one time pass code.',
    );
    const response = await sts.send(
      new AssumeRoleCommand({
        RoleArn: arn,
        RoleSessionName: 'carol',
        SerialNumber: carol.mfaSerial,
        TokenCode: code,
      }),
    );
    expect(response.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${prod}:assumed-role/mfa-only/carol`);
  });

  it('bounds DurationSeconds by the role maximum and by the one-hour role-chaining limit', async () => {
    const alice = harness.stsAs(harness.person('alice'));
    const arn = roleArn(prod, 'deployer', '/ci/');
    const long = await alice.send(
      new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'long', DurationSeconds: 7200 }),
    );
    expect(long.Credentials!.Expiration!.getTime() - Date.now()).toBeGreaterThan(7100_000);
    await expectAwsError(
      alice.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'too-long', DurationSeconds: 7201 })),
      'ValidationError',
      400,
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
    await prodIam.send(
      new CreateRoleCommand({
        RoleName: 'chained',
        AssumeRolePolicyDocument: trustAccount(prod),
        MaxSessionDuration: 7200,
      }),
    );
    await prodIam.send(
      new PutRolePolicyCommand({
        RoleName: 'deployer',
        PolicyName: 'chain',
        PolicyDocument: allow('sts:AssumeRole', roleArn(prod, 'chained')),
      }),
    );
    const chainer = harness.stsAs(credentialsOf(long));
    await expectAwsError(
      chainer.send(
        new AssumeRoleCommand({
          RoleArn: roleArn(prod, 'chained'),
          RoleSessionName: 'chain',
          DurationSeconds: 7200,
        }),
      ),
      'ValidationError',
      400,
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    const chained = await chainer.send(
      new AssumeRoleCommand({ RoleArn: roleArn(prod, 'chained'), RoleSessionName: 'chain' }),
    );
    expect(chained.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${prod}:assumed-role/chained/chain`);
    await expectAwsError(
      alice.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'short', DurationSeconds: 899 })),
      'ValidationError',
      400,
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
  });

  it('validates the session name and role ARN as STS does', async () => {
    const alice = harness.stsAs(harness.person('alice'));
    await expectAwsError(
      alice.send(
        new AssumeRoleCommand({ RoleArn: roleArn(prod, 'deployer', '/ci/'), RoleSessionName: 'Session1:2' }),
      ),
      'ValidationError',
      400,
      "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
    await expectAwsError(
      alice.send(
        new AssumeRoleCommand({
          RoleArn: roleArn(prod, 'deployer', '/ci/'),
          RoleSessionName: 's'.repeat(65),
        }),
      ),
      'ValidationError',
      400,
      /Member must have length less than or equal to 64$/,
    );
    await expectAwsError(
      alice.send(new AssumeRoleCommand({ RoleArn: 'nothing-valid-in-here', RoleSessionName: 'alice' })),
      'ValidationError',
      400,
      'nothing-valid-in-here is invalid',
    );
    await expectAwsError(
      alice.send(new AssumeRoleCommand({ RoleArn: 'arn:a:::something/test-role', RoleSessionName: 'alice' })),
      'ValidationError',
      400,
      'arn:a:::something/test-role is invalid',
    );
    await expectAwsError(
      alice.send(
        new AssumeRoleCommand({
          RoleArn: roleArn(prod, 'deployer', '/ci/'),
          RoleSessionName: 'alice',
          TokenCode: '12ab56',
          SerialNumber: harness.person('alice').mfaSerial,
        }),
      ),
      'ValidationError',
      400,
      /at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\d\]\*/,
    );
  });

  it('handles session tags: trust must allow sts:TagSession, duplicates and transitive keys are checked', async () => {
    const alice = harness.stsAs(harness.person('alice'));
    const tags = [{ Key: 'project', Value: 'apollo' }];
    await expectAwsError(
      alice.send(
        new AssumeRoleCommand({
          RoleArn: roleArn(prod, 'deployer', '/ci/'),
          RoleSessionName: 'tags',
          Tags: tags,
        }),
      ),
      'AccessDenied',
      403,
    );
    await prodIam.send(
      new CreateRoleCommand({
        RoleName: 'taggable',
        AssumeRolePolicyDocument: trustWith({ AWS: acme }, {}, ['sts:AssumeRole', 'sts:TagSession']),
      }),
    );
    const arn = roleArn(prod, 'taggable');
    const tagged = await alice.send(
      new AssumeRoleCommand({
        RoleArn: arn,
        RoleSessionName: 'tags',
        Tags: tags,
        TransitiveTagKeys: ['project'],
      }),
    );
    expect(tagged.PackedPolicySize).toBeGreaterThan(0);
    await expectAwsError(
      alice.send(
        new AssumeRoleCommand({
          RoleArn: arn,
          RoleSessionName: 'tags',
          Tags: [
            { Key: 'a', Value: '1' },
            { Key: 'A', Value: '2' },
          ],
        }),
      ),
      'InvalidParameterValue',
      400,
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    );
    await expectAwsError(
      alice.send(
        new AssumeRoleCommand({
          RoleArn: arn,
          RoleSessionName: 'tags',
          Tags: tags,
          TransitiveTagKeys: ['other'],
        }),
      ),
      'InvalidParameterValue',
      400,
      'The specified transitive tag key must be included in the requested tags.',
    );
  });

  it('limits a session by its session policy, and a role by its boundary', async () => {
    await prodIam.send(
      new CreateRoleCommand({ RoleName: 'broad', AssumeRolePolicyDocument: trustAccount(acme) }),
    );
    await prodIam.send(
      new PutRolePolicyCommand({ RoleName: 'broad', PolicyName: 'all-iam', PolicyDocument: allow('iam:*') }),
    );
    const alice = harness.stsAs(harness.person('alice'));
    const limited = await alice.send(
      new AssumeRoleCommand({
        RoleArn: roleArn(prod, 'broad'),
        RoleSessionName: 'limited',
        Policy: allow('iam:GetRole'),
      }),
    );
    expect(limited.PackedPolicySize).toBeGreaterThan(0);
    const limitedIam = harness.iamAs(credentialsOf(limited));
    await limitedIam.send(new GetRoleCommand({ RoleName: 'broad' }));
    await expectAwsError(
      limitedIam.send(new CreateRoleCommand({ RoleName: 'y', AssumeRolePolicyDocument: trustAccount(prod) })),
      'AccessDenied',
      403,
      `User: arn:aws:sts::${prod}:assumed-role/broad/limited is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::${prod}:role/y because no session policy allows the iam:CreateRole action`,
    );
    await expectAwsError(
      alice.send(
        new AssumeRoleCommand({
          RoleArn: roleArn(prod, 'broad'),
          RoleSessionName: 'bad',
          Policy: '{"Statement": nope',
        }),
      ),
      'MalformedPolicyDocument',
      400,
    );
    await prodIam.send(
      new PutRolePermissionsBoundaryCommand({
        RoleName: 'broad',
        PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      }),
    );
    const bounded = harness.iamAs(
      credentialsOf(
        await alice.send(
          new AssumeRoleCommand({ RoleArn: roleArn(prod, 'broad'), RoleSessionName: 'bounded' }),
        ),
      ),
    );
    await bounded.send(new GetRoleCommand({ RoleName: 'broad' }));
    await expectAwsError(
      bounded.send(new CreateRoleCommand({ RoleName: 'z', AssumeRolePolicyDocument: trustAccount(prod) })),
      'AccessDenied',
      403,
      `User: arn:aws:sts::${prod}:assumed-role/broad/bounded is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::${prod}:role/z because no permissions boundary allows the iam:CreateRole action`,
    );
  });

  it('answers ExpiredToken for expired temporary credentials', async () => {
    const response = await harness
      .stsAs(harness.person('alice'))
      .send(
        new AssumeRoleCommand({ RoleArn: roleArn(prod, 'deployer', '/ci/'), RoleSessionName: 'expiring' }),
      );
    const sessions = harness.server.emulator.state.t.sessions;
    const record = sessions.get(response.Credentials!.AccessKeyId!)!;
    sessions.put(record.accessKeyId, { ...record, expiration: new Date(Date.now() - 1000).toISOString() });
    await expectAwsError(
      harness.stsAs(credentialsOf(response)).send(new GetCallerIdentityCommand({})),
      'ExpiredToken',
      403,
      'The security token included in the request is expired',
    );
  });
});

describe('request context in trust and identity policies', () => {
  it('passes session tags on as principal tags, source identity and the source address', async () => {
    await prodIam.send(
      new CreateRoleCommand({
        RoleName: 'tagged-entry',
        AssumeRolePolicyDocument: trustWith({ AWS: acme }, {}, [
          'sts:AssumeRole',
          'sts:TagSession',
          'sts:SetSourceIdentity',
        ]),
      }),
    );
    await prodIam.send(
      new PutRolePolicyCommand({
        RoleName: 'tagged-entry',
        PolicyName: 'chain-from-loopback',
        PolicyDocument: doc({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['sts:AssumeRole', 'sts:TagSession'],
              Resource: '*',
              Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } },
            },
            {
              Effect: 'Allow',
              Action: 'iam:GetRole',
              Resource: '*',
              Condition: { Bool: { 'aws:SecureTransport': 'true' } },
            },
          ],
        }),
      }),
    );
    await prodIam.send(
      new CreateRoleCommand({
        RoleName: 'blue-team-only',
        AssumeRolePolicyDocument: trustWith(
          { AWS: prod },
          {
            Condition: {
              StringEquals: { 'aws:PrincipalTag/team': 'blue', 'aws:SourceIdentity': 'alice@acme.example' },
            },
          },
          ['sts:AssumeRole', 'sts:TagSession'],
        ),
      }),
    );
    const alice = harness.stsAs(harness.person('alice'));
    const enter = (team: string) =>
      alice.send(
        new AssumeRoleCommand({
          RoleArn: roleArn(prod, 'tagged-entry'),
          RoleSessionName: `entry-${team}`,
          SourceIdentity: 'alice@acme.example',
          Tags: [{ Key: 'team', Value: team }],
          TransitiveTagKeys: ['team'],
        }),
      );
    const blue = credentialsOf(await enter('blue'));
    const red = credentialsOf(await enter('red'));
    const chained = await harness
      .stsAs(blue)
      .send(new AssumeRoleCommand({ RoleArn: roleArn(prod, 'blue-team-only'), RoleSessionName: 'chained' }));
    expect(chained.SourceIdentity).toBe('alice@acme.example');
    await expectAwsError(
      harness
        .stsAs(red)
        .send(
          new AssumeRoleCommand({ RoleArn: roleArn(prod, 'blue-team-only'), RoleSessionName: 'chained' }),
        ),
      'AccessDenied',
      403,
    );
    // Plain HTTP: aws:SecureTransport is false, so the GetRole statement does not apply.
    await expectAwsError(
      harness.iamAs(blue).send(new GetRoleCommand({ RoleName: 'tagged-entry' })),
      'AccessDenied',
      403,
    );
  });
});

describe('session policy size and transitive tag conflicts', () => {
  it('refuses session policies too large to pack, and a chained tag that overrides a transitive one', async () => {
    const alice = harness.stsAs(harness.person('alice'));
    const big = allow(Array.from({ length: 200 }, (_, index) => `s3:Get${String(index).padStart(4, '0')}`));
    await expectAwsError(
      alice.send(
        new AssumeRoleCommand({
          RoleArn: roleArn(prod, 'tagged-entry'),
          RoleSessionName: 'big',
          Policy: big,
        }),
      ),
      'PackedPolicyTooLarge',
      400,
      /^Packed policy consumes \d+% of allotted space, please use smaller policy\.$/,
    );
    const entered = await alice.send(
      new AssumeRoleCommand({
        RoleArn: roleArn(prod, 'tagged-entry'),
        RoleSessionName: 'transitive',
        Tags: [{ Key: 'team', Value: 'blue' }],
        TransitiveTagKeys: ['team'],
      }),
    );
    await expectAwsError(
      harness.stsAs(credentialsOf(entered)).send(
        new AssumeRoleCommand({
          RoleArn: roleArn(prod, 'blue-team-only'),
          RoleSessionName: 'override',
          Tags: [{ Key: 'TEAM', Value: 'red' }],
        }),
      ),
      'InvalidParameterValue',
      400,
      "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
    );
  });
});

describe('the provisioner role for aws mode', () => {
  it("lets the identity account assume each target account's provisioner role with its external ID, and create roles there", async () => {
    const target = harness.server.emulator.describe().accounts.find((account) => account.id === prod)!;
    expect(target.provisionerRole).toEqual({
      arn: `arn:aws:iam::${prod}:role/rolesmith/RolesmithProvisioner`,
      externalId: `rolesmith-sandbox-${prod}`,
    });
    const identity = harness.sts(acme);
    await expectAwsError(
      identity.send(
        new AssumeRoleCommand({ RoleArn: target.provisionerRole!.arn, RoleSessionName: 'rolesmith' }),
      ),
      'AccessDenied',
      403,
    );
    const response = await identity.send(
      new AssumeRoleCommand({
        RoleArn: target.provisionerRole!.arn,
        RoleSessionName: 'rolesmith',
        ExternalId: target.provisionerRole!.externalId,
      }),
    );
    const created = await harness
      .iamAs(credentialsOf(response))
      .send(
        new CreateRoleCommand({ RoleName: 'made-by-portal', AssumeRolePolicyDocument: trustAccount(acme) }),
      );
    expect(created.Role!.Arn).toBe(roleArn(prod, 'made-by-portal'));
    expect(
      harness.server.emulator.describe().accounts.find((account) => account.id === '123456789012')!
        .provisionerRole,
    ).toBeUndefined();
  });
});

describe('AssumeRoleWithWebIdentity', () => {
  const issuer = 'https://idp.example.com/tenant';
  const jwt = (claims: Record<string, unknown>, alg = 'none') =>
    [
      Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url'),
      Buffer.from(JSON.stringify(claims)).toString('base64url'),
      alg === 'none' ? '' : 'c2lnbmF0dXJl',
    ].join('.');
  const claims = {
    iss: issuer,
    sub: 'repo:acme/app:ref:refs/heads/main',
    aud: 'sts.amazonaws.com',
    exp: Math.floor(Date.now() / 1000) + 600,
  };
  let anonymous: STSClient;

  beforeAll(async () => {
    anonymous = new STSClient({ endpoint: harness.server.endpoint, region: 'us-east-1', maxAttempts: 1 });
    const provider = await prodIam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: issuer,
        ClientIDList: ['sts.amazonaws.com'],
        ThumbprintList: ['b'.repeat(40)],
      }),
    );
    await prodIam.send(
      new CreateRoleCommand({
        RoleName: 'ci',
        AssumeRolePolicyDocument: trustWith(
          { Federated: provider.OpenIDConnectProviderArn },
          {
            Condition: {
              StringEquals: { 'idp.example.com/tenant:aud': 'sts.amazonaws.com' },
              StringLike: { 'idp.example.com/tenant:sub': 'repo:acme/app:*' },
            },
          },
          'sts:AssumeRoleWithWebIdentity',
        ),
      }),
    );
  });

  it('exchanges an unsigned or signed test token for credentials without AWS credentials', async () => {
    for (const alg of ['none', 'RS256']) {
      const response = await anonymous.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: roleArn(prod, 'ci'),
          RoleSessionName: 'build-1',
          WebIdentityToken: jwt(claims, alg),
        }),
      );
      expect(response.SubjectFromWebIdentityToken).toBe(claims.sub);
      expect(response.Audience).toBe('sts.amazonaws.com');
      expect(response.Provider).toBe(issuer);
      expect(response.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${prod}:assumed-role/ci/build-1`);
      const identity = await harness.stsAs(credentialsOf(response)).send(new GetCallerIdentityCommand({}));
      expect(identity.Arn).toBe(`arn:aws:sts::${prod}:assumed-role/ci/build-1`);
    }
  });

  it('refuses unknown issuers, wrong audiences, expired or malformed tokens, and unmet trust', async () => {
    const arn = roleArn(prod, 'ci');
    const call = (token: string, extra: Record<string, unknown> = {}) =>
      anonymous.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: arn,
          RoleSessionName: 'build',
          WebIdentityToken: token,
          ...extra,
        }),
      );
    await expectAwsError(
      call(jwt({ ...claims, iss: 'https://other.example.com' })),
      'InvalidIdentityToken',
      400,
      'No OpenIDConnect provider found in your account for https://other.example.com',
    );
    await expectAwsError(
      call(jwt({ ...claims, aud: 'someone-else' })),
      'InvalidIdentityToken',
      400,
      'Incorrect token audience',
    );
    await expectAwsError(
      call(jwt({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 })),
      'ExpiredTokenException',
      400,
    );
    await expectAwsError(call('not.a-jwt'), 'InvalidIdentityToken', 400);
    await expectAwsError(
      call(jwt({ ...claims, sub: 'repo:evil/app:ref:main' })),
      'AccessDenied',
      403,
      'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    );
    await expectAwsError(
      call(jwt(claims), { DurationSeconds: 7200 }),
      'ValidationError',
      400,
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  });
});
