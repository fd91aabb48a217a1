import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import { getGuardrails, updateGuardrails } from '@/lib/requests/guardrails-store';
import type { GuardrailsInput } from '@/lib/iam/guardrail-check';
import { approveRequest } from '@/lib/requests/approve';
import {
  createAndSubmitRequest,
  createDraft,
  getRequest,
  submitRequest,
  updateRequest,
} from '@/lib/requests/requests';
import { alice, allow, bob, carol, justified, policy, roleSpec } from '@/lib/requests/test-fixtures';
import type { RoleSpecInput } from '@/lib/iam/role-spec';
import { ok, type Result } from '@/lib/result';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import {
  createCustomerPolicy,
  emulatorAccountIam,
  startTestEmulator,
  type TestEmulator,
} from '@/lib/testing/provisioning';

/**
 * Every guardrail, stored in the database through the admin function, refuses a submission with an
 * error on the offending field, and lets a compliant role through; an edit of a pending request is
 * re-validated the same way.
 */

let test: TestDatabase;
let counter = 0;
const name = () => `sub-${++counter}`;

function value<T>(result: Result<T>): T {
  if (!result.ok)
    throw new Error(
      `expected ok, got ${result.code}: ${result.message} ${JSON.stringify(result.fieldErrors)}`,
    );
  return result.value;
}

async function setGuardrails(rules: Partial<GuardrailsInput>): Promise<void> {
  const stored = await getGuardrails();
  value(
    await updateGuardrails(carol, {
      guardrails: { ...stored.guardrails, ...rules },
      expectedVersion: stored.version,
    }),
  );
}

// The target account as submission reads it (the boundary's default version): the emulator over HTTP.
let emulator: TestEmulator;

async function submit(spec: RoleSpecInput) {
  return createAndSubmitRequest(alice, await justified({ kind: 'create', spec, justification: 'x' }), {
    accountIam: emulatorAccountIam(emulator),
  });
}

beforeAll(async () => {
  test = await createTestPglite();
  await seedSandboxData();
  emulator = await startTestEmulator();
  await createCustomerPolicy(emulator, 'RolesmithBoundary', policy(allow('*')));
}, 60_000);

afterAll(async () => {
  await emulator.close();
  await test.close();
});

let defaults: Awaited<ReturnType<typeof getGuardrails>>['guardrails'];
beforeAll(async () => {
  defaults = (await getGuardrails()).guardrails;
});
beforeEach(async () => {
  await setGuardrails(defaults);
});

const outsider = '999988887777';

describe('submission against each guardrail stored in the database', () => {
  it.each([
    {
      rule: 'role name prefix',
      rules: { roleNamePrefix: 'acme-' },
      bad: (n: string) => roleSpec({ name: n }),
      good: (n: string) => roleSpec({ name: `acme-${n}` }),
      field: 'name',
    },
    {
      rule: 'path prefix',
      rules: { pathPrefix: '/apps/' },
      bad: (n: string) => roleSpec({ name: n, path: '/other/' }),
      good: (n: string) => roleSpec({ name: n, path: '/apps/logs/' }),
      field: 'path',
    },
    {
      rule: 'required tag key',
      rules: { requiredTags: [{ key: 'cost-center', allowedValues: [] }] },
      bad: (n: string) => roleSpec({ name: n }),
      good: (n: string) =>
        roleSpec({
          name: n,
          tags: [
            { key: 'team', value: 'platform' },
            { key: 'cost-center', value: 'cc-7' },
          ],
        }),
      field: 'tags',
    },
    {
      rule: 'required tag allowed values',
      rules: { requiredTags: [{ key: 'team', allowedValues: ['payments'] }] },
      bad: (n: string) => roleSpec({ name: n }),
      good: (n: string) => roleSpec({ name: n, tags: [{ key: 'team', value: 'payments' }] }),
      field: 'tags.0.value',
    },
    {
      rule: 'permissions boundary',
      rules: { permissionsBoundaryArn: 'arn:aws:iam::{accountId}:policy/RolesmithBoundary' },
      bad: (n: string) => roleSpec({ name: n }),
      good: (n: string) =>
        roleSpec({ name: n, permissionsBoundaryArn: 'arn:aws:iam::444455556666:policy/RolesmithBoundary' }),
      field: 'permissionsBoundaryArn',
    },
    {
      rule: 'forbidden actions',
      rules: { forbiddenActions: ['s3:Delete*'] },
      bad: (n: string) =>
        roleSpec({ name: n, inlinePolicies: [{ name: 'rm', document: policy(allow('s3:DeleteObject')) }] }),
      good: (n: string) => roleSpec({ name: n }),
      field: 'inlinePolicies.0.document',
    },
    {
      rule: 'trusted accounts (organisation plus allow-list)',
      rules: { trustedAccountAllowList: [] },
      bad: (n: string) => roleSpec({ name: n, trustedEntity: { type: 'aws_account', accountId: outsider } }),
      good: (n: string) =>
        roleSpec({ name: n, trustedEntity: { type: 'aws_account', accountId: '777788889999' } }),
      field: 'trustedEntity.accountId',
    },
    {
      rule: 'session duration ceiling',
      rules: { maxSessionDurationCeiling: 3600 },
      bad: (n: string) => roleSpec({ name: n, maxSessionDuration: 7200 }),
      good: (n: string) => roleSpec({ name: n, maxSessionDuration: 3600 }),
      field: 'maxSessionDuration',
    },
  ])('$rule: refused on its field, compliant role accepted', async ({ rules, bad, good, field }) => {
    await setGuardrails(rules);
    const refused = await submit(bad(name()));
    expect(refused).toMatchObject({ ok: false, code: 'invalid_input' });
    if (refused.ok) return;
    expect(Object.keys(refused.fieldErrors ?? {})).toEqual([field]);
    expect(refused.fieldErrors?.[field]?.join(' ')).toMatch(/\w/);
    expect(value(await submit(good(name())))).toMatchObject({ state: 'pending' });
  });

  it('trusts an outside account once it is on the allow-list', async () => {
    await setGuardrails({ trustedAccountAllowList: [outsider] });
    const accepted = await submit(
      roleSpec({ name: name(), trustedEntity: { type: 'aws_account', accountId: outsider } }),
    );
    expect(value(accepted)).toMatchObject({ state: 'pending' });
  });

  it('sets the approvals needed from the guardrail, by risk', async () => {
    await setGuardrails({ approvals: { default: 2, privilegeEscalation: 3 } });
    expect(value(await submit(roleSpec({ name: name() }))).approvalsRequired).toBe(2);
    const escalating = roleSpec({
      name: name(),
      inlinePolicies: [{ name: 'pass', document: policy(allow(['iam:PassRole', 'lambda:CreateFunction'])) }],
    });
    expect(value(await submit(escalating)).approvalsRequired).toBe(3);
  });

  it('checks a draft saved before the rule at submission, and keeps it a draft', async () => {
    const draft = value(
      await createDraft(alice, { kind: 'create', spec: roleSpec({ name: name() }), justification: 'x' }),
    );
    await setGuardrails({ roleNamePrefix: 'acme-' });
    expect(await submitRequest(alice, { requestId: draft.id })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { name: [expect.stringContaining('acme-') as string] },
    });
    expect(value(await getRequest(alice, draft.id)).request.state).toBe('draft');
  });

  it('re-validates an edit of a pending request: refused per field, nothing changes, approvals stand', async () => {
    const request = value(await submit(roleSpec({ name: name() })));
    const preflight = () => Promise.resolve(ok(null));
    await setGuardrails({ approvals: { default: 2, privilegeEscalation: 2 } });
    const pending = value(
      await updateRequest(alice, {
        requestId: request.id,
        expectedVersion: 1,
        justification: 'needs two now',
      }),
    );
    expect(pending).toMatchObject({ version: 2, approvalsRequired: 2 });
    value(await approveRequest(bob, { requestId: request.id, specSha256: pending.specSha256 }, preflight));
    const edit = await updateRequest(alice, {
      requestId: request.id,
      expectedVersion: 2,
      spec: roleSpec({
        name: request.roleName,
        inlinePolicies: [{ name: 'users', document: policy(allow('iam:CreateUser')) }],
      }),
    });
    expect(edit).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(edit.ok ? null : Object.keys(edit.fieldErrors ?? {})).toEqual(['inlinePolicies.0.document']);
    const detail = value(await getRequest(alice, request.id));
    expect(detail.request).toMatchObject({ version: 2, specSha256: pending.specSha256 });
    expect(detail.approvals.map((approval) => approval.voided)).toEqual([false]);
  });
});
