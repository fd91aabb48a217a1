import { expectNoSeriousViolations } from './accessibility';
import { expect, test } from './fixtures';
import { PolicyEditor } from './pages/policy-editor';
import { WizardPage } from './pages/wizard-page';
import type { Page } from '@playwright/test';

// The policy editors inside the wizard (step 2, Custom policies): the visual builder by keyboard
// alone, the CodeMirror JSON editor with the server's findings, and statements the builder
// cannot show kept exactly as written.

// A keyboard walk through the builder and two axe scans take longer than the default 30 s on a
// busy machine.
test.describe.configure({ timeout: 90_000 });

/** Step 2 with one new inline policy named `name`; returns its editor. */
async function newInlinePolicy(page: Page, name: string): Promise<PolicyEditor> {
  const wizard = new WizardPage(page);
  await wizard.open();
  await wizard.chooseAccount('444455556666');
  await page.getByLabel('Account ID', { exact: true }).fill('111122223333');
  await wizard.next();
  await wizard.expectStep('Add permissions');
  await page.getByRole('tab', { name: /Custom policies/ }).click();
  await page.getByRole('button', { name: 'Add inline policy' }).click();
  // The new policy's name field has the focus.
  await page.keyboard.type(name);
  const card = page.getByRole('region', { name: `Inline policy ${name}` });
  return new PolicyEditor(page, card);
}

async function documentText(editor: PolicyEditor): Promise<string> {
  await editor.openJson();
  return editor.jsonContent.innerText();
}

test('the Lambda developer example, built in the visual editor by keyboard alone', async ({
  asAlice: page,
}, testInfo) => {
  const editor = await newInlinePolicy(page, 'LambdaDeveloper');
  await editor.buildByKeyboard({
    service: 'lambda',
    actions: ['ListFunctions', 'ListTags', 'InvokeFunction', 'UpdateFunctionCode'],
  });
  await expect(editor.scope.getByRole('heading', { name: /Allow · AWS Lambda/ })).toContainText('4 actions');
  await expectNoSeriousViolations(page, 'visual editor');
  await page.screenshot({ path: testInfo.outputPath('policy-visual.png'), fullPage: true });

  expect(JSON.parse(await documentText(editor))).toEqual({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'lambda:ListFunctions',
          'lambda:ListTags',
          'lambda:InvokeFunction',
          'lambda:UpdateFunctionCode',
        ],
        Resource: '*',
      },
    ],
  });
  await expect(editor.findingsStatus).toHaveText('No findings');
  await expect(editor.jsonContent).toHaveAccessibleName('Policy document (JSON)');
  await expectNoSeriousViolations(page, 'JSON editor');
  await page.screenshot({ path: testInfo.outputPath('policy-json.png'), fullPage: true });

  // Esc then Tab leaves the editor; Tab alone indents.
  await editor.jsonContent.focus();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(editor.jsonContent).not.toBeFocused();
});

test('a statement the builder cannot show is kept exactly; findings mark the text and jump to it', async ({
  asAlice: page,
}, testInfo) => {
  const editor = await newInlinePolicy(page, 'Mixed');
  const kept = '{ "Effect": "Deny", "NotAction": "iam:*", "Resource": "*" }';
  await editor.openJson();
  await editor.jsonContent.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(
    `{"Version": "2012-10-17", "Statement": [\n{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},\n${kept}\n]}`,
  );
  await expect(editor.jsonEditor).toHaveAttribute('data-validated', 'true');

  await editor.visualTab.click();
  const readOnly = editor.scope.getByRole('region', { name: 'Statement 2: shown as JSON' });
  await expect(readOnly).toContainText('because it uses NotAction');
  // Editing the first block rewrites it alone.
  await editor.scope.getByRole('radio', { name: 'Deny' }).first().check();
  const text = await documentText(editor);
  expect(text).toContain(kept);
  expect(JSON.parse(text)).toEqual({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Deny', Action: 's3:GetObject', Resource: '*' },
      { Effect: 'Deny', NotAction: 'iam:*', Resource: '*' },
    ],
  });

  // A misspelt action: marked in the editor, listed in the findings panel, which jumps to it.
  const marker = editor.jsonEditor.locator('.cm-lintRange-error');
  await editor.jsonContent.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(
    `{\n    "Version": "2012-10-17",\n    "Statement": [\n        {\n            "Effect": "Allow",\n            "Action": "s3:GetObjekt",\n            "Resource": "*"\n        }\n    ]\n}`,
  );
  await expect(editor.findingsStatus).toHaveText('1 error');
  await expect(marker).toHaveText('"s3:GetObjekt"');
  await expect(editor.jsonContent).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: testInfo.outputPath('policy-finding.png'), fullPage: true });

  await editor.visualTab.click();
  await page.getByRole('button', { name: /^Go to .* in Inline policy Mixed$/ }).click();
  await expect(editor.jsonTab).toHaveAttribute('aria-selected', 'true');
  await expect(editor.jsonContent).toBeFocused();
  await expect(editor.jsonEditor.locator('.cm-activeLine')).toContainText('"Action": "s3:GetObjekt"');
});
