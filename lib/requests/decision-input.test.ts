import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import {
  approveRequest,
  rejectRequest,
  retryRequest,
  rollbackRequest,
  type PreflightCheck,
} from '@/lib/requests/approve';
import { cancelRequest, createAndSubmitRequest, getRequest } from '@/lib/requests/requests';
import { alice, bob, roleSpec } from '@/lib/requests/test-fixtures';
import { ok, type Result } from '@/lib/result';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

// A decision's words are the approver's or requester's text: what PostgreSQL cannot store (NUL)
// or what is too long is a message beside the field, and the request stays as it was.

let test: TestDatabase;
const preflight: PreflightCheck = () => Promise.resolve(ok(null));

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.value;
}

beforeAll(async () => {
  test = await createTestPglite();
  await seedSandboxData();
});
afterAll(async () => {
  await test.close();
});

describe('decision comments', () => {
  it('a NUL character in a comment or reason is a field error, and the request is unchanged', async () => {
    const request = value(
      await createAndSubmitRequest(alice, {
        kind: 'create',
        spec: roleSpec({ name: 'decision-input-nul' }),
        justification: 'needed',
      }),
    );
    const decisions: [string, () => Promise<Result<unknown>>][] = [
      ['comment', () => rejectRequest(bob, { requestId: request.id, comment: 'no\u0000pe' })],
      [
        'comment',
        () =>
          approveRequest(
            bob,
            {
              requestId: request.id,
              specSha256: request.specSha256,
              comment: 'fine\u0000',
              acknowledged: [],
            },
            preflight,
          ),
      ],
      ['reason', () => cancelRequest(alice, { requestId: request.id, reason: 'changed my mind\u0000' })],
      ['comment', () => retryRequest(bob, { requestId: request.id, comment: 'again\u0000' })],
      ['comment', () => rollbackRequest(bob, { requestId: request.id, comment: 'undo\u0000' })],
    ];
    for (const [field, decide] of decisions) {
      const result = await decide();
      expect(result).toMatchObject({
        ok: false,
        code: 'invalid_input',
        fieldErrors: { [field]: [expect.stringContaining('NUL')] },
      });
    }
    const after = value(await getRequest(alice, request.id));
    expect(after.request).toMatchObject({ state: 'pending', version: request.version });
    expect(after.approvals).toEqual([]);
  });

  it('a retry’s or rollback’s comment that is too long says so beside the comment', async () => {
    const requestId = '0b5e1c9a-4f8d-4c1e-9d3a-6f2b8e7a1c40';
    for (const decide of [retryRequest, rollbackRequest]) {
      expect(await decide(bob, { requestId, comment: 'x'.repeat(2001) })).toMatchObject({
        ok: false,
        code: 'invalid_input',
        fieldErrors: { comment: ['Comment must be at most 2000 characters'] },
      });
    }
  });
});
