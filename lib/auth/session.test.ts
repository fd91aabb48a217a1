import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSessionUserId } from '@/lib/auth/session';
import { resetAuthSecretForTests } from '@/lib/auth/secret';
import { resetEnvForTests } from '@/lib/env';

const secret = 'test-secret-'.padEnd(48, 'x');
const salt = 'authjs.session-token';
const saved = { mode: process.env.ROLESMITH_MODE, secret: process.env.AUTH_SECRET };

beforeAll(() => {
  process.env.ROLESMITH_MODE = 'sandbox';
  process.env.AUTH_SECRET = secret;
  resetEnvForTests();
  resetAuthSecretForTests();
});
afterAll(() => {
  process.env.ROLESMITH_MODE = saved.mode;
  process.env.AUTH_SECRET = saved.secret;
  resetEnvForTests();
  resetAuthSecretForTests();
});

const now = Math.floor(Date.now() / 1000);

describe('readSessionUserId', () => {
  it('accepts a cookie Auth.js issued with our secret', async () => {
    const token = await encode({ token: { sub: 'demo-alice', signedInAt: now }, secret, salt });
    expect(await readSessionUserId(token)).toBe('demo-alice');
  });

  it.each([
    ['no cookie', () => Promise.resolve(undefined)],
    [
      'another secret',
      async () => encode({ token: { sub: 'demo-alice', signedInAt: now }, secret: 'y'.repeat(40), salt }),
    ],
    [
      'another cookie name',
      async () => encode({ token: { sub: 'demo-alice', signedInAt: now }, secret, salt: 'x' }),
    ],
    ['no sign-in time', async () => encode({ token: { sub: 'demo-alice' }, secret, salt })],
    [
      'signed in over eight hours ago',
      async () => encode({ token: { sub: 'demo-alice', signedInAt: now - 8 * 3600 - 5 }, secret, salt }),
    ],
    [
      'expired',
      async () => encode({ token: { sub: 'demo-alice', signedInAt: now }, secret, salt, maxAge: -60 }),
    ],
    ['garbage', () => Promise.resolve('eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0..abc.def.ghi')],
  ])('refuses %s', async (_name, make) => {
    expect(await readSessionUserId(await make())).toBeNull();
  });
});
