import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from '@/lib/notifications/signature';

const secret = 'whsec_test-secret-0123456789abcdef';
const body = JSON.stringify({ text: 'Request approved', rolesmith: { event: 'approved' } });

describe('webhook signatures', () => {
  it('is v1= and the hex HMAC-SHA256 of "<timestamp>.<body>" (what a receiver computes itself)', () => {
    const expected = createHmac('sha256', secret).update(`1765000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1765000000, body)).toBe(`v1=${expected}`);
  });

  it.each([
    { case: 'a genuine delivery', timestamp: '1765000000', now: 1765000100, sign: true, result: null },
    {
      case: 'a timestamp five minutes old',
      timestamp: '1765000000',
      now: 1765000300,
      sign: true,
      result: null,
    },
    {
      case: 'a replay after five minutes',
      timestamp: '1765000000',
      now: 1765000301,
      sign: true,
      result: 'stale',
    },
    {
      case: 'a timestamp from the future',
      timestamp: '1765000400',
      now: 1765000000,
      sign: true,
      result: 'stale',
    },
    { case: 'no timestamp', timestamp: null, now: 1765000000, sign: true, result: 'missing' },
    {
      case: 'a timestamp that is no number',
      timestamp: '17650e5',
      now: 1765000000,
      sign: true,
      result: 'missing',
    },
    { case: 'another secret', timestamp: '1765000000', now: 1765000000, sign: false, result: 'mismatch' },
  ] as const)('a receiver accepts or rejects $case', ({ timestamp, now, sign, result }) => {
    const signature = signWebhook(sign ? secret : 'another-secret-of-some-length', 1765000000, body);
    expect(verifyWebhookSignature({ secret, body, timestamp, signature, nowSeconds: now })).toBe(result);
  });

  it('rejects a body changed by one byte, and a timestamp moved without re-signing', () => {
    const signature = signWebhook(secret, 1765000000, body);
    expect(
      verifyWebhookSignature({
        secret,
        body: `${body} `,
        timestamp: '1765000000',
        signature,
        nowSeconds: 1765000000,
      }),
    ).toBe('mismatch');
    expect(
      verifyWebhookSignature({ secret, body, timestamp: '1765000001', signature, nowSeconds: 1765000000 }),
    ).toBe('mismatch');
  });

  it('accepts any one of several comma-separated signatures (a secret being replaced)', () => {
    const signature = `${signWebhook('the-old-secret-0123456789', 1765000000, body)}, ${signWebhook(secret, 1765000000, body)}`;
    expect(
      verifyWebhookSignature({ secret, body, timestamp: '1765000000', signature, nowSeconds: 1765000000 }),
    ).toBeNull();
  });
});
