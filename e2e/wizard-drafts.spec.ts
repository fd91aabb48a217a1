import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { SignInPage } from './pages/sign-in-page';
import { WizardPage } from './pages/wizard-page';

// Wizard drafts: the person's own unvalidated work, autosaved. It survives a reload, a second tab
// (with the conflict notice when both save) and a sign-out; the drafts list resumes and discards
// it; it claims no role name; and leaving with unsaved changes asks first.

const production = { alias: 'acme-production', id: '444455556666' };

interface DraftListItem {
  id: string;
  title: string;
  step: string;
  version: number;
}

/** The signed-in person's drafts, as `GET /api/wizard/drafts` lists them. */
async function listDrafts(page: Page): Promise<DraftListItem[]> {
  const response = await page.request.get('/api/wizard/drafts');
  expect(response.status()).toBe(200);
  return ((await response.json()) as { drafts: DraftListItem[] }).drafts;
}

/** Waits until the stored draft `id` matches `expected` (the autosave reached the server). */
async function expectStoredDraft(
  page: Page,
  id: string,
  expected: Partial<DraftListItem>,
): Promise<DraftListItem> {
  let found: DraftListItem | undefined;
  await expect
    .poll(async () => {
      found = (await listDrafts(page)).find((draft) => draft.id === id);
      return found;
    })
    .toMatchObject(expected);
  if (!found) throw new Error(`draft ${id} not found`);
  return found;
}

/** The draft's stored version now. */
async function storedVersion(page: Page, id: string): Promise<number> {
  return (await expectStoredDraft(page, id, {})).version;
}

/** Waits until the draft `id` was saved again since it was at version `before`. */
async function expectSavedSince(page: Page, id: string, before: number): Promise<void> {
  await expect.poll(async () => storedVersion(page, id)).toBeGreaterThan(before);
  await expect(page.getByText('Not saved yet')).toHaveCount(0);
}

/** A unique role name for this run. */
function uniqueName(what: string): string {
  return `e2e-${what}-${Date.now().toString(36)}`;
}

/**
 * From the Lambda-developer template in acme-production to step 3 with `name` typed; returns the
 * draft's id once the name is saved.
 */
async function draftAtReview(wizard: WizardPage, name: string): Promise<string> {
  const { page } = wizard;
  await wizard.open('template=lambda-developer');
  await wizard.chooseAccount(production.alias);
  await wizard.next();
  await wizard.expectStep('Add permissions');
  const justifications = page.getByLabel('Justification (required)');
  await expect(justifications.first()).toBeVisible();
  for (const field of await justifications.all()) await field.fill('Deploys the team’s own functions');
  await wizard.next();
  await wizard.expectStep('Name, review, and create');
  await wizard.setRoleName(name);
  const id = await wizard.waitForSaved();
  await expectStoredDraft(page, id, { title: name, step: 'review' });
  return id;
}

test.describe('wizard drafts', () => {
  test('survive a reload, and the drafts list resumes and discards them', async ({ asAlice: page }) => {
    const wizard = new WizardPage(page);
    const name = uniqueName('reload');
    const id = await draftAtReview(wizard, name);
    const before = await storedVersion(page, id);
    await wizard.description.fill('Kept across a reload');
    // Saved (the description too): a reload is back at step 3 with every field.
    await expectSavedSince(page, id, before);
    await page.reload();
    await wizard.expectStep('Name, review, and create');
    await expect(wizard.roleName).toHaveValue(name);
    await expect(wizard.description).toHaveValue('Kept across a reload');
    await wizard.goToStep('Select trusted entity');
    await expect(page.getByLabel('Target account', { exact: true })).toHaveValue(production.id);

    // The drafts list (the wizard's link saves first): resume, at the step where it was left…
    await page.getByRole('link', { name: 'Your drafts' }).click();
    await expect(wizard.draftRow(name)).toBeVisible();
    await wizard.resumeDraft(name);
    await expect(page).toHaveURL(new RegExp(`draft=${id}`));
    await wizard.expectStep('Select trusted entity');
    await expect(page.getByLabel('Target account', { exact: true })).toHaveValue(production.id);
    // Only the steps up to where it was left are in the step list: on with Next.
    await wizard.next();
    await wizard.next();
    await wizard.expectStep('Name, review, and create');
    await expect(wizard.roleName).toHaveValue(name);
    // …and discard.
    await page.getByRole('link', { name: 'Your drafts' }).click();
    await wizard.discardDraft(name);
    await expect(wizard.draftRow(name)).toHaveCount(0);
    expect((await listDrafts(page)).some((draft) => draft.id === id)).toBe(false);
  });

  test('open in a second tab; a save in one shows the conflict notice in the other, whose two choices work', async ({
    asAlice: first,
  }) => {
    const one = new WizardPage(first);
    const name = uniqueName('tabs');
    const id = await draftAtReview(one, name);
    const second = await first.context().newPage();
    const two = new WizardPage(second);
    await two.openDraft(id);
    await two.expectStep('Name, review, and create');
    await expect(two.roleName).toHaveValue(name);

    // The first tab saves; then the second, which loaded the older version, is told and stops.
    const loaded = await storedVersion(first, id);
    await one.description.fill('Written in the first tab');
    await expectSavedSince(first, id, loaded);
    await two.description.fill('Written in the second tab');
    await expect(two.conflictNotice).toBeVisible();
    await expect(second.getByRole('alert').filter({ has: two.conflictNotice })).toContainText(
      'Nothing more is saved from this tab until you choose.',
    );

    // Reload the latest: the second tab shows what the first saved.
    await second.getByRole('button', { name: 'Reload the latest' }).click();
    await expect(two.description).toHaveValue('Written in the first tab');
    await expect(two.conflictNotice).toHaveCount(0);

    // Now the second saves, and the first is told: Keep mine saves it as a new draft.
    const reloaded = await storedVersion(second, id);
    await two.maxSessionHours.fill('4');
    await expectSavedSince(second, id, reloaded);
    await one.roleName.fill(`${name}-mine`);
    await expect(one.conflictNotice).toBeVisible();
    await first.getByRole('button', { name: 'Keep mine (save as a new draft)' }).click();
    await expect(one.conflictNotice).toHaveCount(0);
    await expect(first).not.toHaveURL(new RegExp(`draft=${id}`));
    await first.waitForURL(/[?&]draft=[0-9a-f-]{36}/);
    const mine = new URL(first.url()).searchParams.get('draft') ?? '';
    expect(mine).not.toBe(id);
    await expectStoredDraft(first, mine, { title: `${name}-mine` });
    await expectStoredDraft(first, id, { title: name });
  });

  test('survives a sign-out: signing in again returns to the same step with the fields kept', async ({
    freshSignIn,
  }) => {
    const page = await freshSignIn('Alice');
    const wizard = new WizardPage(page);
    const name = uniqueName('signout');
    const id = await draftAtReview(wizard, name);

    // Signed out in another tab: this tab's next save says so, and keeps the work on screen.
    const other = await page.context().newPage();
    await other.goto('/signin');
    await other.getByRole('main').getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(new SignInPage(other).chooserHeading).toBeVisible();
    await wizard.description.fill('Typed after the session ended');
    await expect(wizard.signedOutNotice).toBeVisible();
    await expect(wizard.description).toHaveValue('Typed after the session ended');

    // Its link signs in again and comes back to the draft, at its step, with its fields.
    const link = page.getByRole('link', { name: 'Sign in again (opens a new tab)' });
    await other.goto((await link.getAttribute('href')) ?? '');
    await new SignInPage(other).chooseDemoPerson('Alice Adams');
    await other.waitForURL(new RegExp(`/roles/new\\?draft=${id}`));
    const again = new WizardPage(other);
    await again.expectStep('Name, review, and create');
    await expect(again.roleName).toHaveValue(name);

    // The first tab saves again: nothing typed meanwhile is lost.
    await page.getByRole('button', { name: 'Save again' }).click();
    await expect(wizard.signedOutNotice).toHaveCount(0);
    await expect
      .poll(async () => {
        const response = await other.request.get(`/api/wizard/drafts/${id}`);
        return ((await response.json()) as { state?: { description?: string } }).state?.description;
      })
      .toBe('Typed after the session ended');
  });

  test('claims no role name: while Alice’s draft holds it, Dave can request it', async ({
    asAlice,
    asDave,
  }) => {
    const alice = new WizardPage(asAlice);
    const name = uniqueName('claim');
    await draftAtReview(alice, name);
    await expect(alice.roleNameStatus).toHaveText(`${name} is available in ${production.alias}.`);

    const dave = new WizardPage(asDave);
    await draftAtReview(dave, name);
    await expect(dave.roleNameStatus).toHaveText(`${name} is available in ${production.alias}.`);
    await dave.justification.fill('Dave needs it too');
    const requestId = await dave.submit();
    await expect(asDave.getByRole('heading', { level: 1 })).toContainText(name);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

    // Now the request holds the name: Alice's draft is told so as she types it.
    await alice.setRoleName(`${name}x`);
    await alice.setRoleName(name);
    await alice.expectFieldError(
      'Role name',
      `A request for a role named ${name} is already open in this account.`,
    );
  });

  test('leaving with unsaved changes asks first: the browser’s prompt, and Cancel’s dialog', async ({
    asAlice: page,
  }) => {
    const wizard = new WizardPage(page);
    await wizard.open();
    await wizard.chooseAccount(production.alias);
    // Closing the tab before the change is saved: the browser asks (and staying keeps the page).
    const asked = page.waitForEvent('dialog');
    await page.getByLabel('Account ID', { exact: true }).fill('111122223333');
    await page.close({ runBeforeUnload: true });
    const dialog = await asked;
    expect(dialog.type()).toBe('beforeunload');
    await dialog.dismiss();
    expect(page.isClosed()).toBe(false);

    // Cancel asks too: Stay keeps the wizard, Discard removes the draft and leaves.
    const id = await wizard.waitForSaved();
    await wizard.cancel('Stay');
    await expect(wizard.cancelDialog).toBeHidden();
    await expect(page.getByLabel('Account ID', { exact: true })).toHaveValue('111122223333');
    await wizard.cancel('Discard');
    await page.waitForURL((url) => url.pathname === '/roles');
    expect((await listDrafts(page)).some((draft) => draft.id === id)).toBe(false);
  });
});
