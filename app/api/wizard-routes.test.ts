import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET as accountPoliciesGet } from '@/app/api/accounts/[id]/policies/route';
import { GET as roleNameGet } from '@/app/api/accounts/[id]/role-name/route';
import { GET as serviceGet } from '@/app/api/iam/services/[prefix]/route';
import { GET as servicesGet } from '@/app/api/iam/services/route';
import { GET as requestSpecGet } from '@/app/api/requests/[id]/spec/route';
import { POST as validatePost } from '@/app/api/iam/validate/route';
import { GET as draftGet } from '@/app/api/wizard/drafts/[id]/route';
import { GET as draftsGet } from '@/app/api/wizard/drafts/route';
import { seedSandboxData } from '@/lib/accounts/seed';
import { readsPerUser } from '@/lib/auth/rate-limit';
import { resetAuthSecretForTests } from '@/lib/auth/secret';
import { startSession } from '@/lib/auth/server-sessions';
import { loadPrincipal, seedSandboxPeopleInto } from '@/lib/auth/users';
import { parseEnv, resetEnvForTests } from '@/lib/env';
import { createAndSubmitRequest } from '@/lib/requests/requests';
import { justified, roleSpec } from '@/lib/requests/test-fixtures';
import { inRequest } from '@/lib/testing/next-request';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import { saveWizardDraft } from '@/lib/wizard/drafts';

// Next's request scope needs AsyncLocalStorage on globalThis before Next loads.
vi.hoisted(() => {
  const hooks = process.getBuiltinModule('node:async_hooks');
  (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= hooks.AsyncLocalStorage;
});

/*
 * The wizard's route handlers called as Next calls them: in a request scope, with or without a
 * signed-in session cookie, answering JSON. (The account reads that reach IAM are tested in
 * lib/wizard/reads.test.ts against the emulator; here, what is decided before any AWS call.)
 */

const portal = 'http://localhost:3000';
const authSecret = 'wizard-routes-secret-'.padEnd(48, 'x');
let test: TestDatabase;

beforeAll(async () => {
  process.env.ROLESMITH_MODE = 'sandbox';
  process.env.AUTH_SECRET = authSecret;
  resetEnvForTests();
  resetAuthSecretForTests();
  test = await createTestPglite();
  await seedSandboxPeopleInto(test.db);
  await seedSandboxData();
}, 60_000);
afterAll(async () => {
  await test.close();
});

async function headersFor(userId?: string): Promise<Headers> {
  const headers = new Headers({ host: 'localhost:3000', origin: portal, 'x-forwarded-for': '198.51.100.7' });
  if (userId) {
    const sid = await startSession(test.db, userId);
    const token = await encode({
      token: { sub: userId, signedInAt: Math.floor(Date.now() / 1000), sid },
      secret: authSecret,
      salt: 'authjs.session-token',
    });
    headers.set('cookie', `authjs.session-token=${token}`);
  }
  return headers;
}

type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

async function call<P>(
  handler: Handler<P>,
  options: { path: string; params?: P; as?: string; method?: string; body?: string },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers = await headersFor(options.as);
  const request = new Request(new URL(options.path, portal), {
    method: options.method ?? 'GET',
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const response = await inRequest(headers, () =>
    handler(request, { params: Promise.resolve(options.params ?? ({} as P)) }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('wizard route handlers', () => {
  it('answer 401 to an anonymous caller', async () => {
    expect((await call(servicesGet, { path: '/api/iam/services?q=s3' })).status).toBe(401);
    expect((await call(validatePost, { path: '/api/iam/validate', method: 'POST', body: '{}' })).status).toBe(
      401,
    );
    expect(
      (
        await call(roleNameGet, {
          path: '/api/accounts/444455556666/role-name?name=x',
          params: { id: '444455556666' },
        })
      ).status,
    ).toBe(401);
    expect((await call(draftsGet, { path: '/api/wizard/drafts' })).status).toBe(401);
  });

  it('search services and describe one, as JSON', async () => {
    const search = await call(servicesGet, { path: '/api/iam/services?q=lambda&limit=2', as: 'demo-alice' });
    expect(search.status).toBe(200);
    expect(search.body).toMatchObject({ services: [{ prefix: 'lambda', name: 'AWS Lambda' }, {}] });
    const one = await call(serviceGet, {
      path: '/api/iam/services/lambda',
      params: { prefix: 'lambda' },
      as: 'demo-alice',
    });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ prefix: 'lambda', name: 'AWS Lambda' });
    const missing = await call(serviceGet, {
      path: '/api/iam/services/nope',
      params: { prefix: 'nope' },
      as: 'demo-alice',
    });
    expect(missing).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  it('answer 400 with field errors to a bad query or body', async () => {
    expect(await call(servicesGet, { path: `/api/iam/services?limit=500`, as: 'demo-alice' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_input', fieldErrors: { limit: [expect.any(String)] } },
    });
    expect(
      await call(roleNameGet, {
        path: '/api/accounts/444455556666/role-name?name=no%20spaces',
        params: { id: '444455556666' },
        as: 'demo-alice',
      }),
    ).toMatchObject({ status: 400, body: { fieldErrors: { name: [expect.any(String)] } } });
    expect(
      await call(accountPoliciesGet, {
        path: '/api/accounts/12/policies',
        params: { id: '12' },
        as: 'demo-alice',
      }),
    ).toMatchObject({ status: 400, body: { fieldErrors: { accountId: [expect.any(String)] } } });
    expect(
      await call(validatePost, {
        path: '/api/iam/validate',
        method: 'POST',
        body: '{"kind":"x"',
        as: 'demo-alice',
      }),
    ).toMatchObject({ status: 400, body: { error: 'invalid_input' } });
    expect(
      await call(validatePost, {
        path: '/api/iam/validate',
        method: 'POST',
        body: JSON.stringify({ kind: 'identity', document: 'x'.repeat(100 * 1024) }),
        as: 'demo-alice',
      }),
    ).toMatchObject({ status: 400, body: { error: 'invalid_input' } });
  });

  it('validate a document: findings, and for trust the sentence', async () => {
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    const answer = await call(validatePost, {
      path: '/api/iam/validate',
      method: 'POST',
      body: JSON.stringify({ kind: 'trust', document, accountId: '444455556666' }),
      as: 'demo-alice',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      findings: [],
      trust: {
        whoCanAssume: 'Amazon EC2 instances',
        recognized: { type: 'aws_service', services: ['ec2.amazonaws.com'] },
      },
    });
  });

  it("answer 404 for another person's draft, and list only one's own", async () => {
    const alice = await loadPrincipal(test.db, parseEnv({ ROLESMITH_MODE: 'sandbox' }), 'demo-alice');
    if (!alice) throw new Error('alice');
    const saved = await saveWizardDraft(alice, { step: 'review', title: 'alice-role', state: '{"x":1}' });
    if (!saved.ok) throw new Error(saved.message);
    const path = `/api/wizard/drafts/${saved.value.id}`;
    const params = { id: saved.value.id };
    expect(await call(draftGet, { path, params, as: 'demo-alice' })).toMatchObject({
      status: 200,
      body: { id: saved.value.id, state: { x: 1 }, step: 'review' },
    });
    expect(await call(draftGet, { path, params, as: 'demo-dave' })).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    });
    expect((await call(draftsGet, { path: '/api/wizard/drafts', as: 'demo-dave' })).body).toEqual({
      drafts: [],
    });
  });

  it('apply the per-person read limit apart from the mutation limit (429 with Retry-After)', async () => {
    const windowMs = readsPerUser.windowSeconds * 1000;
    const windowStart = new Date(Math.floor(Date.now() / windowMs) * windowMs);
    await test.db
      .insertInto('rate_limit_counters')
      .values({ key: `${readsPerUser.name}:demo-erin`, window_start: windowStart, count: readsPerUser.limit })
      .execute();
    const refused = await call(servicesGet, { path: '/api/iam/services?q=s3', as: 'demo-erin' });
    expect(refused).toMatchObject({ status: 429, body: { error: 'rate_limited' } });
    // Another person is not affected.
    expect((await call(servicesGet, { path: '/api/iam/services?q=s3', as: 'demo-bob' })).status).toBe(200);
  });

  it("answer a visible request's stored RoleSpec, and 404 for anyone else's or an unknown id", async () => {
    const alice = await loadPrincipal(test.db, parseEnv({ ROLESMITH_MODE: 'sandbox' }), 'demo-alice');
    if (!alice) throw new Error('alice');
    const created = await createAndSubmitRequest(
      alice,
      await justified({
        kind: 'create',
        spec: roleSpec({ name: 'spec-route-role' }),
        justification: 'Reads logs',
      }),
    );
    if (!created.ok) throw new Error(`${created.message} ${JSON.stringify(created.fieldErrors)}`);
    const { id, spec } = created.value;
    const path = `/api/requests/${id}/spec`;
    const params = { id };
    const own = await call(requestSpecGet, { path, params, as: 'demo-alice' });
    expect(own.status).toBe(200);
    expect(own.body).toEqual(JSON.parse(JSON.stringify(spec)));
    expect(own.body).toMatchObject({ name: 'spec-route-role', trustedEntity: { type: 'aws_account' } });
    // An approver of the account sees it too; another requester does not, as for no request at all.
    expect((await call(requestSpecGet, { path, params, as: 'demo-bob' })).status).toBe(200);
    expect(await call(requestSpecGet, { path, params, as: 'demo-dave' })).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    });
    expect((await call(requestSpecGet, { path, params })).status).toBe(401);
    for (const other of ['00000000-0000-4000-8000-000000000000', 'not-a-request-id'])
      expect(
        await call(requestSpecGet, {
          path: `/api/requests/${other}/spec`,
          params: { id: other },
          as: 'demo-alice',
        }),
      ).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });
});
