import type { Locator, Page } from '@playwright/test';
import { expectNoSeriousViolations } from './accessibility';
import { expect, test } from './fixtures';
import { newestAuditEvent } from './pages/audit-page';
import { WizardPage } from './pages/wizard-page';

// The whole wizard by keyboard alone, one flow (another account's people → an AWS managed policy →
// a name): focus moves to the step's heading at each step change and to the error summary when
// Next is refused; and no serious or critical axe violation on any step at 1280×800 and 1920×1080.

const sizes = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

/** Presses Tab (Shift+Tab when `backwards`) until `target` has the focus (at most `limit` times). */
async function tabTo(page: Page, target: Locator, limit = 120, backwards = false): Promise<void> {
  const handle = await target.elementHandle();
  if (!handle) throw new Error(`no ${target.toString()}`);
  for (let presses = 0; presses < limit; presses += 1) {
    if (await handle.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

/** axe at both sizes, back at the first afterwards. */
async function expectAccessibleAtBothSizes(page: Page, where: string): Promise<void> {
  for (const size of sizes) {
    await page.setViewportSize(size);
    await expectNoSeriousViolations(page, `${where} at ${size.width}×${size.height}`);
  }
  await page.setViewportSize(sizes[0]);
}

test('the wizard by keyboard alone, accessible on every step at 1280×800 and 1920×1080', async ({
  asAlice: page,
}) => {
  test.slow();
  await page.setViewportSize(sizes[0]);
  const wizard = new WizardPage(page);
  const name = `e2e-keyboard-${Date.now().toString(36)}`;
  await wizard.open();
  await wizard.expectStep('Select trusted entity');
  await expectAccessibleAtBothSizes(page, 'step 1');

  // Next with the account id missing: refused, the summary takes the focus, its link leads to the field.
  await tabTo(page, wizard.nextButton);
  await page.keyboard.press('Enter');
  await expect(wizard.errorSummary).toBeFocused();
  await expect(wizard.summaryLink('Choose the target account, where the role will be created')).toBeVisible();
  await expect(wizard.summaryLink('AWS account ID must be exactly 12 digits')).toBeVisible();
  await expectNoSeriousViolations(page, 'step 1 with the error summary');
  // The summary's first link leads to the target account: chosen with the arrow keys.
  await page.keyboard.press('Tab');
  await expect(wizard.summaryLink('Choose the target account')).toBeFocused();
  await page.keyboard.press('Enter');
  const target = page.getByLabel('Target account', { exact: true });
  await expect(target).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(target).not.toHaveValue('');
  const accountId = page.getByLabel('Account ID', { exact: true });
  await tabTo(page, accountId);
  await page.keyboard.type('123456789012');
  await tabTo(page, page.getByLabel('Require MFA'));
  await page.keyboard.press('Space');
  await expect(wizard.whoCanAssume).toContainText('123456789012');
  await tabTo(page, wizard.nextButton);
  await page.keyboard.press('Enter');

  // Step 2: its heading has the focus; search, select with Space.
  await wizard.expectStep('Add permissions');
  await expect(wizard.stepHeading).toBeFocused();
  await expectAccessibleAtBothSizes(page, 'step 2');
  await tabTo(page, page.getByRole('searchbox', { name: 'Search managed policies' }));
  await page.keyboard.type('AWSBillingReadOnlyAccess');
  const choice = page.getByRole('checkbox', { name: 'Select AWSBillingReadOnlyAccess' });
  await tabTo(page, choice);
  await page.keyboard.press('Space');
  await expect(choice).toBeChecked();
  await expect(page.getByRole('heading', { name: 'Selected policies (1)' })).toBeVisible();
  // Another account without an external ID: Next asks for the justifications, the summary leads there.
  await tabTo(page, wizard.nextButton);
  await page.keyboard.press('Enter');
  await expect(wizard.errorSummary).toBeFocused();
  await expect(
    wizard.summaryLink('Explain why the role needs this: Third party without an external ID'),
  ).toBeVisible();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const justifications = page.getByLabel('Justification (required)');
  await expect(justifications.first()).toBeFocused();
  await page.keyboard.type('Northwind consultants sign in with MFA; no external ID is agreed');
  for (const field of (await justifications.all()).slice(1)) {
    await tabTo(page, field);
    await page.keyboard.type('Northwind consultants sign in with MFA');
  }
  // Next stands before the preview column: back to it.
  await tabTo(page, wizard.nextButton, 120, true);
  await page.keyboard.press('Enter');

  // Step 3: name and justification typed, Submit with Enter.
  await wizard.expectStep('Name, review, and create');
  await expect(wizard.stepHeading).toBeFocused();
  await tabTo(page, wizard.roleName);
  await page.keyboard.type(name);
  await expect(wizard.roleNameStatus).toContainText('is available');
  await tabTo(page, wizard.justification);
  await page.keyboard.type('Finance reads the bills of the identity account');
  await expectAccessibleAtBothSizes(page, 'step 3');
  const before = await newestAuditEvent('Alice');
  await tabTo(page, wizard.submitButton, 200);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  // The audit log shows the submission (what wizard-errors.spec.ts watches to see nothing submitted).
  const after = await newestAuditEvent('Alice');
  expect(after).not.toBe(before);
  expect(after).toContain(new URL(page.url()).pathname.split('/').pop());
});
