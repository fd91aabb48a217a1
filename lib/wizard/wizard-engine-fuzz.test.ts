import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/principal';
import { getRequestById } from '@/lib/db/queries/requests';

import { expectWellFormedResult, storedStateFingerprint } from '@/lib/testing/fuzz-db';
import { startFuzzWorld, type FuzzWorld } from '@/lib/testing/fuzz-world';
import type { TestDatabase } from '@/lib/testing/pglite';
import {
  anyInput,
  mutated,
  preview,
  prototypeIsPolluted,
  shortPrint,
  uniqueRoleName,
  validWizardState,
} from '@/lib/testing/wizard-arbitraries';
import type { AccountIam } from '@/lib/wizard/account-reads';
import { previewWizard } from '@/lib/wizard/preview';
import { discardWizardDraft, getWizardDraft, saveWizardDraft } from '@/lib/wizard/drafts';
import { specFromWizardState } from '@/lib/wizard/spec-from-state';
import { submitWizard } from '@/lib/wizard/submit';
import { stepOfField, type WizardState } from '@/lib/wizard/state';

/*
 * The wizard engine under generated and mutated wizard states (issue 12): the state → RoleSpec
 * conversion and the preview the wizard shows. Any state, however broken (wrong types, 300,000
 * characters, NUL, unknown and prototype keys, nesting 2,000 deep, arrays of 20,000), gets an
 * answer, never a throw; every problem is a field error keyed by a wizard state path; a valid
 * state gives its RoleSpec with no error; and a preview changes no stored row.
 */

let test: TestDatabase;

let accountIam: AccountIam;
const fed: Record<string, number> = {};
const people: Principal[] = [];

let world: FuzzWorld;

beforeAll(async () => {
  world = await startFuzzWorld();
  ({ test, accountIam } = world);
  people.push(...world.people);
}, 120_000);

afterAll(async () => {
  await world?.close();
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

describe('submitWizard', () => {
  it('submits a valid state as its RoleSpec and discards the draft; a broken one stores nothing', async () => {
    const submissions = fc.oneof(
      {
        weight: 3,
        arbitrary: validWizardState.map((state) =>
          shortPrint({ input: { ...state, name: uniqueRoleName(state.name) }, valid: true }),
        ),
      },
      {
        weight: 6,
        arbitrary: mutated(
          validWizardState.map((state) => ({ ...state, name: uniqueRoleName(state.name) })),
        ).map(({ input }) => shortPrint({ input, valid: false })),
      },
    );
    let submitted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(submissions, fc.nat(), fc.boolean(), async ({ input, valid }, who, asText) => {
        const principal = people[who % people.length] as Principal;
        const draft = await saveWizardDraft(principal, { step: 'review', title: 'to submit', state: '{}' });
        if (!draft.ok) throw new Error(draft.message);
        let state: string;
        try {
          state = JSON.stringify(input) ?? 'undefined';
        } catch {
          state = '{';
        }
        let body: unknown = asText
          ? { state, draftId: draft.value.id }
          : { state: input, draftId: draft.value.id };
        const before = await storedStateFingerprint(test.db);
        const run = async () => {
          fed.submitWizard = (fed.submitWizard ?? 0) + 1;
          try {
            return await submitWizard(principal, body);
          } catch (error) {
            throw new Error(`submitWizard threw on ${preview(body)}: ${String(error)}`, { cause: error });
          }
        };
        let result = await run();
        expectWellFormedResult(result, 'submitWizard');
        expect(prototypeIsPolluted()).toBe(false);
        const flags = Object.keys((!result.ok && result.fieldErrors) || {});
        if (
          valid &&
          asText &&
          flags.length > 0 &&
          flags.every((key) => key.startsWith('flagJustifications.'))
        ) {
          // A risk flag needs the requester's word, as the wizard asks for it: give it and submit again.
          expect(await storedStateFingerprint(test.db)).toBe(before);
          const justified = {
            ...(input as WizardState),
            flagJustifications: Object.fromEntries(
              flags.map((key) => [key.slice('flagJustifications.'.length), 'Needed for the nightly job']),
            ),
          };
          body = { state: JSON.stringify(justified), draftId: draft.value.id };
          result = await run();
        }
        if (!result.ok) {
          refused += 1;
          if (valid && asText)
            throw new Error(`a valid state was refused: ${JSON.stringify(result)} for ${preview(input)}`);
          expect(await storedStateFingerprint(test.db)).toBe(before);
          expect(await getWizardDraft(principal, draft.value.id)).toMatchObject({ ok: true });
          // Gone again, so that nobody reaches the limit of drafts a person may keep.
          expect(await discardWizardDraft(principal, { id: draft.value.id })).toMatchObject({ ok: true });
          return;
        }
        submitted += 1;
        const stored = await getRequestById(test.db, result.value.requestId);
        const wizard = specFromWizardState(JSON.parse((body as { state: string }).state));
        expect(stored).toMatchObject({ state: 'pending', requester: { id: principal.id } });
        expect(stored?.spec).toEqual(wizard.spec);
        expect(await getWizardDraft(principal, draft.value.id)).toMatchObject({
          ok: false,
          code: 'not_found',
        });
      }),
      { numRuns: 250, endOnFailure: true },
    );
    expect(submitted).toBeGreaterThan(30);
    expect(refused).toBeGreaterThan(60);
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
