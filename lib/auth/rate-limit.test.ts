import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hitRateLimit, hitRateLimits } from '@/lib/auth/rate-limit';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestPglite();
});
afterAll(async () => {
  await test.close();
});

const rule = { name: 'test', limit: 3, windowSeconds: 60 };

describe('hitRateLimit', () => {
  it('allows the limit, then refuses with the seconds left in the window', async () => {
    const now = new Date('2026-11-28T10:00:15Z');
    const decisions = [];
    for (let index = 0; index < 4; index += 1)
      decisions.push(await hitRateLimit(test.db, rule, 'alice', now));
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]).toEqual({ allowed: false, retryAfterSeconds: 45 });
    // Another subject has its own count; the next window starts afresh.
    expect(await hitRateLimit(test.db, rule, 'bob', now)).toEqual({ allowed: true });
    expect(await hitRateLimit(test.db, rule, 'alice', new Date('2026-11-28T10:01:00Z'))).toEqual({
      allowed: true,
    });
  });

  it('counts concurrent requests exactly', async () => {
    const now = new Date('2026-11-28T11:00:00Z');
    const decisions = await Promise.all(
      Array.from({ length: 10 }, () => hitRateLimit(test.db, rule, 'carol', now)),
    );
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(3);
    const row = await test.db
      .selectFrom('rate_limit_counters')
      .select('count')
      .where('key', '=', 'test:carol')
      .executeTakeFirstOrThrow();
    expect(row.count).toBe(10);
  });

  it('drops the previous windows of a key', async () => {
    await hitRateLimit(test.db, rule, 'dave', new Date('2026-11-28T12:00:00Z'));
    await hitRateLimit(test.db, rule, 'dave', new Date('2026-11-28T12:05:00Z'));
    expect(
      await test.db
        .selectFrom('rate_limit_counters')
        .select('window_start')
        .where('key', '=', 'test:dave')
        .execute(),
    ).toHaveLength(1);
  });

  it('applies several limits, the first exceeded deciding', async () => {
    const now = new Date('2026-11-28T13:00:30Z');
    const tight = { name: 'tight', limit: 1, windowSeconds: 60 };
    expect(
      await hitRateLimits(
        test.db,
        [
          { rule, subject: 'erin' },
          { rule: tight, subject: 'ip' },
        ],
        now,
      ),
    ).toEqual({ allowed: true });
    expect(
      await hitRateLimits(
        test.db,
        [
          { rule, subject: 'erin' },
          { rule: tight, subject: 'ip' },
        ],
        now,
      ),
    ).toEqual({
      allowed: false,
      retryAfterSeconds: 30,
    });
  });
});
