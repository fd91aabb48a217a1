import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  cachedAssumeRoleCredentials,
  createAccountClients,
  getAccountClients,
} from '@/lib/aws/account-clients';
import { isTransientAwsError } from '@/lib/aws/errors';
import { createStsClient } from '@/lib/aws/sts-client';
import { resetEnvForTests } from '@/lib/env';
import { startStandaloneEmulator, type StandaloneEmulator } from '@/lib/sandbox/node-server';

// Real SDK clients over HTTP to the standalone emulator: no SDK mocks.
const target = '444455556666';
const home = '111122223333';
const policyDoc = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/*' }],
});
const trustHome = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${home}:root` }, Action: 'sts:AssumeRole' }],
});

let sandbox: StandaloneEmulator;
let dataDir: string;
let keys: Record<string, { accessKeyId: string; secretAccessKey: string }>;

async function control(pathName: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sandbox.endpoint}/_sandbox/${pathName}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return response.json();
}

async function callCount(action: string): Promise<number> {
  const { calls } = (await control('calls')) as { calls: { action: string; count: number }[] };
  return calls.filter((call) => call.action === action).reduce((sum, call) => sum + call.count, 0);
}

function clientsFor(accountId: string, maxAttempts?: number) {
  const key = keys[accountId]!;
  return createAccountClients(accountId, {
    endpoint: sandbox.endpoint,
    region: 'us-east-1',
    credentials: key,
    ...(maxAttempts ? { maxAttempts } : {}),
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'rolesmith-aws-'));
  sandbox = await startStandaloneEmulator({ port: 0, dataDir });
  keys = Object.fromEntries(
    sandbox.emulator.describe().accounts.map((account) => [account.id, account.provisioner]),
  );
});

afterAll(async () => {
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('IAM client', () => {
  it('creates a tagged policy and a role, and reads them back as domain types', async () => {
    const { iam } = clientsFor(target);
    const policy = await iam.createPolicy({
      name: 'aws-test-logs',
      path: '/',
      description: 'logs',
      document: policyDoc,
      tags: [{ key: 'k', value: 'v' }],
    });
    expect(policy).toMatchObject({
      ok: true,
      value: { arn: `arn:aws:iam::${target}:policy/aws-test-logs`, tags: [{ key: 'k', value: 'v' }] },
    });
    const fetched = await iam.getPolicy(`arn:aws:iam::${target}:policy/aws-test-logs`);
    expect(fetched).toMatchObject({
      ok: true,
      value: { name: 'aws-test-logs', tags: [{ key: 'k', value: 'v' }], defaultVersionId: 'v1' },
    });
    // The default version's document comes back decoded, as the JSON text that was sent.
    const version = await iam.getPolicyVersion(`arn:aws:iam::${target}:policy/aws-test-logs`, 'v1');
    expect(version.ok && JSON.parse(version.value)).toEqual(JSON.parse(policyDoc));
    expect(await iam.getPolicyVersion(`arn:aws:iam::${target}:policy/aws-test-logs`, 'v9')).toMatchObject({
      ok: false,
      code: 'not_found',
      aws: { code: 'NoSuchEntity' },
    });

    const role = await iam.createRole({
      name: 'aws-test-role',
      path: '/team/',
      description: 'A test role',
      maxSessionDurationSeconds: 7200,
      trustPolicy: trustHome,
      permissionsBoundaryArn: `arn:aws:iam::${target}:policy/aws-test-logs`,
      tags: [{ key: 'rolesmith:request-id', value: 'r1' }],
    });
    expect(role).toMatchObject({
      ok: true,
      value: { arn: `arn:aws:iam::${target}:role/team/aws-test-role` },
    });
    const live = await iam.getRole('aws-test-role');
    if (!live.ok) throw new Error(live.message);
    expect(live.value).toMatchObject({
      path: '/team/',
      description: 'A test role',
      maxSessionDurationSeconds: 7200,
      permissionsBoundaryArn: `arn:aws:iam::${target}:policy/aws-test-logs`,
      tags: [{ key: 'rolesmith:request-id', value: 'r1' }],
    });
    expect(JSON.parse(live.value.trustPolicy)).toEqual(JSON.parse(trustHome));

    expect(await iam.attachRolePolicy('aws-test-role', 'arn:aws:iam::aws:policy/ReadOnlyAccess')).toEqual({
      ok: true,
      value: null,
    });
    expect(await iam.putRolePolicy('aws-test-role', 'inline', policyDoc)).toEqual({ ok: true, value: null });
    expect(await iam.listAttachedRolePolicies('aws-test-role')).toEqual({
      ok: true,
      value: [{ name: 'ReadOnlyAccess', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
    });
    expect(await iam.listRolePolicies('aws-test-role')).toEqual({ ok: true, value: ['inline'] });
    const inline = await iam.getRolePolicy('aws-test-role', 'inline');
    expect(inline.ok && JSON.parse(inline.value)).toEqual(JSON.parse(policyDoc));
  });

  it('maps AWS errors to Result codes, keeping AWS code and message', async () => {
    const { iam } = clientsFor(target);
    const missing = await iam.getRole('no-such-role');
    expect(missing).toMatchObject({
      ok: false,
      code: 'not_found',
      aws: { code: 'NoSuchEntity', httpStatus: 404, isOutcomeUnknown: false },
    });
    const duplicate = await iam.createPolicy({
      name: 'aws-test-logs',
      path: '/',
      description: null,
      document: policyDoc,
      tags: [],
    });
    expect(duplicate).toMatchObject({ ok: false, code: 'conflict', aws: { code: 'EntityAlreadyExists' } });
    expect(duplicate.ok ? '' : duplicate.message).toContain('EntityAlreadyExists: ');
    const malformed = await iam.putRolePolicy(
      'aws-test-role',
      'bad',
      '{"Version":"2012-10-17","Statement":[',
    );
    expect(malformed).toMatchObject({
      ok: false,
      code: 'invalid_input',
      aws: { code: 'MalformedPolicyDocument' },
    });
    // The raw SDK error never leaks: only plain data.
    expect(Object.keys(missing)).toEqual(['ok', 'code', 'message', 'aws']);
  });

  it('reports throttling that outlasts the SDK retries as rate_limited', async () => {
    const { iam } = clientsFor(target, 2);
    await control('faults', { throttleRate: 1 });
    try {
      await control('reset-calls', {});
      const throttled = await iam.getRole('aws-test-role');
      expect(throttled).toMatchObject({ ok: false, code: 'rate_limited', aws: { code: 'Throttling' } });
      // Adaptive retry mode retried the call once (maxAttempts 2).
      expect(await callCount('GetRole')).toBe(2);
    } finally {
      await control('faults', {});
    }
  });

  it('marks a call that got no answer as outcome unknown', async () => {
    const closed = createAccountClients(target, {
      endpoint: 'http://127.0.0.1:9/sandbox/aws',
      region: 'us-east-1',
      credentials: keys[target]!,
      maxAttempts: 1,
    });
    const result = await closed.iam.getRole('x');
    expect(result).toMatchObject({
      ok: false,
      code: 'aws_error',
      aws: { code: 'NetworkError', isOutcomeUnknown: true },
    });
  });

  it('reads the attached-policies quota from GetAccountSummary', async () => {
    const summary = await clientsFor(target).iam.getAccountSummary();
    expect(summary).toMatchObject({ ok: true, value: { attachedPoliciesPerRoleQuota: 10 } });
  });
});

describe('cross-account credentials', () => {
  it('assumes the provisioner role once and reuses the session until shortly before it expires', async () => {
    const { iam } = clientsFor(target);
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${home}:root` },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'ext-123' } },
        },
      ],
    });
    const created = await iam.createRole({
      name: 'rolesmith-provisioner-role',
      path: '/',
      description: null,
      maxSessionDurationSeconds: 3600,
      trustPolicy: trust,
      permissionsBoundaryArn: null,
      tags: [],
    });
    expect(created.ok).toBe(true);
    expect(
      (await iam.attachRolePolicy('rolesmith-provisioner-role', 'arn:aws:iam::aws:policy/IAMFullAccess')).ok,
    ).toBe(true);

    let now = Date.now();
    const homeSts = createStsClient({
      endpoint: sandbox.endpoint,
      region: 'us-east-1',
      credentials: keys[home]!,
    });
    const provider = cachedAssumeRoleCredentials(
      homeSts,
      {
        roleArn: `arn:aws:iam::${target}:role/rolesmith-provisioner-role`,
        externalId: 'ext-123',
        sessionName: 'rolesmith-test',
      },
      () => now,
    );
    const assumed = createAccountClients(target, {
      endpoint: sandbox.endpoint,
      region: 'us-east-1',
      credentials: provider,
    });
    await control('reset-calls', {});
    const identity = await assumed.sts.getCallerIdentity();
    expect(identity).toMatchObject({
      ok: true,
      value: {
        account: target,
        arn: `arn:aws:sts::${target}:assumed-role/rolesmith-provisioner-role/rolesmith-test`,
      },
    });
    expect((await assumed.iam.getRole('aws-test-role')).ok).toBe(true);
    expect(await callCount('AssumeRole')).toBe(1);
    // 56 minutes later the one-hour session is within the refresh margin: a new AssumeRole.
    now += 56 * 60_000;
    const refreshed = await provider();
    expect(refreshed.accessKeyId).toMatch(/^ASIA/);
    expect(await callCount('AssumeRole')).toBe(2);

    const wrongExternalId = cachedAssumeRoleCredentials(homeSts, {
      roleArn: `arn:aws:iam::${target}:role/rolesmith-provisioner-role`,
      externalId: 'wrong',
      sessionName: 'rolesmith-test',
    });
    await expect(wrongExternalId()).rejects.toThrow(/AccessDenied/);
    // Through a client, the refusal is AWS's AccessDenied (known outcome, not retried), not a network error.
    const refused = createAccountClients(target, {
      endpoint: sandbox.endpoint,
      region: 'us-east-1',
      credentials: wrongExternalId,
    });
    await control('reset-calls', {});
    const denied = await refused.iam.getRole('aws-test-role');
    expect(denied).toMatchObject({
      ok: false,
      code: 'forbidden',
      aws: { code: 'AccessDenied', isOutcomeUnknown: false },
    });
    if (!denied.ok) expect(isTransientAwsError(denied.aws)).toBe(false);
    expect(await callCount('AssumeRole')).toBe(1);
  });

  it('in aws mode points every client at ROLESMITH_AWS_ENDPOINT and assumes the account provisioner role', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      ROLESMITH_MODE: 'aws',
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/x',
      AUTH_SECRET: 'x'.repeat(40),
      ROLESMITH_PUBLIC_URL: 'https://rolesmith.example.com',
      ROLESMITH_OIDC_ISSUER: 'https://login.example.com',
      ROLESMITH_OIDC_CLIENT_ID: 'id',
      ROLESMITH_OIDC_CLIENT_SECRET: 'secret',
      ROLESMITH_AWS_ENDPOINT: sandbox.endpoint,
      AWS_ACCESS_KEY_ID: keys[home]!.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keys[home]!.secretAccessKey,
      AWS_REGION: 'us-east-1',
    });
    resetEnvForTests();
    try {
      const own = await getAccountClients({ accountId: home, provisionerRoleArn: null, externalId: null });
      expect(await own.sts.getCallerIdentity()).toMatchObject({ ok: true, value: { account: home } });
      const remote = await getAccountClients({
        accountId: target,
        provisionerRoleArn: `arn:aws:iam::${target}:role/rolesmith-provisioner-role`,
        externalId: 'ext-123',
      });
      expect(await remote.sts.getCallerIdentity()).toMatchObject({ ok: true, value: { account: target } });
      expect(
        await getAccountClients({
          accountId: target,
          provisionerRoleArn: `arn:aws:iam::${target}:role/rolesmith-provisioner-role`,
          externalId: 'ext-123',
        }),
      ).toBe(remote);
    } finally {
      process.env = saved;
      resetEnvForTests();
    }
  });
});
