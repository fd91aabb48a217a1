import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import { seedSandboxPeopleInto } from '@/lib/auth/users';
import { approveRequest, rejectRequest } from '@/lib/requests/approve';
import { acknowledgementItems } from '@/lib/requests/assess';
import { markProvisioned, markProvisioning } from '@/lib/requests/provisioning-transitions';
import { createAndSubmitRequest, getRequest } from '@/lib/requests/requests';
import { getRoleSummary } from '@/lib/requests/roles';
import { bob, justified, principal, roleSpec } from '@/lib/requests/test-fixtures';
import { ok, type Result } from '@/lib/result';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import { getWizardDraft, saveWizardDraft } from '@/lib/wizard/drafts';
import { emptyWizardState, flagKey, roleUsersLockedReason, type WizardState } from '@/lib/wizard/state';
import { submitWizard } from '@/lib/wizard/submit';
import { parseWizardState } from '@/lib/wizard/state-schema';
import { stateForChange } from '@/lib/wizard/templates';

const PRODUCTION = '444455556666';
const alice = { ...principal('demo-alice'), email: 'alice@acme.example' };
let test: TestDatabase;
let counter = 0;

function value<T>(result: Result<T>): T {
  if (!result.ok)
    throw new Error(
      `expected ok, got ${result.code}: ${result.message} ${JSON.stringify(result.fieldErrors)}`,
    );
  return result.value;
}

beforeAll(async () => {
  test = await createTestPglite();
  await seedSandboxPeopleInto(test.db);
  await seedSandboxData();
}, 60_000);
afterAll(async () => {
  await test.close();
});

const passRole = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['iam:PassRole', 'lambda:CreateFunction'], Resource: '*' }],
  },
  null,
  4,
);

function state(changes: Partial<WizardState> = {}): WizardState {
  return {
    ...emptyWizardState(PRODUCTION),
    name: `wizard-${++counter}`,
    justification: 'Deploys the billing service',
    awsAccount: {
      which: 'other',
      accountId: '111122223333',
      requireExternalId: false,
      externalId: '',
      requireMfa: true,
    },
    customPolicies: [
      { id: 'deploy', kind: 'inline', name: 'Deploy', description: '', document: passRole, editor: 'json' },
    ],
    roleUsers: 'Dana@Example.com\neve@acme.example',
    ...changes,
  };
}

const passRoleFlag = flagKey('privesc_passrole_compute', 'policy:deploy');

describe('submitWizard', () => {
  it('refuses on the wizard’s fields, saving nothing, then creates the request and discards the draft', async () => {
    const refused = await submitWizard(alice, {
      state: JSON.stringify(state({ maxSessionHours: '13', roleUsers: 'not-an-address' })),
    });
    expect(refused).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: {
        maxSessionHours: ['Maximum session duration must be from 1 to 12 hours'],
        roleUsers: ['not-an-address: Enter a valid e-mail address, e.g. dana@example.com'],
      },
    });
    const unjustified = await submitWizard(alice, { state: JSON.stringify(state()) });
    expect(unjustified).toMatchObject({
      ok: false,
      fieldErrors: { [`flagJustifications.${passRoleFlag}`]: [expect.stringMatching(/^Explain why/)] },
    });

    const draft = value(
      await saveWizardDraft(alice, {
        step: 'review',
        title: 'x',
        accountId: PRODUCTION,
        state: JSON.stringify(state()),
      }),
    );
    const good = state({ flagJustifications: { [passRoleFlag]: 'It passes the function role to Lambda' } });
    const { requestId } = value(
      await submitWizard(alice, { state: JSON.stringify(good), draftId: draft.id }),
    );
    const { request } = value(await getRequest(alice, requestId));
    expect(request).toMatchObject({
      state: 'pending',
      roleName: good.name,
      justification: 'Deploys the billing service',
      roleUsers: ['dana@example.com', 'eve@acme.example'],
      flagJustifications: {
        'privesc_passrole_compute@inlinePolicies.0.document': 'It passes the function role to Lambda',
      },
      spec: {
        trustedEntity: { type: 'aws_account', accountId: '111122223333', requireMfa: true },
        inlinePolicies: [{ name: 'Deploy', document: passRole }],
      },
    });
    expect(await getWizardDraft(alice, draft.id)).toMatchObject({ ok: false, code: 'not_found' });

    // The same name again (other capitalisation): the open request holds it.
    const again = await submitWizard(alice, {
      state: JSON.stringify({ ...good, name: good.name.toUpperCase() }),
    });
    expect(again).toMatchObject({ ok: false, code: 'conflict', fieldErrors: { name: [expect.any(String)] } });
  });

  it('starts again from a rejected request, which stays rejected', async () => {
    const first = value(await submitWizard(alice, { state: JSON.stringify(state({ customPolicies: [] })) }));
    value(await rejectRequest(bob, { requestId: first.requestId, comment: 'Use MFA' }));
    const second = value(
      await submitWizard(alice, {
        state: JSON.stringify(state({ customPolicies: [], fromRequestId: first.requestId })),
      }),
    );
    expect(value(await getRequest(alice, second.requestId)).request.fromRequestId).toBe(first.requestId);
    expect(value(await getRequest(alice, first.requestId)).request.state).toBe('rejected');
  });

  it.each([
    [{}, 'state'],
    [{ state: '{' }, '_form'],
    [{ state: '[]' }, '_form'],
    [{ state: JSON.stringify(state()), draftId: 'x' }, 'draftId'],
    [{ state: 'x'.repeat(300_000) }, 'state'],
  ])('refuses a malformed submission %#', async (input, key) => {
    expect(await submitWizard(alice, input)).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { [key]: [expect.any(String)] },
    });
  });
});

describe('submitWizard for a change (the summary page’s Request a change)', () => {
  it('makes a change request of the role as recorded, keeping its name; someone who cannot see the role is refused beside the name', async () => {
    const name = `change-me-${++counter}`;
    const created = value(
      await createAndSubmitRequest(
        alice,
        await justified({
          kind: 'create',
          spec: roleSpec({ name }),
          justification: 'first',
          roleUsers: ['uma@acme.example'],
        }),
      ),
    );
    value(
      await approveRequest(
        bob,
        {
          requestId: created.id,
          specSha256: created.specSha256,
          acknowledged: acknowledgementItems(created).map((item) => item.key),
        },
        () => Promise.resolve(ok(null)),
      ),
    );
    await test.db.transaction().execute(async (tx) => {
      value(await markProvisioning(tx, created.id));
      value(await markProvisioned(tx, created.id));
    });
    const role = value(await getRoleSummary(alice, PRODUCTION, name));
    const start = stateForChange(role.spec, role.roleUsers);
    // The role's users as its owner named them, for the owner to keep or edit.
    expect(start).toMatchObject({
      name,
      changeOf: name,
      accountId: PRODUCTION,
      roleUsers: 'uma@acme.example',
    });

    // Unchanged: refused, nothing changes.
    expect(
      await submitWizard(alice, { state: JSON.stringify({ ...start, justification: 'nothing' }) }),
    ).toMatchObject({ ok: false, code: 'invalid_input' });

    const changed: WizardState = {
      ...start,
      // A name typed over the read-only field does not rename the role.
      name: 'renamed',
      managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess'],
      justification: 'Needs to read the account too',
    };
    const refused = await submitWizard(principal('demo-dave'), { state: JSON.stringify(changed) });
    expect(refused).toMatchObject({ ok: false, code: 'not_found' });
    expect(refused.ok ? null : refused.fieldErrors?.name).toEqual([expect.stringContaining(name)]);

    const { requestId } = value(await submitWizard(alice, { state: JSON.stringify(changed) }));
    const { request } = value(await getRequest(alice, requestId));
    expect(request).toMatchObject({ kind: 'change', roleName: name, state: 'pending' });
    expect(request.spec.name).toBe(name);
    expect(request.roleUsers).toEqual(['uma@acme.example']);
    expect(request.spec.managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess']);
    expect(request.diff?.map(({ field, change }) => ({ field, change }))).toEqual([
      { field: 'managedPolicyArns[arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess]', change: 'added' },
    ]);

    // The owner edits who uses the role; anyone else sees them read-only, and why (kept in a draft).
    expect(roleUsersLockedReason(start)).toBeNull();
    const others = stateForChange(role.spec, role.roleUsers, role.ownerName);
    expect(others).toMatchObject({
      changeOf: name,
      changeOwner: role.ownerName,
      roleUsers: 'uma@acme.example',
    });
    expect(roleUsersLockedReason(others)).toBe(
      `Only the role’s owner, ${role.ownerName}, can change who uses it.`,
    );
    expect(parseWizardState(JSON.parse(JSON.stringify(others))).state).toMatchObject({
      changeOwner: role.ownerName,
    });
    expect(parseWizardState(JSON.parse(JSON.stringify(start))).state).not.toHaveProperty('changeOwner');
  });
});
