import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import type { Principal } from '@/lib/auth/principal';
import { loadPrincipal, seedSandboxPeopleInto } from '@/lib/auth/users';
import { parseEnv } from '@/lib/env';
import { createAndSubmitRequest, createDraft } from '@/lib/requests/requests';
import { alice as requester, roleSpec } from '@/lib/requests/test-fixtures';
import { isStorableJson, isStorableText } from '@/lib/iam/storable-text';
import { storedStateFingerprint } from '@/lib/testing/fuzz-db';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import { saveWizardDraft } from '@/lib/wizard/drafts';

/*
 * Cases the wizard's property-based test (wizard-fuzz.test.ts) found, kept as plain tests. Each
 * was a server error: PostgreSQL refuses NUL in text and jsonb, and unpaired surrogates in jsonb,
 * so these inputs threw from the database instead of coming back as field errors.
 */

let test: TestDatabase;
let alice: Principal;

beforeAll(async () => {
  test = await createTestPglite();
  await seedSandboxPeopleInto(test.db);
  await seedSandboxData();
  const principal = await loadPrincipal(test.db, parseEnv({ ROLESMITH_MODE: 'sandbox' }), 'demo-alice');
  if (!principal) throw new Error('demo-alice');
  alice = principal;
}, 60_000);
afterAll(async () => {
  await test.close();
});

describe('storable text', () => {
  it('refuses NUL and unpaired surrogates, and keeps emoji and other paired surrogates', () => {
    expect(isStorableText('plain, é, 🙂, 👩‍👩‍👧‍👦')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('\ud800')).toBe(false);
    expect(isStorableText('x\udfffy')).toBe(false);
    expect(isStorableText('\ud83d')).toBe(false);
    expect(isStorableJson({ a: ['ok', { b: '🙂' }] })).toBe(true);
    expect(isStorableJson({ a: [{ b: 'x\u0000' }] })).toBe(false);
    expect(isStorableJson({ '\u0000': 1 })).toBe(false);
  });
});

describe('a wizard draft with characters PostgreSQL cannot store', () => {
  it.each([
    { name: 'a NUL in a state value', input: { state: { accountId: '\u0000' } }, key: 'state' },
    { name: 'a NUL in a state key', input: { state: '{"b":2,"\\u0000":null}' }, key: 'state' },
    { name: 'an unpaired surrogate in the state', input: { state: { name: 'x\ud800' } }, key: 'state' },
    { name: 'a NUL in the title', input: { title: 'my\u0000draft' }, key: 'title' },
    { name: 'an unpaired surrogate in the title', input: { title: '\udfff' }, key: 'title' },
  ])('is refused under $key when it has $name, storing nothing', async ({ input, key }) => {
    const before = await storedStateFingerprint(test.db);
    const result = await saveWizardDraft(alice, { step: 'trust', state: '{}', ...input });
    expect(result).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { [key]: [expect.any(String)] },
    });
    expect(await storedStateFingerprint(test.db)).toBe(before);
  });
});

describe('a request with characters PostgreSQL cannot store', () => {
  const cases = [
    {
      name: 'a NUL in the justification',
      input: { spec: roleSpec({ name: 'nul-1' }), justification: 'why\u0000' },
      key: 'justification',
    },
    {
      name: 'a NUL in a new managed policy description',
      input: {
        spec: roleSpec({
          name: 'nul-2',
          newManagedPolicies: [
            {
              name: 'Deploy',
              description: 'x\u0000',
              document: JSON.stringify({
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
              }),
            },
          ],
        }),
        justification: 'why',
      },
      key: 'newManagedPolicies.0.description',
    },
    {
      name: 'a NUL in a flag justification',
      input: {
        spec: roleSpec({ name: 'nul-4' }),
        justification: 'why',
        flagJustifications: { 'unknown@trust': 'a\u0000' },
      },
      key: 'flagJustifications.unknown@trust',
    },
    {
      name: 'an unpaired surrogate in a flag key',
      input: {
        spec: roleSpec({ name: 'nul-5' }),
        justification: 'why',
        flagJustifications: { 'x\ud800': 'because' },
      },
      key: 'flagJustifications.x\ud800',
    },
    {
      name: 'an unpaired surrogate in a custom trust policy',
      input: {
        spec: roleSpec({
          name: 'nul-3',
          trustedEntity: { type: 'custom', document: '{"Version":"\ud800"}' },
        }),
        justification: 'why',
      },
      key: 'trustedEntity.document',
    },
  ];
  for (const submit of [createDraft, createAndSubmitRequest]) {
    it.each(cases)(`${submit.name} refuses $name under $key, storing nothing`, async ({ input, key }) => {
      const before = await storedStateFingerprint(test.db);
      const result = await submit(requester, { kind: 'create', ...input });
      expect(result).toMatchObject({
        ok: false,
        code: 'invalid_input',
        fieldErrors: { [key]: [expect.any(String)] },
      });
      expect(await storedStateFingerprint(test.db)).toBe(before);
    });
  }
});
