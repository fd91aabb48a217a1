import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import { createAccountClients } from '@/lib/aws/account-clients';
import { startHarness, type Harness } from '@/lib/sandbox/test-harness';
import { storedStateFingerprint } from '@/lib/testing/fuzz-db';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import {
  anyInput,
  mutated,
  preview,
  prototypeIsPolluted,
  shortPrint,
  validWizardState,
} from '@/lib/testing/wizard-arbitraries';
import type { AccountIam } from '@/lib/wizard/account-reads';
import { previewWizard } from '@/lib/wizard/preview';
import { forgetCachedReads } from '@/lib/wizard/read-cache';
import { specFromWizardState } from '@/lib/wizard/spec-from-state';
import { stepOfField, type WizardState } from '@/lib/wizard/state';

/*
 * The wizard engine under generated and mutated wizard states (issue 12): the state → RoleSpec
 * conversion and the preview the wizard shows. Any state, however broken (wrong types, 300,000
 * characters, NUL, unknown and prototype keys, nesting 2,000 deep, arrays of 20,000), gets an
 * answer, never a throw; every problem is a field error keyed by a wizard state path; a valid
 * state gives its RoleSpec with no error; and a preview changes no stored row.
 */

let test: TestDatabase;
let harness: Harness;
let accountIam: AccountIam;
const fed: Record<string, number> = {};

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
}, 120_000);

afterAll(async () => {
  forgetCachedReads();
  await harness?.close();
  await test?.close();
  console.info('wizard engine fuzz: inputs per function', fed);
});

const STATE_FIELDS = new Set<string>([...Object.keys(validStateExample()), '_form']);

function validStateExample(): WizardState {
  return fc.sample(validWizardState, { numRuns: 1, seed: 1 })[0] as WizardState;
}

/** Field errors: non-empty lists of non-empty messages, keyed by a path into the wizard state. */
function expectStateKeyedErrors(errors: unknown, input: unknown): void {
  expect(errors).toBeTypeOf('object');
  for (const [key, messages] of Object.entries(errors as Record<string, unknown>)) {
    const head = key.split('.')[0] ?? '';
    if (!STATE_FIELDS.has(head))
      throw new Error(`error key ${key} is no wizard field, for ${preview(input)}`);
    expect(['trust', 'permissions', 'review']).toContain(stepOfField(key));
    expect(Array.isArray(messages) && messages.length > 0).toBe(true);
    for (const message of messages as unknown[])
      expect(typeof message === 'string' && message.trim() !== '').toBe(true);
  }
}

const states = fc.oneof(
  {
    weight: 3,
    arbitrary: validWizardState.map((state) => shortPrint({ input: state, valid: true })),
  },
  { weight: 6, arbitrary: mutated(validWizardState).map(({ input }) => shortPrint({ input, valid: false })) },
  { weight: 1, arbitrary: anyInput.map((input) => shortPrint({ input, valid: false })) },
);

describe('specFromWizardState', () => {
  it('answers any state without throwing: errors keyed by wizard fields, a RoleSpec only without errors', () => {
    let built = 0;
    fc.assert(
      fc.property(states, ({ input, valid }) => {
        fed.specFromWizardState = (fed.specFromWizardState ?? 0) + 1;
        let wizard: ReturnType<typeof specFromWizardState>;
        try {
          wizard = specFromWizardState(input);
        } catch (error) {
          throw new Error(`specFromWizardState threw on ${preview(input)}: ${String(error)}`, {
            cause: error,
          });
        }
        expect(prototypeIsPolluted()).toBe(false);
        expectStateKeyedErrors(wizard.fieldErrors, input);
        const hasErrors = Object.keys(wizard.fieldErrors).length > 0;
        expect(wizard.spec === null).toBe(hasErrors);
        if (valid) {
          if (hasErrors)
            throw new Error(
              `a valid state has errors ${JSON.stringify(wizard.fieldErrors)}: ${preview(input)}`,
            );
          const state = input as WizardState;
          expect(wizard.spec).toMatchObject({ accountId: state.accountId, name: state.name });
          expect(wizard.spec?.maxSessionDuration).toBe(Number(state.maxSessionHours) * 3600);
          expect(wizard.state).toEqual(state);
        }
        if (wizard.spec) built += 1;
      }),
      { numRuns: 3_000, endOnFailure: true },
    );
    expect(built).toBeGreaterThan(300);
  }, 120_000);
});

describe('previewWizard', () => {
  it('previews any state without throwing or changing a stored row; only a body without a state is refused', async () => {
    const before = await storedStateFingerprint(test.db);
    const bodies = fc.oneof(
      {
        weight: 9,
        arbitrary: states.map(({ input, valid }) => shortPrint({ body: { state: input }, valid })),
      },
      { weight: 1, arbitrary: anyInput.map((body) => shortPrint({ body, valid: false })) },
    );
    await fc.assert(
      fc.asyncProperty(bodies, async ({ body, valid }) => {
        fed.previewWizard = (fed.previewWizard ?? 0) + 1;
        let result: Awaited<ReturnType<typeof previewWizard>>;
        try {
          result = await previewWizard(body, { accountIam });
        } catch (error) {
          throw new Error(`previewWizard threw on ${preview(body)}: ${String(error)}`, { cause: error });
        }
        expect(prototypeIsPolluted()).toBe(false);
        const hasState = body !== null && typeof body === 'object' && !Array.isArray(body) && 'state' in body;
        if (!result.ok) {
          expect(hasState).toBe(false);
          expect(result.code).toBe('invalid_input');
          expect(result.message.trim()).not.toBe('');
          return;
        }
        expectStateKeyedErrors(result.value.fieldErrors, body);
        if (valid) {
          expect(result.value.trustPolicy).not.toBeNull();
          expect(JSON.parse(result.value.trustPolicy ?? '')).toBeTypeOf('object');
        }
      }),
      { numRuns: 300, endOnFailure: true },
    );
    expect(await storedStateFingerprint(test.db)).toBe(before);
  }, 120_000);
});
