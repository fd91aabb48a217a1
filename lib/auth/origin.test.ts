import { describe, expect, it } from 'vitest';
import { clientIp, isSameOrigin, rateLimitAddress } from '@/lib/auth/origin';
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
});

const headers = (values: Record<string, string>) => new Headers(values);

describe('isSameOrigin', () => {
  it.each([
    ['sandbox, same host', sandbox, { host: 'localhost:3000', origin: 'http://localhost:3000' }, true],
    ['sandbox, other port', sandbox, { host: 'localhost:3000', origin: 'http://localhost:4000' }, false],
    ['sandbox, foreign origin', sandbox, { host: 'localhost:3000', origin: 'https://evil.example' }, false],
    ['sandbox, no origin', sandbox, { host: 'localhost:3000' }, false],
    ['sandbox, origin null', sandbox, { host: 'localhost:3000', origin: 'null' }, false],
    [
      'sandbox, spoofed x-forwarded-host',
      sandbox,
      { host: 'localhost:3000', 'x-forwarded-host': 'evil.example', origin: 'https://evil.example' },
      false,
    ],
    ['sandbox, no host', sandbox, { origin: 'http://localhost:3000' }, false],
    ['sandbox, at 127.0.0.1', sandbox, { host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' }, true],
    ['sandbox, at [::1]', sandbox, { host: '[::1]:3000', origin: 'http://[::1]:3000' }, true],
    // DNS rebinding: a foreign name resolving to this machine sends it as both Host and Origin.
    [
      'sandbox, rebound name',
      sandbox,
      { host: 'evil.example:3000', origin: 'http://evil.example:3000' },
      false,
    ],
    [
      'sandbox under a name with a public URL',
      parseEnv({ ROLESMITH_MODE: 'sandbox', ROLESMITH_PUBLIC_URL: 'http://demo.example:3000' }),
      { host: 'demo.example:3000', origin: 'http://demo.example:3000' },
      true,
    ],
    ['aws, public origin', aws, { host: '10.0.0.5:3000', origin: 'https://rolesmith.example.com' }, true],
    [
      'aws, http instead of https',
      aws,
      { host: 'rolesmith.example.com', origin: 'http://rolesmith.example.com' },
      false,
    ],
    [
      'aws, origin matching a spoofed host',
      aws,
      { host: 'evil.example', origin: 'https://evil.example' },
      false,
    ],
    ['aws, no origin', aws, { host: 'rolesmith.example.com' }, false],
    ['aws, garbage', aws, { origin: 'not a url' }, false],
  ])('%s → %s', (_name, env, values, expected) => {
    expect(isSameOrigin(env, headers(values))).toBe(expected);
  });
});

describe('clientIp', () => {
  const behind = (hops: string) => parseEnv({ ROLESMITH_MODE: 'sandbox', ROLESMITH_TRUSTED_PROXIES: hops });

  it('with no trusted proxy (the default) takes the connection address, the right-most entry', () => {
    expect(sandbox.ROLESMITH_TRUSTED_PROXIES).toBe(0);
    expect(clientIp(sandbox, headers({ 'x-forwarded-for': '1.2.3.4, 10.0.0.7' }))).toBe('10.0.0.7');
    expect(clientIp(sandbox, headers({ 'x-forwarded-for': '::1' }))).toBe('0:0:0:0::/64');
    expect(clientIp(sandbox, headers({}))).toBe('unknown');
  });

  it('behind trusted proxies takes the entry that many hops left of the connection address', () => {
    // client 203.0.113.5 → proxy 10.0.0.1 → proxy 10.0.0.2 → portal; the client spoofed 6.6.6.6.
    const chain = { 'x-forwarded-for': '6.6.6.6, 203.0.113.5, 10.0.0.1, 10.0.0.2' };
    expect(clientIp(behind('2'), headers(chain))).toBe('203.0.113.5');
    expect(clientIp(behind('1'), headers(chain))).toBe('10.0.0.1');
    // Fewer entries than hops: the left-most one.
    expect(clientIp(behind('2'), headers({ 'x-forwarded-for': '10.0.0.2' }))).toBe('10.0.0.2');
  });
});

describe('per-IP limits and IPv6', () => {
  it('one /64 is one client: rotating the interface identifier gives no fresh budget', () => {
    const seen = new Set(
      [
        '2001:db8:1:2::1',
        '2001:db8:1:2:ffff:ffff:ffff:fffe',
        '2001:DB8:1:2:0:0:0:7',
        '2001:0db8:0001:0002::9',
      ].map((address) => clientIp(sandbox, headers({ 'x-forwarded-for': `6.6.6.6, ${address}` }))),
    );
    expect([...seen]).toEqual(['2001:db8:1:2::/64']);
    expect(clientIp(sandbox, headers({ 'x-forwarded-for': '2001:db8:1:3::1' }))).toBe('2001:db8:1:3::/64');
  });

  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['::FFFF:c633:6407', '198.51.100.7'],
    ['198.51.100.7:5678', '198.51.100.7'],
    ['[2001:db8::1]:443', '2001:db8:0:0::/64'],
    ['[2001:db8::1]', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['2001:db8:1:2:3:4:198.51.100.7', '2001:db8:1:2::/64'],
    ['unknown', 'unknown'],
    ['1:2:3', '1:2:3'],
    ['1::2::3', '1::2::3'],
  ])('%s is keyed as %s', (address, key) => {
    expect(rateLimitAddress(address)).toBe(key);
  });
});
