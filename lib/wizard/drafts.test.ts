import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import type { Principal } from '@/lib/auth/principal';
import { loadPrincipal, seedSandboxPeopleInto } from '@/lib/auth/users';
import { parseEnv } from '@/lib/env';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import {
  discardWizardDraft,
  getWizardDraft,
  listWizardDrafts,
  maxDraftStateBytes,
  maxDraftsPerPerson,
  saveWizardDraft,
} from '@/lib/wizard/drafts';

let test: TestDatabase;
let alice: Principal;
let dave: Principal;

beforeAll(async () => {
  test = await createTestPglite();
  await seedSandboxPeopleInto(test.db);
  await seedSandboxData();
  const env = parseEnv({ ROLESMITH_MODE: 'sandbox' });
  const load = async (id: string) => {
    const principal = await loadPrincipal(test.db, env, id);
    if (!principal) throw new Error(id);
    return principal;
  };
  alice = await load('demo-alice');
  dave = await load('demo-dave');
}, 60_000);
afterAll(async () => {
  await test.close();
});

const PRODUCTION = '444455556666';

function save(principal: Principal, input: Record<string, unknown>) {
  return saveWizardDraft(principal, { step: 'trust', state: '{}', ...input });
}

describe('wizard drafts', () => {
  it('saves a new draft from form fields and reads it back for its owner only', async () => {
    const state = { trust: { card: 'aws_account', accountId: '111122223333' }, name: 'app-reader' };
    const saved = await save(alice, {
      accountId: PRODUCTION,
      step: 'permissions',
      title: ' app-reader ',
      state: JSON.stringify(state),
    });
    if (!saved.ok) throw new Error(saved.message);
    expect(saved.value).toMatchObject({
      ownerId: 'demo-alice',
      accountId: PRODUCTION,
      step: 'permissions',
      title: 'app-reader',
      state,
      version: 1,
    });
    expect(await getWizardDraft(alice, saved.value.id)).toMatchObject({ ok: true, value: { state } });
    // Another person's draft is not found, as is a malformed id.
    expect(await getWizardDraft(dave, saved.value.id)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await getWizardDraft(alice, 'not-a-uuid')).toMatchObject({ ok: false, code: 'not_found' });
    expect((await listWizardDrafts(dave)).map((draft) => draft.id)).not.toContain(saved.value.id);
  });

  it('updates at the loaded version only: a second tab with a stale version gets conflict', async () => {
    const created = await save(alice, { title: 'two-tabs' });
    if (!created.ok) throw new Error(created.message);
    const id = created.value.id;
    const first = await save(alice, { id, expectedVersion: '1', step: 'permissions', state: '{"tab":1}' });
    expect(first).toMatchObject({ ok: true, value: { version: 2, step: 'permissions', state: { tab: 1 } } });
    const second = await save(alice, { id, expectedVersion: 1, state: '{"tab":2}' });
    expect(second).toMatchObject({ ok: false, code: 'conflict' });
    expect(await getWizardDraft(alice, id)).toMatchObject({
      ok: true,
      value: { version: 2, state: { tab: 1 } },
    });
    // An update without the version it was loaded at is refused with a field error.
    expect(await save(alice, { id, state: '{}' })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { expectedVersion: [expect.any(String)] },
    });
  });

  it("never lets another person update or discard one's draft", async () => {
    const created = await save(alice, { title: 'mine' });
    if (!created.ok) throw new Error(created.message);
    const id = created.value.id;
    expect(await save(dave, { id, expectedVersion: 1, state: '{"stolen":true}' })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await discardWizardDraft(dave, { id })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await getWizardDraft(alice, id)).toMatchObject({ ok: true, value: { version: 1, state: {} } });
    expect(await discardWizardDraft(alice, { id })).toEqual({ ok: true, value: { id } });
    expect(await getWizardDraft(alice, id)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await discardWizardDraft(alice, { id })).toMatchObject({ ok: false, code: 'not_found' });
    // Saving a discarded draft (another tab) says so rather than recreating it.
    expect(await save(alice, { id, expectedVersion: 1 })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it.each([
    {
      name: 'state over 256 KiB as text',
      input: { state: JSON.stringify({ a: 'x'.repeat(maxDraftStateBytes) }) },
      key: 'state',
    },
    {
      name: 'state over 256 KiB as a value',
      input: { state: { a: 'é'.repeat(maxDraftStateBytes / 2) } },
      key: 'state',
    },
    {
      name: 'state nested 33 deep',
      input: { state: JSON.stringify(JSON.parse('{"a":'.repeat(33) + '1' + '}'.repeat(33))) },
      key: 'state',
    },
    {
      name: 'state nested 100 000 deep',
      input: { state: '['.repeat(100_000) + ']'.repeat(100_000) },
      key: 'state',
    },
    { name: 'state not JSON', input: { state: '{"a":' }, key: 'state' },
    { name: 'state an array', input: { state: '[]' }, key: 'state' },
    { name: 'state missing', input: { state: undefined }, key: 'state' },
    { name: 'an unknown step', input: { step: 'done' }, key: 'step' },
    { name: 'a long title', input: { title: 'x'.repeat(201) }, key: 'title' },
    { name: 'a malformed account', input: { accountId: '1234' }, key: 'accountId' },
    { name: 'an account that is no target', input: { accountId: '999999999999' }, key: 'accountId' },
    { name: 'a malformed id', input: { id: 'x', expectedVersion: 1 }, key: 'id' },
    {
      name: 'a version that is no number',
      input: { id: '3f1a1e4c-2f0b-4b7e-9c56-6d2b8f5d7a10', expectedVersion: 'two' },
      key: 'expectedVersion',
    },
  ])('refuses $name with a field error under $key, storing nothing', async ({ input, key }) => {
    const before = await listWizardDrafts(alice);
    const result = await save(alice, input);
    expect(result).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { [key]: [expect.any(String)] },
    });
    expect(await listWizardDrafts(alice)).toEqual(before);
  });

  it('accepts state at the depth limit', async () => {
    const deep = JSON.parse('{"a":'.repeat(32) + '1' + '}'.repeat(32)) as unknown;
    expect(await save(alice, { state: JSON.stringify(deep) })).toMatchObject({
      ok: true,
      value: { state: deep },
    });
  });

  it('lists the owner’s drafts without state, most recently saved first', async () => {
    const first = await save(dave, { title: 'first' });
    const second = await save(dave, { title: 'second' });
    if (!first.ok || !second.ok) throw new Error('save failed');
    expect((await listWizardDrafts(dave)).map((draft) => draft.title)).toEqual(['second', 'first']);
    const touched = await save(dave, { id: first.value.id, expectedVersion: 1, title: 'first, touched' });
    expect(touched.ok).toBe(true);
    const listed = await listWizardDrafts(dave);
    expect(listed.map((draft) => draft.title)).toEqual(['first, touched', 'second']);
    expect(listed[0]).not.toHaveProperty('state');
  });

  it(`keeps at most ${maxDraftsPerPerson} drafts per person`, async () => {
    const bob = await loadPrincipal(test.db, parseEnv({ ROLESMITH_MODE: 'sandbox' }), 'demo-bob');
    if (!bob) throw new Error('bob');
    for (let index = 0; index < maxDraftsPerPerson; index += 1) {
      expect((await save(bob, { title: `d${index}` })).ok).toBe(true);
    }
    expect(await save(bob, { title: 'one too many' })).toMatchObject({ ok: false, code: 'conflict' });
    expect(await listWizardDrafts(bob)).toHaveLength(maxDraftsPerPerson);
  });
});
