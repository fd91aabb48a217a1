import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertSignedInUser } from '@/lib/auth/users';
import { formDataToObject } from '@/lib/form-data';
import {
  getGuardrails,
  getGuardrailsForAdmin,
  guardrailsFormSchema,
  saveGuardrailsForm,
} from '@/lib/requests/guardrails-store';
import { defaultGuardrails } from '@/lib/iam/guardrail-check';
import { alice, bob, carol } from '@/lib/requests/test-fixtures';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

let test: TestDatabase;

beforeAll(async () => {
  test = await createTestPglite();
  await upsertSignedInUser(test.db, {
    id: carol.id,
    email: carol.email,
    emailVerified: true,
    name: 'Carol Chen',
    groups: [],
  });
});

afterAll(async () => {
  await test.close();
});

/** A filled-in guardrails form, as `formDataToObject` gives it to the lib function. */
function form(overrides: Record<string, string> = {}): Record<string, unknown> {
  const fields: Record<string, string> = {
    expectedVersion: '0',
    roleNamePrefix: 'app-',
    pathPrefix: '/apps/',
    'requiredTags.0.key': 'cost-center',
    'requiredTags.0.allowedValues': 'cc-100, cc-200\ncc-300',
    'requiredTags.1.key': '',
    'requiredTags.1.allowedValues': '',
    permissionsBoundaryArn: 'arn:aws:iam::{accountId}:policy/RolesmithBoundary',
    forbiddenActions: 'iam:CreateUser\n\n  organizations:*  \r\niam:*AccessKey*\n',
    trustedAccountAllowList: '123456789012, 210987654321\n123456789012',
    maxSessionDurationCeiling: '7200',
    'approvals.default': '1',
    'approvals.privilegeEscalation': '2',
    ...overrides,
  };
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return formDataToObject(data);
}

describe('the guardrails form', () => {
  it('becomes the guardrails: lists split, empty tag rows and an empty boundary dropped', () => {
    const parsed = guardrailsFormSchema.parse(form({ permissionsBoundaryArn: ' ' }));
    expect(parsed).toEqual({
      expectedVersion: '0',
      guardrails: {
        roleNamePrefix: 'app-',
        pathPrefix: '/apps/',
        requiredTags: [{ key: 'cost-center', allowedValues: ['cc-100', 'cc-200', 'cc-300'] }],
        permissionsBoundaryArn: null,
        forbiddenActions: ['iam:CreateUser', 'organizations:*', 'iam:*AccessKey*'],
        trustedAccountAllowList: ['123456789012', '210987654321'],
        maxSessionDurationCeiling: '7200',
        approvals: { default: '1', privilegeEscalation: '2' },
      },
    });
  });
});

describe('guardrail administration', () => {
  it('is for admins only, and a refused change writes nothing', async () => {
    expect(await getGuardrailsForAdmin(bob)).toMatchObject({ ok: false, code: 'forbidden' });
    for (const who of [alice, bob]) {
      expect(await saveGuardrailsForm(who, form())).toMatchObject({
        ok: false,
        code: 'forbidden',
      });
    }
    expect(await getGuardrails()).toMatchObject({ version: 0, guardrails: defaultGuardrails });
  });

  it('reports errors per input, naming the bad line of a list, and writes nothing', async () => {
    const invalid = await saveGuardrailsForm(
      carol,
      form({
        roleNamePrefix: 'app prefix',
        pathPrefix: 'apps',
        'requiredTags.1.allowedValues': 'x',
        forbiddenActions: 'iam:CreateUser\nnot an action\niam:CreateUsr',
        trustedAccountAllowList: '123456789012 12345',
        maxSessionDurationCeiling: '60',
        'approvals.default': '3',
        'approvals.privilegeEscalation': '2',
      }),
    );
    expect(invalid).toEqual({
      ok: false,
      code: 'invalid_input',
      message: 'Check the highlighted fields.',
      fieldErrors: {
        roleNamePrefix: ['Role name prefix may contain only letters, digits and + = , . @ - _'],
        pathPrefix: ['Path prefix must start and end with /, e.g. /apps/'],
        'requiredTags.1.key': ['Enter the tag key'],
        forbiddenActions: [
          'not an action: Forbidden actions look like iam:CreateUser, iam:*Policy or organizations:*',
          'iam:CreateUsr: matches no IAM action; check the spelling',
        ],
        trustedAccountAllowList: [expect.stringMatching(/^12345: /) as string],
        maxSessionDurationCeiling: ['Session duration ceiling must be at least 3600 seconds'],
        'approvals.privilegeEscalation': [
          'Privilege-escalation requests cannot need fewer approvals than other requests',
        ],
      },
    });
    expect((await getGuardrails()).version).toBe(0);
  });

  it('refuses forbidden actions that name no IAM action (a typo would forbid nothing)', async () => {
    const typo = await saveGuardrailsForm(
      carol,
      form({ forbiddenActions: 'iam:CreateUsr\nfoo:Bar\niam:Create*\nsqs:Send*' }),
    );
    expect(typo).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: {
        forbiddenActions: [
          'iam:CreateUsr: matches no IAM action; check the spelling',
          'foo:Bar: foo is not an AWS service prefix',
        ],
      },
    });
    expect((await getGuardrails()).version).toBe(0);
  });

  it('saves with compare-and-set on the version, recording who saved', async () => {
    const first = await saveGuardrailsForm(carol, form());
    expect(first).toMatchObject({ ok: true, value: { version: 1, updatedBy: carol.id } });
    const stored = await getGuardrails();
    expect(stored).toMatchObject({
      version: 1,
      updatedBy: carol.id,
      updatedByName: 'Carol Chen',
      updatedByEmail: carol.email,
      guardrails: {
        roleNamePrefix: 'app-',
        maxSessionDurationCeiling: 7200,
        trustedAccountAllowList: ['123456789012', '210987654321'],
      },
    });
    expect(stored.updatedAt).toBeInstanceOf(Date);

    // Two admins loaded version 1; the first to save wins, the second gets a conflict.
    const second = await saveGuardrailsForm(carol, form({ expectedVersion: '1', roleNamePrefix: 'svc-' }));
    expect(second).toMatchObject({ ok: true, value: { version: 2 } });
    const stale = await saveGuardrailsForm(carol, form({ expectedVersion: '1', roleNamePrefix: 'old-' }));
    expect(stale).toMatchObject({ ok: false, code: 'conflict' });
    const again = await saveGuardrailsForm(carol, form({ expectedVersion: '0' }));
    expect(again).toMatchObject({ ok: false, code: 'conflict' });
    expect(await getGuardrails()).toMatchObject({ version: 2, guardrails: { roleNamePrefix: 'svc-' } });
  });

  it('refuses a form that is not an object of fields, writing nothing', async () => {
    const before = (await getGuardrails()).version;
    for (const input of [null, 'roleNamePrefix=x', ['x']]) {
      expect(await saveGuardrailsForm(carol, input)).toMatchObject({ ok: false, code: 'invalid_input' });
    }
    expect((await getGuardrails()).version).toBe(before);
  });
});
