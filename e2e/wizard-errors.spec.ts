import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { newestAuditEvent } from './pages/audit-page';
import { PolicyEditor } from './pages/policy-editor';
import { WizardPage } from './pages/wizard-page';

// The create-role wizard refuses bad input: each mistake shows a specific message beside its field
// (and in the error summary when Next or Submit is refused), and nothing is submitted: Alice's
// newest audit event (what a new request would add) is the same afterwards.

const production = { alias: 'acme-production', id: '444455556666' };

/** Runs `steps` and expects that Alice submitted no request meanwhile. */
async function expectNothingSubmitted(page: Page, steps: () => Promise<void>): Promise<void> {
  const before = await newestAuditEvent('Alice');
  await steps();
  await expect(page).toHaveURL(/\/roles\/new/);
  expect(await newestAuditEvent('Alice')).toBe(before);
}

/** Opens the Lambda-developer template (valid steps 1 and 2) in acme-production. */
async function startFromTemplate(wizard: WizardPage): Promise<void> {
  await wizard.open('template=lambda-developer');
  await wizard.chooseAccount(production.alias);
  await expect(wizard.whoCanAssume).toContainText(production.id);
}

/** Writes a justification for each risk flag that needs one (the template's Lambda code updates). */
async function justifyRisks(page: Page): Promise<void> {
  const fields = page.getByLabel('Justification (required)');
  await expect(fields.first()).toBeVisible();
  for (const field of await fields.all()) await field.fill('Deploys the team’s own functions');
}

/** From step 1 of a valid template, on to step 3 with a name and a justification. */
async function toReview(wizard: WizardPage, name: string): Promise<void> {
  await wizard.next();
  await wizard.expectStep('Add permissions');
  await justifyRisks(wizard.page);
  await wizard.next();
  await wizard.expectStep('Name, review, and create');
  await wizard.setRoleName(name);
  await wizard.justification.fill('Needed for the e2e test of bad input');
}

/** Submit is refused: the summary has the focus and links to `message`; the page stays. */
async function expectSubmitRefused(wizard: WizardPage, message: string | RegExp): Promise<void> {
  await wizard.submitButton.click();
  await expect(wizard.errorSummary).toBeFocused();
  await expect(wizard.summaryLink(message)).toBeVisible();
  await wizard.expectStep('Name, review, and create');
}

/** Next is refused on the step: the summary has the focus and links to `message`. */
async function expectNextRefused(wizard: WizardPage, message: string | RegExp): Promise<void> {
  const step = (await wizard.stepHeading.textContent()) ?? '';
  await wizard.next();
  await expect(wizard.errorSummary).toBeFocused();
  await expect(wizard.summaryLink(message)).toBeVisible();
  await expect(wizard.stepHeading).toHaveText(step);
}

/** The custom policy's JSON editor, with `text` typed in place of its document. */
async function replacePolicyJson(page: Page, text: string): Promise<PolicyEditor> {
  await page.getByRole('tab', { name: /^Custom policies/ }).click();
  const card = page.getByRole('region', { name: /LambdaDeveloper/ }).first();
  const editor = new PolicyEditor(page, card);
  await editor.openJson();
  await editor.jsonContent.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  // insertText: one edit, without CodeMirror's auto-closed brackets.
  await page.keyboard.insertText(text);
  await expect(editor.jsonEditor).toHaveAttribute('data-validated', 'true');
  return editor;
}

/**
 * A document's error: in the preview's findings as it is typed; on Next, in the summary and beside
 * the editor (whose textbox is marked invalid and described by it).
 */
async function expectDocumentRefused(
  wizard: WizardPage,
  editor: PolicyEditor,
  message: string | RegExp,
): Promise<void> {
  await expect(wizard.preview.getByRole('region', { name: 'Findings' }).getByText(message)).toBeVisible();
  await expectNextRefused(wizard, message);
  const textbox = editor.scope.getByRole('textbox', { name: 'Policy document (JSON)' });
  await expect(textbox).toHaveAttribute('aria-invalid', 'true');
  await expect(textbox).toHaveAccessibleDescription(
    typeof message === 'string' ? new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : message,
  );
}

function policy(statement: Record<string, unknown>): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...statement }] }, null, 2);
}

test.describe('the wizard refuses bad input', () => {
  test('a wrong account id: beside the field, in the summary on Next, nothing submitted', async ({
    asAlice: page,
  }) => {
    const wizard = new WizardPage(page);
    await expectNothingSubmitted(page, async () => {
      await wizard.open();
      await wizard.chooseAccount(production.alias);
      const accountId = page.getByLabel('Account ID', { exact: true });
      await accountId.fill('12345');
      await accountId.blur();
      const message = 'AWS account ID must be exactly 12 digits';
      await wizard.expectFieldError('Account ID', message);
      await expectNextRefused(wizard, message);
      // The summary's link leads to the field.
      await wizard.summaryLink(message).click();
      await expect(accountId).toBeFocused();
    });
  });

  test('a GitHub Actions preset without an organisation cannot go on', async ({ asAlice: page }) => {
    const wizard = new WizardPage(page);
    await expectNothingSubmitted(page, async () => {
      await wizard.open();
      await wizard.chooseAccount(production.alias);
      await page.getByRole('radio', { name: /^Web identity/ }).check();
      await page.getByRole('radio', { name: /^GitHub Actions/ }).check();
      const message = 'GitHub organization is required';
      await expectNextRefused(wizard, message);
      await wizard.expectFieldError('GitHub organization', message);
      await expect(wizard.trustPolicyJson).toHaveCount(0);
    });
  });

  test('an 11th managed policy is refused beside the counter', async ({ asAlice: page }) => {
    const wizard = new WizardPage(page);
    await startFromTemplate(wizard);
    await wizard.next();
    await wizard.expectStep('Add permissions');
    const choices = page.getByRole('checkbox', { name: /^Select / });
    await expect(choices.nth(10)).toBeVisible();
    for (let index = 0; index < 10; index += 1) {
      await choices.nth(index).check();
    }
    await expect(page.getByRole('heading', { name: 'Selected policies (10)' })).toBeVisible();
    const eleventh = choices.nth(10);
    const name = ((await eleventh.getAttribute('aria-label')) ?? '').replace(/^Select /, '');
    await eleventh.click();
    await expect(eleventh).not.toBeChecked();
    // Beside the counter, and read out for the checkbox (its aria-describedby).
    await expect(eleventh).toHaveAccessibleDescription(
      `You cannot add ${name}: a role can have at most 10 managed policies, counting the new ones it creates. Remove one first.`,
    );
    await expect(page.getByRole('heading', { name: 'Selected policies (10)' })).toBeVisible();
  });

  test('invalid JSON in a custom policy: its error beside the editor, Next refused', async ({
    asAlice: page,
  }) => {
    const wizard = new WizardPage(page);
    await expectNothingSubmitted(page, async () => {
      await startFromTemplate(wizard);
      await wizard.next();
      await wizard.expectStep('Add permissions');
      const editor = await replacePolicyJson(page, '{"Version": "2012-10-17", "Statement": [');
      const message = /^The policy is not valid JSON: The text ends too early/;
      await expect(editor.findingsStatus).toHaveText('1 error');
      await expectDocumentRefused(wizard, editor, message);
    });
  });

  test('an unknown action: named, with the nearest actions suggested, Next refused', async ({
    asAlice: page,
  }) => {
    const wizard = new WizardPage(page);
    await expectNothingSubmitted(page, async () => {
      await startFromTemplate(wizard);
      await wizard.next();
      const editor = await replacePolicyJson(
        page,
        policy({ Action: 'lambda:InvokeFunctoin', Resource: '*' }),
      );
      const message =
        '"lambda:InvokeFunctoin" is not an action of lambda. Did you mean "lambda:InvokeFunction" or "lambda:InvokeFunctionUrl"?';
      await expectDocumentRefused(wizard, editor, message);
    });
  });

  test('a condition on an unknown key: named, Next refused', async ({ asAlice: page }) => {
    const wizard = new WizardPage(page);
    await expectNothingSubmitted(page, async () => {
      await startFromTemplate(wizard);
      await wizard.next();
      const editor = await replacePolicyJson(
        page,
        policy({
          Action: 'lambda:InvokeFunction',
          Resource: '*',
          Condition: { StringEquals: { 'lambda:NoSuchKey': 'x' } },
        }),
      );
      const message = '"lambda:NoSuchKey" is not a condition key that the lambda service defines.';
      await expectDocumentRefused(wizard, editor, message);
    });
  });

  test('a role name that exists in the account, in other capitals: beside the name, Submit refused', async ({
    asAlice: page,
  }) => {
    const wizard = new WizardPage(page);
    await expectNothingSubmitted(page, async () => {
      await startFromTemplate(wizard);
      await toReview(wizard, 'demoreadonly');
      // Checked as it is typed…
      const message = 'The account already has a role named DemoReadOnly.';
      await wizard.expectFieldError('Role name', message);
      // …and again on Submit.
      await expectSubmitRefused(wizard, message);
      await wizard.expectFieldError('Role name', message);
    });
  });

  test('a tag key starting with aws:', async ({ asAlice: page }) => {
    const wizard = new WizardPage(page);
    await expectNothingSubmitted(page, async () => {
      await startFromTemplate(wizard);
      await toReview(wizard, `e2e-tag-${Date.now()}`);
      await wizard.addTag('aws:team', 'payments');
      const message = 'Tag keys starting with aws: are reserved for AWS; choose another key';
      await expectSubmitRefused(wizard, message);
      await wizard.expectFieldError('Tag 1 key', message);
    });
  });

  test('a description with characters IAM refuses (an emoji, a euro sign)', async ({ asAlice: page }) => {
    const wizard = new WizardPage(page);
    await expectNothingSubmitted(page, async () => {
      await startFromTemplate(wizard);
      await toReview(wizard, `e2e-description-${Date.now()}`);
      const message =
        'Description may contain only Latin-1 letters, digits, punctuation, spaces, tabs and line breaks';
      await wizard.description.fill('Deploys the rocket 🚀');
      await wizard.description.blur();
      await wizard.expectFieldError('Description (optional)', message);
      await wizard.description.fill('Costs €5 a month');
      await expectSubmitRefused(wizard, message);
      await wizard.expectFieldError('Description (optional)', message);
    });
  });

  test('a maximum session of 13 hours', async ({ asAlice: page }) => {
    const wizard = new WizardPage(page);
    await expectNothingSubmitted(page, async () => {
      await startFromTemplate(wizard);
      await toReview(wizard, `e2e-session-${Date.now()}`);
      await wizard.maxSessionHours.fill('13');
      const message = 'Maximum session duration must be from 1 to 12 hours';
      await expectSubmitRefused(wizard, message);
      await wizard.expectFieldError('Maximum session duration (hours)', message);
    });
  });
});
