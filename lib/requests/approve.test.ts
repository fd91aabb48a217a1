import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import { acknowledgementItems } from '@/lib/requests/assess';
import {
  approveRequest,
  rejectRequest,
  retryRequest,
  rollbackRequest,
  type PreflightCheck,
} from '@/lib/requests/approve';
import { enqueueProvisioning } from '@/lib/provisioning/jobs';
import { markFailed, markProvisioning } from '@/lib/requests/provisioning-transitions';
import {
  cancelRequest,
  createAndSubmitRequest,
  createDraft,
  getRequest,
  updateRequest,
} from '@/lib/requests/requests';
import {
  alice,
  allow,
  ben,
  bob,
  carol,
  dave,
  DEVELOPMENT,
  pat,
  policy,
  roleSpec,
  justified,
  passRoleFlagKey,
} from '@/lib/requests/test-fixtures';
import { fail, ok, type Result } from '@/lib/result';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

let test: TestDatabase;
const preflighted: string[] = [];

// The preflight reads the target account (`lib/provisioning/preflight.test.ts` covers it against the
// emulator); here it only records that it ran. Jobs are queued by the real `lib/provisioning` enqueue.
const preflight: PreflightCheck = (request) => {
  preflighted.push(request.id);
  return Promise.resolve(ok(null));
};

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.value;
}

let counter = 0;
async function submitted(requester = alice, overrides: Parameters<typeof roleSpec>[0] = {}) {
  return value(
    await createAndSubmitRequest(
      requester,
      await justified({
        kind: 'create',
        spec: roleSpec({ name: `approve-test-${++counter}`, ...overrides }),
        justification: 'x',
      }),
    ),
  );
}
const escalating = {
  inlinePolicies: [{ name: 'pass', document: policy(allow(['iam:PassRole', 'lambda:CreateFunction'])) }],
};

async function jobsFor(requestId: string): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from provisioning_jobs where request_id = ${requestId}`.execute(test.db);
  return rows[0]?.n ?? 0;
}

/** Fails the request's unfinished job, as the worker does when it records a failure. */
async function failUnfinishedJobs(requestId: string): Promise<void> {
  await sql`update provisioning_jobs set status = 'failed', finished_at = now()
    where request_id = ${requestId} and status in ('queued', 'running', 'retrying')`.execute(test.db);
}

beforeAll(async () => {
  test = await createTestPglite();
  await seedSandboxData();
});

afterAll(async () => {
  await test.close();
});

describe('approval rules', () => {
  it('approves with one approval, moves to approved and queues the job in the same transaction', async () => {
    const request = await submitted();
    const outcome = value(
      await approveRequest(
        bob,
        { requestId: request.id, specSha256: request.specSha256, comment: 'ok' },
        preflight,
      ),
    );
    expect(outcome).toMatchObject({ approvalsGiven: 1, isFinal: true, request: { state: 'approved' } });
    expect(await jobsFor(request.id)).toBe(1);
    expect(preflighted).toContain(request.id);
    const detail = value(await getRequest(alice, request.id));
    expect(detail.approvals).toMatchObject([
      { approverId: 'bob', specSha256: request.specSha256, requestVersion: 1, comment: 'ok', voided: false },
    ]);
    expect(detail.events.at(-1)).toMatchObject({
      from: 'pending',
      to: 'approved',
      actorId: 'bob',
      reason: 'ok',
    });
  });

  it('never lets anyone approve their own request, admins included', async () => {
    for (const requester of [bob, carol]) {
      const request = await submitted(requester);
      const result = await approveRequest(
        requester,
        { requestId: request.id, specSha256: request.specSha256 },
        preflight,
      );
      expect(result).toMatchObject({
        ok: false,
        code: 'forbidden',
        message: expect.stringContaining('your own request') as string,
      });
      expect(value(await getRequest(requester, request.id)).approvals).toEqual([]);
    }
  });

  it('refuses approvers of other accounts and requesters without the approver role', async () => {
    const request = await submitted();
    expect(
      await approveRequest(pat, { requestId: request.id, specSha256: request.specSha256 }, preflight),
    ).toMatchObject({ ok: false, code: 'not_found' });
    expect(
      await approveRequest(dave, { requestId: request.id, specSha256: request.specSha256 }, preflight),
    ).toMatchObject({ ok: false, code: 'not_found' });
    const dev = await submitted(alice, { accountId: DEVELOPMENT });
    expect(
      value(await approveRequest(pat, { requestId: dev.id, specSha256: dev.specSha256 }, preflight)).isFinal,
    ).toBe(true);
  });

  it('keeps a two-approval request pending after the first, counts each approver once, approves on the second', async () => {
    const request = await submitted(alice, escalating);
    expect(request.approvalsRequired).toBe(2);
    const input = {
      requestId: request.id,
      specSha256: request.specSha256,
      acknowledged: [passRoleFlagKey],
    };
    expect(value(await approveRequest(bob, input, preflight))).toMatchObject({
      approvalsGiven: 1,
      isFinal: false,
      request: { state: 'pending' },
    });
    expect(await approveRequest(bob, input, preflight)).toMatchObject({
      ok: false,
      code: 'conflict',
      message: expect.stringContaining('already approved') as string,
    });
    expect(await jobsFor(request.id)).toBe(0);
    // The first approval is not a transition, but the audit trail records it (once: the refused
    // second attempt by the same approver adds nothing).
    const afterFirst = value(await getRequest(alice, request.id)).events;
    expect(afterFirst.filter((event) => event.reason?.startsWith('approval '))).toEqual([
      expect.objectContaining({
        actorId: bob.id,
        from: 'pending',
        to: 'pending',
        reason: 'approval 1 of 2',
        requestVersion: request.version,
        specSha256: request.specSha256,
      }),
    ]);
    expect(value(await approveRequest(ben, input, preflight))).toMatchObject({
      approvalsGiven: 2,
      isFinal: true,
      request: { state: 'approved' },
    });
    expect(await jobsFor(request.id)).toBe(1);
    expect(await approveRequest(carol, input, preflight)).toMatchObject({ ok: false, code: 'conflict' });
  });

  describe('acknowledgements: exactly the keys of the security warnings and critical or high risk flags', () => {
    // A role with the two-approval privilege escalation (one flag, keyed by code and policy) and a
    // security warning of the validator (Allow with NotResource).
    const flagged = {
      inlinePolicies: [
        ...escalating.inlinePolicies,
        {
          name: 'all-but-secrets',
          document: policy({
            Effect: 'Allow',
            Action: 's3:GetObject',
            NotResource: 'arn:aws:s3:::secrets/*',
          }),
        },
      ],
    };
    const cases: {
      name: string;
      acknowledged: (keys: string[]) => unknown;
      ok: boolean;
      errors?: (items: { title: string; where: string }[]) => string[];
    }[] = [
      { name: 'every key, as a list', acknowledged: (keys) => keys, ok: true },
      { name: 'every key, in another order', acknowledged: (keys) => [...keys].reverse(), ok: true },
      { name: 'every key, one given twice', acknowledged: (keys) => [...keys, keys[0]], ok: true },
      {
        name: 'nothing',
        acknowledged: () => undefined,
        ok: false,
        errors: (items) => items.map((item) => `Acknowledge ${item.title} (${item.where})`),
      },
      {
        name: 'the first key only, as one string (a form with one checkbox ticked)',
        acknowledged: (keys) => keys[0],
        ok: false,
        errors: (items) => items.slice(1).map((item) => `Acknowledge ${item.title} (${item.where})`),
      },
      {
        name: 'the keys joined with commas (never split: a key may contain one)',
        acknowledged: (keys) => keys.join(','),
        ok: false,
        errors: (items) => [
          ...items.map((item) => `Acknowledge ${item.title} (${item.where})`),
          'One acknowledgement does not match this version of the request; reload it and review what it asks for now',
        ],
      },
      {
        name: 'codes alone, as before keys existed',
        acknowledged: () => ['privesc_passrole_compute', 'allow_with_not_resource'],
        ok: false,
        errors: (items) => [
          ...items.map((item) => `Acknowledge ${item.title} (${item.where})`),
          '2 acknowledgements do not match this version of the request; reload it and review what it asks for now',
        ],
      },
      {
        name: 'every key and one this version does not have (a stale page)',
        acknowledged: (keys) => [...keys, 'full_admin@inlinePolicies.0.document'],
        ok: false,
        errors: () => [
          'One acknowledgement does not match this version of the request; reload it and review what it asks for now',
        ],
      },
    ];
    it.each(cases)('$name', async ({ acknowledged, ok: approves, errors }) => {
      const request = await submitted(alice, flagged);
      const items = acknowledgementItems(request);
      expect(new Set(items.map((item) => item.kind))).toEqual(new Set(['finding', 'risk']));
      expect(items.map((item) => item.key)).toContain(passRoleFlagKey);
      const keys = items.map((item) => item.key);
      const given = acknowledged(keys);
      const result = await approveRequest(
        bob,
        {
          requestId: request.id,
          specSha256: request.specSha256,
          ...(given === undefined ? {} : { acknowledged: given }),
        },
        preflight,
      );
      if (approves) {
        expect(value(result).approvalsGiven).toBe(1);
        const detail = value(await getRequest(alice, request.id));
        expect([...(detail.approvals[0]?.acknowledged ?? [])].sort()).toEqual([...new Set(keys)].sort());
      } else {
        expect(result).toMatchObject({
          ok: false,
          code: 'invalid_input',
          fieldErrors: { acknowledged: errors?.(items) },
        });
        expect(value(await getRequest(alice, request.id)).approvals).toEqual([]);
      }
    });

    it('names what is missing in words: the title and where it stands', async () => {
      const request = await submitted(alice, escalating);
      const result = await approveRequest(
        bob,
        { requestId: request.id, specSha256: request.specSha256, acknowledged: [] },
        preflight,
      );
      expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
      const [message] = (!result.ok && result.fieldErrors?.acknowledged) || [];
      expect(message).toMatch(/^Acknowledge .+ \(inline policy pass, statement 1\)$/);
    });

    it('asks nothing of a request without warnings, and refuses any key given for it', async () => {
      const request = await submitted();
      expect(acknowledgementItems(request)).toEqual([]);
      const refused = await approveRequest(
        bob,
        { requestId: request.id, specSha256: request.specSha256, acknowledged: [passRoleFlagKey] },
        preflight,
      );
      expect(refused).toMatchObject({ ok: false, code: 'invalid_input' });
      expect(
        value(
          await approveRequest(
            bob,
            { requestId: request.id, specSha256: request.specSha256, acknowledged: [''] },
            preflight,
          ),
        ).isFinal,
      ).toBe(true);
    });
  });

  it('binds an approval to the SHA-256 of the spec the approver saw', async () => {
    const request = await submitted();
    const result = await approveRequest(
      bob,
      { requestId: request.id, specSha256: 'a'.repeat(64) },
      preflight,
    );
    expect(result).toMatchObject({
      ok: false,
      code: 'conflict',
      message: expect.stringContaining('changed since you loaded it') as string,
    });
    expect(value(await getRequest(alice, request.id)).request.state).toBe('pending');
  });

  it('refuses a stale version: an edit that keeps the spec (justification only) still changes what was loaded', async () => {
    const request = await submitted();
    const edited = value(
      await updateRequest(alice, {
        requestId: request.id,
        expectedVersion: 1,
        justification: 'Now also for the production incident',
      }),
    );
    expect(edited).toMatchObject({ version: 2, specSha256: request.specSha256 });
    const stale = await approveRequest(
      bob,
      { requestId: request.id, specSha256: request.specSha256, expectedVersion: 1 },
      preflight,
    );
    expect(stale).toMatchObject({
      ok: false,
      code: 'conflict',
      message: expect.stringContaining('changed since you loaded it') as string,
    });
    expect(await jobsFor(request.id)).toBe(0);
    expect(value(await getRequest(alice, request.id)).approvals).toHaveLength(0);
    const current = await approveRequest(
      bob,
      { requestId: request.id, specSha256: request.specSha256, expectedVersion: '2' },
      preflight,
    );
    expect(value(current)).toMatchObject({ isFinal: true, request: { state: 'approved', version: 2 } });
  });

  it('does not count approvals an edit voided: a two-approval request needs two approvals of the new version', async () => {
    const request = await submitted(alice, escalating);
    const acknowledged = [passRoleFlagKey];
    value(
      await approveRequest(
        bob,
        { requestId: request.id, specSha256: request.specSha256, acknowledged },
        preflight,
      ),
    );
    const edited = value(
      await updateRequest(alice, {
        requestId: request.id,
        expectedVersion: 1,
        spec: roleSpec({ name: request.roleName, description: 'edited', ...escalating }),
      }),
    );
    const input = { requestId: request.id, specSha256: edited.specSha256, acknowledged };
    expect(value(await approveRequest(ben, input, preflight))).toMatchObject({
      approvalsGiven: 1,
      isFinal: false,
      request: { state: 'pending' },
    });
    expect(await jobsFor(request.id)).toBe(0);
    expect(value(await approveRequest(bob, input, preflight))).toMatchObject({
      approvalsGiven: 2,
      isFinal: true,
      request: { state: 'approved' },
    });
  });

  it('refuses with the preflight reason and records nothing', async () => {
    const request = await submitted();
    const refusing: PreflightCheck = () =>
      Promise.resolve(fail('conflict', 'A role named x already exists in account 444455556666'));
    const result = await approveRequest(
      bob,
      { requestId: request.id, specSha256: request.specSha256 },
      refusing,
    );
    expect(result).toEqual({
      ok: false,
      code: 'conflict',
      message: 'A role named x already exists in account 444455556666',
    });
    const detail = value(await getRequest(alice, request.id));
    expect(detail.approvals).toEqual([]);
    expect(detail.request.state).toBe('pending');
  });

  it('rolls the approval back when the job cannot be queued', async () => {
    const request = await submitted();
    // The real enqueue fails: the jobs table refuses the insert.
    await sql`create function refuse_job() returns trigger language plpgsql as $$
      begin raise exception 'queue down'; end $$`.execute(test.db);
    await sql`create trigger refuse_job before insert on provisioning_jobs
      for each row execute function refuse_job()`.execute(test.db);
    try {
      await expect(
        approveRequest(bob, { requestId: request.id, specSha256: request.specSha256 }, preflight),
      ).rejects.toThrow('queue down');
    } finally {
      await sql`drop trigger refuse_job on provisioning_jobs`.execute(test.db);
      await sql`drop function refuse_job()`.execute(test.db);
    }
    expect(await jobsFor(request.id)).toBe(0);
    const detail = value(await getRequest(alice, request.id));
    expect(detail.request.state).toBe('pending');
    expect(detail.approvals).toEqual([]);
    expect(detail.events.map((event) => event.to)).toEqual(['draft', 'pending']);
  });
});

describe('rejection', () => {
  it('needs a reason, an approver for the account, and someone other than the requester', async () => {
    const request = await submitted(bob);
    expect(await rejectRequest(ben, { requestId: request.id, comment: '' })).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
    expect(await rejectRequest(bob, { requestId: request.id, comment: 'no' })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    const rejected = value(
      await rejectRequest(ben, { requestId: request.id, comment: 'Use the shared reader role' }),
    );
    expect(rejected.state).toBe('rejected');
    expect(value(await getRequest(bob, request.id)).events.at(-1)).toMatchObject({
      to: 'rejected',
      actorId: 'ben',
      reason: 'Use the shared reader role',
    });
    expect(await rejectRequest(ben, { requestId: request.id, comment: 'again' })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
  });
});

describe('failure and retry', () => {
  it('records the AWS error, and an approver retries: failed → provisioning with a new job', async () => {
    const request = await submitted();
    value(await approveRequest(bob, { requestId: request.id, specSha256: request.specSha256 }, preflight));
    const failed = await test.db.transaction().execute(async (tx) => {
      value(await markProvisioning(tx, request.id));
      return markFailed(tx, request.id, {
        code: 'MalformedPolicyDocument',
        message: 'Policy document should not specify a principal.',
      });
    });
    await failUnfinishedJobs(request.id);
    expect(value(failed)).toMatchObject({ state: 'failed', failure: { code: 'MalformedPolicyDocument' } });
    expect(await retryRequest(alice, { requestId: request.id })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    const retried = value(await retryRequest(bob, { requestId: request.id }));
    expect(retried).toMatchObject({ state: 'provisioning', failure: null });
    expect(await jobsFor(request.id)).toBe(2);
    expect(await retryRequest(bob, { requestId: request.id })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    const trail = value(await getRequest(alice, request.id)).events.map(
      (event) => `${event.from ?? ''}>${event.to}`,
    );
    expect(trail).toEqual([
      '>draft',
      'draft>pending',
      'pending>approved',
      'approved>provisioning',
      'provisioning>failed',
      'failed>provisioning',
    ]);
  });

  it('lets a failed request be cancelled once no rollback or retry runs, freeing its role name', async () => {
    const request = await submitted();
    value(await approveRequest(bob, { requestId: request.id, specSha256: request.specSha256 }, preflight));
    await test.db.transaction().execute(async (tx) => {
      value(await markProvisioning(tx, request.id));
      value(
        await markFailed(tx, request.id, {
          code: 'LimitExceeded',
          message: 'Cannot exceed quota for RolesPerAccount: 1000',
        }),
      );
    });
    await failUnfinishedJobs(request.id);
    expect(
      await createDraft(dave, {
        kind: 'create',
        spec: roleSpec({ name: request.roleName }),
        justification: 'x',
      }),
    ).toMatchObject({ ok: false, code: 'conflict' });
    const rollback = await test.db
      .transaction()
      .execute((tx) => enqueueProvisioning(tx, request.id, 'rollback'));
    expect(await cancelRequest(bob, { requestId: request.id })).toMatchObject({
      ok: false,
      code: 'conflict',
      message: expect.stringContaining('rollback') as string,
    });
    await test.db
      .updateTable('provisioning_jobs')
      .set({ status: 'succeeded', finished_at: new Date() })
      .where('id', '=', rollback.jobId)
      .execute();
    expect(await cancelRequest(dave, { requestId: request.id })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(
      value(await cancelRequest(bob, { requestId: request.id, reason: 'rolled back; quota raised later' }))
        .state,
    ).toBe('cancelled');
    expect(
      (
        await createDraft(dave, {
          kind: 'create',
          spec: roleSpec({ name: request.roleName }),
          justification: 'x',
        })
      ).ok,
    ).toBe(true);
  });
});

// A decision's words are the approver's or requester's text: what PostgreSQL cannot store (NUL)
// or what is too long is a message beside the field, and the request stays as it was.
describe('decision comments', () => {
  it('a NUL character in a comment or reason is a field error, and the request is unchanged', async () => {
    const request = await submitted();
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
      expect(await decide()).toMatchObject({
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
