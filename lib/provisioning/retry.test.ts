import { describe, expect, it } from 'vitest';

import { backoffDelayMs, defaultRetryPolicy } from '@/lib/provisioning/retry';

describe('backoffDelayMs', () => {
  it.each([
    { attempt: 1, ceiling: 200 },
    { attempt: 2, ceiling: 400 },
    { attempt: 4, ceiling: 1600 },
    { attempt: 20, ceiling: 10_000 },
  ])('stays within the exponential ceiling ($ceiling ms at attempt $attempt)', ({ attempt, ceiling }) => {
    expect(backoffDelayMs(defaultRetryPolicy, attempt, () => 1)).toBe(ceiling);
    expect(backoffDelayMs(defaultRetryPolicy, attempt, () => 0)).toBe(0);
    const value = backoffDelayMs(defaultRetryPolicy, attempt);
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(ceiling);
  });
});
