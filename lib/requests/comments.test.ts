import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import { approveRequest, rejectRequest, type PreflightCheck } from '@/lib/requests/approve';
import { addRequestComment, listRequestComments } from '@/lib/requests/comments';
import { createAndSubmitRequest, createDraft } from '@/lib/requests/requests';
import { getRequestTimeline, mergeTimeline } from '@/lib/requests/timeline';
import { alice, bob, carol, dave, DEVELOPMENT, pat, roleSpec } from '@/lib/requests/test-fixtures';
import { ok, type Result } from '@/lib/result';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

let test: TestDatabase;
const preflight: PreflightCheck = () => Promise.resolve(ok(null));
let counter = 0;

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.value;
}

async function submitted() {
  counter += 1;
  return value(
    await createAndSubmitRequest(alice, {
      kind: 'create',
      spec: roleSpec({ name: `commented-${counter}` }),
      justification: 'needed',
    }),
  );
}

beforeAll(async () => {
  test = await createTestPglite();
  await seedSandboxData();
});
afterAll(async () => {
  await test.close();
});

describe('request comments', () => {
  it('the requester and an approver of the account both comment; the timeline merges them with the events in time order', async () => {
    const request = await submitted();
    value(await addRequestComment(bob, { requestId: request.id, body: 'Why does it need S3?' }));
    value(await addRequestComment(alice, { requestId: request.id, body: '  To read the logs.  ' }));
    value(await rejectRequest(bob, { requestId: request.id, comment: 'Narrow it to one bucket' }));
    // A rejected request still takes comments: the conversation about the rejection belongs beside it.
    value(await addRequestComment(alice, { requestId: request.id, body: 'Will do.' }));

    const comments = value(await listRequestComments(carol, request.id));
    expect(comments.map((comment) => [comment.authorName, comment.body])).toEqual([
      ['Bob', 'Why does it need S3?'],
      ['Alice', 'To read the logs.'],
      ['Alice', 'Will do.'],
    ]);
    const timeline = value(await getRequestTimeline(alice, request.id));
    expect(
      timeline.map((entry) => (entry.kind === 'event' ? `${entry.from}→${entry.to}` : entry.body)),
    ).toEqual([
      'null→draft',
      'draft→pending',
      'Why does it need S3?',
      'To read the logs.',
      'pending→rejected',
      'Will do.',
    ]);
    const rejection = timeline.find((entry) => entry.kind === 'event' && entry.to === 'rejected');
    expect(rejection).toMatchObject({ actorId: 'bob', reason: 'Narrow it to one bucket' });
  });

  it('refuses whoever may not see the request, an empty or too long comment, and a draft', async () => {
    const request = await submitted();
    expect(await addRequestComment(dave, { requestId: request.id, body: 'hi' })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    // Pat approves for the development account only; the request is for production.
    expect(await addRequestComment(pat, { requestId: request.id, body: 'hi' })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await listRequestComments(dave, request.id)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await getRequestTimeline(dave, request.id)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await addRequestComment(alice, { requestId: request.id, body: '   ' })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { body: ['Write a comment'] },
    });
    expect(await addRequestComment(alice, { requestId: request.id, body: 'x'.repeat(2001) })).toMatchObject({
      ok: false,
      fieldErrors: { body: ['Comment must be at most 2000 characters'] },
    });
    const draft = value(
      await createDraft(alice, {
        kind: 'create',
        spec: roleSpec({ name: `draft-${++counter}`, accountId: DEVELOPMENT }),
        justification: 'needed',
      }),
    );
    expect(await addRequestComment(alice, { requestId: draft.id, body: 'note' })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    expect(await listRequestComments(alice, request.id)).toEqual(ok([]));
  });

  it('names Rolesmith for the system and keeps comments once posted (the database refuses changes)', async () => {
    const request = await submitted();
    value(await approveRequest(bob, { requestId: request.id, specSha256: request.specSha256 }, preflight));
    const comment = value(await addRequestComment(alice, { requestId: request.id, body: 'Thanks' }));
    await expect(
      sql`update request_comments set body = 'changed' where id = ${comment.id}`.execute(test.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from request_comments where id = ${comment.id}`.execute(test.db)).rejects.toThrow(
      /append-only/,
    );
    const at = new Date('2026-12-08T10:00:00Z');
    const merged = mergeTimeline(
      [
        {
          id: '1',
          actorId: 'system:provisioner',
          at,
          from: 'approved',
          to: 'provisioning',
          reason: null,
          requestVersion: 1,
          specSha256: 'x',
        },
      ],
      [{ ...comment, at }],
      new Map(),
    );
    expect(merged.map((entry) => [entry.kind, entry.actorName])).toEqual([
      ['event', 'Rolesmith'],
      ['comment', 'Alice'],
    ]);
  });
});
