import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetAuthSecretForTests } from '@/lib/auth/secret';
import { resetEnvForTests } from '@/lib/env';
import { createWebhookSender, type SenderOptions } from '@/lib/notifications/sender';
import { verifyWebhookSignature } from '@/lib/notifications/signature';
import {
  getWebhookSettings,
  listRecentDeliveries,
  saveWebhookSettings,
  sendTestNotification,
} from '@/lib/notifications/webhook-settings';
import { rejectRequest } from '@/lib/requests/approve';
import { carol, alice } from '@/lib/requests/test-fixtures';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import {
  approver,
  drainJobs,
  requestState,
  roleSpec,
  seedTargetAccounts,
  startTestEmulator,
  submitAndApprove,
  submitForApproval,
  type TestEmulator,
} from '@/lib/testing/provisioning';

// The whole path against real parts: PGlite, the request workflow, the provisioning worker against
// the emulator over HTTP, and a real HTTP receiver on 127.0.0.1. Time moves by setting a row's next
// attempt into the past (no sleeps).

const SECRET = 'whsec_integration-test-secret-0123456789';
const PUBLIC_URL = 'https://rolesmith.example.com';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  path: string;
}

/** A local receiver: records each delivery and answers the next status in `answers` (then 200). */
class Receiver {
  readonly received: Received[] = [];
  answers: number[] = [];
  private server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.received.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        path: request.url ?? '',
      });
      response.statusCode = this.answers.shift() ?? 200;
      response.end('ok');
    });
  });
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/rolesmith`;
  }
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
  /** Each delivery's id, event and request, after checking its signature as a receiver would. */
  verified(): {
    deliveryId: string;
    event: string;
    requestId: string | null;
    body: Record<string, unknown>;
  }[] {
    return this.received.map((delivery) => {
      const timestamp = String(delivery.headers['x-rolesmith-timestamp']);
      expect(
        verifyWebhookSignature({
          secret: SECRET,
          body: delivery.body,
          timestamp,
          signature: String(delivery.headers['x-rolesmith-signature']),
          nowSeconds: Math.floor(Date.now() / 1000),
        }),
      ).toBeNull();
      const body = JSON.parse(delivery.body) as {
        rolesmith: { deliveryId: string; event: string; request: { id: string } | null };
      };
      expect(delivery.headers['x-rolesmith-delivery']).toBe(body.rolesmith.deliveryId);
      expect(delivery.headers['content-type']).toBe('application/json');
      return {
        deliveryId: body.rolesmith.deliveryId,
        event: body.rolesmith.event,
        requestId: body.rolesmith.request?.id ?? null,
        body,
      };
    });
  }
}

let database: TestDatabase;
let emulator: TestEmulator;
let receiver: Receiver;
let receiverUrl: string;
let version = 0;

function sender(options: Partial<SenderOptions> = {}) {
  return createWebhookSender({
    db: database.db,
    mode: 'sandbox',
    publicUrl: PUBLIC_URL,
    random: () => 0,
    ...options,
  });
}

async function drainOutbox(options: Partial<SenderOptions> = {}) {
  const outcomes = [];
  const s = sender(options);
  for (let sent = await s.runOnce(); sent; sent = await s.runOnce()) outcomes.push(sent);
  return outcomes;
}

/** Time passes: every pending notification is due. */
async function makeDue(): Promise<void> {
  await sql`update webhook_outbox set next_attempt_at = now() - interval '1 second' where status = 'pending'`.execute(
    database.db,
  );
}

async function configure(input: Record<string, unknown>) {
  const saved = await saveWebhookSettings(carol, {
    url: receiverUrl,
    enabled: 'on',
    events: ['submitted', 'approved', 'rejected', 'provisioned', 'failed'],
    allowedHosts: '',
    secretChoice: 'keep',
    expectedVersion: version,
    ...input,
  });
  if (!saved.ok) throw new Error(`${saved.message} ${JSON.stringify(saved.fieldErrors)}`);
  version = saved.value.settings.version;
  return saved.value;
}

async function outboxRows() {
  return database.db.selectFrom('webhook_outbox').selectAll().orderBy('created_at').orderBy('id').execute();
}

beforeAll(async () => {
  process.env.ROLESMITH_MODE = 'sandbox';
  process.env.AUTH_SECRET = 'webhook-test-auth-secret-'.padEnd(48, 'x');
  resetEnvForTests();
  resetAuthSecretForTests();
  [database, emulator] = await Promise.all([createTestPglite(), startTestEmulator()]);
  await seedTargetAccounts();
  receiver = new Receiver();
  receiverUrl = await receiver.start();
  await configure({ secretChoice: 'enter', secret: SECRET });
});

afterAll(async () => {
  await Promise.all([database?.close(), emulator?.close(), receiver?.close()]);
});

beforeEach(async () => {
  await drainOutbox();
  receiver.received.length = 0;
  receiver.answers = [];
  await emulator.setFaults({});
});

describe('the webhook configuration', () => {
  it('keeps the secret write-only: stored encrypted, shown once when generated, never read back', async () => {
    const stored = await database.db
      .selectFrom('webhooks')
      .select('secret_ciphertext')
      .executeTakeFirstOrThrow();
    expect(stored.secret_ciphertext).not.toContain(SECRET);
    expect(stored.secret_ciphertext).toMatch(/^v1\./);
    const settings = await getWebhookSettings(carol);
    expect(JSON.stringify(settings)).not.toContain(SECRET);
    expect(settings).toMatchObject({ ok: true, value: { url: receiverUrl, enabled: true } });

    const generated = await configure({ secretChoice: 'generate' });
    expect(generated.newSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(generated.settings)).not.toContain(generated.newSecret);
    expect(JSON.stringify(await getWebhookSettings(carol))).not.toContain(generated.newSecret);
    const kept = await configure({ secretChoice: 'keep' });
    expect(kept.newSecret).toBeNull();
    await configure({ secretChoice: 'enter', secret: SECRET });
  });

  it('is for admins only, and checks the URL and the version it saves over', async () => {
    expect(await getWebhookSettings(alice)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await saveWebhookSettings(alice, { url: receiverUrl })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    const save = (url: string, extra: Record<string, unknown> = {}) =>
      saveWebhookSettings(carol, {
        url,
        enabled: 'on',
        events: ['approved'],
        secretChoice: 'keep',
        expectedVersion: version,
        ...extra,
      });
    expect(await save('ftp://example.com/')).toMatchObject({
      ok: false,
      fieldErrors: { url: [expect.any(String)] },
    });
    expect(await save('https://user:pw@example.com/')).toMatchObject({
      ok: false,
      fieldErrors: { url: [expect.stringContaining('user name and password')] },
    });
    expect(await save('http://hooks.example.com/')).toMatchObject({
      ok: false,
      fieldErrors: { url: [expect.stringContaining('https://')] },
    });
    expect(await save(receiverUrl, { events: [] })).toMatchObject({
      ok: false,
      fieldErrors: { events: [expect.any(String)] },
    });
    expect(await save(receiverUrl, { secretChoice: 'enter', secret: 'short' })).toMatchObject({
      ok: false,
      fieldErrors: { secret: [expect.any(String)] },
    });
    expect(await save(receiverUrl, { allowedHosts: 'good.example\nbad_host!' })).toMatchObject({
      ok: false,
      fieldErrors: { allowedHosts: [expect.stringContaining('bad_host!')] },
    });
    // The URL parser would encode a NUL, but the URL is stored as typed: PostgreSQL refuses it.
    expect(await save('https://hooks.example.com/a\u0000b')).toMatchObject({
      ok: false,
      fieldErrors: { url: [expect.stringContaining('NUL')] },
    });
    expect(await save(receiverUrl, { expectedVersion: version - 1 })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
  });
});

describe('notifications of a request’s life', () => {
  it('delivers submitted, approved and provisioned, each signed, with its own delivery id and a link', async () => {
    const request = await submitAndApprove(emulator, roleSpec('HookLife'));
    await drainJobs(database.db, emulator);
    expect(await requestState(request.id)).toMatchObject({ state: 'provisioned' });

    const outcomes = await drainOutbox();
    expect(outcomes.map((outcome) => [outcome.outcome, outcome.statusCode, outcome.status])).toEqual([
      ['delivered', 200, 'delivered'],
      ['delivered', 200, 'delivered'],
      ['delivered', 200, 'delivered'],
    ]);
    const deliveries = receiver.verified();
    expect(deliveries.map(({ event, requestId }) => [event, requestId])).toEqual([
      ['submitted', request.id],
      ['approved', request.id],
      ['provisioned', request.id],
    ]);
    expect(new Set(deliveries.map((delivery) => delivery.deliveryId)).size).toBe(3);
    expect(receiver.received[0]?.path).toBe('/hooks/rolesmith');
    expect(deliveries[1]?.body).toMatchObject({
      text: expect.stringContaining('Request approved: HookLife in acme-production (444455556666)') as string,
      blocks: expect.arrayContaining([
        expect.objectContaining({ type: 'section' }),
        {
          type: 'actions',
          elements: [expect.objectContaining({ url: `${PUBLIC_URL}/requests/${request.id}` })],
        },
      ]) as unknown,
      rolesmith: {
        event: 'approved',
        request: {
          id: request.id,
          url: `${PUBLIC_URL}/requests/${request.id}`,
          kind: 'create',
          accountId: '444455556666',
          accountAlias: 'acme-production',
          roleName: 'HookLife',
          state: 'approved',
        },
        actor: { id: approver.id },
      },
    });
  });

  it('delivers rejected, with the approver’s comment', async () => {
    const submitted = await submitForApproval(roleSpec('HookRejected'));
    const rejected = await rejectRequest(approver, {
      requestId: submitted.requestId,
      comment: 'Use the shared role',
    });
    expect(rejected.ok).toBe(true);
    await drainOutbox();
    const deliveries = receiver.verified();
    expect(deliveries.map(({ event }) => event)).toEqual(['submitted', 'rejected']);
    expect(deliveries[1]?.body).toMatchObject({
      rolesmith: { reason: 'Use the shared role', request: { state: 'rejected' } },
    });
  });

  it('delivers failed, with AWS’s error', async () => {
    const request = await submitAndApprove(emulator, roleSpec('HookFailed', { inline: 1 }));
    await emulator.setFaults({ failNth: { action: 'PutRolePolicy', n: 1, code: 'MalformedPolicyDocument' } });
    await drainJobs(database.db, emulator);
    expect(await requestState(request.id)).toMatchObject({ state: 'failed' });
    await drainOutbox();
    const deliveries = receiver.verified();
    expect(deliveries.map(({ event }) => event)).toEqual(['submitted', 'approved', 'failed']);
    expect(deliveries[2]?.body).toMatchObject({
      rolesmith: {
        reason: expect.stringContaining('MalformedPolicyDocument') as string,
        request: { state: 'failed' },
      },
    });
  });

  it('sends only the events subscribed to, and nothing while disabled', async () => {
    await configure({ events: ['approved'] });
    await submitAndApprove(emulator, roleSpec('HookOnlyApproved'));
    await drainJobs(database.db, emulator);
    await configure({ enabled: '' });
    await submitForApproval(roleSpec('HookDisabled'));
    await configure({
      enabled: 'on',
      events: ['submitted', 'approved', 'rejected', 'provisioned', 'failed'],
    });
    await drainOutbox();
    expect(receiver.verified().map(({ event }) => event)).toEqual(['approved']);
  });
});

describe('delivery', () => {
  it('tries again after a 500, with the same delivery id and body, and records each attempt', async () => {
    receiver.answers = [500];
    const submitted = await submitForApproval(roleSpec('HookRepeat'));
    const [first] = await drainOutbox();
    expect(first).toMatchObject({ outcome: 'http_error', statusCode: 500, status: 'pending', attempt: 1 });
    // Not due yet: the backoff holds it back.
    expect(await drainOutbox()).toEqual([]);
    await makeDue();
    const [second] = await drainOutbox();
    expect(second).toMatchObject({ outcome: 'delivered', statusCode: 200, status: 'delivered', attempt: 2 });

    const [a, b] = receiver.verified();
    expect(a?.deliveryId).toBe(first?.deliveryId);
    expect(b?.deliveryId).toBe(first?.deliveryId);
    expect(receiver.received[0]?.body).toBe(receiver.received[1]?.body);
    expect(a?.requestId).toBe(submitted.requestId);
    const attempts = await database.db
      .selectFrom('webhook_deliveries')
      .select(['attempt', 'outcome', 'status_code'])
      .where('outbox_id', '=', first?.deliveryId ?? '')
      .orderBy('attempt')
      .execute();
    expect(attempts).toEqual([
      { attempt: 1, outcome: 'http_error', status_code: 500 },
      { attempt: 2, outcome: 'delivered', status_code: 200 },
    ]);
  });

  it('with the receiver down: the request goes on, the notification retries with backoff, then is given up after a day', async () => {
    const down = new Receiver();
    const downUrl = await down.start();
    await down.close();
    await configure({ url: downUrl });
    try {
      const request = await submitAndApprove(emulator, roleSpec('HookReceiverDown'));
      await drainJobs(database.db, emulator);
      // The request is unaffected by the webhook.
      expect(await requestState(request.id)).toMatchObject({ state: 'provisioned' });

      const first = await drainOutbox();
      expect(first.map((sent) => [sent.outcome, sent.status, sent.attempt])).toEqual([
        ['network_error', 'pending', 1],
        ['network_error', 'pending', 1],
        ['network_error', 'pending', 1],
      ]);
      expect(first[0]?.error).toMatch(/ECONNREFUSED/);
      const waits = first.map((sent) => (sent.nextAttemptAt?.getTime() ?? 0) - Date.now());
      for (const wait of waits) expect(wait).toBeGreaterThan(10_000);

      await makeDue();
      const second = await drainOutbox();
      expect(second.map((sent) => [sent.outcome, sent.attempt])).toEqual([
        ['network_error', 2],
        ['network_error', 2],
        ['network_error', 2],
      ]);
      // The second wait is longer than the first (exponential).
      expect((second[0]?.nextAttemptAt?.getTime() ?? 0) - Date.now()).toBeGreaterThan(25_000);

      // A day later: given up, without another request to the receiver.
      await makeDue();
      const dayLater = new Date(Date.now() + 25 * 60 * 60_000);
      const last = await drainOutbox({ now: () => dayLater });
      expect(last.map((sent) => [sent.status, sent.outcome])).toEqual([
        ['given_up', 'config_error'],
        ['given_up', 'config_error'],
        ['given_up', 'config_error'],
      ]);
      const rows = (await outboxRows()).filter((row) => row.request_id === request.id);
      expect(rows.map((row) => [row.status, row.attempts])).toEqual([
        ['given_up', 3],
        ['given_up', 3],
        ['given_up', 3],
      ]);
      expect(await requestState(request.id)).toMatchObject({ state: 'provisioned' });
    } finally {
      await configure({ url: receiverUrl });
    }
  });

  it('a claimed notification is not claimed again while its lease holds (two senders)', async () => {
    await submitForApproval(roleSpec('HookLease'));
    const claimed = await database.db
      .selectFrom('webhook_outbox')
      .select('id')
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    await sql`update webhook_outbox set lease_owner = 'another-sender', lease_expires_at = now() + interval '1 minute' where id = ${claimed.id}::uuid`.execute(
      database.db,
    );
    expect(await drainOutbox()).toEqual([]);
    await sql`update webhook_outbox set lease_expires_at = now() - interval '1 second' where id = ${claimed.id}::uuid`.execute(
      database.db,
    );
    expect((await drainOutbox()).map((sent) => [sent.deliveryId, sent.outcome])).toEqual([
      [claimed.id, 'delivered'],
    ]);
  });

  it('Send test: one signed attempt, now, listed with the deliveries', async () => {
    const sent = await sendTestNotification(carol, {});
    expect(sent).toMatchObject({
      ok: true,
      value: { outcome: 'delivered', statusCode: 200, status: 'delivered' },
    });
    const [delivery] = receiver.verified();
    expect(delivery).toMatchObject({ event: 'test', requestId: null });
    const listed = await listRecentDeliveries(carol);
    if (!listed.ok) throw new Error(listed.message);
    expect(listed.value[0]).toMatchObject({
      id: sent.ok ? sent.value.deliveryId : '',
      event: 'test',
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 200,
      requestId: null,
    });
    expect(await sendTestNotification(alice, {})).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await listRecentDeliveries(alice)).toMatchObject({ ok: false, code: 'forbidden' });

    receiver.answers = [503];
    const failed = await sendTestNotification(carol, {});
    // A test is tried once: no retries for a day.
    expect(failed).toMatchObject({
      ok: true,
      value: { outcome: 'http_error', statusCode: 503, status: 'failed', nextAttemptAt: null },
    });
  });
});

describe('never blocking the request', () => {
  it('a broken outbox is skipped: the transition commits without its notification', async () => {
    await sql`create function webhook_test_break() returns trigger language plpgsql as $$
      begin raise exception 'broken outbox'; end $$`.execute(database.db);
    await sql`create trigger webhook_test_break before insert on webhook_outbox
      for each row execute function webhook_test_break()`.execute(database.db);
    try {
      const submitted = await submitForApproval(roleSpec('HookBroken'));
      expect(await requestState(submitted.requestId)).toMatchObject({ state: 'pending' });
    } finally {
      await sql`drop trigger webhook_test_break on webhook_outbox`.execute(database.db);
      await sql`drop function webhook_test_break()`.execute(database.db);
    }
    expect(await drainOutbox()).toEqual([]);
  });

  it('a transition that rolls back leaves no notification behind (same transaction)', async () => {
    const submitted = await submitForApproval(roleSpec('HookRolledBack'));
    await drainOutbox();
    const before = (await outboxRows()).length;
    await expect(
      database.db.transaction().execute(async (tx) => {
        await sql`insert into request_events (request_id, actor_id, from_state, to_state, reason, request_version, spec_sha256)
          values (${submitted.requestId}::uuid, 'test', 'pending', 'rejected', 'x', 1, ${submitted.specSha256})`.execute(
          tx,
        );
        expect((await tx.selectFrom('webhook_outbox').select('id').execute()).length).toBe(before + 1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await outboxRows()).length).toBe(before);
  });
});

describe('the address guard (aws mode)', () => {
  it.each([
    [
      'a name resolving to loopback',
      'https://localhost:9/hook',
      /refused: resolves to a private address \((127\.0\.0\.1|::1): a loopback address\)/,
    ],
    [
      'the metadata address',
      'https://169.254.169.254/latest/meta-data/',
      /refused: resolves to a private address \(169\.254\.169\.254: a cloud metadata address\)/,
    ],
    [
      'the IPv6 metadata address',
      'https://[fd00:ec2::254]/',
      /refused: resolves to a private address \(fd00:ec2::254: a cloud metadata address\)/,
    ],
    [
      'a private address',
      'https://10.1.2.3/hook',
      /refused: resolves to a private address \(10\.1\.2\.3: a private address\)/,
    ],
    [
      'an IPv4-mapped loopback',
      'https://[::ffff:127.0.0.1]/hook',
      /refused: resolves to a private address \(::ffff:7f00:1: a loopback address\)/,
    ],
  ])('refuses %s and records why', async (_case, url, error) => {
    await configure({ url });
    try {
      await submitForApproval(roleSpec(`HookGuard${Math.floor(Math.random() * 1e6)}`));
      const [sent] = await drainOutbox({ mode: 'aws' });
      expect(sent).toMatchObject({ outcome: 'refused', status: 'pending', statusCode: null });
      expect(sent?.error).toMatch(error);
      const row = await database.db
        .selectFrom('webhook_outbox')
        .select(['last_outcome', 'last_error'])
        .where('id', '=', sent?.deliveryId ?? '')
        .executeTakeFirstOrThrow();
      expect(row.last_outcome).toBe('refused');
      expect(row.last_error).toMatch(error);
    } finally {
      await configure({ url: receiverUrl });
      await makeDue();
      await drainOutbox();
    }
  });

  it('lets an allow-listed host resolve to a private address, and refuses http', async () => {
    // The local receiver speaks http, so the TLS handshake fails: but the address was not refused.
    await configure({ url: receiverUrl.replace('http:', 'https:'), allowedHosts: '127.0.0.1' });
    try {
      await submitForApproval(roleSpec('HookAllowed'));
      const [sent] = await drainOutbox({ mode: 'aws' });
      expect(sent?.outcome).toBe('network_error');
      await configure({ url: receiverUrl });
      await makeDue();
      const [plain] = await drainOutbox({ mode: 'aws' });
      expect(plain).toMatchObject({
        outcome: 'config_error',
        error: expect.stringContaining('https://') as string,
      });
    } finally {
      await configure({ url: receiverUrl, allowedHosts: '' });
      await makeDue();
      await drainOutbox();
    }
  });
});
