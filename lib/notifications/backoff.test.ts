import { describe, expect, it } from 'vitest';
import { defaultBackoff, nextAttemptAt, retryDelayMs } from '@/lib/notifications/backoff';

const low = () => 0;
const high = () => 1 - Number.EPSILON;
const minute = 60_000;

describe('the webhook retry schedule', () => {
  it.each([
    { attempt: 1, min: 15_000, max: 30_000 },
    { attempt: 2, min: 30_000, max: 60_000 },
    { attempt: 3, min: minute, max: 2 * minute },
    { attempt: 4, min: 2 * minute, max: 4 * minute },
    { attempt: 7, min: 16 * minute, max: 32 * minute },
    { attempt: 8, min: 30 * minute, max: 60 * minute },
    { attempt: 9, min: 30 * minute, max: 60 * minute },
    { attempt: 40, min: 30 * minute, max: 60 * minute },
  ])(
    'after attempt $attempt waits between $min and $max ms (equal jitter, capped at an hour)',
    ({ attempt, min, max }) => {
      expect(retryDelayMs(attempt, low)).toBe(min);
      expect(retryDelayMs(attempt, high)).toBe(max);
      expect(retryDelayMs(attempt, () => 0.5)).toBe(Math.round(min + (max - min) / 2));
    },
  );

  it('retries for a day after the event, then gives up', () => {
    const queued = new Date('2026-12-08T00:00:00Z');
    let now = queued;
    const attempts: Date[] = [];
    for (let attempt = 1; attempt < 100; attempt += 1) {
      const next = nextAttemptAt(queued, now, attempt, high);
      if (!next) break;
      attempts.push(next);
      now = next;
    }
    // 30 s, 1, 2, 4, 8, 16, 32 min, then hourly: 7 + 22 tries within the 24 hours.
    expect(attempts).toHaveLength(29);
    const last = attempts.at(-1);
    expect(last && last.getTime() - queued.getTime()).toBeLessThanOrEqual(defaultBackoff.giveUpAfterMs);
    expect(nextAttemptAt(queued, now, 30, high)).toBeNull();
  });
});
