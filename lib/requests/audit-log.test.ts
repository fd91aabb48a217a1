import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import { upsertSignedInUser } from '@/lib/auth/users';
import { listAuditLog, type AuditEvent, type AuditLogPage } from '@/lib/requests/audit-log';
import { cancelRequest, createAndSubmitRequest, createDraft } from '@/lib/requests/requests';
import { alice, bob, carol, dave, roleSpec } from '@/lib/requests/test-fixtures';
import type { Result } from '@/lib/result';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

let test: TestDatabase;
const requestIds: string[] = [];

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}

beforeAll(async () => {
  test = await createTestPglite();
  await seedSandboxData();
  await upsertSignedInUser(test.db, {
    id: alice.id,
    email: 'Alice.Adams@acme.example',
    emailVerified: true,
    name: 'Alice Adams',
    groups: [],
  });
  // Alice: three requests submitted (draft → pending), the second cancelled; Dave: one draft.
  for (const name of ['audit-one', 'audit-two', 'audit-three']) {
    const request = value(
      await createAndSubmitRequest(alice, {
        kind: 'create',
        spec: roleSpec({ name }),
        justification: 'audit',
      }),
    );
    requestIds.push(request.id);
  }
  value(await cancelRequest(alice, { requestId: requestIds[1], reason: 'not needed' }));
  value(
    await createDraft(dave, { kind: 'create', spec: roleSpec({ name: 'audit-dave' }), justification: 'x' }),
  );
});

afterAll(async () => {
  await test.close();
});

async function allPages(query: Record<string, string | number>): Promise<AuditEvent[][]> {
  const pages: AuditEvent[][] = [];
  let before: string | null = null;
  do {
    const page: AuditLogPage = value(await listAuditLog(carol, { ...query, ...(before ? { before } : {}) }));
    pages.push(page.events);
    before = page.nextBefore;
  } while (before !== null && pages.length < 20);
  return pages;
}

describe('the audit log', () => {
  it('is for admins only', async () => {
    for (const who of [alice, bob, dave]) {
      expect(await listAuditLog(who)).toMatchObject({ ok: false, code: 'forbidden' });
    }
  });

  it('lists every event newest first, with the request and the actor', async () => {
    const { events, nextBefore } = value(await listAuditLog(carol));
    expect(nextBefore).toBeNull();
    const ids = events.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const cancelled = events[1];
    expect(cancelled).toMatchObject({
      requestId: requestIds[1],
      roleName: 'audit-two',
      accountId: '444455556666',
      accountAlias: 'acme-production',
      actorId: 'alice',
      actorName: 'Alice Adams',
      actorEmail: 'alice.adams@acme.example',
      from: 'pending',
      to: 'cancelled',
      reason: 'not needed',
      requestVersion: 1,
    });
    expect(cancelled?.specSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(events[0]).toMatchObject({ actorId: 'dave', actorName: null, to: 'draft' });
  });

  it('filters by request, by actor id or e-mail, and by the state moved into', async () => {
    const byRequest = value(await listAuditLog(carol, { request: requestIds[1] })).events;
    expect(byRequest.map((event) => [event.from, event.to])).toEqual([
      ['pending', 'cancelled'],
      ['draft', 'pending'],
      [null, 'draft'],
    ]);
    const byEmail = value(await listAuditLog(carol, { actor: 'ALICE.ADAMS@acme.example' })).events;
    const byId = value(await listAuditLog(carol, { actor: 'alice' })).events;
    expect(byEmail.length).toBe(7);
    expect(byId).toEqual(byEmail);
    const dave = value(await listAuditLog(carol, { actor: 'dave', state: 'draft' })).events;
    expect(dave.map((event) => event.roleName)).toEqual(['audit-dave']);
    const cancelled = value(await listAuditLog(carol, { state: 'cancelled', request: '' })).events;
    expect(cancelled.map((event) => event.requestId)).toEqual([requestIds[1]]);
    expect(value(await listAuditLog(carol, { actor: 'nobody' })).events).toEqual([]);
  });

  it('pages with a keyset cursor: every event once, in order', async () => {
    const everything = value(await listAuditLog(carol)).events;
    const pages = await allPages({ pageSize: 3 });
    expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
    expect(pages.flat()).toEqual(everything);
    const filtered = await allPages({ pageSize: 2, actor: 'alice', state: 'pending' });
    expect(filtered.flat().map((event) => event.roleName)).toEqual(['audit-three', 'audit-two', 'audit-one']);
  });

  it('reports bad filters per field', async () => {
    const invalid = await listAuditLog(carol, { request: '1234', state: 'lost', before: 'abc' });
    expect(invalid.ok ? null : Object.keys(invalid.fieldErrors ?? {}).sort()).toEqual([
      'before',
      'request',
      'state',
    ]);
  });
});
