import { CreatePolicyCommand } from '@aws-sdk/client-iam';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import { createAccountClients } from '@/lib/aws/account-clients';
import { startHarness, type Harness } from '@/lib/sandbox/test-harness';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import type { AccountIam } from '@/lib/wizard/account-reads';
import { previewWizard } from '@/lib/wizard/preview';
import type { WizardPreview } from '@/lib/wizard/preview-types';
import { forgetCachedReads } from '@/lib/wizard/read-cache';
import { emptyWizardState, flagKey, type WizardState } from '@/lib/wizard/state';

const PRODUCTION = '444455556666';
let test: TestDatabase;
let harness: Harness;
let accountIam: AccountIam;

beforeAll(async () => {
  test = await createTestPglite();
  await seedSandboxData();
  harness = await startHarness();
  accountIam = (account) => {
    const keys = harness.server.emulator.describe().accounts.find((item) => item.id === account.id);
    if (!keys) throw new Error(account.id);
    return Promise.resolve(
      createAccountClients(account.id, {
        endpoint: harness.server.endpoint,
        region: 'us-east-1',
        credentials: keys.provisioner,
        maxAttempts: 1,
      }).iam,
    );
  };
  forgetCachedReads();
}, 60_000);
afterAll(async () => {
  await harness.close();
  await test.close();
});

const lambda = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['lambda:ListFunctions', 'lambda:InvokeFunktion'], Resource: '*' },
    ],
  },
  null,
  4,
);

function state(changes: Partial<WizardState> = {}): WizardState {
  return {
    ...emptyWizardState(PRODUCTION),
    awsAccount: {
      which: 'other',
      accountId: '111122223333',
      requireExternalId: false,
      externalId: '',
      requireMfa: true,
    },
    ...changes,
  };
}

async function preview(value: unknown): Promise<WizardPreview> {
  const result = await previewWizard({ state: value }, { accountIam });
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('previewWizard', () => {
  it('shows the trust policy and who can assume it from step 1 alone, with the other steps’ errors counted', async () => {
    const result = await preview(state());
    expect(JSON.parse(result.trustPolicy ?? '')).toMatchObject({
      Statement: [
        {
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
      ],
    });
    expect(result.whoCanAssume).toBe('Users and roles in account 111122223333 who signed in with MFA');
    expect(result.fieldErrors).toEqual({
      name: ['Enter a role name'],
      justification: ['Explain why the role is needed'],
    });
    expect(result.errorCounts).toEqual({ trust: 0, permissions: 0, review: 2 });
    expect(result.access).toBeNull();
    expect(result.meters).toMatchObject({
      managedPolicies: { used: 0, quota: 10 },
      trustPolicySize: { quota: 2048 },
      tags: { used: 1, quota: 50 },
      inlinePoliciesSize: { used: 0, quota: 10_240 },
    });
    expect(result.guardrails).toMatchObject({ roleNamePrefix: null, pathPrefix: '/', maxSessionHours: 12 });
  });

  it('gives findings per custom policy at their positions, keyed by its id, and errors on its field', async () => {
    const result = await preview(
      state({
        name: 'LambdaDev',
        justification: 'x',
        customPolicies: [
          { id: 'p1', kind: 'inline', name: 'Lambda', description: '', document: lambda, editor: 'json' },
        ],
      }),
    );
    const document = result.documents.find((item) => item.key === 'policy:p1');
    expect(document).toMatchObject({ title: 'Inline policy Lambda', field: 'customPolicies.p1.document' });
    expect(document?.findings).toContainEqual(
      expect.objectContaining({
        code: 'unknown_action',
        severity: 'error',
        line: 8,
        suggestions: ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl'],
      }),
    );
    expect(result.fieldErrors['customPolicies.p1.document']).toEqual([
      expect.stringMatching(/InvokeFunktion.*line 8/),
    ]);
    expect(result.errorCounts.permissions).toBe(1);
    expect(result.accessSummary?.services.map((service) => service.prefix)).toEqual(['lambda']);
    expect(result.access).toMatchObject({
      roleArn: `arn:aws:iam::${PRODUCTION}:role/LambdaDev`,
      switchRole: { ok: true, requiresMfa: true },
      cliProfile: { ok: true },
    });
  });

  it('lists risk flags, attached managed policies’ included, and asks a justification for the serious ones', async () => {
    const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
    const result = await preview(state({ managedPolicyArns: [admin], name: 'Admin', justification: 'x' }));
    const key = flagKey('full_admin', `managed:${admin}`);
    expect(result.risks).toContainEqual(
      expect.objectContaining({
        key,
        code: 'full_admin',
        severity: 'critical',
        documentKey: `managed:${admin}`,
        requiresJustification: true,
      }),
    );
    expect(result.fieldErrors[`flagJustifications.${key}`]).toEqual([expect.stringMatching(/^Explain why/)]);
    const justified = await preview(
      state({
        managedPolicyArns: [admin],
        name: 'Admin',
        justification: 'x',
        flagJustifications: { [key]: 'break glass' },
      }),
    );
    expect(justified.fieldErrors[`flagJustifications.${key}`]).toBeUndefined();
    expect(justified.accessSummary?.services.length).toBeGreaterThan(100);
  });

  it('raises a security warning of a third party without external ID, and the guardrails on their fields', async () => {
    const result = await preview(
      state({
        awsAccount: {
          which: 'other',
          accountId: '999988887777',
          requireExternalId: false,
          externalId: '',
          requireMfa: false,
        },
        maxSessionHours: '12',
      }),
    );
    expect(result.fieldErrors['awsAccount.accountId']).toEqual([expect.stringMatching(/allow-list/)]);
    const guardrails = result.documents.find((item) => item.key === 'guardrails');
    expect(
      guardrails?.problems?.find((problem) => problem.field === 'awsAccount.accountId')?.message,
    ).toMatch(/allow-list/);
    expect(result.risks.some((risk) => risk.documentKey === 'trust' && risk.requiresJustification)).toBe(
      true,
    );
  });

  it('recognises a custom trust policy that a card builds, and reads a customer managed policy of the account', async () => {
    await harness.iam(PRODUCTION).send(
      new CreatePolicyCommand({
        PolicyName: 'PreviewDeploy',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
        }),
      }),
    );
    const result = await preview(
      state({
        entity: 'custom',
        custom: {
          document: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
            ],
          }),
        },
        managedPolicyArns: [`arn:aws:iam::${PRODUCTION}:policy/PreviewDeploy`],
      }),
    );
    expect(result.recognizedCard).toBe('aws_service');
    // "Use that option instead" fills the card with what the document says.
    expect(result.recognizedState).toEqual({
      awsService: { presetIds: ['ec2'], otherPrincipals: '', tagSession: false },
    });
    expect(result.accessSummary?.services.map((service) => service.prefix)).toEqual(['s3']);
  });

  it('answers garbage with field errors, never a failure (property)', async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (json) => {
        for (const value of [json, { ...state(), customPolicies: json, tags: json, awsAccount: json }]) {
          const result = await previewWizard({ state: value }, { accountIam });
          expect(result.ok).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
    expect(await previewWizard('nope')).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await previewWizard(null)).toMatchObject({ ok: false, code: 'invalid_input' });
    // A safety check, not a figure (300 previews take 1–3 s): a minute means a preview went
    // superlinear in a generated value's size or nesting (a validator or error path walking it
    // again and again). The test's own timeout is above it so that this message is what fails.
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);

  // Its speed is the benchmark `wizard.preview_typical_median_ms` (`npm run bench -- wizard.bench`).
  it('answers a typical state the same when the managed policy is read again from the cache', async () => {
    const typical = state({
      name: 'LambdaDev',
      justification: 'x',
      managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      customPolicies: [
        { id: 'p1', kind: 'inline', name: 'Lambda', description: '', document: lambda, editor: 'json' },
      ],
    });
    forgetCachedReads();
    const first = await preview(typical);
    expect(first.meters.managedPolicies.used).toBe(1);
    expect(first.fieldErrors['customPolicies.p1.document']).toEqual([
      expect.stringMatching(/InvokeFunktion.*line 8/),
    ]);
    // ReadOnlyAccess, read from the account, reaches far beyond the inline policy's Lambda.
    expect(first.accessSummary?.services.length).toBeGreaterThan(100);
    expect(await preview(typical)).toEqual(first);
  });
});
