import type { Page } from '@playwright/test';
import type { RoleSpec } from '../lib/iam/role-spec';
import { LAMBDA_DEVELOPER_POLICY } from '../lib/wizard/templates';
import { expect, test } from './fixtures';
import { focusedControl, tabTo } from './keyboard';
import { WizardPage } from './pages/wizard-page';
import {
  consoleJson,
  fillReview,
  IDENTITY,
  justifyFlags,
  nextTo,
  PRODUCTION,
  specDefaults,
  startBlank,
  submitAndReadBack,
  uniqueRoleName,
} from './wizard-flows';

// The seed's example — a developer who may list Lambda functions and their tags, invoke them and
// update their code, but neither create nor delete them — built in the visual builder by keyboard
// alone (Tab, arrows, Space, Enter, typing; no clicks), submitted, and compared with what the
// `lambda-developer` template gives.

const LAMBDA_ACTIONS = ['ListFunctions', 'ListTags', 'InvokeFunction', 'UpdateFunctionCode'] as const;
const JUSTIFICATION =
  'Developers of the orders team deploy new code to their own functions; creating and deleting them stays with the platform pipeline';

interface PolicyDocument {
  Statement: { Effect: string; Action: string | string[]; Resource: string | string[] }[];
}

const actionsOf = (document: string) =>
  (JSON.parse(document) as PolicyDocument).Statement.flatMap((statement) =>
    typeof statement.Action === 'string' ? [statement.Action] : statement.Action,
  );

/** Writes the justification of every flag that asks for one, reaching each by Tab. */
async function justifyByKeyboard(page: Page, wizard: WizardPage): Promise<void> {
  const boxes = wizard.preview.getByRole('textbox', { name: /^Justification/ });
  const count = await boxes.count();
  for (let index = 0; index < count; index += 1) {
    await tabTo(page, 'textbox', /^Justification/);
    await page.keyboard.type(JUSTIFICATION);
  }
}

test('the Lambda developer built in the visual builder by keyboard alone, and the template gives the same policy', async ({
  asAlice: page,
}) => {
  test.setTimeout(90_000);
  const name = uniqueRoleName('lambda-developer');
  const wizard = await startBlank(page, PRODUCTION);
  // Step 1: developers of the identity account, signed in with MFA.
  await page.getByRole('combobox', { name: 'Account ID' }).fill(IDENTITY);
  await page.getByRole('checkbox', { name: 'Require MFA' }).check();
  await expect(wizard.whoCanAssume).toContainText('MFA');
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${IDENTITY}:root` },
        Action: 'sts:AssumeRole',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      },
    ],
  };
  await nextTo(wizard, 'Add permissions');

  // Step 2 by keyboard alone. Focus is on the step's heading; the tabs come first.
  await expect(wizard.stepHeading).toBeFocused();
  await tabTo(page, 'tab', /^Managed policies/);
  await page.keyboard.press('ArrowRight');
  expect((await focusedControl(page)).name).toMatch(/^Custom policies/);
  await tabTo(page, 'button', 'Add inline policy');
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Policy name')).toBeFocused();
  await page.keyboard.type('LambdaDeveloper');
  await tabTo(page, 'button', 'Add more permissions');
  await page.keyboard.press('Enter');

  // Service: type, the first match is active, Enter picks it.
  const service = page.getByRole('combobox', { name: 'Service' });
  await expect(service).toBeFocused();
  await page.keyboard.type('lambda');
  await expect(page.getByRole('option', { selected: true })).toContainText('AWS Lambda');
  await page.keyboard.press('Enter');

  // Actions: each typed in the filter, its checkbox reached by Tab and checked with Space.
  const filter = page.getByLabel('Filter actions');
  await expect(filter).toBeFocused();
  for (const action of LAMBDA_ACTIONS) {
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(action);
    await tabTo(page, 'checkbox', action);
    await page.keyboard.press('Space');
    await expect(page.getByRole('checkbox', { name: action, exact: true })).toBeChecked();
    await tabTo(page, 'searchbox', 'Filter actions', { backwards: true });
  }
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Backspace');
  await expect(page.getByTestId('action-count')).toContainText(`${LAMBDA_ACTIONS.length} of`);

  // Resources: all of them.
  await tabTo(page, 'radio', /^All resources/);
  await page.keyboard.press('Space');
  await expect(page.getByRole('radio', { name: /^All resources/ })).toBeChecked();

  // Updating a function's code runs code as the function's role: the flag asks why.
  await expect(wizard.preview.getByRole('textbox', { name: /^Justification/ }).first()).toBeVisible();
  await justifyByKeyboard(page, wizard);
  await tabTo(page, 'button', 'Next', { backwards: true });
  await page.keyboard.press('Enter');
  await wizard.expectStep('Name, review, and create');

  await fillReview(wizard, {
    name,
    description: 'Lists, invokes and updates the code of Lambda functions; cannot create or delete them',
    justification: 'The orders team deploys and tests its functions',
  });
  const built = await submitAndReadBack(wizard);
  const document = built.spec.inlinePolicies[0]?.document ?? '';
  expect(actionsOf(document)).toEqual(LAMBDA_ACTIONS.map((action) => `lambda:${action}`));
  expect(actionsOf(document).filter((action) => /Create|Delete/.test(action))).toEqual([]);
  expect(built.spec).toEqual({
    ...specDefaults(PRODUCTION, name),
    description: 'Lists, invokes and updates the code of Lambda functions; cannot create or delete them',
    trustedEntity: { type: 'aws_account', accountId: IDENTITY, requireMfa: true },
    inlinePolicies: [{ name: 'LambdaDeveloper', document }],
  } satisfies RoleSpec);
  expect(built.trustPolicy).toBe(consoleJson(trust));

  // The template: the same document.
  const fromTemplate = new WizardPage(page);
  await fromTemplate.open('template=lambda-developer');
  await fromTemplate.page.getByLabel('Target account', { exact: true }).selectOption(PRODUCTION);
  await nextTo(fromTemplate, 'Add permissions');
  await page.getByRole('tab', { name: /^Custom policies/ }).click();
  // The same flag, once the preview has assessed the template's policy.
  await justifyFlags(fromTemplate, JUSTIFICATION);
  await nextTo(fromTemplate, 'Name, review, and create');
  await fillReview(fromTemplate, {
    name: uniqueRoleName('lambda-developer-template'),
    justification: 'The orders team deploys and tests its functions',
  });
  const templated = await submitAndReadBack(fromTemplate);
  expect(templated.spec.inlinePolicies).toHaveLength(1);
  expect(JSON.parse(templated.spec.inlinePolicies[0]?.document ?? '')).toEqual(JSON.parse(document));
  // Character for character, even: the template's text is what the builder writes.
  expect(document).toBe(LAMBDA_DEVELOPER_POLICY);
});
