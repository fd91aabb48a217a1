import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import { approveRequest, rejectRequest, type PreflightCheck } from '@/lib/requests/approve';
import { getGuardrails, updateGuardrails } from '@/lib/requests/guardrails-store';
import type { RoleRequest } from '@/lib/requests/model';
import {
  listApprovalQueue,
  listMyRequests,
  type ApprovalQueuePage,
  type MyRequestsPage,
} from '@/lib/requests/request-lists';
import { cancelRequest, createAndSubmitRequest, createDraft } from '@/lib/requests/requests';
import { getNavigationBadges, markRequestSeen } from '@/lib/requests/seen';
import {
  alice,
  allow,
  bob,
  carol,
  dave,
  DEVELOPMENT,
  justified,
  pat,
  policy,
  PRODUCTION,
  roleSpec,
} from '@/lib/requests/test-fixtures';
import { ok, type Result } from '@/lib/result';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

let test: TestDatabase;
const preflight: PreflightCheck = () => Promise.resolve(ok(null));

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.value;
}

let counter = 0;
async function submit(
  requester = alice,
  overrides: Parameters<typeof roleSpec>[0] = {},
  kind: 'create' = 'create',
): Promise<RoleRequest> {
  return value(
    await createAndSubmitRequest(
      requester,
      await justified({
        kind,
        spec: roleSpec({ name: `list-${++counter}`, ...overrides }),
        justification: 'x',
      }),
    ),
  );
}

/** Gives every listed request the same creation time (to the microsecond), as a busy minute might. */
async function sameCreatedAt(ids: string[], at: string): Promise<void> {
  await sql`update requests set created_at = ${at}::timestamptz where id = any(${ids}::uuid[])`.execute(
    test.db,
  );
}

const escalating = {
  inlinePolicies: [{ name: 'pass', document: policy(allow(['iam:PassRole', 'lambda:CreateFunction'])) }],
};

const mine: RoleRequest[] = [];
const others: RoleRequest[] = [];
let risky: RoleRequest;
let devRequest: RoleRequest;
let carolsOwn: RoleRequest;

beforeAll(async () => {
  test = await createTestPglite();
  await seedSandboxData();
  // Alice: seven pending requests, five of them created in the same microsecond.
  for (let n = 0; n < 7; n += 1) mine.push(await submit(alice));
  await sameCreatedAt(
    mine.slice(1, 6).map((request) => request.id),
    '2026-12-01T10:00:00.123456Z',
  );
  await sql`update requests set created_at = '2026-11-01T09:00:00Z' where id = ${mine[0]!.id}::uuid`.execute(
    test.db,
  );
  await sql`update requests set created_at = '2026-12-02T09:00:00Z' where id = ${mine[6]!.id}::uuid`.execute(
    test.db,
  );
  // Dave: one in production with a privilege-escalation flag, one in development, a draft.
  risky = await submit(dave, escalating);
  devRequest = await submit(dave, { accountId: DEVELOPMENT });
  others.push(risky, devRequest);
  value(
    await createDraft(dave, { kind: 'create', spec: roleSpec({ name: 'list-draft' }), justification: 'x' }),
  );
  // Carol, an admin, asks for a role too.
  carolsOwn = await submit(carol);
});

afterAll(async () => {
  await test.close();
});

async function myPages(query: Record<string, string | number>, who = alice): Promise<MyRequestsPage[]> {
  const pages: MyRequestsPage[] = [];
  let after: string | null = null;
  do {
    const page: MyRequestsPage = value(await listMyRequests(who, { ...query, ...(after ? { after } : {}) }));
    pages.push(page);
    after = page.nextAfter;
  } while (after !== null && pages.length < 50);
  return pages;
}

async function queuePages(
  who: typeof bob,
  query: Record<string, string | number>,
): Promise<ApprovalQueuePage[]> {
  const pages: ApprovalQueuePage[] = [];
  let after: string | null = null;
  do {
    const page: ApprovalQueuePage = value(
      await listApprovalQueue(who, { ...query, ...(after ? { after } : {}) }),
    );
    pages.push(page);
    after = page.nextAfter;
  } while (after !== null && pages.length < 50);
  return pages;
}

describe('my requests', () => {
  it('lists only the principal’s own requests, newest first, with account and last event', async () => {
    const { items, nextAfter } = value(await listMyRequests(alice));
    expect(nextAfter).toBeNull();
    expect(items.map((item) => item.id).sort()).toEqual(mine.map((request) => request.id).sort());
    expect(items[0]?.id).toBe(mine[6]?.id);
    expect(items.at(-1)?.id).toBe(mine[0]?.id);
    expect(items[0]).toMatchObject({
      kind: 'create',
      state: 'pending',
      accountId: PRODUCTION,
      accountAlias: 'acme-production',
      lastEvent: { from: 'draft', to: 'pending', actorId: 'alice', reason: 'submitted' },
      hasUnseenChange: false,
    });
    const daves = value(await listMyRequests(dave)).items;
    expect(daves.every((item) => !mine.some((request) => request.id === item.id))).toBe(true);
    expect(daves.map((item) => item.state)).toContain('draft');
  });

  it('chains keyset pages without gaps or repeats when creation times are equal', async () => {
    const whole = value(await listMyRequests(alice)).items.map((item) => item.id);
    for (const pageSize of [1, 2, 3]) {
      const pages = await myPages({ pageSize });
      const chained = pages.flatMap((page) => page.items.map((item) => item.id));
      expect(chained, `pages of ${pageSize}`).toEqual(whole);
      expect(pages.at(-1)?.nextAfter).toBeNull();
    }
  });

  it('filters by state, kind and account', async () => {
    value(await cancelRequest(alice, { requestId: mine[3]!.id }));
    expect(value(await listMyRequests(alice, { state: 'cancelled' })).items.map((item) => item.id)).toEqual([
      mine[3]!.id,
    ]);
    expect(value(await listMyRequests(alice, { kind: 'delete' })).items).toEqual([]);
    expect(value(await listMyRequests(alice, { account: DEVELOPMENT })).items).toEqual([]);
    expect(value(await listMyRequests(dave, { account: DEVELOPMENT })).items.map((item) => item.id)).toEqual([
      devRequest.id,
    ]);
    // Empty parameters are no filter, as a submitted form sends them.
    expect(value(await listMyRequests(alice, { state: '', kind: '', account: '' })).items).toHaveLength(7);
  });

  it('answers bad filters and cursors it did not write with a field error each', async () => {
    expect(await listMyRequests(alice, { state: 'lost', kind: 'rename', account: '12' })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: {
        state: ['Choose a state from the list'],
        kind: ['Choose create, change or delete'],
        account: [expect.any(String)],
      },
    });
    const forged = Buffer.from(JSON.stringify(["2026-12-01'; drop table requests", 'x'])).toString(
      'base64url',
    );
    expect(await listMyRequests(alice, { pageSize: '500' })).toMatchObject({
      ok: false,
      fieldErrors: { pageSize: ['Show between 1 and 100 requests a page'] },
    });
    for (const after of ['not-a-cursor', forged, 'x'.repeat(600)]) {
      expect(await listMyRequests(alice, { after })).toMatchObject({
        ok: false,
        code: 'invalid_input',
        fieldErrors: { after: [expect.stringContaining('not a page of this list')] },
      });
    }
  });
});

describe('the approvals queue', () => {
  it('is for approvers and admins only', async () => {
    for (const who of [alice, dave])
      expect(await listApprovalQueue(who)).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('lists pending requests oldest first, with requester, risk and approvals given and needed', async () => {
    const { items } = value(await listApprovalQueue(bob, { pageSize: 100 }));
    const ids = items.map((item) => item.id);
    expect(ids).toEqual(expect.arrayContaining([risky.id, devRequest.id, carolsOwn.id, mine[0]!.id]));
    expect(ids).not.toContain(mine[3]!.id); // cancelled
    const created = items.map((item) => item.cursorAt);
    expect(created).toEqual([...created].sort());
    expect(items.find((item) => item.id === risky.id)).toMatchObject({
      requester: { id: 'dave', name: 'Dave' },
      approvalsGiven: 0,
      approvalsRequired: risky.approvalsRequired,
      isOwn: false,
    });
    expect(items.find((item) => item.id === risky.id)?.maxRisk).toBeGreaterThanOrEqual(3);
    expect(items.find((item) => item.id === devRequest.id)?.maxRisk).toBe(0);
  });

  it('marks the approver’s own requests as theirs', async () => {
    const { items } = value(await listApprovalQueue(carol, { pageSize: 100 }));
    expect(items.find((item) => item.id === carolsOwn.id)).toMatchObject({ isOwn: true });
    expect(items.filter((item) => item.isOwn).map((item) => item.id)).toEqual([carolsOwn.id]);
  });

  it('never shows a scoped approver another account’s request, whatever the filters say', async () => {
    const all = (await queuePages(pat, { pageSize: 2 })).flatMap((page) => page.items);
    expect(all.map((item) => item.id)).toEqual([devRequest.id]);
    expect(value(await listApprovalQueue(pat, { account: PRODUCTION })).items).toEqual([]);
    expect(value(await listApprovalQueue(pat, { requester: 'alice' })).items).toEqual([]);
  });

  it('filters by account, kind, minimum risk, requester and age', async () => {
    const ids = async (query: Record<string, string>) =>
      value(await listApprovalQueue(bob, { ...query, pageSize: 100 })).items.map((item) => item.id);
    expect(await ids({ account: DEVELOPMENT })).toEqual([devRequest.id]);
    expect(await ids({ kind: 'delete' })).toEqual([]);
    expect(await ids({ risk: 'high' })).toEqual([risky.id]);
    expect(await ids({ requester: 'DAVE@acme' })).toEqual(expect.arrayContaining([risky.id, devRequest.id]));
    expect(await ids({ requester: 'dave' })).toHaveLength(2);
    expect(await ids({ requester: '%' })).toEqual([]);
    // Only Alice's first request (created 2026-11-01) waited more than a week on 2026-12-05.
    const old = value(await listApprovalQueue(bob, { age: '1w' }, new Date('2026-12-05T00:00:00Z')));
    expect(old.items.map((item) => item.id)).toEqual([mine[0]!.id]);
  });

  it('chains keyset pages in every order, without gaps or repeats under equal creation times', async () => {
    const whole = value(await listApprovalQueue(bob, { pageSize: 100 })).items;
    for (const order of ['oldest', 'newest', 'risk'] as const) {
      const one = value(await listApprovalQueue(bob, { order, pageSize: 100 })).items.map((item) => item.id);
      expect(one.sort()).toEqual(whole.map((item) => item.id).sort());
      const chained = (await queuePages(bob, { order, pageSize: 2 })).flatMap((page) =>
        page.items.map((item) => item.id),
      );
      expect(chained, order).toEqual(
        value(await listApprovalQueue(bob, { order, pageSize: 100 })).items.map((item) => item.id),
      );
    }
    const byRisk = value(await listApprovalQueue(bob, { order: 'risk', pageSize: 100 })).items;
    expect(byRisk[0]?.id).toBe(risky.id);
    const newest = value(await listApprovalQueue(bob, { order: 'newest', pageSize: 100 })).items;
    expect(newest.map((item) => item.id)).toEqual(whole.map((item) => item.id).reverse());
  });

  it('answers bad filters, and a cursor of another order, with field errors', async () => {
    expect(
      await listApprovalQueue(bob, {
        risk: 'extreme',
        age: '1y',
        order: 'random',
        requester: 'x'.repeat(300),
      }),
    ).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: {
        risk: ['Choose a risk level from the list'],
        age: ['Choose an age from the list'],
        order: ['Choose oldest, newest or risk'],
        requester: ['At most 256 characters'],
      },
    });
    const byCreation = value(await listApprovalQueue(bob, { pageSize: 1 })).nextAfter;
    expect(byCreation).not.toBeNull();
    expect(await listApprovalQueue(bob, { order: 'risk', after: byCreation ?? '' })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { after: [expect.stringContaining('not a page of this list')] },
    });
  });
});

describe('navigation badges', () => {
  it('counts approvals waiting for the approver: not their own, not yet approved by them, in their accounts', async () => {
    const pending = value(await listApprovalQueue(carol, { pageSize: 100 })).items;
    expect(await getNavigationBadges(carol)).toMatchObject({ approvalsWaiting: pending.length - 1 });
    expect(await getNavigationBadges(pat)).toMatchObject({ approvalsWaiting: 1 });
    expect(await getNavigationBadges(alice)).toMatchObject({ approvalsWaiting: null });

    // With two approvals needed, Bob's first approval takes the request off his count only.
    const stored = await getGuardrails();
    value(
      await updateGuardrails(carol, {
        guardrails: { ...stored.guardrails, approvals: { ...stored.guardrails.approvals, default: 2 } },
        expectedVersion: stored.version,
      }),
    );
    const twoNeeded = await submit(dave);
    const restored = await getGuardrails();
    value(
      await updateGuardrails(carol, {
        guardrails: { ...restored.guardrails, approvals: stored.guardrails.approvals },
        expectedVersion: restored.version,
      }),
    );
    expect(twoNeeded.approvalsRequired).toBe(2);
    const bobBefore = (await getNavigationBadges(bob)).approvalsWaiting ?? 0;
    const carolBefore = (await getNavigationBadges(carol)).approvalsWaiting ?? 0;
    value(
      await approveRequest(
        bob,
        { requestId: twoNeeded.id, specSha256: twoNeeded.specSha256, comment: 'first' },
        preflight,
      ),
    );
    expect((await getNavigationBadges(bob)).approvalsWaiting).toBe(bobBefore - 1);
    expect((await getNavigationBadges(carol)).approvalsWaiting).toBe(carolBefore);
    const row = value(await listApprovalQueue(bob, { pageSize: 100 })).items.find(
      (item) => item.id === twoNeeded.id,
    );
    expect(row).toMatchObject({ approvalsGiven: 1, approvalsRequired: 2, isApprovedByViewer: true });
  });

  it('counts the requester’s requests whose state someone else changed, until they open them', async () => {
    expect((await getNavigationBadges(alice)).requestsChanged).toBe(0);
    // Alice's own moves (submitting, cancelling) do not count.
    value(await cancelRequest(alice, { requestId: mine[4]!.id }));
    expect((await getNavigationBadges(alice)).requestsChanged).toBe(0);
    value(await rejectRequest(bob, { requestId: mine[5]!.id, comment: 'Use the shared role' }));
    value(await approveRequest(bob, { requestId: mine[2]!.id, specSha256: mine[2]!.specSha256 }, preflight));
    expect((await getNavigationBadges(alice)).requestsChanged).toBe(2);
    expect((await getNavigationBadges(dave)).requestsChanged).toBe(0);
    const listed = value(await listMyRequests(alice)).items;
    expect(
      listed
        .filter((item) => item.hasUnseenChange)
        .map((item) => item.id)
        .sort(),
    ).toEqual([mine[2]!.id, mine[5]!.id].sort());
    expect(listed.find((item) => item.id === mine[5]!.id)?.lastEvent).toMatchObject({
      to: 'rejected',
      actorId: 'bob',
      reason: 'Use the shared role',
    });
    // Someone else opening the request changes nothing; Alice opening it clears it.
    // Each answers whether it cleared a change (the page then refreshes the navigation's badge).
    expect(await markRequestSeen(bob, mine[5]!.id)).toBe(false);
    expect(await markRequestSeen(alice, 'not-a-uuid')).toBe(false);
    expect((await getNavigationBadges(alice)).requestsChanged).toBe(2);
    expect(await markRequestSeen(alice, mine[5]!.id)).toBe(true);
    expect((await getNavigationBadges(alice)).requestsChanged).toBe(1);
    expect(await markRequestSeen(alice, mine[5]!.id)).toBe(false);
  });
});
