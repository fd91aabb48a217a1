import { describe, expect, it } from 'vitest';
import {
  buildAuthConfig,
  emailVerifiedFromClaims,
  groupsFromClaims,
  rateLimitedSignInRedirect,
  rateLimitedSignInRetryAfter,
  sessionCookieName,
} from '@/lib/auth/config';
import { parseEnv } from '@/lib/env';

const sandbox = parseEnv({ ROLESMITH_MODE: 'sandbox' });
const aws = parseEnv({
  ROLESMITH_MODE: 'aws',
  DATABASE_URL: 'postgres://u:p@localhost:5432/rolesmith',
  AUTH_SECRET: 'x'.repeat(40),
  ROLESMITH_PUBLIC_URL: 'https://rolesmith.example.com',
  ROLESMITH_OIDC_ISSUER: 'https://login.example.com',
  ROLESMITH_OIDC_CLIENT_ID: 'rolesmith',
  ROLESMITH_OIDC_CLIENT_SECRET: 'secret',
  ROLESMITH_OIDC_GROUPS_CLAIM: 'roles',
});

function providerIds(config: ReturnType<typeof buildAuthConfig>): string[] {
  // Auth.js merges a provider's `options` (where Credentials keeps a custom id) over its defaults.
  return config.providers.map((provider) => {
    const resolved = typeof provider === 'function' ? provider() : provider;
    return (resolved.options as { id?: string } | undefined)?.id ?? resolved.id;
  });
}

describe('buildAuthConfig', () => {
  it('has only the demo sign-in in sandbox mode and only the OIDC provider in aws mode', () => {
    expect(providerIds(buildAuthConfig(sandbox, 's'.repeat(32)))).toEqual(['demo']);
    expect(providerIds(buildAuthConfig(aws, 's'.repeat(32)))).toEqual(['oidc']);
  });

  it('bounds sessions to eight hours and uses secure cookies behind https', () => {
    const config = buildAuthConfig(aws, 's'.repeat(32));
    expect(config.session).toMatchObject({ strategy: 'jwt', maxAge: 8 * 3600 });
    expect(config.useSecureCookies).toBe(true);
    expect(sessionCookieName(aws)).toBe('__Secure-authjs.session-token');
    expect(buildAuthConfig(sandbox, 's'.repeat(32)).useSecureCookies).toBe(false);
  });

  it('sends the OIDC redirect URI of the public URL', () => {
    const [provider] = buildAuthConfig(aws, 's'.repeat(32)).providers;
    expect(provider).toMatchObject({
      issuer: 'https://login.example.com',
      authorization: { params: { redirect_uri: 'https://rolesmith.example.com/api/auth/callback/oidc' } },
    });
  });

  it('redirects only within the portal', async () => {
    const redirect = buildAuthConfig(aws, 's'.repeat(32)).callbacks?.redirect;
    const baseUrl = 'https://rolesmith.example.com';
    expect(await redirect?.({ url: '/requests', baseUrl })).toBe('https://rolesmith.example.com/requests');
    expect(await redirect?.({ url: 'https://rolesmith.example.com/a', baseUrl })).toBe(
      'https://rolesmith.example.com/a',
    );
    expect(await redirect?.({ url: 'https://evil.example/a', baseUrl })).toBe(baseUrl);
    expect(await redirect?.({ url: '//evil.example/a', baseUrl })).toBe(baseUrl);
  });
});

describe('sign-in with the identity provider', () => {
  const signIn = (claims: Record<string, unknown>) =>
    buildAuthConfig(aws, 's'.repeat(32)).callbacks?.signIn?.({
      user: { id: 'random', email: 'root@example.com', name: 'Root' },
      account: { provider: 'oidc', providerAccountId: 'sub-1', type: 'oidc' },
      profile: { sub: 'sub-1', email: 'root@example.com', ...claims },
    });

  it.each([[false], ['false'], ['true'], [null], [0]])(
    'is refused with a clear error when email_verified is %j',
    async (value) => {
      expect(await signIn({ email_verified: value })).toBe('/signin?error=EmailNotVerified');
    },
  );

  it('reads email_verified as verified only when it is true', () => {
    expect(emailVerifiedFromClaims({ email_verified: true })).toBe(true);
    expect(emailVerifiedFromClaims({})).toBe(false);
    expect(emailVerifiedFromClaims({ email_verified: 'true' })).toBe(false);
  });
});

describe('groupsFromClaims', () => {
  it.each([
    [{ groups: ['a', 'b', 'a', 3] }, 'groups', ['a', 'b']],
    [{ groups: 'solo' }, 'groups', ['solo']],
    [{ roles: ['x'] }, 'groups', []],
    [{ groups: { nested: true } }, 'groups', []],
  ])('%j[%s] → %j', (claims, claim, expected) => {
    expect(groupsFromClaims(claims, claim)).toEqual(expected);
  });
});

describe('rate-limited sign-in redirect', () => {
  it('is recognized (relative or made absolute by Auth.js) with its seconds', () => {
    const path = rateLimitedSignInRedirect(37);
    expect(rateLimitedSignInRetryAfter(path)).toBe(37);
    expect(rateLimitedSignInRetryAfter(`https://rolesmith.example.com${path}`)).toBe(37);
  });

  it.each([null, '/signin?error=AccessDenied', '/elsewhere?error=RateLimited&retryAfter=3', '/'])(
    'is not confused with another redirect (%s)',
    (location) => {
      expect(rateLimitedSignInRetryAfter(location)).toBeNull();
    },
  );
});
