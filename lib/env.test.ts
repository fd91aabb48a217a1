import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '@/lib/env';

const validAws = {
  ROLESMITH_MODE: 'aws',
  DATABASE_URL: 'postgres://rolesmith:secret@db.internal:5432/rolesmith',
  AUTH_SECRET: 'x'.repeat(40),
  ROLESMITH_PUBLIC_URL: 'https://rolesmith.example.com',
  ROLESMITH_OIDC_ISSUER: 'https://login.example.com',
  ROLESMITH_OIDC_CLIENT_ID: 'rolesmith',
  ROLESMITH_OIDC_CLIENT_SECRET: 'client-secret',
};

function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe('sandbox mode', () => {
  it('needs no variable at all', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ ROLESMITH_MODE: 'sandbox', PORT: 3000, ROLESMITH_DATA_DIR: '.data' });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('accepts an optional DATABASE_URL, PORT and data folder', () => {
    const env = parseEnv({
      DATABASE_URL: 'postgresql://localhost/x',
      PORT: '4123',
      ROLESMITH_DATA_DIR: '/tmp/r',
    });
    expect(env).toMatchObject({
      DATABASE_URL: 'postgresql://localhost/x',
      PORT: 4123,
      ROLESMITH_DATA_DIR: '/tmp/r',
    });
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ ROLESMITH_MODE: '', PORT: ' ' })).toMatchObject({
      ROLESMITH_MODE: 'sandbox',
      PORT: 3000,
    });
  });

  it('rejects a malformed PORT with its name', () => {
    expect(problemsOf({ PORT: 'eighty' })).toEqual(['PORT must be a whole number between 1 and 65535']);
    expect(problemsOf({ PORT: '70000' })).toEqual(['PORT must be a whole number between 1 and 65535']);
  });

  it('reads ROLESMITH_TRUSTED_PROXIES as a hop count, 0 by default', () => {
    expect(parseEnv({}).ROLESMITH_TRUSTED_PROXIES).toBe(0);
    expect(parseEnv({ ROLESMITH_TRUSTED_PROXIES: '2' }).ROLESMITH_TRUSTED_PROXIES).toBe(2);
    for (const bad of ['-1', 'one', '1.5', '11'])
      expect(problemsOf({ ROLESMITH_TRUSTED_PROXIES: bad })).toEqual([
        'ROLESMITH_TRUSTED_PROXIES must be a whole number of reverse-proxy hops between 0 and 10',
      ]);
  });

  it('rejects an unknown mode', () => {
    expect(problemsOf({ ROLESMITH_MODE: 'prod' })).toEqual([
      'ROLESMITH_MODE must be "sandbox" or "aws" (got "prod")',
    ]);
  });
});

describe('aws mode', () => {
  it('parses a complete configuration with defaults', () => {
    const env = parseEnv({ ...validAws, ROLESMITH_BOOTSTRAP_ADMINS: ' Ann@Example.com, bo@example.com ,' });
    expect(env.ROLESMITH_MODE).toBe('aws');
    if (env.ROLESMITH_MODE !== 'aws') return;
    expect(env.ROLESMITH_OIDC_GROUPS_CLAIM).toBe('groups');
    expect(env.ROLESMITH_BOOTSTRAP_ADMINS).toEqual(['ann@example.com', 'bo@example.com']);
    expect(env.ROLESMITH_AWS_ENDPOINT).toBeUndefined();
  });

  it.each([
    [
      'DATABASE_URL',
      'DATABASE_URL is required in aws mode (a PostgreSQL URL such as postgres://user:password@host:5432/rolesmith)',
    ],
    [
      'AUTH_SECRET',
      'AUTH_SECRET is required in aws mode (a random secret of at least 32 characters, e.g. from: openssl rand -base64 33)',
    ],
    [
      'ROLESMITH_PUBLIC_URL',
      'ROLESMITH_PUBLIC_URL is required in aws mode (the portal URL users open, e.g. https://rolesmith.example.com)',
    ],
    [
      'ROLESMITH_OIDC_ISSUER',
      "ROLESMITH_OIDC_ISSUER is required in aws mode (the identity provider's issuer URL, e.g. https://login.example.com)",
    ],
    ['ROLESMITH_OIDC_CLIENT_ID', 'ROLESMITH_OIDC_CLIENT_ID is required in aws mode (the OIDC client id)'],
    [
      'ROLESMITH_OIDC_CLIENT_SECRET',
      'ROLESMITH_OIDC_CLIENT_SECRET is required in aws mode (the OIDC client secret)',
    ],
  ])('names a missing %s', (name, message) => {
    expect(problemsOf({ ...validAws, [name]: undefined })).toEqual([message]);
  });

  it.each([
    [
      'DATABASE_URL',
      'mysql://x',
      'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/rolesmith',
    ],
    ['AUTH_SECRET', 'short', 'AUTH_SECRET must be at least 32 characters (try: openssl rand -base64 33)'],
    [
      'ROLESMITH_PUBLIC_URL',
      'rolesmith.example.com',
      'ROLESMITH_PUBLIC_URL must be an http(s) URL such as https://rolesmith.example.com',
    ],
    [
      'ROLESMITH_OIDC_ISSUER',
      'ftp://x',
      'ROLESMITH_OIDC_ISSUER must be an http(s) URL such as https://login.example.com',
    ],
    [
      'ROLESMITH_AWS_ENDPOINT',
      'not a url',
      'ROLESMITH_AWS_ENDPOINT must be an http(s) URL such as http://127.0.0.1:4599/',
    ],
    [
      'ROLESMITH_BOOTSTRAP_ADMINS',
      'ann, bo@example.com',
      'ROLESMITH_BOOTSTRAP_ADMINS must be a comma-separated list of e-mail addresses',
    ],
  ])('names a malformed %s', (name, value, message) => {
    expect(problemsOf({ ...validAws, [name]: value })).toEqual([message]);
  });

  it('lists every missing variable at once', () => {
    expect(problemsOf({ ROLESMITH_MODE: 'aws' })).toHaveLength(6);
  });
});
