import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetAuthSecretForTests } from '@/lib/auth/secret';
import { insertTestOutboxRow } from '@/lib/db/queries/webhooks';
import { resetEnvForTests } from '@/lib/env';
import { createWebhookSender } from '@/lib/notifications/sender';
import { saveWebhookSettings } from '@/lib/notifications/webhook-settings';
import { carol } from '@/lib/requests/test-fixtures';
import {
  createTestServerDatabase,
  startTestPostgres,
  type TestPostgresServer,
  type TestServerDatabase,
} from '@/lib/testing/postgres';

// Four senders (as in four portal instances) draining one outbox on a real PostgreSQL server, at
// the same time: the lease and `FOR UPDATE SKIP LOCKED` give each notification to one sender, so
// the receiver sees every delivery id exactly once.

let server: TestPostgresServer;
let database: TestServerDatabase;
const received: string[] = [];
const receiver = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    received.push(String(request.headers['x-rolesmith-delivery']));
    // A little latency, so that the senders' attempts overlap.
    setTimeout(() => response.end('ok'), 10);
  });
});

beforeAll(async () => {
  process.env.ROLESMITH_MODE = 'sandbox';
  process.env.AUTH_SECRET = 'webhook-concurrency-secret-'.padEnd(48, 'x');
  resetEnvForTests();
  resetAuthSecretForTests();
  server = await startTestPostgres();
  database = await createTestServerDatabase(server, 8);
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const saved = await saveWebhookSettings(carol, {
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    enabled: 'on',
    events: ['submitted'],
    secretChoice: 'generate',
    expectedVersion: 0,
  });
  if (!saved.ok) throw new Error(saved.message);
}, 120_000);

afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await database?.close();
  await server?.stop();
});

describe('several senders on one outbox', () => {
  it('deliver each notification exactly once between them', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 40; index += 1) ids.push(await insertTestOutboxRow(database.db, carol.id));
    // Due now (a test notification waits a minute for the Send test action that queued it).
    await sql`update webhook_outbox set next_attempt_at = now()`.execute(database.db);
    const senders = Array.from({ length: 4 }, (_, index) =>
      createWebhookSender({
        db: database.db,
        mode: 'sandbox',
        senderId: `sender-${index}`,
        publicUrl: 'http://x',
      }),
    );
    const counts = await Promise.all(
      senders.map(async (sender) => {
        let count = 0;
        while (await sender.runOnce()) count += 1;
        return count;
      }),
    );
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(40);
    // More than one sender did some of the work.
    expect(counts.filter((count) => count > 0).length).toBeGreaterThan(1);
    expect([...received].sort()).toEqual([...ids].sort());
    const attempts = await database.db
      .selectFrom('webhook_deliveries')
      .select(({ fn }) => [fn.countAll<string>().as('n')])
      .executeTakeFirstOrThrow();
    expect(Number(attempts.n)).toBe(40);
    const statuses = await database.db.selectFrom('webhook_outbox').select('status').distinct().execute();
    expect(statuses).toEqual([{ status: 'delivered' }]);
  });
});
