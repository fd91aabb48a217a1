// Shared steps of the wizard's end-to-end flows (wizard-entities, wizard-keyboard): starting a
// blank request, finishing step 3, submitting, and reading back what was stored — the request's
// RoleSpec from GET /api/requests/<id>/spec and the trust policy its page shows.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import type { RoleSpec } from '../lib/iam/role-spec';
import { expectNoSeriousViolations } from './accessibility';
import { WizardPage } from './pages/wizard-page';

/** The sandbox's target accounts (lib/accounts/seed.ts). */
export const PRODUCTION = '444455556666';
export const DEVELOPMENT = '777788889999';
export const IDENTITY = '111122223333';

/** A role name no other run of the suite has used (the data folder may outlive a run). */
export function uniqueRoleName(base: string): string {
  return `${base}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296)
    .toString(36)
    .padStart(2, '0')}`;
}

/** The RoleSpec's fields a flow leaves as they come, so that expectations name only what differs. */
export function specDefaults(accountId: string, name: string): Omit<RoleSpec, 'trustedEntity'> {
  return {
    accountId,
    name,
    path: '/',
    description: '',
    maxSessionDuration: 3600,
    managedPolicyArns: [],
    newManagedPolicies: [],
    inlinePolicies: [],
    tags: [],
  };
}

export const awsManaged = (name: string) => `arn:aws:iam::aws:policy/${name}`;

/** Opens a blank wizard as the page's person and chooses the target account. */
export async function startBlank(page: Page, accountId = PRODUCTION): Promise<WizardPage> {
  const wizard = new WizardPage(page);
  await wizard.open('start=blank');
  await wizard.page.getByLabel('Target account', { exact: true }).selectOption(accountId);
  return wizard;
}

/** Next, and waits for the step's heading. */
export async function nextTo(wizard: WizardPage, step: 'Add permissions' | 'Name, review, and create') {
  await wizard.next();
  await wizard.expectStep(step);
}

/** Searches the managed policies (step 2's first tab) and selects one by its exact name. */
export async function selectManagedPolicy(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name: /^Managed policies/ }).click();
  await page.getByRole('searchbox', { name: 'Search managed policies' }).fill(name);
  const checkbox = page.getByRole('checkbox', { name: `Select ${name}`, exact: true });
  await checkbox.check();
  await expect(
    page.getByRole('region', { name: /^Selected policies/ }).getByText(name, { exact: true }),
  ).toBeVisible();
}

/** The `index`th custom policy's card on step 2 (titled by its kind, then by its name once typed). */
export function customPolicyCard(page: Page, index: number): Locator {
  return page.getByRole('region', { name: /^(Inline|New managed) policy / }).nth(index);
}

/**
 * The trust policy the preview column shows now, parsed (the block lays each line out with
 * padding instead of spaces, so its text is compared as JSON; the request's page shows the text).
 */
export async function previewTrustPolicy(wizard: WizardPage): Promise<unknown> {
  await expect(wizard.trustPolicyJson).toBeVisible();
  return JSON.parse(await wizard.trustPolicyJson.innerText()) as unknown;
}

/** A policy as the console's editor writes it, and as Rolesmith stores a trust policy: 4-space indented JSON. */
export const consoleJson = (value: unknown) => JSON.stringify(value, null, 4);

/**
 * Replaces the whole text of a CodeMirror editor through the keyboard: select all, delete, then
 * `text` (one line: the editor indents new lines itself) — the bulk inserted as one input event,
 * as a paste or an input method gives it, and the last characters typed key by key (every key
 * re-renders the wizard, which a loaded CI machine makes slow). Waits until the editor shows it.
 */
export async function typeInCodeMirror(editor: Locator, text: string): Promise<void> {
  const content = editor.locator('.cm-content');
  const { keyboard } = editor.page();
  await content.click();
  await keyboard.press('ControlOrMeta+a');
  await keyboard.press('Delete');
  const typedByKey = 12;
  await keyboard.insertText(text.slice(0, -typedByKey));
  await keyboard.type(text.slice(-typedByKey));
  await expect(content).toHaveText(text);
}

/** Writes `why` into every justification the risk flags and security warnings ask for. */
export async function justifyFlags(wizard: WizardPage, why: string): Promise<void> {
  const boxes = wizard.preview.getByRole('textbox', { name: 'Justification (required)' });
  await expect(boxes.first()).toBeVisible();
  for (const box of await boxes.all()) await box.fill(why);
}

export interface ReviewFields {
  name: string;
  justification: string;
  description?: string;
  maxSessionHours?: string;
  tags?: { key: string; value: string }[];
}

/** Fills step 3 and waits until the name is reported available. */
export async function fillReview(wizard: WizardPage, fields: ReviewFields): Promise<void> {
  await wizard.setRoleName(fields.name);
  if (fields.description !== undefined) await wizard.description.fill(fields.description);
  if (fields.maxSessionHours !== undefined) await wizard.maxSessionHours.fill(fields.maxSessionHours);
  for (const tag of fields.tags ?? []) await wizard.addTag(tag.key, tag.value);
  await wizard.justification.fill(fields.justification);
  await expect(wizard.roleNameStatus).toContainText(/available/i);
}

export interface StoredRequest {
  id: string;
  spec: RoleSpec;
  /** The trust policy text the request's page shows. */
  trustPolicy: string;
}

/** Submits, lands on `/requests/<id>`, and reads back the stored spec and the trust policy shown. */
export async function submitAndReadBack(wizard: WizardPage): Promise<StoredRequest> {
  const id = await wizard.submit();
  const { page } = wizard;
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const response = await page.request.get(`/api/requests/${id}/spec`);
  expect(response.status()).toBe(200);
  const spec = (await response.json()) as RoleSpec;
  const trustPolicy = (await page.getByLabel('Trust policy', { exact: true }).textContent()) ?? '';
  return { id, spec, trustPolicy };
}

/** Where the run keeps the wizard's screenshots (an artifact of the e2e job). */
export const screensDir = path.resolve(import.meta.dirname, '..', 'test-results', 'wizard-screens');

/** A 1280×800 screenshot of the whole page as `<step>.png`, and axe on it (no serious violation). */
export async function screenStep(page: Page, step: string): Promise<void> {
  mkdirSync(screensDir, { recursive: true });
  // The preview answers the latest change first (no "Updating…" left).
  await expect(page.getByText('Updating…', { exact: true })).toHaveCount(0);
  // From the top, so that the sticky preview column sits beside the step's heading as a person sees it.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screensDir, `${step}.png`), fullPage: true });
  await expectNoSeriousViolations(page, step);
}
