import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endSession, startSession } from '@/lib/auth/server-sessions';
import { readSessionUserId } from '@/lib/auth/session';
import { resetAuthSecretForTests } from '@/lib/auth/secret';
import { upsertSignedInUser } from '@/lib/auth/users';
import { resetEnvForTests } from '@/lib/env';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

const secret = 'test-secret-'.padEnd(48, 'x');
const salt = 'authjs.session-token';
const saved = { mode: process.env.ROLESMITH_MODE, secret: process.env.AUTH_SECRET };

let test: TestDatabase;
let sid = '';
let signedOutSid = '';
beforeAll(async () => {
  process.env.ROLESMITH_MODE = 'sandbox';
  process.env.AUTH_SECRET = secret;
  resetEnvForTests();
  resetAuthSecretForTests();
  test = await createTestPglite();
  await upsertSignedInUser(test.db, {
    id: 'demo-alice',
    email: 'alice@acme.example',
    emailVerified: true,
    name: 'Alice',
    groups: [],
  });
  sid = await startSession(test.db, 'demo-alice');
  signedOutSid = await startSession(test.db, 'demo-alice');
  await endSession(test.db, signedOutSid);
});
afterAll(async () => {
  await test.close();
  process.env.ROLESMITH_MODE = saved.mode;
  process.env.AUTH_SECRET = saved.secret;
  resetEnvForTests();
  resetAuthSecretForTests();
});

const now = Math.floor(Date.now() / 1000);

describe('readSessionUserId', () => {
  it('accepts a cookie Auth.js issued with our secret for an active session', async () => {
    const token = await encode({ token: { sub: 'demo-alice', signedInAt: now, sid }, secret, salt });
    expect(await readSessionUserId(token)).toBe('demo-alice');
  });

  it.each([
    ['no cookie', () => Promise.resolve(undefined)],
    [
      'another secret',
      async () =>
        encode({ token: { sub: 'demo-alice', signedInAt: now, sid }, secret: 'y'.repeat(40), salt }),
    ],
    [
      'another cookie name',
      async () => encode({ token: { sub: 'demo-alice', signedInAt: now, sid }, secret, salt: 'x' }),
    ],
    ['no sign-in time', async () => encode({ token: { sub: 'demo-alice', sid }, secret, salt })],
    [
      'no session id (issued before server-side sessions)',
      async () => encode({ token: { sub: 'demo-alice', signedInAt: now }, secret, salt }),
    ],
    [
      'a signed-out session',
      async () => encode({ token: { sub: 'demo-alice', signedInAt: now, sid: signedOutSid }, secret, salt }),
    ],
    [
      "another person's session",
      async () => encode({ token: { sub: 'demo-bob', signedInAt: now, sid }, secret, salt }),
    ],
    [
      'an unknown session id',
      async () =>
        encode({ token: { sub: 'demo-alice', signedInAt: now, sid: 'x'.repeat(43) }, secret, salt }),
    ],
    [
      'signed in over eight hours ago',
      async () => encode({ token: { sub: 'demo-alice', signedInAt: now - 8 * 3600 - 5, sid }, secret, salt }),
    ],
    [
      'expired',
      async () => encode({ token: { sub: 'demo-alice', signedInAt: now, sid }, secret, salt, maxAge: -60 }),
    ],
    ['garbage', () => Promise.resolve('eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0..abc.def.ghi')],
  ])('refuses %s', async (_name, make) => {
    expect(await readSessionUserId(await make())).toBeNull();
  });
});
