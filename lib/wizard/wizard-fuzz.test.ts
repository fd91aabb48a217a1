import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/principal';
import { getRequestById } from '@/lib/db/queries/requests';
import { roleSpecSchema } from '@/lib/iam/role-spec';
import { createAndSubmitRequest, createDraft } from '@/lib/requests/requests';

import { expectWellFormedResult, storedStateFingerprint } from '@/lib/testing/fuzz-db';
import { startFuzzWorld, type FuzzWorld } from '@/lib/testing/fuzz-world';
import type { TestDatabase } from '@/lib/testing/pglite';
import {
  anyInput,
  identityPolicyDocument,
  mutated,
  preview,
  prototypeIsPolluted,
  shortPrint,
  TARGET_ACCOUNTS,
  trustPolicyDocument,
  validRoleSpec,
  validWizardState,
  type Mutated,
} from '@/lib/testing/wizard-arbitraries';
import {
  checkRoleNameAvailability,
  getManagedPolicyDetails,
  listIdentityProviders,
  searchManagedPolicies,
  type AccountIam,
} from '@/lib/wizard/account-reads';
import { getServiceDetails, searchServices } from '@/lib/wizard/catalogue-reads';
import { discardWizardDraft, getWizardDraft, listWizardDrafts, saveWizardDraft } from '@/lib/wizard/drafts';

import { validateWizardDocument } from '@/lib/wizard/validate-document';

/*
 * The wizard's server side under generated and mutated input (issue 12): valid wizard states and
 * role specs, and the same with one thing broken (a wrong type, empty, 10k–300k characters, NUL,
 * lone surrogates, emoji, numbers as strings, unknown and prototype keys, nesting 40–5,000 deep,
 * arrays of 20,000), fed to the `lib` functions behind the wizard's actions and reads on PGlite,
 * with the account reads answered over HTTP by the standalone emulator. Properties: nothing
 * throws, every failure is a `Result` with a message, no failure changes a stored row, no
 * prototype is polluted, and valid input is accepted and reads back as sent.
 */

let test: TestDatabase;

let accountIam: AccountIam;
const people: Principal[] = [];
/** Inputs fed per function, reported at the end and summed against the 10,000. */
const fed: Record<string, number> = {};
const count = (name: string) => {
  fed[name] = (fed[name] ?? 0) + 1;
};

let world: FuzzWorld;

beforeAll(async () => {
  world = await startFuzzWorld();
  ({ test, accountIam } = world);
  people.push(...world.people);
}, 120_000);

afterAll(async () => {
  await world?.close();
  const total = Object.values(fed).reduce((sum, value) => sum + value, 0);
  console.info(`wizard fuzz: ${total} inputs`, fed);
});

const person = (index: number): Principal => people[index % people.length] as Principal;

/** Calls `run`, failing the property with the input if it throws rather than answering. */
async function answer(what: string, input: unknown, run: () => Promise<unknown>): Promise<unknown> {
  count(what);
  let result: unknown;
  const started = performance.now();
  try {
    result = await run();
  } catch (error) {
    throw new Error(`${what} threw on ${preview(input)}: ${String(error)}`, { cause: error });
  }
  const took = performance.now() - started;
  // A safety check, not a figure (one answer takes milliseconds; the wizard's figures are in
  // `npm run bench -- wizard`): 20 s is a hang, or a path quadratic or worse in the generated
  // input's size, never a busy CI machine.
  if (took > 20_000) throw new Error(`${what} took ${took.toFixed(0)} ms on ${preview(input)}`);
  expectWellFormedResult(result, what);
  if (prototypeIsPolluted()) throw new Error(`${what} polluted a prototype with ${preview(input)}`);
  return result;
}

/** `valid` unchanged three times in ten, one thing broken otherwise. */
function validOrMutated<T>(
  valid: fc.Arbitrary<T>,
): fc.Arbitrary<{ input: unknown; mutation: Mutated['mutation'] | null }> {
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((input) => shortPrint({ input, mutation: null })) },
    { weight: 7, arbitrary: mutated(valid) },
  );
}

/** The two arguments of an account read, from a generated pair (a broken one may be anything). */
function pair(input: unknown): [unknown, unknown] {
  return Array.isArray(input) ? [input[0] as unknown, input[1] as unknown] : [input, undefined];
}

const params = (numRuns: number) => ({ numRuns, endOnFailure: true });

describe('catalogue reads and validation (no stored state)', () => {
  it('validateWizardDocument answers every request with a Result, and validates valid documents', async () => {
    const validRequest = fc.oneof(
      fc.record({
        kind: fc.constantFrom('identity' as const, 'boundary' as const),
        document: identityPolicyDocument,
        accountId: fc.constantFrom(...TARGET_ACCOUNTS),
        identityPolicyType: fc.constantFrom('inline' as const, 'managed' as const),
        otherInlinePoliciesSize: fc.nat({ max: 5_000 }),
      }),
      fc.record({
        kind: fc.constant('trust' as const),
        document: trustPolicyDocument,
        accountId: fc.constantFrom(...TARGET_ACCOUNTS),
      }),
    );
    // Documents that are valid requests but odd JSON: the validator must answer with findings.
    const oddDocument = fc.record({
      kind: fc.constantFrom('identity' as const, 'trust' as const, 'boundary' as const),
      document: fc.oneof(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.jsonValue({ maxDepth: 6 }).map((value) => JSON.stringify(value)),
        mutated(identityPolicyDocument.map((text) => JSON.parse(text) as unknown)).map(({ input }) =>
          (JSON.stringify(input) ?? '').slice(0, 32_768),
        ),
      ),
    });
    const before = await storedStateFingerprint(test.db);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          validOrMutated(validRequest),
          oddDocument.map((input) => ({ input, mutation: null })),
        ),
        async ({ input, mutation }) => {
          const result = await answer('validateWizardDocument', input, () => validateWizardDocument(input));
          if (mutation === null && !(result as { ok: boolean }).ok)
            throw new Error(`a valid request was refused: ${preview(input)} → ${preview(result)}`);
        },
      ),
      params(4_000),
    );
    await fc.assert(
      fc.asyncProperty(anyInput, async (input) => {
        await answer('validateWizardDocument', input, () => validateWizardDocument(input));
      }),
      params(300),
    );
    expect(await storedStateFingerprint(test.db)).toBe(before);
  }, 120_000);

  it('searchServices and getServiceDetails answer every query with a Result', async () => {
    const query = validOrMutated(
      fc.record({
        q: fc.constantFrom('s3', 'lambda', 'Simple Storage', 'ec', ''),
        limit: fc.integer({ min: 1, max: 50 }).map(String),
      }),
    );
    await fc.assert(
      fc.asyncProperty(query, async ({ input, mutation }) => {
        const result = await answer('searchServices', input, () => searchServices(input));
        if (mutation === null) expect(result).toMatchObject({ ok: true });
      }),
      params(400),
    );
    const prefix = validOrMutated(fc.constantFrom('s3', 'lambda', 'iam', 'ec2', 'dynamodb'));
    await fc.assert(
      fc.asyncProperty(prefix, async ({ input, mutation }) => {
        const result = await answer('getServiceDetails', input, () => getServiceDetails(input));
        if (mutation === null) expect(result).toMatchObject({ ok: true });
      }),
      params(400),
    );
  }, 120_000);
});

describe('account reads (the emulator over HTTP)', () => {
  it('checkRoleNameAvailability, searchManagedPolicies, getManagedPolicyDetails and listIdentityProviders never fail on the server', async () => {
    const before = await storedStateFingerprint(test.db);
    const nameCheck = validOrMutated(
      fc.tuple(
        fc.constantFrom(...TARGET_ACCOUNTS),
        fc.record({
          name: fc.constantFrom('app-reader', 'DemoReadOnly', 'demoreadonly', 'x', 'a'.repeat(64)),
        }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(nameCheck, async ({ input, mutation }) => {
        const [accountId, query] = pair(input);
        const result = await answer('checkRoleNameAvailability', input, () =>
          checkRoleNameAvailability(accountId, query, accountIam),
        );
        if (mutation === null) expect(result).toMatchObject({ ok: true });
      }),
      params(600),
    );
    const policySearch = validOrMutated(
      fc.tuple(
        fc.constantFrom(...TARGET_ACCOUNTS),
        fc.record({
          q: fc.constantFrom('', 'read', 'ReadOnlyAccess', 's3 read', 'admin'),
          type: fc.constantFrom('aws', 'customer', 'all'),
          limit: fc.integer({ min: 1, max: 100 }),
          cursor: fc.constantFrom(undefined, 'arn:aws:iam::aws:policy/ReadOnlyAccess'),
        }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(policySearch, async ({ input, mutation }) => {
        const [accountId, query] = pair(input);
        const result = await answer('searchManagedPolicies', input, () =>
          searchManagedPolicies(accountId, query, accountIam),
        );
        if (mutation === null) expect(result).toMatchObject({ ok: true });
      }),
      params(600),
    );
    const policyRef = validOrMutated(
      fc.tuple(
        fc.constantFrom(...TARGET_ACCOUNTS),
        fc.constantFrom('ReadOnlyAccess', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'),
      ),
    );
    await fc.assert(
      fc.asyncProperty(policyRef, async ({ input, mutation }) => {
        const [accountId, ref] = pair(input);
        const result = await answer('getManagedPolicyDetails', input, () =>
          getManagedPolicyDetails(accountId, ref, accountIam),
        );
        if (mutation === null) expect(result).toMatchObject({ ok: true });
      }),
      params(200),
    );
    await fc.assert(
      fc.asyncProperty(validOrMutated(fc.constantFrom(...TARGET_ACCOUNTS)), async ({ input, mutation }) => {
        const result = await answer('listIdentityProviders', input, () =>
          listIdentityProviders(input, accountIam),
        );
        if (mutation === null) expect(result).toMatchObject({ ok: true });
      }),
      params(200),
    );
    expect(await storedStateFingerprint(test.db)).toBe(before);
  }, 120_000);
});

describe('wizard drafts', () => {
  const envelope = fc
    .record({
      step: fc.constantFrom('trust', 'permissions', 'review'),
      title: fc.string({ maxLength: 60 }).filter((title) => !title.includes('\u0000')),
      accountId: fc.constantFrom(...TARGET_ACCOUNTS),
      state: validWizardState,
      asText: fc.boolean(),
    })
    .map(({ asText, state, ...rest }) => ({ ...rest, state: asText ? JSON.stringify(state) : state }));

  it('saveWizardDraft keeps valid work exactly, and refuses a broken envelope without storing anything', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(validOrMutated(envelope), fc.nat(), async ({ input, mutation }, who) => {
        const principal = person(who);
        const before = await storedStateFingerprint(test.db);
        const result = (await answer('saveWizardDraft', input, () => saveWizardDraft(principal, input))) as {
          ok: boolean;
          value?: { id: string; state: unknown };
        };
        if (!result.ok) {
          refused += 1;
          if (mutation === null) throw new Error(`a valid draft was refused: ${preview(result)}`);
          expect(await storedStateFingerprint(test.db)).toBe(before);
          return;
        }
        // Accepted (valid, or broken only inside the unvalidated state): it reads back as sent.
        const sent = (input as { state: unknown }).state;
        const expected =
          typeof sent === 'string'
            ? (JSON.parse(sent) as unknown)
            : (JSON.parse(JSON.stringify(sent)) as unknown);
        const id = result.value?.id ?? '';
        const read = await answer('getWizardDraft', id, () => getWizardDraft(principal, id));
        expect(read).toMatchObject({ ok: true, value: { id } });
        expect((read as { value: { state: unknown } }).value.state).toEqual(expected);
        expect(
          await answer('discardWizardDraft', { id }, () => discardWizardDraft(principal, { id })),
        ).toEqual({
          ok: true,
          value: { id },
        });
      }),
      params(700),
    );
    expect(refused).toBeGreaterThan(700 * 0.3);
  }, 120_000);

  it('saveWizardDraft over an existing draft: a broken update leaves the draft as it was', async () => {
    const owner = person(0);
    const created = await saveWizardDraft(owner, { step: 'trust', title: 'base', state: '{"a":1}' });
    if (!created.ok) throw new Error(created.message);
    const base = {
      id: created.value.id,
      expectedVersion: created.value.version,
      step: 'permissions',
      title: 'update',
      state: { b: 2 },
    };
    await fc.assert(
      fc.asyncProperty(mutated(fc.constant(base)), async ({ input }) => {
        const before = await storedStateFingerprint(test.db);
        const result = (await answer('saveWizardDraft', input, () => saveWizardDraft(owner, input))) as {
          ok: boolean;
        };
        if (!result.ok) expect(await storedStateFingerprint(test.db)).toBe(before);
        else {
          // Accepted: put the base back at a version the next run knows.
          const current = await getWizardDraft(owner, created.value.id);
          if (!current.ok) throw new Error('draft vanished');
          base.expectedVersion = current.value.version;
        }
      }),
      params(400),
    );
  }, 120_000);

  it('getWizardDraft and discardWizardDraft answer any id with a Result and change nothing but their own draft', async () => {
    const others = await saveWizardDraft(person(1), { step: 'trust', title: "Dave's", state: '{}' });
    if (!others.ok) throw new Error(others.message);
    const ids = fc.oneof(
      anyInput,
      fc.uuid(),
      fc.constant(others.value.id),
      fc.constant(others.value.id.toUpperCase()),
      fc.constant(` ${others.value.id} `),
    );
    const before = await storedStateFingerprint(test.db);
    await fc.assert(
      fc.asyncProperty(ids, async (id) => {
        // Alice asks for ids that are not hers (among them Dave's draft): nothing is found or removed.
        const read = await answer('getWizardDraft', id, () => getWizardDraft(person(0), id));
        expect(read).toMatchObject({ ok: false });
        const discarded = await answer('discardWizardDraft', { id }, () =>
          discardWizardDraft(person(0), { id }),
        );
        expect(discarded).toMatchObject({ ok: false });
        const raw = await answer('discardWizardDraft', id, () => discardWizardDraft(person(0), id));
        expect(raw).toMatchObject({ ok: false });
      }),
      params(400),
    );
    expect(await storedStateFingerprint(test.db)).toBe(before);
    expect((await listWizardDrafts(person(1))).map((draft) => draft.id)).toContain(others.value.id);
  }, 120_000);
});

describe('requests at Submit', () => {
  const submission = fc.record({
    kind: fc.constant('create'),
    spec: validRoleSpec,
    justification: fc.constantFrom('Reads the application logs', 'CI deploys', 'Audit'),
    flagJustifications: fc.constantFrom({}, { 'unknown@trust': 'no such flag' }),
    roleUsers: fc.constantFrom('', 'dana@example.com', 'dana@example.com\nlee@example.com'),
  });

  for (const [name, submit, runs] of [
    ['createDraft', createDraft, 400],
    ['createAndSubmitRequest', createAndSubmitRequest, 250],
  ] as const) {
    it(`${name} saves a valid spec as sent, and a spec with one field broken changes nothing`, async () => {
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(validOrMutated(submission), fc.nat(), async ({ input, mutation }, who) => {
          const principal = person(who);
          const before = await storedStateFingerprint(test.db);
          let result = (await answer(name, input, () => submit(principal, input))) as {
            ok: boolean;
            value?: { id: string };
            fieldErrors?: Record<string, string[]>;
          };
          const flagKeys = Object.keys(result.fieldErrors ?? {});
          if (
            mutation === null &&
            flagKeys.length > 0 &&
            flagKeys.every((key) => key.startsWith('flagJustifications.'))
          ) {
            // A risk flag needs the requester's word (as the wizard asks): give it, and submit again.
            const justified = {
              ...(input as Record<string, unknown>),
              flagJustifications: Object.fromEntries(
                flagKeys.map((key) => [
                  key.slice('flagJustifications.'.length),
                  'Needed for the nightly job',
                ]),
              ),
            };
            expect(await storedStateFingerprint(test.db)).toBe(before);
            result = (await answer(name, justified, () => submit(principal, justified))) as typeof result;
          }
          if (!result.ok) {
            refused += 1;
            if (mutation === null)
              throw new Error(`a valid spec was refused: ${preview(input)} → ${preview(result)}`);
            expect(await storedStateFingerprint(test.db)).toBe(before);
            return;
          }
          const stored = await getRequestById(test.db, result.value?.id ?? '');
          const spec = (input as { spec: unknown }).spec;
          expect(stored?.spec).toEqual(
            roleSpecSchema.parse(typeof spec === 'string' ? JSON.parse(spec) : spec),
          );
          expect(stored?.state).toBe(name === 'createDraft' ? 'draft' : 'pending');
        }),
        params(runs),
      );
      // Most broken specs are refused (a few breaks leave a valid spec, e.g. an unknown key).
      expect(refused).toBeGreaterThan(runs * 0.4);
    }, 120_000);
  }
});

describe('the whole run', () => {
  it('fed the wizard’s lib functions at least 10,000 inputs', () => {
    const total = Object.values(fed).reduce((sum, value) => sum + value, 0);
    expect(total).toBeGreaterThanOrEqual(10_000);
  });
});
