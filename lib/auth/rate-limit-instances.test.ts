import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hitRateLimit } from '@/lib/auth/rate-limit';
import { openPostgres } from '@/lib/db/client';
import {
  createTestServerDatabase,
  startTestPostgres,
  type TestPostgresServer,
  type TestServerDatabase,
} from '@/lib/testing/postgres';

// Rate limits must hold across several portal instances sharing one PostgreSQL: two pools stand for
// two instances, and their concurrent requests are counted exactly once each.

let server: TestPostgresServer;
let first: TestServerDatabase;
let second: ReturnType<typeof openPostgres>;

beforeAll(async () => {
  server = await startTestPostgres();
  first = await createTestServerDatabase(server);
  second = openPostgres(first.url);
}, 120_000);

afterAll(async () => {
  await second.close();
  await first.close();
  await server.stop();
});

describe('rate limits across instances', () => {
  it('two instances hitting one limit concurrently allow exactly the limit', async () => {
    const rule = { name: 'instances', limit: 25, windowSeconds: 60 };
    const now = new Date('2026-11-28T14:00:10Z');
    const calls = Array.from({ length: 60 }, (_, index) =>
      hitRateLimit(index % 2 === 0 ? first.db : second.db, rule, 'alice', now),
    );
    const decisions = await Promise.all(calls);
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(25);
    expect(decisions.find((decision) => !decision.allowed)).toEqual({
      allowed: false,
      retryAfterSeconds: 50,
    });
    const row = await first.db
      .selectFrom('rate_limit_counters')
      .select('count')
      .where('key', '=', 'instances:alice')
      .executeTakeFirstOrThrow();
    expect(row.count).toBe(60);
  });
});
