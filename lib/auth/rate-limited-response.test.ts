import { describe, expect, it } from 'vitest';
import { rateLimitedMessage, rateLimitedResponse } from '@/lib/auth/rate-limited-response';

describe('rateLimitedResponse', () => {
  it('answers a JavaScript action call with a Flight payload carrying a rate_limited Result', () => {
    const answer = rateLimitedResponse(new Headers({ 'next-action': 'abc' }), 42, '/signin');
    expect(answer.status).toBe(429);
    expect(answer.headers['Retry-After']).toBe('42');
    expect(answer.headers['Content-Type']).toBe('text/x-component');
    const [row, rest] = answer.body.split('\n');
    expect(rest).toBe('');
    expect(row?.startsWith('0:')).toBe(true);
    expect(JSON.parse(row?.slice(2) ?? '')).toEqual({
      a: { ok: false, code: 'rate_limited', message: 'Too many attempts, try again in 42 s.' },
      f: '',
    });
  });

  it('answers a form post without JavaScript with an HTML page linking back', () => {
    const answer = rateLimitedResponse(new Headers({ 'content-type': 'multipart/form-data' }), 7, '/access');
    expect(answer.status).toBe(429);
    expect(answer.headers['Retry-After']).toBe('7');
    expect(answer.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(answer.body).toContain(rateLimitedMessage(7));
    expect(answer.body).toContain('<a href="/access">Go back</a>');
  });

  it.each(['//evil.example/x', 'https://evil.example', '/a"><script>x</script>', '/\\evil'])(
    'never links anywhere but a portal path (%s)',
    (backTo) => {
      const body = rateLimitedResponse(new Headers(), 1, backTo).body;
      expect(body).not.toContain('evil.example');
      expect(body).not.toContain('<script>');
    },
  );
});
