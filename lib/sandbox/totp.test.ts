import { describe, expect, it } from 'vitest';
import { isValidTotp, newTotpSeed, totpCode } from '@/lib/sandbox/totp';

// RFC 6238 appendix B, SHA-1 seed "12345678901234567890", last six digits of the eight-digit codes.
const rfcSeed = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP (RFC 6238)', () => {
  it.each([
    { seconds: 59, code: '287082' },
    { seconds: 1111111109, code: '081804' },
    { seconds: 1111111111, code: '050471' },
    { seconds: 1234567890, code: '005924' },
    { seconds: 2000000000, code: '279037' },
  ])('gives $code at $seconds s', ({ seconds, code }) => {
    expect(totpCode(rfcSeed, seconds * 1000)).toBe(code);
  });

  it('accepts one step of drift either way and nothing further', () => {
    const now = 1_700_000_000_000;
    expect(isValidTotp(rfcSeed, totpCode(rfcSeed, now - 30_000), now)).toBe(true);
    expect(isValidTotp(rfcSeed, totpCode(rfcSeed, now + 30_000), now)).toBe(true);
    expect(isValidTotp(rfcSeed, totpCode(rfcSeed, now - 90_000), now)).toBe(false);
  });

  it('makes 32-character base32 seeds (160 bits), different each time', () => {
    const seed = newTotpSeed();
    expect(seed).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSeed()).not.toBe(seed);
  });
});
