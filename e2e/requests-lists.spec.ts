import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { expectNoSeriousViolations } from './accessibility';
import { test } from './fixtures';
import { tabTo } from './keyboard';
import { Shell } from './pages/shell';
import { WizardPage } from './pages/wizard-page';
import { PRODUCTION, uniqueRoleName } from './wizard-flows';

// My requests (/requests) and the approvals queue (/approvals), sandbox mode: requests submitted
// through the wizard by Alice and by Carol (an admin, so also an approver), seen by Bob (approver
// for every account) and Carol. Each test makes its own requests, so other specs' requests in the
// same data folder only add rows; assertions filter by requester or name.

const screensDir = path.resolve(import.meta.dirname, '..', 'test-results', 'requests-lists-screens');

/** A 1280×800 screenshot of the whole page as `<name>.png`, and axe on it. */
async function screen(page: Page, name: string): Promise<void> {
  mkdirSync(screensDir, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: path.join(screensDir, `${name}.png`), fullPage: true });
  await expectNoSeriousViolations(page, name);
}

/** Submits a request from the Lambda-developer template in acme-production; returns its id. */
async function submitFromTemplate(page: Page, name: string): Promise<string> {
  const wizard = new WizardPage(page);
  await wizard.open('template=lambda-developer');
  await wizard.chooseAccount('acme-production');
  await wizard.next();
  await wizard.expectStep('Add permissions');
  const justifications = page.getByLabel('Justification (required)');
  await expect(justifications.first()).toBeVisible();
  for (const field of await justifications.all()) await field.fill('Deploys the team’s own functions');
  await wizard.next();
  await wizard.expectStep('Name, review, and create');
  await wizard.setRoleName(name);
  await expect(wizard.roleNameStatus).toContainText(/available/i);
  await wizard.justification.fill('The orders team deploys its functions');
  return wizard.submit();
}

function table(page: Page, name: string): Locator {
  return page.getByRole('table', { name });
}

/** The row whose header cell names the role. */
function rowOf(list: Locator, roleName: string): Locator {
  return list
    .getByRole('row')
    .filter({ has: list.page().getByRole('link', { name: roleName, exact: true }) });
}

test.describe('request lists', () => {
  test('Alice’s list shows her request; Bob’s queue shows it with his badge, filters and pages in the URL', async ({
    asAlice,
    asBob,
  }) => {
    test.setTimeout(180_000);
    const first = uniqueRoleName('queue-first');
    const second = uniqueRoleName('queue-second');
    const firstId = await submitFromTemplate(asAlice, first);
    await submitFromTemplate(asAlice, second);

    // Alice: both requests, newest first, pending, with account, age and last event.
    await asAlice.goto('/requests');
    await expect(new Shell(asAlice).heading('My requests')).toBeVisible();
    const mine = table(asAlice, 'My requests');
    const row = rowOf(mine, first);
    await expect(row).toContainText('Pending approval');
    await expect(row).toContainText('Create');
    await expect(row).toContainText('acme-production');
    await expect(row).toContainText(PRODUCTION);
    await expect(row).toContainText('Submitted by you');
    await expect(row.locator('time').first()).toHaveAttribute(
      'title',
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/,
    );
    await expect(row.getByRole('link', { name: first, exact: true })).toHaveAttribute(
      'href',
      `/requests/${firstId}`,
    );
    const names = await mine.getByRole('rowheader').allTextContents();
    expect(names.findIndex((text) => text.includes(second))).toBeLessThan(
      names.findIndex((text) => text.includes(first)),
    );
    await screen(asAlice, 'my-requests');

    // Filters in the URL: Alice has no delete requests.
    await asAlice.getByLabel('Kind').selectOption('delete');
    await asAlice.getByRole('button', { name: 'Filter' }).click();
    await expect(asAlice).toHaveURL(/\/requests\?.*\bkind=delete\b/);
    await expect(asAlice.getByText('No requests match these filters.')).toBeVisible();

    // Bob: the badge counts the requests waiting for him, in the link's name.
    await asBob.goto('/approvals');
    const shell = new Shell(asBob);
    const approvals = shell.navLink('Approvals');
    await expect(approvals).toHaveAccessibleName(/^Approvals, (\d+|more than 99) waiting$/);
    const waiting = Number(/(\d+) waiting/.exec((await approvals.textContent()) ?? '')?.[1] ?? '100');
    expect(waiting).toBeGreaterThanOrEqual(2);

    const queue = table(asBob, 'Requests waiting for approval');
    await expect(rowOf(queue, first)).toBeVisible();
    await expect(rowOf(queue, first)).toContainText('Alice Adams');
    await expect(rowOf(queue, first)).toContainText('0 / ');
    await expect(
      rowOf(queue, first).getByRole('link', { name: `Review ${first} in acme-production` }),
    ).toBeVisible();
    await screen(asBob, 'approvals-queue');

    // Reviewing Alice's request from the queue: the navigation stays on Approvals, also after a reload.
    await rowOf(queue, first)
      .getByRole('link', { name: `Review ${first} in acme-production` })
      .click();
    await expect(asBob).toHaveURL(new RegExp(`/requests/${firstId}$`));
    await shell.expectCurrent('Approvals');
    await shell.expectCurrent('My requests', false);
    await asBob.reload();
    await shell.expectCurrent('Approvals');
    await shell.expectCurrent('My requests', false);
    await asBob.goto('/approvals');

    // Filters through the form land in the URL.
    await asBob.getByLabel('Account').selectOption(PRODUCTION);
    await asBob.getByLabel('Kind').selectOption('create');
    await asBob.getByLabel('Requester').fill('alice');
    await asBob.getByLabel('Sort by').selectOption('newest');
    await asBob.getByRole('button', { name: 'Filter' }).click();
    await expect(asBob).toHaveURL(/account=444455556666/);
    await expect(asBob).toHaveURL(/kind=create/);
    await expect(asBob).toHaveURL(/requester=alice/);
    await expect(asBob).toHaveURL(/order=newest/);
    const filtered = await queue.getByRole('rowheader').allTextContents();
    expect(filtered[0]).toContain(second);
    expect(filtered.findIndex((text) => text.includes(first))).toBeGreaterThan(0);
    await screen(asBob, 'approvals-queue-filtered');

    // One request a page: the next page is in the URL, and goes on where the first stopped.
    await asBob.goto(`${new URL(asBob.url()).pathname}${new URL(asBob.url()).search}&size=1`);
    await expect(queue.getByRole('rowheader')).toHaveCount(1);
    await expect(queue.getByRole('rowheader')).toContainText(second);
    await asBob
      .getByRole('navigation', { name: 'Approvals queue pages' })
      .getByRole('link', { name: 'Next page →' })
      .click();
    await expect(asBob).toHaveURL(/[?&]after=[A-Za-z0-9_-]+/);
    await expect(asBob).toHaveURL(/size=1/);
    await expect(queue.getByRole('rowheader')).toHaveCount(1);
    await expect(queue.getByRole('rowheader')).not.toContainText(second);
    // A link the list did not write is answered plainly, with the way back.
    await asBob.goto('/approvals?after=not-a-page');
    await expect(
      asBob.getByRole('alert').filter({ hasText: 'This link is not a page of this list' }),
    ).toBeVisible();
    await expect(asBob.getByRole('link', { name: 'Go to the first page' })).toHaveAttribute(
      'href',
      '/approvals',
    );
  });

  test('an approver’s own request is in their queue marked yours, with no decision', async ({
    asCarol,
    asBob,
  }) => {
    test.setTimeout(120_000);
    const name = uniqueRoleName('queue-carol');
    const id = await submitFromTemplate(asCarol, name);

    await asCarol.goto('/approvals?requester=carol');
    const queue = table(asCarol, 'Requests waiting for approval');
    const own = rowOf(queue, name);
    await expect(own).toContainText('Yours');
    await expect(own).toContainText('Your request: another approver decides');
    await expect(own.getByRole('link', { name: /Review/ })).toHaveCount(0);
    await expect(own.getByRole('link', { name, exact: true })).toHaveAttribute('href', `/requests/${id}`);
    await screen(asCarol, 'approvals-queue-own');

    // Bob may decide it.
    await asBob.goto('/approvals?requester=carol');
    await expect(
      rowOf(table(asBob, 'Requests waiting for approval'), name).getByRole('link', {
        name: `Review ${name} in acme-production`,
      }),
    ).toBeVisible();
  });

  test('the requester’s badge counts a request Bob rejected until they open it, on the page they open it on', async ({
    asDave,
    asBob,
  }) => {
    test.setTimeout(120_000);
    const name = uniqueRoleName('badge-seen');
    const id = await submitFromTemplate(asDave, name);
    await asBob.goto(`/requests/${id}`);
    await asBob.getByRole('textbox', { name: 'Comment', exact: true }).fill('Use the shared deployer role');
    await asBob.getByRole('button', { name: 'Reject' }).click();
    await expect(asBob.getByText('Rejected', { exact: true })).toBeVisible();

    const shell = new Shell(asDave);
    const updatedCount = async () =>
      Number(
        /, (\d+) updated$/.exec((await shell.navLink('My requests').getAttribute('aria-label')) ?? '')?.[1] ??
          0,
      );
    await asDave.goto('/requests');
    await expect(shell.navLink('My requests')).toHaveAccessibleName(/^My requests, \d+ updated$/);
    const before = await updatedCount();
    // Opened from the list (a client-side navigation, the navigation kept), the request no longer counts.
    await rowOf(table(asDave, 'My requests'), name).getByRole('link', { name, exact: true }).click();
    await asDave.waitForURL(new RegExp(`/requests/${id}$`));
    await expect(asDave.getByText('Rejected', { exact: true })).toBeVisible();
    await expect.poll(updatedCount).toBe(before - 1);
  });

  test('the queue works from the keyboard alone', async ({ asBob }) => {
    await asBob.goto('/approvals');
    await tabTo(asBob, 'combobox', 'Account');
    await asBob.keyboard.press('ArrowDown');
    await tabTo(asBob, 'combobox', 'Sort by');
    await tabTo(asBob, 'button', 'Filter');
    await asBob.keyboard.press('Enter');
    await expect(asBob).toHaveURL(/\/approvals\?.*\baccount=\d{12}/);
    await asBob.goto('/approvals');
    await tabTo(asBob, 'a', /^Review /, { limit: 120 });
    await asBob.keyboard.press('Enter');
    await expect(asBob).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  });

  test('empty lists say so and lead on', async ({ signedInAs }) => {
    // Erin, the outside consultant, has asked for nothing.
    const erin = await signedInAs('Erin');
    await erin.goto('/requests');
    await expect(erin.getByText('You have not requested a role yet.')).toBeVisible();
    await expect(erin.getByRole('link', { name: 'Request your first role' })).toHaveAttribute(
      'href',
      '/roles/new',
    );
    await screen(erin, 'my-requests-empty');

    const carol = await signedInAs('Carol');
    await carol.goto('/approvals?requester=nobody-by-this-name');
    await expect(carol.getByText('No pending requests match these filters.')).toBeVisible();
    await expect(carol.getByRole('link', { name: 'Show the whole queue' })).toHaveAttribute(
      'href',
      '/approvals',
    );
  });
});
