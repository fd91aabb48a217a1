import { encode } from 'next-auth/jwt';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST as previewPost } from '@/app/api/wizard/preview/route';
import { seedSandboxData } from '@/lib/accounts/seed';
import { resetAuthSecretForTests } from '@/lib/auth/secret';
import { startSession } from '@/lib/auth/server-sessions';
import { seedSandboxPeopleInto } from '@/lib/auth/users';
import { resetEnvForTests } from '@/lib/env';
import { inRequest } from '@/lib/testing/next-request';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import { emptyWizardState } from '@/lib/wizard/state';

// Next's request scope needs AsyncLocalStorage on globalThis before Next loads.
vi.hoisted(() => {
  const hooks = process.getBuiltinModule('node:async_hooks');
  (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= hooks.AsyncLocalStorage;
});

/*
 * POST /api/wizard/preview called as Next calls it: guarded like every read route, the body
 * size-limited, and never a server error, whatever the body.
 */

const portal = 'http://localhost:3000';
const authSecret = 'wizard-preview-secret-'.padEnd(48, 'x');
let test: TestDatabase;
let cookie = '';

beforeAll(async () => {
  process.env.ROLESMITH_MODE = 'sandbox';
  process.env.AUTH_SECRET = authSecret;
  resetEnvForTests();
  resetAuthSecretForTests();
  test = await createTestPglite();
  await seedSandboxPeopleInto(test.db);
  await seedSandboxData();
  const sid = await startSession(test.db, 'demo-alice');
  const token = await encode({
    token: { sub: 'demo-alice', signedInAt: Math.floor(Date.now() / 1000), sid },
    secret: authSecret,
    salt: 'authjs.session-token',
  });
  cookie = `authjs.session-token=${token}`;
}, 60_000);
afterAll(async () => {
  await test.close();
});

async function post(body: string, options: { signedIn?: boolean; origin?: string } = {}) {
  const headers = new Headers({
    host: 'localhost:3000',
    origin: options.origin ?? portal,
    'x-forwarded-for': '198.51.100.9',
    'content-type': 'application/json',
  });
  if (options.signedIn !== false) headers.set('cookie', cookie);
  const request = new Request(new URL('/api/wizard/preview', portal), { method: 'POST', headers, body });
  const response = await inRequest(headers, () => previewPost(request));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('POST /api/wizard/preview', () => {
  it('is for signed-in people of the portal only', async () => {
    expect((await post('{}', { signedIn: false })).status).toBe(401);
    expect((await post('{}', { origin: 'https://evil.example' })).status).toBe(403);
  });

  it('answers the preview of a state', async () => {
    const state = {
      ...emptyWizardState('444455556666'),
      awsAccount: {
        which: 'this',
        accountId: '',
        requireExternalId: false,
        externalId: '',
        requireMfa: true,
      },
      name: 'Previewed',
    };
    const answer = await post(JSON.stringify({ state }));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      whoCanAssume: 'Users and roles in this account (444455556666) who signed in with MFA',
      access: { roleArn: 'arn:aws:iam::444455556666:role/Previewed' },
      fieldErrors: { justification: ['Explain why the role is needed'] },
    });
  });

  it('answers 400, never 500, to a body that is no JSON or too large', async () => {
    expect(await post('{')).toMatchObject({ status: 400, body: { error: 'invalid_input' } });
    expect(await post('[1,2]')).toMatchObject({ status: 400, body: { error: 'invalid_input' } });
    expect(await post(JSON.stringify({ state: 'x'.repeat(200_000) }))).toMatchObject({ status: 400 });
  });

  it('never answers a server error to garbage (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 5 }), fc.string()), async (value) => {
        const bodies = [
          JSON.stringify({ state: value }),
          typeof value === 'string' ? value : JSON.stringify(value),
        ];
        for (const body of bodies) expect((await post(body)).status).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});
