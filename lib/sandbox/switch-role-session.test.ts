import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Principal } from '@/lib/auth/principal';
import { resetEnvForTests } from '@/lib/env';
import {
  getSwitchRoleCaller,
  switchRoleQuerySchema,
  switchRoleSchema,
  switchSandboxRole,
  type SandboxTarget,
} from '@/lib/sandbox/switch-role-session';
import { startHarness, trustAccount, type Harness } from '@/lib/sandbox/test-harness';

let harness: Harness;
let target: SandboxTarget;

const prod = '444455556666';

function principalFor(userName: string, accountId = '111122223333'): Principal {
  return {
    id: `demo-${userName}`,
    email: `${userName}@acme.example`,
    name: userName,
    groups: [],
    roles: { requester: true, approver: null, admin: false },
    sandboxIdentity: { accountId, userName, arn: `arn:aws:iam::${accountId}:user/${userName}` },
  };
}

const alice = principalFor('alice');

beforeAll(async () => {
  harness = await startHarness();
  target = { endpoint: harness.server.endpoint, emulator: harness.server.emulator };
  // A role without MFA in its trust, on a path, to check path handling and the policy listing denial.
  await harness.iam(prod).send(
    new CreateRoleCommand({
      RoleName: 'deployer',
      Path: '/ci/',
      AssumeRolePolicyDocument: trustAccount('111122223333'),
    }),
  );
});

afterAll(async () => {
  await harness.close();
});

const currentCode = () => harness.server.emulator.mfaCode('111122223333', 'alice')!;

describe('switchSandboxRole', () => {
  it('assumes the seeded DemoReadOnly role with MFA, and the temporary credentials work', async () => {
    const result = await switchSandboxRole(
      alice,
      {
        account: prod,
        roleName: 'DemoReadOnly',
        displayName: 'Demo',
        color: '99BCE3',
        mfaCode: currentCode(),
      },
      target,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.assumedRoleArn).toBe(`arn:aws:sts::${prod}:assumed-role/DemoReadOnly/alice`);
    expect(result.value.roleArn).toBe(`arn:aws:iam::${prod}:role/DemoReadOnly`);
    expect(result.value.callerIdentity).toEqual({
      ok: true,
      value: {
        account: prod,
        arn: `arn:aws:sts::${prod}:assumed-role/DemoReadOnly/alice`,
        userId: expect.stringMatching(/^AROA[A-Z2-7]+:alice$/) as unknown,
      },
    });
    expect(result.value.attachedPolicies).toEqual({
      ok: true,
      value: [{ name: 'ReadOnlyAccess', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
    });
    const expiresInMs = Date.parse(result.value.expiration) - Date.now();
    expect(expiresInMs).toBeGreaterThan(3500_000);
    expect(expiresInMs).toBeLessThanOrEqual(3600_000);
    expect(result.value).toMatchObject({ displayName: 'Demo', color: '99BCE3', usedMfa: true });
    expect(JSON.stringify(result)).not.toMatch(/secretAccessKey|sessionToken/i);
    expect(JSON.stringify(result)).not.toContain(harness.person('alice').secretAccessKey);
  });

  it('requires MFA when the trust says so: without a code AssumeRole is denied', async () => {
    const result = await switchSandboxRole(
      alice,
      { account: prod, roleName: 'DemoReadOnly', mfaCode: '' },
      target,
    );
    expect(result).toMatchObject({
      ok: false,
      code: 'forbidden',
      aws: {
        code: 'AccessDenied',
        message: `User: arn:aws:iam::111122223333:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${prod}:role/DemoReadOnly`,
      },
    });
    expect(result.ok ? '' : result.hint).toContain('requires MFA');
  });

  it('refuses a wrong MFA code with AWS message and a hint about expiry', async () => {
    const wrong = currentCode() === '000000' ? '111111' : '000000';
    const result = await switchSandboxRole(
      alice,
      { account: prod, roleName: 'DemoReadOnly', mfaCode: wrong },
      target,
    );
    expect(result).toMatchObject({
      ok: false,
      aws: {
        code: 'AccessDenied',
        message: 'MultiFactorAuthentication failed with invalid MFA one time pass code.',
      },
    });
    expect(result.ok ? '' : result.hint).toContain('expired');
  });

  it('denies a person whose account the trust does not name', async () => {
    const erin = principalFor('erin', '123456789012');
    const code = harness.server.emulator.mfaCode('123456789012', 'erin')!;
    const result = await switchSandboxRole(
      erin,
      { account: prod, roleName: 'DemoReadOnly', mfaCode: code },
      target,
    );
    expect(result).toMatchObject({ ok: false, code: 'forbidden', aws: { code: 'AccessDenied' } });
    expect(result.ok ? '' : result.aws?.message).toContain(
      'arn:aws:iam::123456789012:user/erin is not authorized',
    );
  });

  it('denies a role that requires an external ID, which console switching cannot pass', async () => {
    const result = await switchSandboxRole(
      alice,
      { account: prod, roleName: 'rolesmith/RolesmithProvisioner', mfaCode: currentCode() },
      target,
    );
    expect(result).toMatchObject({ ok: false, aws: { code: 'AccessDenied' } });
    expect(result.ok ? '' : result.hint).toContain('external ID');
    // A code was given, so the hint does not blame a missing one.
    expect(result.ok ? '' : result.hint).not.toContain('requires MFA');
  });

  it('handles a role path, and reports an honest AccessDenied when the role may not list its policies', async () => {
    const result = await switchSandboxRole(alice, { account: prod, roleName: 'ci/deployer' }, target);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.roleArn).toBe(`arn:aws:iam::${prod}:role/ci/deployer`);
    expect(result.value.assumedRoleArn).toBe(`arn:aws:sts::${prod}:assumed-role/deployer/alice`);
    expect(result.value.callerIdentity.ok).toBe(true);
    expect(result.value.attachedPolicies).toMatchObject({ ok: false, aws: { code: 'AccessDenied' } });
    expect(result.value).toMatchObject({ displayName: 'ci/deployer', color: null, usedMfa: false });
  });

  it('refuses a person without a sandbox user', async () => {
    const result = await switchSandboxRole(
      { ...alice, sandboxIdentity: null },
      { account: prod, roleName: 'DemoReadOnly' },
      target,
    );
    expect(result).toMatchObject({ ok: false, code: 'forbidden' });
  });
});

describe('outside sandbox mode', () => {
  it('answers not_found and reaches no emulator', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      ROLESMITH_MODE: 'aws',
      DATABASE_URL: 'postgres://rolesmith:secret@127.0.0.1:1/rolesmith',
      AUTH_SECRET: 'x'.repeat(32),
      ROLESMITH_PUBLIC_URL: 'https://rolesmith.example.com',
      ROLESMITH_OIDC_ISSUER: 'https://login.example.com',
      ROLESMITH_OIDC_CLIENT_ID: 'rolesmith',
      ROLESMITH_OIDC_CLIENT_SECRET: 'client-secret',
    });
    resetEnvForTests();
    try {
      const switched = await switchSandboxRole(alice, { account: prod, roleName: 'DemoReadOnly' });
      expect(switched).toMatchObject({ ok: false, code: 'not_found' });
      expect(await getSwitchRoleCaller(alice)).toMatchObject({ ok: false, code: 'not_found' });
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
      resetEnvForTests();
    }
  });
});

describe('getSwitchRoleCaller', () => {
  it("names the person's IAM user, MFA device and its current code", async () => {
    const caller = await getSwitchRoleCaller(alice, target);
    expect(caller).toEqual({
      ok: true,
      value: {
        accountId: '111122223333',
        userName: 'alice',
        userArn: 'arn:aws:iam::111122223333:user/alice',
        mfaSerial: 'arn:aws:iam::111122223333:mfa/alice',
        currentMfaCode: expect.stringMatching(/^\d{6}$/) as unknown,
      },
    });
  });
});

describe('switch-role schemas', () => {
  it.each([
    { query: { account: prod, roleName: 'DemoReadOnly', displayName: 'Demo', color: '99bce3' }, ok: true },
    { query: { account: prod, roleName: 'ci/deploy/deployer' }, ok: true },
    { query: { account: '4444', roleName: 'DemoReadOnly' }, ok: false },
    { query: { account: prod, roleName: '/DemoReadOnly' }, ok: false },
    { query: { account: prod, roleName: 'a'.repeat(65) }, ok: false },
    { query: { account: prod, roleName: 'Demo Role' }, ok: false },
    { query: { account: prod, roleName: 'DemoReadOnly', color: 'blue' }, ok: false },
    { query: { account: prod }, ok: false },
  ])('query $query is valid: $ok', ({ query, ok }) => {
    expect(switchRoleQuerySchema.safeParse(query).success).toBe(ok);
  });

  it('normalises the colour and rejects a malformed MFA code', () => {
    expect(switchRoleQuerySchema.parse({ account: prod, roleName: 'R', color: '#99bce3' }).color).toBe(
      '99BCE3',
    );
    expect(switchRoleSchema.safeParse({ account: prod, roleName: 'R', mfaCode: '12345' }).success).toBe(
      false,
    );
    expect(switchRoleSchema.safeParse({ account: prod, roleName: 'R', mfaCode: '' }).success).toBe(true);
  });
});
