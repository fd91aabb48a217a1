// The roles list and drift, end to end in sandbox mode: Alice requests a role through the wizard,
// Bob approves it, the portal provisions it in the emulator. Alice's list shows it and Dave's does
// not; a policy attached outside Rolesmith through the AWS SDK (as the account's sandbox admin)
// shows on the role's summary page, and the list's drift filter then finds the role; *New role
// from this one* opens the wizard with the trust copied.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AttachRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import type { Page } from '@playwright/test';
import { expectNoSeriousViolations } from './accessibility';
import { expect, test } from './fixtures';
import { tabTo } from './keyboard';
import { WizardPage } from './pages/wizard-page';
import {
  fillReview,
  IDENTITY,
  nextTo,
  PRODUCTION,
  selectManagedPolicy,
  startBlank,
  uniqueRoleName,
} from './wizard-flows';

test.describe.configure({ timeout: 180_000 });

const screens = path.resolve(import.meta.dirname, '..', 'test-results', 'roles-list-screens');

/** Bob approves a request on its page, acknowledging every item it lists. */
async function approveAsBob(bob: Page, requestId: string): Promise<void> {
  await bob.goto(`/requests/${requestId}`);
  const boxes = bob.getByRole('checkbox', { name: /^Acknowledge: / });
  for (const box of await boxes.all()) await box.check();
  const approve = bob.getByRole('button', { name: 'Approve', exact: true });
  await expect(approve).toBeEnabled();
  await approve.click();
  await expect(bob.getByText(/^(Approved|Provisioning|Provisioned)$/).first()).toBeVisible();
}

/**
 * The keys of the account's `sandbox-admin` user (allowed everything), read from the in-process
 * emulator's state in the e2e data folder (its snapshot, then its journal): what someone working
 * in the console outside Rolesmith would use.
 */
function sandboxAdminKeys(accountId: string): { accessKeyId: string; secretAccessKey: string } {
  const dir = path.join(process.env.ROLESMITH_E2E_DATA_DIR ?? '', 'sandbox-aws');
  type Key = { accessKeyId: string; secretAccessKey: string; accountId: string; userName: string };
  const keys = new Map<string, Key>();
  const snapshot = JSON.parse(readFileSync(path.join(dir, 'snapshot.json'), 'utf8')) as Record<
    string,
    [string, Key][]
  >;
  for (const [id, key] of snapshot.accessKeys ?? []) keys.set(id, key);
  // The journal holds one JSON array of mutations a line (padding between them).
  const journal = readFileSync(path.join(dir, 'journal.log'), 'utf8').replace(/\0/g, '');
  for (const line of journal.split('\n').map((text) => text.trim())) {
    if (!line.startsWith('[')) continue;
    for (const mutation of JSON.parse(line) as { t: string; k: string; v?: Key }[]) {
      if (mutation.t !== 'accessKeys') continue;
      if (mutation.v) keys.set(mutation.k, mutation.v);
      else keys.delete(mutation.k);
    }
  }
  const admin = [...keys.values()].find(
    (key) => key.accountId === accountId && key.userName === 'sandbox-admin',
  );
  if (!admin) throw new Error(`no sandbox-admin keys for ${accountId} in ${dir}`);
  return { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey };
}

const rolesTable = (page: Page) => page.getByRole('table', { name: 'Roles' });
const roleRow = (page: Page, name: string) =>
  rolesTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name, exact: true }) });

test('a provisioned role is listed for its requester and not another; drift on the summary and in the list; Create role from this one', async ({
  asAlice,
  asBob,
  asDave,
  baseURL,
}) => {
  const name = uniqueRoleName('listed');
  const wizard = await startBlank(asAlice, PRODUCTION);
  await asAlice.getByRole('combobox', { name: 'Account ID' }).fill(IDENTITY);
  await nextTo(wizard, 'Add permissions');
  await selectManagedPolicy(asAlice, 'CloudWatchReadOnlyAccess');
  await nextTo(wizard, 'Name, review, and create');
  await fillReview(wizard, { name, justification: 'Reads the dashboards for the roles list test' });
  const requestId = await wizard.submit();
  await approveAsBob(asBob, requestId);
  const summary = `/roles/${PRODUCTION}/${name}`;
  await expect
    .poll(async () => (await asAlice.request.get(summary)).status(), {
      timeout: 60_000,
      intervals: [500, 1000],
    })
    .toBe(200);

  // Alice's list: the role, linked to its summary, with its account, trust and owner.
  await asAlice.setViewportSize({ width: 1280, height: 800 });
  await asAlice.goto(`/roles?account=${PRODUCTION}&type=aws_account`);
  const row = roleRow(asAlice, name);
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('link', { name, exact: true })).toHaveAttribute('href', summary);
  await expect(row).toContainText('acme-production');
  await expect(row).toContainText(PRODUCTION);
  await expect(row).toContainText('AWS account');
  await expect(row).toContainText(IDENTITY);
  await expect(row).toContainText('Alice');
  await expectNoSeriousViolations(asAlice, 'roles list');
  // One landmark per name: the table's region is "Roles", its section another name.
  await expect(asAlice.getByRole('region', { name: 'Roles', exact: true })).toHaveCount(1);

  // Dave does not see it.
  await asDave.goto('/roles');
  await expect(asDave.getByRole('rowheader', { name, exact: true })).toHaveCount(0);

  // A policy attached outside Rolesmith, through the AWS SDK against the sandbox's IAM endpoint.
  const iam = new IAMClient({
    endpoint: `${baseURL}/sandbox/aws`,
    region: 'us-east-1',
    credentials: sandboxAdminKeys(PRODUCTION),
    maxAttempts: 1,
  });
  await iam.send(
    new AttachRolePolicyCommand({ RoleName: name, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
  );
  iam.destroy();

  // The summary page checks the role live (streamed in) and lists the difference.
  await asAlice.goto(summary);
  const drift = asAlice.getByRole('region', { name: 'Compared with AWS' });
  await expect(drift.getByText('1 difference from what Rolesmith created')).toBeVisible({ timeout: 20_000 });
  await expect(drift.getByRole('listitem')).toHaveText([
    'AdministratorAccess was attached outside Rolesmith',
  ]);
  await expect(drift.locator('code', { hasText: 'AdministratorAccess' })).toBeVisible();
  await expect(drift).not.toHaveAttribute('aria-busy', 'true');
  await expectNoSeriousViolations(asAlice, 'role summary with drift');

  // The list's drift filter, chosen with the keyboard: the role is drifted (recorded by that check).
  await asAlice.goto('/roles');
  await asAlice.locator('body').click({ position: { x: 5, y: 5 } });
  await tabTo(asAlice, 'combobox', /^Drift/);
  await asAlice.keyboard.press('ArrowDown');
  await expect(asAlice.getByRole('combobox', { name: 'Drift' })).toHaveValue('drifted');
  await tabTo(asAlice, 'button', /^Filter$/);
  await asAlice.keyboard.press('Enter');
  // A GET form: the empty filters come along, and the list reads them as none.
  await asAlice.waitForURL(/\/roles\?.*drift=drifted/);
  await expect(roleRow(asAlice, name)).toHaveCount(1);
  await expect(roleRow(asAlice, name).getByText('Drifted')).toBeVisible();
  await expect(roleRow(asAlice, name)).toContainText('1 difference');
  await asAlice.screenshot({ path: path.join(screens, 'drifted.png'), fullPage: true });
  await expectNoSeriousViolations(asAlice, 'roles list filtered by drift');
  await asAlice.goto('/roles?drift=matches');
  await expect(roleRow(asAlice, name)).toHaveCount(0);

  // Create role from this one: the wizard, with the trust copied.
  await asAlice.goto(`/roles?drift=drifted`);
  await roleRow(asAlice, name)
    .getByRole('link', { name: `Create role from ${name}` })
    .click();
  await asAlice.waitForURL(/\/roles\/new\?copy=/);
  const copied = new WizardPage(asAlice);
  await expect
    .poll(async () => JSON.parse((await copied.trustPolicyJson.textContent()) ?? '{}') as unknown, {
      timeout: 20_000,
    })
    .toMatchObject({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${IDENTITY}:root` }, Action: 'sts:AssumeRole' },
      ],
    });
});

test('the roles list says when it has nothing, and links to the wizard', async ({ asDave }) => {
  await asDave.setViewportSize({ width: 1280, height: 800 });
  await asDave.goto('/roles?owner=nobody-owns-this');
  await expect(asDave.getByText('No roles match these filters.')).toBeVisible();
  await expect(asDave.getByRole('link', { name: 'Show every role' })).toHaveAttribute('href', '/roles');
  await asDave.goto('/roles?drift=sideways');
  await expect(
    asDave.getByRole('alert').filter({ hasText: 'No roles are shown until the filters are valid.' }),
  ).toBeVisible();
  await expect(asDave.getByText('Choose a drift state from the list')).toBeVisible();
  await expectNoSeriousViolations(asDave, 'roles list with a bad filter');
  await asDave.screenshot({ path: path.join(screens, 'bad-filter.png'), fullPage: true });
});
