import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAwsError, startHarness, trustAccount, type Harness } from '@/lib/sandbox/test-harness';

let harness: Harness;
const acme = '111122223333';

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness.close();
});

/** The hash constructor the signer expects: SHA-256, or HMAC-SHA-256 when given a key. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key =
      secret === undefined || typeof secret === 'string'
        ? secret
        : secret instanceof ArrayBuffer
          ? new Uint8Array(secret)
          : new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength);
    this.hash = key === undefined ? createHash('sha256') : createHmac('sha256', key);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(
      typeof data === 'string'
        ? data
        : data instanceof ArrayBuffer
          ? new Uint8Array(data)
          : new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

/** Signs a raw request with SigV4 (as any AWS client would) and sends it with fetch. */
async function signedFetch(
  method: 'GET' | 'POST',
  query: Record<string, string>,
  body?: string,
  service = 'iam',
): Promise<Response> {
  const url = new URL(harness.server.endpoint);
  const credentials = harness.server.emulator.describe().accounts[0]!.provisioner;
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query,
    headers: { host: url.host, ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    body,
  });
  const target = new URL(url);
  for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
  return fetch(target, { method, headers: signed.headers, body });
}

const codeOf = (xml: string) => /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];

describe('AWS Query protocol', () => {
  it('answers XML with the request id in the body and the x-amzn-RequestId header', async () => {
    const response = await signedFetch('POST', {}, 'Action=ListRoles&Version=2010-05-08');
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml');
    const requestId = response.headers.get('x-amzn-requestid');
    expect(text).toContain(`<ResponseMetadata><RequestId>${requestId!}</RequestId></ResponseMetadata>`);
    expect(text).toMatch(
      /^<ListRolesResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><ListRolesResult>/,
    );
  });

  it('accepts GET with the parameters in the query string', async () => {
    const response = await signedFetch(
      'GET',
      { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      undefined,
      'sts',
    );
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toContain('<Arn>arn:aws:iam::111122223333:user/rolesmith-provisioner</Arn>');
    expect(text).toContain('xmlns="https://sts.amazonaws.com/doc/2011-06-15/"');
  });

  it('answers XML errors with type, code and status for unknown and missing actions', async () => {
    const unknown = await signedFetch('POST', {}, 'Action=LaunchRocket&Version=2010-05-08');
    const text = await unknown.text();
    expect(unknown.status).toBe(400);
    expect(codeOf(text)).toBe('InvalidAction');
    expect(text).toMatch(
      /<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type>/,
    );
    expect(text).toMatch(/<\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
    const missing = await signedFetch('POST', {}, 'Version=2010-05-08');
    expect(missing.status).toBe(400);
    expect(codeOf(await missing.text())).toBe('MissingAction');
  });

  it('escapes text in XML and returns it intact through the SDK', async () => {
    const iam = harness.iam();
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'escaped',
        AssumeRolePolicyDocument: trustAccount(acme),
        Description: `<a & "b"> 'c'`,
      }),
    );
    expect((await iam.send(new GetRoleCommand({ RoleName: 'escaped' }))).Role!.Description).toBe(
      `<a & "b"> 'c'`,
    );
  });
});

describe('authentication', () => {
  it('answers MissingAuthenticationToken for an unsigned request', async () => {
    const response = await fetch(harness.server.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListRoles&Version=2010-05-08',
    });
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(codeOf(text)).toBe('MissingAuthenticationToken');
    expect(text).toContain('<Message>Request is missing Authentication Token</Message>');
  });

  it('answers InvalidClientTokenId for an unknown key and SignatureDoesNotMatch for a wrong secret', async () => {
    const config = { endpoint: harness.server.endpoint, region: 'us-east-1', maxAttempts: 1 };
    await expectAwsError(
      new IAMClient({
        ...config,
        credentials: { accessKeyId: 'AKIAUNKNOWNKEY123456', secretAccessKey: 'x'.repeat(40) },
      }).send(new ListRolesCommand({})),
      'InvalidClientTokenId',
      403,
      'The security token included in the request is invalid.',
    );
    const key = harness.server.emulator.describe().accounts[0]!.provisioner;
    // A right signature first, so that the key derived from the right secret is cached: a wrong secret must still fail.
    await new IAMClient({ ...config, credentials: { ...key } }).send(new ListRolesCommand({}));
    await expectAwsError(
      new IAMClient({
        ...config,
        credentials: { accessKeyId: key.accessKeyId, secretAccessKey: 'y'.repeat(40) },
      }).send(new ListRolesCommand({})),
      'SignatureDoesNotMatch',
      403,
      /^The request signature we calculated does not match the signature you provided/,
    );
    await expectAwsError(
      harness
        .stsAs({
          accessKeyId: key.accessKeyId,
          secretAccessKey: key.secretAccessKey,
          sessionToken: 'not-a-session',
        })
        .send(new GetCallerIdentityCommand({})),
      'InvalidClientTokenId',
      403,
    );
  });

  it('refuses a signature scoped to another service', async () => {
    const response = await signedFetch('POST', {}, 'Action=ListRoles&Version=2010-05-08', 's3');
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(codeOf(text)).toBe('SignatureDoesNotMatch');
    expect(text).toContain("Credential should be scoped to correct service: 'iam'.");
  });

  it('refuses a request whose body was changed after signing', async () => {
    const url = new URL(harness.server.endpoint);
    const credentials = harness.server.emulator.describe().accounts[0]!.provisioner;
    const signer = new SignatureV4({ service: 'iam', region: 'us-east-1', credentials, sha256: Sha256 });
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListRoles&Version=2010-05-08',
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: signed.headers,
      body: 'Action=DeleteRole&RoleName=escaped&Version=2010-05-08',
    });
    expect(response.status).toBe(403);
    expect(codeOf(await response.text())).toBe('SignatureDoesNotMatch');
  });
});

describe('fault injection and call counts', () => {
  const control = (path: string, init?: RequestInit) =>
    fetch(`${harness.server.endpoint}/_sandbox/${path}`, init);
  const setFaults = (faults: unknown) =>
    control('faults', {
      method: 'POST',
      body: JSON.stringify(faults),
      headers: { 'content-type': 'application/json' },
    });

  it('counts calls by account, service and action since the last reset', async () => {
    const resetCalls = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };
    expect((await control('reset-calls', resetCalls)).status).toBe(200);
    await harness.iam().send(new ListRolesCommand({}));
    await harness.iam().send(new ListRolesCommand({}));
    await harness.sts('444455556666').send(new GetCallerIdentityCommand({}));
    const body = (await (await control('calls')).json()) as { calls: unknown[] };
    expect(body.calls).toEqual(
      expect.arrayContaining([
        { account: acme, service: 'iam', action: 'ListRoles', count: 2 },
        { account: '444455556666', service: 'sts', action: 'GetCallerIdentity', count: 1 },
      ]),
    );
    expect(body.calls).toHaveLength(2);
    await control('reset-calls', resetCalls);
    expect(await (await control('calls')).json()).toEqual({ calls: [] });
  });

  it('throttles calls with Throttling, HTTP 400', async () => {
    expect((await setFaults({ throttleRate: 1 })).status).toBe(200);
    await expectAwsError(harness.iam().send(new ListRolesCommand({})), 'Throttling', 400, 'Rate exceeded');
    await setFaults({});
    await harness.iam().send(new ListRolesCommand({}));
  });

  it('throttles by rate: a token bucket per account, burst and refill throttleAbovePerSecond', async () => {
    expect((await setFaults({ throttleAbovePerSecond: 2 })).status).toBe(200);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => harness.iam().send(new ListRolesCommand({}))),
    );
    const passed = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    const throttled = outcomes.filter(
      (outcome) =>
        outcome.status === 'rejected' &&
        (outcome.reason as { name?: string; $metadata?: { httpStatusCode?: number } }).name ===
          'Throttling' &&
        (outcome.reason as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode === 400,
    ).length;
    // The burst of 2 passes, plus whatever refilled (2 per second) while the 10 calls were served.
    expect(passed).toBeGreaterThanOrEqual(2);
    expect(passed).toBeLessThanOrEqual(5);
    expect(passed + throttled).toBe(10);
    await expectAwsError(harness.iam().send(new ListRolesCommand({})), 'Throttling', 400, 'Rate exceeded');
    // Another account has its own bucket.
    await harness.iam('444455556666').send(new ListRolesCommand({}));
    // A token comes back within half a second at 2 per second.
    await new Promise((done) => setTimeout(done, 600));
    await harness.iam().send(new ListRolesCommand({}));
    await setFaults({});
    await Promise.all(Array.from({ length: 10 }, () => harness.iam().send(new ListRolesCommand({}))));
  });

  it('fails the Nth call of an action with the given code, once', async () => {
    const iam = harness.iam();
    await iam.send(
      new CreateRoleCommand({ RoleName: 'faulty', AssumeRolePolicyDocument: trustAccount(acme) }),
    );
    await setFaults({ failNth: { action: 'AttachRolePolicy', n: 2, code: 'ServiceFailure' } });
    const attach = (name: string) =>
      iam.send(
        new AttachRolePolicyCommand({ RoleName: 'faulty', PolicyArn: `arn:aws:iam::aws:policy/${name}` }),
      );
    await attach('ReadOnlyAccess');
    await expectAwsError(attach('IAMReadOnlyAccess'), 'ServiceFailure', 500);
    await attach('IAMReadOnlyAccess');
    await setFaults({});
  });

  it('adds latency', async () => {
    await setFaults({ latencyMs: 150 });
    const started = performance.now();
    await harness.iam().send(new ListRolesCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    await setFaults({});
    expect(await (await control('faults')).json()).toEqual({});
  });

  it('refuses invalid settings and unknown control paths', async () => {
    expect((await setFaults({ throttleRate: 2 })).status).toBe(400);
    const unknown = await setFaults({ nonsense: true });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toMatch(
      /Known fields: throttleRate, throttleAbovePerSecond, latencyMs, failNth/,
    );
    for (const bad of [0, -1, 'fast', 20_000, null]) {
      const response = await setFaults({ throttleAbovePerSecond: bad });
      expect(response.status, JSON.stringify(bad)).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/throttleAbovePerSecond/);
    }
    expect(await (await control('faults')).json()).toEqual({});
    expect(
      (
        await control('faults', {
          method: 'POST',
          body: '[',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
    expect((await control('nothing')).status).toBe(404);
  });

  it('refuses cross-site control posts: a foreign Origin, or a body that is not JSON', async () => {
    const own = new URL(harness.server.endpoint).origin;
    const refused = async (path: string, headers: Record<string, string>) => {
      const response = await control(path, { method: 'POST', headers, body: '{"throttleRate":1}' });
      expect(response.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
      expect(((await response.json()) as { error?: string }).error).toMatch(/origin|content-type/i);
    };
    for (const path of ['faults', 'reset-calls']) {
      await refused(path, { 'content-type': 'text/plain' });
      await refused(path, { 'content-type': 'application/x-www-form-urlencoded' });
      await refused(path, { 'content-type': 'application/json', origin: 'https://evil.example' });
      await refused(path, { 'content-type': 'application/json', origin: 'null' });
    }
    expect(await (await control('faults')).json()).toEqual({});
    const sameOrigin = await control('faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', origin: own },
      body: '{}',
    });
    expect(sameOrigin.status).toBe(200);
  });
});

describe('MFA codes beside the endpoint', () => {
  it('shows the current code of a demo user, and 404 for others', async () => {
    const response = await fetch(`${harness.server.endpoint}/_sandbox/mfa?account=111122223333&user=alice`);
    const body = (await response.json()) as { code: string };
    expect([
      harness.server.emulator.mfaCode(acme, 'alice', Date.now() - 30_000),
      harness.server.emulator.mfaCode(acme, 'alice'),
    ]).toContain(body.code);
    expect(
      (await fetch(`${harness.server.endpoint}/_sandbox/mfa?account=111122223333&user=nobody`)).status,
    ).toBe(404);
  });
});
