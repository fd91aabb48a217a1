import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import { rejectRequest } from '@/lib/requests/approve';
import { createAndSubmitRequest, createDraft, getRequest, submitRequest } from '@/lib/requests/requests';
import { alice, allow, bob, dave, policy, roleSpec } from '@/lib/requests/test-fixtures';
import type { Result } from '@/lib/result';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

/**
 * What the wizard adds to a request: a written justification for every security warning and
 * critical or high risk flag (exactly what an approver must acknowledge), the people who will use
 * the role, and the rejected request a new one starts again from.
 */

let test: TestDatabase;
let counter = 0;
const name = () => `justify-${++counter}`;

function value<T>(result: Result<T>): T {
  if (!result.ok)
    throw new Error(
      `expected ok, got ${result.code}: ${result.message} ${JSON.stringify(result.fieldErrors)}`,
    );
  return result.value;
}

beforeAll(async () => {
  test = await createTestPglite();
  await seedSandboxData();
});

afterAll(async () => {
  await test.close();
});

const passRole = {
  inlinePolicies: [{ name: 'pass', document: policy(allow(['iam:PassRole', 'lambda:CreateFunction'])) }],
};
const passRoleKey = 'privesc_passrole_compute@inlinePolicies.0.document';

describe('flag justifications', () => {
  it('refuses a submission whose critical risk flag has no justification, on the flag’s key', async () => {
    const result = await createAndSubmitRequest(alice, {
      kind: 'create',
      spec: roleSpec({ name: name(), ...passRole }),
      justification: 'deploys lambdas',
      flagJustifications: { [passRoleKey]: '   ' },
    });
    expect(result).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: {
        [`flagJustifications.${passRoleKey}`]: [expect.stringMatching(/^Explain why the role needs this: /)],
      },
    });
  });

  it('needs one for a security warning, keyed by its JSON pointer', async () => {
    // A third-party account without an external ID is a security warning of the trust policy.
    const spec = roleSpec({
      name: name(),
      trustedEntity: { type: 'aws_account', accountId: '123456789012' },
    });
    const refused = await createAndSubmitRequest(alice, { kind: 'create', spec, justification: 'partner' });
    expect(refused.ok).toBe(false);
    const keys = Object.keys((!refused.ok && refused.fieldErrors) || {});
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => key.startsWith('flagJustifications.'))).toBe(true);
    const flagJustifications = Object.fromEntries(
      keys.map((key) => [key.slice('flagJustifications.'.length), 'The partner runs our backups']),
    );
    const request = value(
      await createAndSubmitRequest(alice, {
        kind: 'create',
        spec,
        justification: 'partner',
        flagJustifications,
      }),
    );
    expect(request.flagJustifications).toEqual(flagJustifications);
  });

  it('stores the justifications, the role users and reads them back; a plain role needs none', async () => {
    const request = value(
      await createAndSubmitRequest(alice, {
        kind: 'create',
        spec: roleSpec({ name: name(), ...passRole }),
        justification: 'deploys lambdas',
        flagJustifications: { [passRoleKey]: ' The deploy role passes the function role ', other: '' },
        roleUsers: ['Dana@Example.com', 'dana@example.com', ' eve@acme.example '],
      }),
    );
    const detail = value(await getRequest(alice, request.id));
    expect(detail.request).toMatchObject({
      flagJustifications: { [passRoleKey]: 'The deploy role passes the function role' },
      roleUsers: ['dana@example.com', 'eve@acme.example'],
      fromRequestId: null,
    });
    const plain = value(
      await createAndSubmitRequest(alice, {
        kind: 'create',
        spec: roleSpec({ name: name() }),
        justification: 'x',
      }),
    );
    expect(plain).toMatchObject({ flagJustifications: {}, roleUsers: [] });
  });

  it('checks a draft’s stored justifications when it is submitted', async () => {
    const draft = value(
      await createDraft(alice, {
        kind: 'create',
        spec: roleSpec({ name: name(), ...passRole }),
        justification: 'x',
      }),
    );
    expect(await submitRequest(alice, { requestId: draft.id })).toMatchObject({
      ok: false,
      fieldErrors: { [`flagJustifications.${passRoleKey}`]: [expect.any(String)] },
    });
  });

  it.each([
    [{ roleUsers: ['not an address'] }, 'roleUsers.0'],
    [{ roleUsers: Array.from({ length: 21 }, (_, i) => `p${i}@acme.example`) }, 'roleUsers'],
    [{ flagJustifications: { [passRoleKey]: 'x'.repeat(2001) } }, `flagJustifications.${passRoleKey}`],
    [{ fromRequestId: 'nope' }, 'fromRequestId'],
  ])('refuses bad extras (%j) on their field', async (extras, key) => {
    const result = await createAndSubmitRequest(alice, {
      kind: 'create',
      spec: roleSpec({ name: name() }),
      justification: 'x',
      ...extras,
    });
    expect(result).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { [key]: [expect.any(String)] },
    });
  });
});

describe('starting again from a rejected request', () => {
  it('links the new request to the rejected one of the same requester, which stays rejected', async () => {
    const roleName = name();
    const first = value(
      await createAndSubmitRequest(alice, {
        kind: 'create',
        spec: roleSpec({ name: roleName }),
        justification: 'x',
      }),
    );
    // Not yet rejected: refused.
    expect(
      await createAndSubmitRequest(alice, {
        kind: 'create',
        spec: roleSpec({ name: name() }),
        justification: 'x',
        fromRequestId: first.id,
      }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { fromRequestId: ['Only a rejected request can be started again'] },
    });
    value(await rejectRequest(bob, { requestId: first.id, comment: 'too broad' }));
    // Someone else's rejected request: refused.
    expect(
      await createAndSubmitRequest(dave, {
        kind: 'create',
        spec: roleSpec({ name: name() }),
        justification: 'x',
        fromRequestId: first.id,
      }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { fromRequestId: ['Start again only from a request of your own'] },
    });
    const again = value(
      await createAndSubmitRequest(alice, {
        kind: 'create',
        spec: roleSpec({ name: roleName }),
        justification: 'narrowed',
        fromRequestId: first.id,
      }),
    );
    expect(again).toMatchObject({ fromRequestId: first.id, state: 'pending', roleName });
    expect(value(await getRequest(alice, first.id)).request.state).toBe('rejected');
  });
});
