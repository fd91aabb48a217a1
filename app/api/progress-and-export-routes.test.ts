import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET as auditExportGet } from '@/app/api/audit/export/route';
import { GET as progressGet } from '@/app/api/requests/[id]/progress/route';
import { seedSandboxData } from '@/lib/accounts/seed';
import { resetAuthSecretForTests } from '@/lib/auth/secret';
import { startSession } from '@/lib/auth/server-sessions';
import { loadPrincipal, seedSandboxPeopleInto } from '@/lib/auth/users';
import { parseEnv, resetEnvForTests } from '@/lib/env';
import { cancelRequest, createAndSubmitRequest } from '@/lib/requests/requests';
import { justified, roleSpec } from '@/lib/requests/test-fixtures';
import { inRequest } from '@/lib/testing/next-request';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

// Next's request scope needs AsyncLocalStorage on globalThis before Next loads.
vi.hoisted(() => {
  const hooks = process.getBuiltinModule('node:async_hooks');
  (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= hooks.AsyncLocalStorage;
});

/*
 * The request page's progress route and the audit log's CSV export, called as Next calls them: in
 * a request scope, with or without a signed-in session cookie.
 */

const portal = 'http://localhost:3000';
const authSecret = 'progress-routes-secret-'.padEnd(48, 'x');
let test: TestDatabase;
let requestId = '';

beforeAll(async () => {
  process.env.ROLESMITH_MODE = 'sandbox';
  process.env.AUTH_SECRET = authSecret;
  resetEnvForTests();
  resetAuthSecretForTests();
  test = await createTestPglite();
  await seedSandboxPeopleInto(test.db);
  await seedSandboxData();
  const alice = await loadPrincipal(test.db, parseEnv({ ROLESMITH_MODE: 'sandbox' }), 'demo-alice');
  if (!alice) throw new Error('no demo-alice');
  const submitted = await createAndSubmitRequest(
    alice,
    await justified({ kind: 'create', justification: 'routes', spec: roleSpec({ name: 'ProgressRoute' }) }),
  );
  if (!submitted.ok) throw new Error(submitted.message);
  requestId = submitted.value.id;
  // A cancellation whose reason a spreadsheet would run as a formula.
  const other = await createAndSubmitRequest(
    alice,
    await justified({ kind: 'create', justification: 'routes', spec: roleSpec({ name: 'ExportRoute' }) }),
  );
  if (!other.ok) throw new Error(other.message);
  const cancelled = await cancelRequest(alice, { requestId: other.value.id, reason: '@SUM(1+1)*cmd' });
  if (!cancelled.ok) throw new Error(cancelled.message);
}, 60_000);
afterAll(async () => {
  await test.close();
});

async function headersFor(userId?: string): Promise<Headers> {
  const headers = new Headers({ host: 'localhost:3000', origin: portal, 'x-forwarded-for': '198.51.100.8' });
  if (userId) {
    const sid = await startSession(test.db, userId);
    const token = await encode({
      token: { sub: userId, signedInAt: Math.floor(Date.now() / 1000), sid },
      secret: authSecret,
      salt: 'authjs.session-token',
    });
    headers.set('cookie', `authjs.session-token=${token}`);
  }
  return headers;
}

async function get(
  handler: (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>,
  path: string,
  options: { as?: string; id?: string } = {},
): Promise<Response> {
  const headers = await headersFor(options.as);
  const request = new Request(new URL(path, portal), { headers });
  return inRequest(headers, () => handler(request, { params: Promise.resolve({ id: options.id ?? '' }) }));
}

describe('GET /api/requests/<id>/progress', () => {
  const progress = (as?: string, id = requestId) =>
    get(progressGet, `/api/requests/${id}/progress`, { ...(as ? { as } : {}), id });

  it('answers the requester, the approver and the admin, never cached', async () => {
    for (const person of ['demo-alice', 'demo-bob', 'demo-carol']) {
      const response = await progress(person);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toMatchObject({
        requestId,
        state: 'pending',
        jobs: [],
        isLive: false,
        roleHref: null,
      });
    }
  });

  it('is a 401 signed out, and a 404 for a request the caller may not see or that does not exist', async () => {
    expect((await progress()).status).toBe(401);
    const hidden = await progress('demo-dave');
    expect(hidden.status).toBe(404);
    expect(await hidden.json()).toEqual({ error: 'not_found', message: 'Request not found' });
    expect((await progress('demo-alice', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await progress('demo-alice', 'x')).status).toBe(404);
  });
});

describe('GET /api/audit/export', () => {
  it('downloads the filtered events as CSV for an admin, formulas escaped', async () => {
    const response = await get(auditExportGet, '/api/audit/export?state=cancelled', { as: 'demo-carol' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="rolesmith-audit-\d{8}-\d{4}\.csv"$/,
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    const lines = text.split('\r\n');
    expect(lines[0]).toMatch(/^event_id,time_utc,actor_id,/);
    expect(lines.filter(Boolean)).toHaveLength(2);
    expect(lines[1]).toContain(`,pending,cancelled,'@SUM(1+1)*cmd,`);
  });

  it('is refused to anyone but an admin, and answers bad filters with field errors', async () => {
    expect((await get(auditExportGet, '/api/audit/export')).status).toBe(401);
    expect((await get(auditExportGet, '/api/audit/export', { as: 'demo-bob' })).status).toBe(403);
    expect((await get(auditExportGet, '/api/audit/export', { as: 'demo-alice' })).status).toBe(403);
    const bad = await get(auditExportGet, '/api/audit/export?state=sideways', { as: 'demo-carol' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: 'invalid_input',
      fieldErrors: { state: [expect.any(String)] },
    });
  });
});
