import { describe, expect, it } from 'vitest';
import { safeCallbackPath } from '@/lib/auth/redirect';

describe('safeCallbackPath', () => {
  it.each([
    ['/requests/1?tab=a', '/requests/1?tab=a'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['requests', '/'],
    ['/a\nb', '/'],
    [null, '/'],
  ])('%s → %s', (value, expected) => {
    expect(safeCallbackPath(value)).toBe(expected);
  });
});
