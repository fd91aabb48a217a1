import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AttachRolePolicyCommand } from '@aws-sdk/client-iam';
import type { Page } from '@playwright/test';
import { expectNoSeriousViolations } from './accessibility';
import { expect, people, targetId, test, trustedId } from './harness/aws-shared';
import { WizardPage } from './pages/wizard-page';

// The roles list end to end, in aws mode, on the shared stack (e2e/harness/aws-shared.ts: the
// accounts registered, `dev-approvers` the target's approvers, a one-minute drift check interval):
// the approval goes through `lib/requests` in a process of its own on the portal's PostgreSQL, as
// in wizard-aws.spec.ts. The standalone emulator is AWS. A requester's provisioned role appears in
// their list and not in another requester's; a policy attached outside Rolesmith through the AWS
// SDK is found by the background drift check and the drift filter shows it; *Create role from
// this one* opens the wizard with the trust copied.

test.describe.configure({ mode: 'serial', timeout: 120_000 });

const roleName = 'ListedReader';
const screens = path.resolve(import.meta.dirname, '..', 'test-results', 'roles-list-screens');

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screens, { recursive: true });
  await page.screenshot({ path: path.join(screens, `${name}.png`), fullPage: true });
}

const rolesTable = (page: Page) => page.getByRole('table', { name: 'Roles' });
const roleRow = (page: Page, name: string) =>
  rolesTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name, exact: true }) });

const expectedTrust = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${trustedId}:root` },
      Action: 'sts:AssumeRole',
      // The wizard writes the console's empty block when no condition applies.
      Condition: {},
    },
  ],
};

test('a provisioned role is in its requester’s list and not in another’s; drift and Create role from this one', async ({
  aws,
  browser,
}) => {
  test.setTimeout(300_000);

  // Lin: an empty list first, which says so and links to the wizard; then a request for a role.
  const lin = await aws.signIn(browser, 'lin');
  const page = lin.page;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/roles');
  await expect(page.getByText('You have no roles yet.')).toBeVisible();
  await expect(page.getByRole('main').getByRole('link', { name: 'Create role' }).last()).toHaveAttribute(
    'href',
    '/roles/new',
  );
  await expectNoSeriousViolations(page, 'empty roles list');

  const wizard = new WizardPage(page);
  await wizard.open();
  await wizard.chooseAccount('acme-development');
  await page.getByRole('radio', { name: /^AWS account/ }).check();
  await page.getByRole('radio', { name: /^Another AWS account/ }).check();
  await page.getByLabel('Account ID', { exact: true }).fill(trustedId);
  await expect
    .poll(async () => JSON.parse((await wizard.trustPolicyJson.textContent()) ?? '{}') as unknown)
    .toEqual(expectedTrust);
  await wizard.next();
  await wizard.expectStep('Add permissions');
  await wizard.next();
  await wizard.expectStep('Name, review, and create');
  await wizard.setRoleName(roleName);
  await expect(wizard.roleNameStatus).toContainText(`${roleName} is available`, { timeout: 20_000 });
  await wizard.justification.fill('Reads the application data for the roles list test.');
  const requestId = await wizard.submit();

  const sam = await aws.signIn(browser, 'sam');
  await sam.context.close();
  expect(await aws.runHarness('approve-request.ts', [people.sam.email, requestId])).toMatchObject({
    ok: true,
    isFinal: true,
  });
  await aws.expectState(requestId, 'provisioned', 45_000);

  // The role is in Lin's list: linked to its summary, with its account, trust and owner.
  await page.goto('/roles');
  const row = roleRow(page, roleName);
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('link', { name: roleName, exact: true })).toHaveAttribute(
    'href',
    `/roles/${targetId}/${roleName}`,
  );
  await expect(row).toContainText('acme-development');
  await expect(row).toContainText(targetId);
  await expect(row).toContainText('AWS account');
  await expect(row).toContainText(trustedId);
  await expect(row).toContainText(people.lin.name);
  await screenshot(page, 'list');
  await expectNoSeriousViolations(page, 'roles list');

  // Vic, another requester, does not see it.
  const vic = await aws.signIn(browser, 'vic');
  await vic.page.goto('/roles');
  await expect(vic.page.getByText('You have no roles yet.')).toBeVisible();
  await expect(vic.page.getByRole('rowheader', { name: roleName })).toHaveCount(0);
  await vic.context.close();

  // A policy attached outside Rolesmith: the background check finds it, the drift filter shows it.
  const iam = aws.adminIam(targetId);
  await iam.send(
    new AttachRolePolicyCommand({
      RoleName: roleName,
      PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    }),
  );
  iam.destroy();
  // Filters through the form with the keyboard, as a person would: the URL keeps them.
  await page.getByLabel('Drift', { exact: true }).selectOption('drifted');
  await page.getByRole('button', { name: 'Filter' }).press('Enter');
  await page.waitForURL(/\/roles\?.*drift=drifted/);
  await expect
    .poll(
      async () => {
        await page.reload();
        return roleRow(page, roleName).count();
      },
      { timeout: 150_000, intervals: [5_000] },
    )
    .toBe(1);
  await expect(roleRow(page, roleName).getByText('Drifted')).toBeVisible();
  await expect(roleRow(page, roleName)).toContainText('1 difference');
  await screenshot(page, 'drift-filter');
  await expectNoSeriousViolations(page, 'roles list filtered by drift');
  await page.goto('/roles?drift=matches');
  await expect(page.getByText('No roles match these filters.')).toBeVisible();
  await page.goto(`/roles?type=aws_service`);
  await expect(page.getByRole('rowheader', { name: roleName })).toHaveCount(0);
  await page.goto(`/roles?type=aws_account&account=${targetId}`);
  await expect(roleRow(page, roleName)).toHaveCount(1);

  // Create role from this one: the wizard, the trust copied from the role.
  await roleRow(page, roleName)
    .getByRole('link', { name: `Create role from ${roleName}` })
    .click();
  await page.waitForURL(/\/roles\/new\?copy=/);
  await expect
    .poll(async () => JSON.parse((await wizard.trustPolicyJson.textContent()) ?? '{}') as unknown, {
      timeout: 20_000,
    })
    .toEqual(expectedTrust);
  await screenshot(page, 'new-from-this-one');
  await lin.context.close();
});
