import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import { hashRoleSpec } from '@/lib/iam/spec-hash';
import { roleSpecSchema } from '@/lib/iam/role-spec';
import { approveRequest, type PreflightCheck } from '@/lib/requests/approve';
import { listAuditLog } from '@/lib/requests/audit-log';
import { updateGuardrails, getGuardrails } from '@/lib/requests/guardrails-store';
import { markProvisioned, markProvisioning } from '@/lib/requests/provisioning-transitions';
import { getRoleSummary, listRoleSummaries } from '@/lib/requests/roles';
import { OPEN_STATES, REQUEST_STATES } from '@/lib/requests/state-machine';
import {
  cancelRequest,
  createAndSubmitRequest,
  createDraft,
  getRequest,
  listRequests,
  submitRequest,
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
  principal,
  PRODUCTION,
  roleSpec,
  justified,
  passRoleFlagKey,
} from '@/lib/requests/test-fixtures';
import { ok, type Result } from '@/lib/result';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

let test: TestDatabase;

/** The target account is not read here (the preflight's own tests do); jobs are queued for real. */
const preflight: PreflightCheck = () => Promise.resolve(ok(null));

function value<T>(result: Result<T>): T {
  if (!result.ok)
    throw new Error(
      `expected ok, got ${result.code}: ${result.message} ${JSON.stringify(result.fieldErrors ?? {})}`,
    );
  return result.value;
}

let roleCounter = 0;
const uniqueName = (base = 'app-role') => `${base}-${++roleCounter}`;

/** Takes a role all the way to provisioned, as the workflow and the worker would. */
async function provisionRole(name: string) {
  const request = value(
    await createAndSubmitRequest(alice, {
      kind: 'create',
      spec: roleSpec({ name }),
      justification: 'needed',
    }),
  );
  value(await approveRequest(bob, { requestId: request.id, specSha256: request.specSha256 }, preflight));
  await test.db.transaction().execute(async (tx) => {
    value(await markProvisioning(tx, request.id));
    value(await markProvisioned(tx, request.id));
  });
  return request;
}

beforeAll(async () => {
  test = await createTestPglite();
  await seedSandboxData();
});

afterAll(async () => {
  await test.close();
});

describe('sandbox seed', () => {
  it('is idempotent and keeps admin edits', async () => {
    const before = await getGuardrails();
    value(
      await updateGuardrails(carol, {
        guardrails: { ...before.guardrails, roleNamePrefix: '' },
        expectedVersion: before.version,
      }),
    );
    await seedSandboxData();
    const accounts = await test.db.selectFrom('target_accounts').select('id').orderBy('id').execute();
    expect(accounts.map((row) => row.id)).toEqual(['111122223333', '444455556666', '777788889999']);
    expect((await getGuardrails()).version).toBe(before.version + 1);
  });
});

describe('drafts and submission', () => {
  it('saves a draft, submits it, and records one audit event per transition', async () => {
    const name = uniqueName();
    const draft = value(
      await createDraft(alice, {
        kind: 'create',
        spec: roleSpec({ name }),
        justification: 'Read logs for the app',
      }),
    );
    expect(draft).toMatchObject({
      state: 'draft',
      version: 1,
      roleName: name,
      accountId: PRODUCTION,
      kind: 'create',
    });
    expect(draft.specSha256).toBe(hashRoleSpec(roleSpecSchema.parse(roleSpec({ name }))).sha256);
    const submitted = value(await submitRequest(alice, { requestId: draft.id }));
    expect(submitted).toMatchObject({ state: 'pending', version: 1, approvalsRequired: 1 });
    const detail = value(await getRequest(alice, draft.id));
    expect(detail.events.map((event) => [event.from, event.to, event.actorId, event.requestVersion])).toEqual(
      [
        [null, 'draft', 'alice', 1],
        ['draft', 'pending', 'alice', 1],
      ],
    );
    expect(detail.events.every((event) => event.specSha256 === draft.specSha256)).toBe(true);
  });

  it('returns RoleSpec errors per field', async () => {
    const result = await createDraft(alice, {
      kind: 'create',
      spec: roleSpec({ name: 'bad name!', tags: [{ key: 'aws:reserved', value: 'x' }] }),
      justification: 'x',
    });
    expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(result.ok ? {} : result.fieldErrors).toHaveProperty(['name']);
    expect(result.ok ? {} : result.fieldErrors).toHaveProperty(['tags.0.key']);
  });

  it('re-validates on submission against the guardrails, per field', async () => {
    const stored = await getGuardrails();
    value(
      await updateGuardrails(carol, {
        guardrails: { ...stored.guardrails, requiredTags: [{ key: 'cost-center', allowedValues: [] }] },
        expectedVersion: stored.version,
      }),
    );
    try {
      const draft = value(
        await createDraft(alice, {
          kind: 'create',
          spec: roleSpec({ name: uniqueName() }),
          justification: 'x',
        }),
      );
      const result = await submitRequest(alice, { requestId: draft.id });
      expect(result).toMatchObject({
        ok: false,
        code: 'invalid_input',
        fieldErrors: { tags: ['Add the required tag cost-center'] },
      });
      expect(value(await getRequest(alice, draft.id)).request.state).toBe('draft');
      const forbidden = await createAndSubmitRequest(alice, {
        kind: 'create',
        spec: roleSpec({
          name: uniqueName(),
          tags: [{ key: 'cost-center', value: 'cc-1' }],
          inlinePolicies: [{ name: 'users', document: policy(allow('iam:CreateUser')) }],
        }),
        justification: 'x',
      });
      expect(forbidden.ok ? null : forbidden.fieldErrors).toEqual({
        'inlinePolicies.0.document': [expect.stringContaining('iam:CreateUser')],
      });
    } finally {
      const now = await getGuardrails();
      value(
        await updateGuardrails(carol, {
          guardrails: { ...now.guardrails, requiredTags: [] },
          expectedVersion: now.version,
        }),
      );
    }
  });

  it('reports an unparseable policy document on its field', async () => {
    const result = await createAndSubmitRequest(alice, {
      kind: 'create',
      spec: roleSpec({ name: uniqueName(), inlinePolicies: [{ name: 'x', document: '{"Statement": ' }] }),
      justification: 'x',
    });
    expect(result.ok ? null : Object.keys(result.fieldErrors ?? {})).toEqual(['inlinePolicies.0.document']);
  });

  it('needs two approvals when a privilege-escalation flag is raised', async () => {
    const request = value(
      await createAndSubmitRequest(
        alice,
        await justified({
          kind: 'create',
          spec: roleSpec({
            name: uniqueName(),
            inlinePolicies: [
              { name: 'pass', document: policy(allow(['iam:PassRole', 'lambda:CreateFunction'])) },
            ],
          }),
          justification: 'deploys lambdas',
        }),
      ),
    );
    expect(request.approvalsRequired).toBe(2);
    expect(request.risks.map((risk) => [risk.code, risk.severity, risk.field])).toContainEqual([
      'privesc_passrole_compute',
      'critical',
      'inlinePolicies.0.document',
    ]);
  });

  it('checks attached AWS managed policies against the forbidden actions', async () => {
    const result = await createAndSubmitRequest(
      alice,
      await justified({
        kind: 'create',
        spec: roleSpec({
          name: uniqueName(),
          managedPolicyArns: [
            'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
            'arn:aws:iam::aws:policy/AWSOrganizationsFullAccess',
          ],
        }),
        justification: 'x',
      }),
    );
    expect(result.ok ? null : result.fieldErrors).toEqual({
      'managedPolicyArns.1': [expect.stringContaining('organizations:Create*')],
    });
  });

  it('lets read-only AWS managed policies through the default forbidden actions', async () => {
    const result = await createAndSubmitRequest(
      alice,
      await justified({
        kind: 'create',
        spec: roleSpec({
          name: uniqueName(),
          managedPolicyArns: [
            'arn:aws:iam::aws:policy/ReadOnlyAccess',
            'arn:aws:iam::aws:policy/SecurityAudit',
          ],
        }),
        justification: 'x',
      }),
    );
    expect(result.ok ? null : result.fieldErrors).toBeNull();
  });

  it('raises full_admin for an attached AdministratorAccess and needs the escalation approvals', async () => {
    const stored = await getGuardrails();
    value(
      await updateGuardrails(carol, {
        guardrails: { ...stored.guardrails, forbiddenActions: [] },
        expectedVersion: stored.version,
      }),
    );
    try {
      const request = value(
        await createAndSubmitRequest(
          alice,
          await justified({
            kind: 'create',
            spec: roleSpec({
              name: uniqueName(),
              managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
            }),
            justification: 'break glass',
          }),
        ),
      );
      expect(request.approvalsRequired).toBe(2);
      expect(request.risks.map((risk) => [risk.code, risk.severity, risk.field])).toContainEqual([
        'full_admin',
        'critical',
        'managedPolicyArns.0',
      ]);
    } finally {
      const now = await getGuardrails();
      value(
        await updateGuardrails(carol, {
          guardrails: { ...now.guardrails, forbiddenActions: stored.guardrails.forbiddenActions },
          expectedVersion: now.version,
        }),
      );
    }
  });

  it('refuses a second open request for the same role, and a create for a role that exists', async () => {
    const name = uniqueName();
    value(await createDraft(alice, { kind: 'create', spec: roleSpec({ name }), justification: 'x' }));
    const second = await createDraft(dave, {
      kind: 'create',
      spec: roleSpec({ name: name.toUpperCase() }),
      justification: 'x',
    });
    expect(second).toMatchObject({ ok: false, code: 'conflict' });
    const provisionedName = uniqueName();
    await provisionRole(provisionedName);
    const again = await createDraft(dave, {
      kind: 'create',
      spec: roleSpec({ name: provisionedName }),
      justification: 'x',
    });
    expect(again).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { name: [expect.stringContaining('already exists')] },
    });
  });

  it('refuses a target account that is not configured', async () => {
    const result = await createDraft(alice, {
      kind: 'create',
      spec: roleSpec({ accountId: '999999999999' }),
      justification: 'x',
    });
    expect(result).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { accountId: [expect.any(String)] },
    });
  });
});

describe('editing', () => {
  it('makes a new version of a pending request and voids the approvals given so far', async () => {
    const request = value(
      await createAndSubmitRequest(
        alice,
        await justified({
          kind: 'create',
          spec: roleSpec({
            name: uniqueName(),
            inlinePolicies: [
              { name: 'pass', document: policy(allow(['iam:PassRole', 'lambda:CreateFunction'])) },
            ],
          }),
          justification: 'x',
        }),
      ),
    );
    const first = value(
      await approveRequest(
        bob,
        { requestId: request.id, specSha256: request.specSha256, acknowledged: [passRoleFlagKey] },
        preflight,
      ),
    );
    expect(first).toMatchObject({ approvalsGiven: 1, isFinal: false });
    const edited = value(
      await updateRequest(alice, {
        requestId: request.id,
        expectedVersion: 1,
        spec: roleSpec({
          name: request.roleName,
          description: 'changed',
          inlinePolicies: [
            { name: 'pass', document: policy(allow(['iam:PassRole', 'lambda:CreateFunction'])) },
          ],
        }),
      }),
    );
    expect(edited).toMatchObject({ state: 'pending', version: 2 });
    expect(edited.specSha256).not.toBe(request.specSha256);
    const detail = value(await getRequest(alice, request.id));
    expect(detail.approvals).toHaveLength(1);
    expect(detail.approvals[0]).toMatchObject({ approverId: 'bob', voided: true, requestVersion: 1 });
    expect(detail.events.at(-1)).toMatchObject({
      from: 'pending',
      to: 'pending',
      reason: 'edited',
      requestVersion: 2,
      specSha256: edited.specSha256,
    });
    // The old version's hash no longer approves anything.
    const stale = await approveRequest(
      bob,
      { requestId: request.id, specSha256: request.specSha256, acknowledged: [passRoleFlagKey] },
      preflight,
    );
    expect(stale).toMatchObject({ ok: false, code: 'conflict' });
    // A second edit based on the old version is refused.
    const lost = await updateRequest(alice, {
      requestId: request.id,
      expectedVersion: 1,
      justification: 'y',
    });
    expect(lost).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('only lets the requester edit, and only drafts and pending requests', async () => {
    const request = value(
      await createAndSubmitRequest(alice, {
        kind: 'create',
        spec: roleSpec({ name: uniqueName() }),
        justification: 'x',
      }),
    );
    expect(
      await updateRequest(carol, { requestId: request.id, expectedVersion: 1, justification: 'y' }),
    ).toMatchObject({ ok: false, code: 'forbidden' });
    expect(
      await updateRequest(dave, { requestId: request.id, expectedVersion: 1, justification: 'y' }),
    ).toMatchObject({ ok: false, code: 'not_found' });
    value(await cancelRequest(alice, { requestId: request.id }));
    expect(
      await updateRequest(alice, { requestId: request.id, expectedVersion: 1, justification: 'y' }),
    ).toMatchObject({ ok: false, code: 'conflict' });
  });
});

describe('illegal transitions are typed conflicts, never no-ops', () => {
  it('refuses to submit twice, cancel an approved request, or approve a cancelled one', async () => {
    const request = value(
      await createAndSubmitRequest(alice, {
        kind: 'create',
        spec: roleSpec({ name: uniqueName() }),
        justification: 'x',
      }),
    );
    const again = await submitRequest(alice, { requestId: request.id });
    expect(again).toMatchObject({
      ok: false,
      code: 'conflict',
      message: expect.stringContaining('pending approval') as string,
    });
    value(await approveRequest(bob, { requestId: request.id, specSha256: request.specSha256 }, preflight));
    const cancel = await cancelRequest(alice, { requestId: request.id });
    expect(cancel).toMatchObject({
      ok: false,
      code: 'conflict',
      message: 'The request is approved, so it cannot move to cancelled',
    });

    const other = value(
      await createAndSubmitRequest(alice, {
        kind: 'create',
        spec: roleSpec({ name: uniqueName() }),
        justification: 'x',
      }),
    );
    value(await cancelRequest(alice, { requestId: other.id, reason: 'not needed' }));
    expect(
      await approveRequest(bob, { requestId: other.id, specSha256: other.specSha256 }, preflight),
    ).toMatchObject({ ok: false, code: 'conflict' });
    expect(await cancelRequest(alice, { requestId: other.id })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    // Nothing was written by the refused calls: the trail ends with the one cancellation.
    const events = value(await getRequest(alice, other.id)).events;
    expect(events.map((event) => event.to)).toEqual(['draft', 'pending', 'cancelled']);
  });

  it('refuses worker transitions out of order', async () => {
    const request = value(
      await createAndSubmitRequest(alice, {
        kind: 'create',
        spec: roleSpec({ name: uniqueName() }),
        justification: 'x',
      }),
    );
    const early = await test.db.transaction().execute((tx) => markProvisioning(tx, request.id));
    expect(early).toMatchObject({ ok: false, code: 'conflict' });
    const skipped = await test.db.transaction().execute((tx) => markProvisioned(tx, request.id));
    expect(skipped).toMatchObject({ ok: false, code: 'conflict' });
  });
});

describe('visibility', () => {
  it('shows requesters their own requests, approvers their accounts, admins everything', async () => {
    const prod = value(
      await createAndSubmitRequest(alice, {
        kind: 'create',
        spec: roleSpec({ name: uniqueName() }),
        justification: 'x',
      }),
    );
    const dev = value(
      await createAndSubmitRequest(dave, {
        kind: 'create',
        spec: roleSpec({ name: uniqueName(), accountId: DEVELOPMENT }),
        justification: 'x',
      }),
    );
    expect((await getRequest(alice, prod.id)).ok).toBe(true);
    expect(await getRequest(dave, prod.id)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await getRequest(pat, prod.id)).toMatchObject({ ok: false, code: 'not_found' });
    expect((await getRequest(pat, dev.id)).ok).toBe(true);
    expect((await getRequest(carol, prod.id)).ok).toBe(true);
    expect(await getRequest(principal('mallory'), dev.id)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await getRequest(alice, 'not-a-uuid')).toMatchObject({ ok: false, code: 'not_found' });

    const mine = value(await listRequests(dave, { scope: 'all' }));
    expect(mine.items.every((item) => item.requester.id === 'dave')).toBe(true);
    const queue = value(await listRequests(pat, { scope: 'to_approve' }));
    expect(queue.items.map((item) => item.id)).toContain(dev.id);
    expect(queue.items.every((item) => item.accountId === DEVELOPMENT && item.state === 'pending')).toBe(
      true,
    );
    const everything = value(await listRequests(carol, { pageSize: 100 }));
    expect(everything.items.map((item) => item.id)).toEqual(expect.arrayContaining([prod.id, dev.id]));
    expect(everything.nextBefore).toBeNull();
    // Keyset pages of two chain into the whole list, in the same order, without gaps or repeats.
    const first = value(await listRequests(carol, { pageSize: 2 }));
    const paged = value(await listRequests(carol, { pageSize: 2, before: first.nextBefore ?? undefined }));
    expect(paged.items).toHaveLength(2);
    const chained: string[] = [];
    for (let page = first; ;) {
      chained.push(...page.items.map((item) => item.id));
      if (page.nextBefore === null) break;
      page = value(await listRequests(carol, { pageSize: 2, before: page.nextBefore }));
    }
    expect(chained).toEqual(everything.items.map((item) => item.id));
    expect(await listRequests(carol, { before: 'not-a-cursor' })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { before: ['Not a page of this list'] },
    });
    expect(value(await listRequests(principal('nobody'), { scope: 'to_approve' })).items).toEqual([]);

    // A draft is its requester's own (and admins') until it is submitted.
    const draft = value(
      await createDraft(dave, {
        kind: 'create',
        spec: roleSpec({ name: uniqueName(), accountId: DEVELOPMENT }),
        justification: 'x',
      }),
    );
    expect(await getRequest(pat, draft.id)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await getRequest(bob, draft.id)).toMatchObject({ ok: false, code: 'not_found' });
    expect((await getRequest(carol, draft.id)).ok).toBe(true);
    expect(value(await listRequests(bob, { pageSize: 100 })).items.map((item) => item.id)).not.toContain(
      draft.id,
    );
    expect(value(await listRequests(pat, { pageSize: 100 })).items.map((item) => item.id)).not.toContain(
      draft.id,
    );
    expect(value(await listRequests(bob, { pageSize: 100 })).items.map((item) => item.id)).toContain(dev.id);
    expect(value(await listRequests(carol, { pageSize: 100 })).items.map((item) => item.id)).toContain(
      draft.id,
    );
  });
});

describe('change and delete requests', () => {
  it('computes the diff against the provisioned spec and records the change when provisioned', async () => {
    const name = uniqueName();
    await provisionRole(name);
    const change = value(
      await createAndSubmitRequest(ben, {
        kind: 'change',
        spec: roleSpec({ name, maxSessionDuration: 7200, tags: [{ key: 'team', value: 'search' }] }),
        justification: 'longer sessions',
      }),
    );
    expect(change.kind).toBe('change');
    expect(change.diff).toEqual([
      { field: 'maxSessionDuration', change: 'changed', before: 3600, after: 7200 },
      {
        field: 'tags[team]',
        change: 'changed',
        before: { key: 'team', value: 'platform' },
        after: { key: 'team', value: 'search' },
      },
    ]);
    value(await approveRequest(bob, { requestId: change.id, specSha256: change.specSha256 }, preflight));
    await test.db.transaction().execute(async (tx) => {
      value(await markProvisioning(tx, change.id));
      value(await markProvisioned(tx, change.id));
    });
    const role = await test.db
      .selectFrom('provisioned_roles')
      .selectAll()
      .where('role_name', '=', name)
      .executeTakeFirstOrThrow();
    expect(role.request_id).toBe(change.id);
    expect((role.spec as { maxSessionDuration: number }).maxSessionDuration).toBe(7200);
    // The summary follows the last request's spec, but ben's change does not move the role to him:
    // alice (its creator) still owns and sees it.
    const summary = value(await getRoleSummary(ben, PRODUCTION, name.toUpperCase()));
    expect(summary.ownerId).toBe('alice');
    expect(summary).toMatchObject({
      roleName: name,
      arn: `arn:aws:iam::${PRODUCTION}:role/${name}`,
      requestId: change.id,
      spec: { maxSessionDuration: 7200 },
    });
    expect((await getRoleSummary(alice, PRODUCTION, name)).ok).toBe(true);
    expect(await getRoleSummary(dave, PRODUCTION, name)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await getRoleSummary(pat, PRODUCTION, name)).toMatchObject({ ok: false, code: 'not_found' });
    expect((await getRoleSummary(bob, PRODUCTION, name)).ok).toBe(true);
    expect((await listRoleSummaries(alice)).map((item) => item.roleName)).toContain(name);
    expect((await listRoleSummaries(ben)).map((item) => item.roleName)).toContain(name);
    expect((await listRoleSummaries(pat)).map((item) => item.roleName)).not.toContain(name);

    const noop = await createDraft(ben, {
      kind: 'change',
      spec: roleSpec({ name, maxSessionDuration: 7200, tags: [{ key: 'team', value: 'search' }] }),
      justification: 'x',
    });
    expect(noop).toMatchObject({ ok: false, code: 'invalid_input' });

    const removal = value(
      await createAndSubmitRequest(ben, {
        kind: 'delete',
        accountId: PRODUCTION,
        roleName: name,
        justification: 'retired',
      }),
    );
    expect(removal.spec.maxSessionDuration).toBe(7200);
    value(await approveRequest(bob, { requestId: removal.id, specSha256: removal.specSha256 }, preflight));
    await test.db.transaction().execute(async (tx) => {
      value(await markProvisioning(tx, removal.id));
      value(await markProvisioned(tx, removal.id));
    });
    const deleted = await test.db
      .selectFrom('provisioned_roles')
      .select('deleted_at')
      .where('role_name', '=', name)
      .executeTakeFirstOrThrow();
    expect(deleted.deleted_at).toBeInstanceOf(Date);
    expect(await getRoleSummary(carol, PRODUCTION, name)).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('refuses a change or delete draft for a role the requester may not see, without revealing its spec', async () => {
    const name = uniqueName();
    await provisionRole(name);
    const change = await createDraft(dave, {
      kind: 'change',
      spec: roleSpec({ name, maxSessionDuration: 7200 }),
      justification: 'x',
    });
    expect(change).toMatchObject({ ok: false, code: 'not_found' });
    const removal = await createDraft(dave, {
      kind: 'delete',
      accountId: PRODUCTION,
      roleName: name,
      justification: 'x',
    });
    expect(removal).toMatchObject({ ok: false, code: 'not_found' });
    expect(
      await createAndSubmitRequest(pat, {
        kind: 'delete',
        accountId: PRODUCTION,
        roleName: name,
        justification: 'x',
      }),
    ).toMatchObject({ ok: false, code: 'not_found' });
    // Nothing was saved, so the role's own requester can still ask for a change.
    value(
      await createDraft(alice, {
        kind: 'delete',
        accountId: PRODUCTION,
        roleName: name,
        justification: 'retired',
      }),
    );
  });

  it('keeps the path of a change request when it is edited', async () => {
    const name = uniqueName();
    await provisionRole(name);
    const draft = value(
      await createDraft(alice, {
        kind: 'change',
        spec: roleSpec({ name, maxSessionDuration: 7200 }),
        justification: 'x',
      }),
    );
    const moved = await updateRequest(alice, {
      requestId: draft.id,
      expectedVersion: draft.version,
      spec: roleSpec({ name, maxSessionDuration: 7200, path: '/elsewhere/' }),
    });
    expect(moved).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { path: [expect.stringContaining('keeps its path')] },
    });
    expect(value(await getRequest(alice, draft.id)).request.spec.path).toBe('/');
  });

  it('refuses to change or delete a role Rolesmith did not provision', async () => {
    expect(
      await createDraft(alice, {
        kind: 'change',
        spec: roleSpec({ name: 'unknown-role' }),
        justification: 'x',
      }),
    ).toMatchObject({ ok: false, code: 'not_found' });
    expect(
      await createDraft(alice, {
        kind: 'delete',
        accountId: PRODUCTION,
        roleName: 'unknown-role',
        justification: 'x',
      }),
    ).toMatchObject({ ok: false, code: 'not_found' });
  });
});

describe('audit trail', () => {
  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const request = value(
      await createDraft(alice, {
        kind: 'create',
        spec: roleSpec({ name: uniqueName() }),
        justification: 'x',
      }),
    );
    await expect(
      sql`update request_events set reason = 'forged' where request_id = ${request.id}`.execute(test.db),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql`delete from request_events where request_id = ${request.id}`.execute(test.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`truncate request_events cascade`.execute(test.db)).rejects.toThrow(/append-only/);
    const events = value(await getRequest(alice, request.id)).events;
    expect(events).toHaveLength(1);
    expect(events[0]?.reason).toBe('created');
  });

  it('keeps approvals as evidence: no delete, no truncate, no change but voiding once', async () => {
    const request = value(
      await createDraft(alice, {
        kind: 'create',
        spec: roleSpec({ name: uniqueName() }),
        justification: 'x',
      }),
    );
    await sql`insert into approvals (request_id, approver_id, approver_name, request_version, spec_sha256)
      values (${request.id}, 'bob', 'Bob', ${request.version}, ${request.specSha256})`.execute(test.db);
    await expect(
      sql`update approvals set approver_id = 'mallory' where request_id = ${request.id}`.execute(test.db),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql`update approvals set voided_at = now(), comment = 'forged' where request_id = ${request.id}`.execute(
        test.db,
      ),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql`delete from approvals where request_id = ${request.id}`.execute(test.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`truncate approvals cascade`.execute(test.db)).rejects.toThrow(/append-only/);
    await sql`update approvals set voided_at = now() where request_id = ${request.id}`.execute(test.db);
    await expect(
      sql`update approvals set voided_at = null where request_id = ${request.id}`.execute(test.db),
    ).rejects.toThrow(/append-only/);
    const rows = await sql<{ approver_id: string; voided: boolean }>`
      select approver_id, voided_at is not null as voided from approvals where request_id = ${request.id}`.execute(
      test.db,
    );
    expect(rows.rows).toEqual([{ approver_id: 'bob', voided: true }]);
  });

  it('is readable by admins only', async () => {
    expect(await listAuditLog(alice)).toMatchObject({ ok: false, code: 'forbidden' });
    const log = value(await listAuditLog(carol, { pageSize: 5 }));
    expect(log.events.length).toBe(5);
    expect(Number(log.events[0]!.id)).toBeGreaterThan(Number(log.events[4]!.id));
  });
});

describe('approvals by risk guardrail', () => {
  it('sets how many approvals a submission needs, with and without a privilege-escalation flag', async () => {
    const stored = await getGuardrails();
    value(
      await updateGuardrails(carol, {
        guardrails: { ...stored.guardrails, approvals: { default: 2, privilegeEscalation: 3 } },
        expectedVersion: stored.version,
      }),
    );
    try {
      const plain = value(
        await createAndSubmitRequest(
          alice,
          await justified({
            kind: 'create',
            spec: roleSpec({ name: uniqueName() }),
            justification: 'x',
          }),
        ),
      );
      expect(plain.approvalsRequired).toBe(2);
      const risky = value(
        await createAndSubmitRequest(
          alice,
          await justified({
            kind: 'create',
            spec: roleSpec({
              name: uniqueName(),
              inlinePolicies: [{ name: 'v', document: policy(allow('iam:CreatePolicyVersion')) }],
            }),
            justification: 'x',
          }),
        ),
      );
      expect(risky.approvalsRequired).toBe(3);
    } finally {
      const now = await getGuardrails();
      value(
        await updateGuardrails(carol, {
          guardrails: { ...now.guardrails, approvals: { default: 1, privilegeEscalation: 2 } },
          expectedVersion: now.version,
        }),
      );
    }
  });
});

describe('guardrail administration', () => {
  it('is for admins, validated per field, and compare-and-set', async () => {
    const stored = await getGuardrails();
    expect(
      await updateGuardrails(bob, { guardrails: stored.guardrails, expectedVersion: stored.version }),
    ).toMatchObject({ ok: false, code: 'forbidden' });
    const invalid = await updateGuardrails(carol, {
      guardrails: { ...stored.guardrails, requiredTags: [{ key: '' }] },
      expectedVersion: stored.version,
    });
    expect(invalid).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { 'requiredTags.0.key': ['Enter the tag key'] },
    });
    value(await updateGuardrails(carol, { guardrails: stored.guardrails, expectedVersion: stored.version }));
    const stale = await updateGuardrails(carol, {
      guardrails: stored.guardrails,
      expectedVersion: stored.version,
    });
    expect(stale).toMatchObject({ ok: false, code: 'conflict' });
  });
});

describe('open requests per role', () => {
  it('the database index holds a role name for exactly the open states of the state machine', async () => {
    const { rows } = await sql<{
      indexdef: string;
    }>`select indexdef from pg_indexes where indexname = 'requests_one_open_per_role_idx'`.execute(test.db);
    const definition = rows[0]?.indexdef ?? '';
    const quoted = new Set([...definition.matchAll(/'([a-z_]+)'/g)].map((match) => match[1]));
    expect([...quoted].sort()).toEqual([...OPEN_STATES].sort());
    expect(REQUEST_STATES.filter((state) => !quoted.has(state)).sort()).toEqual(
      ['cancelled', 'provisioned', 'rejected', 'rolled_back'].sort(),
    );
  });
});
