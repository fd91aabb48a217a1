import { describe, expect, it } from 'vitest';
import { safeCallbackPath, signInPath } from '@/lib/auth/redirect';

describe('safeCallbackPath', () => {
  it.each([
    ['/requests/1?tab=a', '/requests/1?tab=a'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['requests', '/'],
    ['/a\nb', '/'],
    ['/a\u007fb', '/'],
    [null, '/'],
    // Backslashes are slashes to a browser: after resolving dot segments this would be //evil.example.
    ['/.\\/evil.example', '/'],
    ['/a/..\\..\\/evil.example/x', '/'],
    [
      '/sandbox/switchrole?account=444455556666&roleName=ci%2Fdeployer',
      '/sandbox/switchrole?account=444455556666&roleName=ci%2Fdeployer',
    ],
  ])('%s → %s', (value, expected) => {
    expect(safeCallbackPath(value)).toBe(expected);
  });

  // A Location header may carry Latin-1 only: Next answered 500 after setting the session cookie
  // when the path to return to had characters above U+00FF (issue 11).
  it.each([
    ['/audit?actor=日本', '/audit?actor=%E6%97%A5%E6%9C%AC'],
    ['/roles/ÿ€', '/roles/%C3%BF%E2%82%AC'],
    ['/audit?actor=a b#Ω', '/audit?actor=a%20b#%CE%A9'],
  ])('percent-encodes %s as %s, so that it fits a Location header', (value, expected) => {
    const path = safeCallbackPath(value);
    expect(path).toBe(expected);
    expect(() => new Headers({ location: path })).not.toThrow();
    expect(decodeURIComponent(path)).toBe(value);
  });
});

describe('signInPath', () => {
  it('names the path to come back to, encoded, and only a same-site one', () => {
    expect(signInPath('/access')).toBe('/signin?callbackUrl=%2Faccess');
    expect(signInPath('/audit?actor=日本&state=pending')).toBe(
      '/signin?callbackUrl=%2Faudit%3Factor%3D%25E6%2597%25A5%25E6%259C%25AC%26state%3Dpending',
    );
    expect(signInPath('//evil.example')).toBe('/signin');
    expect(signInPath(null)).toBe('/signin');
    expect(signInPath('/')).toBe('/signin');
  });
});
