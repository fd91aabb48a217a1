import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countedByProxy,
  markerLifetimeMs,
  rateCountedHeader,
  rateCountedToken,
  signInCountedByProxy,
  signInCountedHeader,
  signInCountedToken,
  signInPersonFromForm,
} from '@/lib/auth/action-rate-limit';
import { resetAuthSecretForTests } from '@/lib/auth/secret';
import { resetEnvForTests } from '@/lib/env';

const saved = { mode: process.env.ROLESMITH_MODE, secret: process.env.AUTH_SECRET };

function useSecret(secret: string): void {
  process.env.AUTH_SECRET = secret;
  resetEnvForTests();
  resetAuthSecretForTests();
}

beforeAll(() => {
  process.env.ROLESMITH_MODE = 'sandbox';
  useSecret('first-secret-'.padEnd(48, 'x'));
});
afterAll(() => {
  process.env.ROLESMITH_MODE = saved.mode;
  process.env.AUTH_SECRET = saved.secret;
  resetEnvForTests();
  resetAuthSecretForTests();
});

describe('countedByProxy', () => {
  it('accepts only the token derived from the auth secret', () => {
    const token = rateCountedToken();
    expect(countedByProxy(new Headers({ [rateCountedHeader]: token }))).toBe(true);
    expect(countedByProxy(new Headers())).toBe(false);
    for (const forged of ['1', 'true', `${token}x`, token.slice(1)]) {
      expect(countedByProxy(new Headers({ [rateCountedHeader]: forged }))).toBe(false);
    }
  });

  it('refuses a token made under another secret', () => {
    const token = rateCountedToken();
    useSecret('second-secret-'.padEnd(48, 'y'));
    expect(rateCountedToken()).not.toBe(token);
    expect(countedByProxy(new Headers({ [rateCountedHeader]: token }))).toBe(false);
  });
});

describe('markers are fresh and short-lived', () => {
  it('differ on every request and stop working after a minute', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    const token = rateCountedToken(now);
    expect(rateCountedToken(now)).not.toBe(token);
    const headers = new Headers({ [rateCountedHeader]: token });
    expect(countedByProxy(headers, now + markerLifetimeMs)).toBe(true);
    expect(countedByProxy(headers, now + markerLifetimeMs + 1)).toBe(false);
    expect(countedByProxy(headers, now - 60_000)).toBe(false);
    // The issue time is under the HMAC: moving it forward breaks the marker.
    const [, nonce, mac] = token.split('.');
    expect(
      countedByProxy(new Headers({ [rateCountedHeader]: `${now + 50_000}.${nonce}.${mac}` }), now + 100_000),
    ).toBe(false);
    const signIn = signInCountedToken(now);
    expect(signInCountedByProxy(new Headers({ [signInCountedHeader]: signIn }), now + 1000)).toBe(true);
    expect(
      signInCountedByProxy(new Headers({ [signInCountedHeader]: signIn }), now + markerLifetimeMs + 1),
    ).toBe(false);
  });
});

describe('signInCountedByProxy', () => {
  it('accepts only its own token, in its own header', () => {
    const token = signInCountedToken();
    expect(signInCountedHeader).not.toBe(rateCountedHeader);
    expect(token).not.toBe(rateCountedToken());
    expect(signInCountedByProxy(new Headers({ [signInCountedHeader]: token }))).toBe(true);
    expect(signInCountedByProxy(new Headers())).toBe(false);
    // The mutation marker neither stands in for it nor is stood in for by it.
    expect(signInCountedByProxy(new Headers({ [signInCountedHeader]: rateCountedToken() }))).toBe(false);
    expect(signInCountedByProxy(new Headers({ [rateCountedHeader]: rateCountedToken() }))).toBe(false);
    expect(countedByProxy(new Headers({ [rateCountedHeader]: token }))).toBe(false);
    for (const forged of ['1', 'true', `${token}x`, token.slice(1)]) {
      expect(signInCountedByProxy(new Headers({ [signInCountedHeader]: forged }))).toBe(false);
    }
  });

  it('refuses a token made under another secret', () => {
    const token = signInCountedToken();
    useSecret('third-secret-'.padEnd(48, 'z'));
    expect(signInCountedToken()).not.toBe(token);
    expect(signInCountedByProxy(new Headers({ [signInCountedHeader]: token }))).toBe(false);
  });
});

describe('signInPersonFromForm', () => {
  function form(entries: Record<string, string>): FormData {
    const data = new FormData();
    for (const [name, value] of Object.entries(entries)) data.append(name, value);
    return data;
  }

  it.each([
    [{ '1_personId': 'demo-alice', '1_callbackUrl': '/' }, 'demo-alice'],
    [{ _1_personId: 'demo-bob' }, 'demo-bob'],
    [{ $ACTION_REF_1: '', personId: 'demo-carol' }, 'demo-carol'],
    [{ callbackUrl: '/' }, null],
    [{ personId: '' }, null],
    [{ notpersonId: 'x' }, null],
  ])('%j → %s', (entries, expected) => {
    expect(signInPersonFromForm(form(entries))).toBe(expected);
  });
});
