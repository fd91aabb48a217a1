import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { signInAsDemoPerson } from './harness/demo-sign-in';

// Sandbox mode: the admin pages (target accounts, guardrails, audit log) as Carol, the admin, and
// as people who are not admins. Each test makes its own data; the guardrails change here (an
// allow-listed account) does not affect what other specs create.

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** Sessions signed in once per file, so that the per-person sign-in limit is not spent here. */
const sessions = new Map<string, StorageState>();

async function signedInPage(browser: Browser, name: string) {
  const saved = sessions.get(name);
  const context = await browser.newContext(saved ? { storageState: saved } : {});
  const page = await context.newPage();
  if (!saved) {
    await page.goto('/signin');
    await signInAsDemoPerson(page, name);
    sessions.set(name, await context.storageState());
  }
  return { context, page };
}

async function expectNoSeriousViolations(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`),
    where,
  ).toEqual([]);
}

const adminPages = ['/accounts', '/accounts/444455556666', '/guardrails', '/audit'];

test('admin pages answer not found to people who are not admins, and send anonymous callers to sign in', async ({
  browser,
}) => {
  for (const name of ['Alice Adams', 'Bob Brown']) {
    const { context, page } = await signedInPage(browser, name);
    for (const path of adminPages) {
      await page.goto(path);
      await expect(
        page.getByRole('heading', { level: 1, name: 'Page not found' }),
        `${name} ${path}`,
      ).toBeVisible();
      await expect(page.getByRole('table')).toHaveCount(0);
      await expect(page.getByRole('textbox')).toHaveCount(0);
    }
    await context.close();
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const path of adminPages) {
    await page.goto(path);
    await page.waitForURL((url) => url.pathname === '/signin');
  }
  await context.close();
});

test('Carol adds, edits and removes a target account, with errors under the fields', async ({ browser }) => {
  const { context, page } = await signedInPage(browser, 'Carol Chen');
  await page.goto('/admin');
  await page.getByRole('link', { name: 'Target accounts' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Target accounts' })).toBeVisible();
  await expect(page.getByRole('rowheader', { name: 'acme-production' })).toBeVisible();
  await expectNoSeriousViolations(page, '/accounts');

  const form = page.getByRole('region', { name: 'Add an account' });
  await form.getByLabel('Account id').fill('2109876543');
  await form.getByLabel('Alias').fill('Acme Staging');
  await form.getByLabel('Environment').fill('staging');
  await form.getByRole('radio', { name: 'Yellow' }).check();
  await form.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByText('AWS account ID must be exactly 12 digits')).toBeVisible();
  await expect(page.getByText('Alias may contain only lower-case letters, digits and hyphens')).toBeVisible();
  await expect(form.getByLabel('Account id')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Account id')).toHaveValue('2109876543');
  await expect(form.getByLabel('Environment')).toHaveValue('staging');
  await expectNoSeriousViolations(page, '/accounts with field errors');

  await form.getByLabel('Account id').fill('210987654321');
  await form.getByLabel('Alias').fill('acme-staging');
  await form.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByText('Account acme-staging (210987654321) added.')).toBeVisible();
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'acme-staging' }) });
  await expect(row).toContainText('210987654321');
  await expect(row).toContainText('#EFDA95');
  await expect(row).toContainText('Sandbox emulator');
  await expect(form.getByLabel('Account id')).toHaveValue('');

  // Adding the same account again is refused; nothing changes.
  await form.getByLabel('Account id').fill('210987654321');
  await form.getByLabel('Alias').fill('acme-staging-2');
  await form.getByLabel('Environment').fill('qa');
  await form.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByText('This account is already in the list')).toBeVisible();
  await expect(page.getByRole('rowheader', { name: 'acme-staging-2' })).toHaveCount(0);

  await page.getByRole('link', { name: 'Edit acme-staging' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit acme-staging' })).toBeVisible();
  await expect(page.getByLabel('Account id')).toHaveAttribute('readonly', '');
  await expectNoSeriousViolations(page, '/accounts/210987654321');
  await page.getByLabel('Environment').fill('pre-production');
  await page.getByRole('radio', { name: 'Blue' }).check();
  await page.getByRole('button', { name: 'Save account' }).click();
  await page.waitForURL((url) => url.pathname === '/accounts');
  await expect(page.getByText('Account acme-staging (210987654321) saved.')).toBeVisible();
  await expect(row).toContainText('pre-production');
  await expect(row).toContainText('#83D4E8');

  await page.getByRole('button', { name: 'Remove acme-staging' }).click();
  await page.getByRole('button', { name: 'Confirm: remove acme-staging' }).click();
  await expect(page.getByRole('rowheader', { name: 'acme-staging' })).toHaveCount(0);
  await expect(page.getByRole('rowheader', { name: 'acme-production' })).toBeVisible();
  await context.close();
});

test('Carol edits the guardrails: a bad forbidden action is shown under its field, a stale form is refused', async ({
  browser,
}) => {
  const { context, page } = await signedInPage(browser, 'Carol Chen');
  await page.goto('/guardrails');
  await expect(page.getByRole('heading', { level: 1, name: 'Guardrails' })).toBeVisible();
  await expectNoSeriousViolations(page, '/guardrails');
  // A second tab loaded at the same version, for the compare-and-set below.
  const other = await context.newPage();
  await other.goto('/guardrails');

  const forbidden = page.getByLabel('Forbidden actions, one per line');
  const original = await forbidden.inputValue();
  expect(original).toContain('iam:CreateUser');
  await forbidden.fill(`${original}\niam:CreateUsr`);
  await page.getByRole('button', { name: 'Save guardrails' }).click();
  const error = page.getByText('iam:CreateUsr: matches no IAM action; check the spelling');
  await expect(error).toBeVisible();
  await expect(forbidden).toHaveAttribute('aria-invalid', 'true');
  const errorId = await error.locator('xpath=ancestor-or-self::*[@id][1]').getAttribute('id');
  expect(await forbidden.getAttribute('aria-describedby')).toContain(errorId);
  await expect(forbidden).toHaveValue(`${original}\niam:CreateUsr`);
  await expectNoSeriousViolations(page, '/guardrails with a field error');

  await forbidden.fill(original);
  const allowList = page.getByLabel('Allow-listed account ids');
  await allowList.fill(`${await allowList.inputValue()}\n210987654321`);
  await page.getByRole('button', { name: 'Save guardrails' }).click();
  await expect(page.getByText(/^Guardrails saved \(version \d+\)/)).toBeVisible();
  await expect(page.getByText(/saved by Carol Chen \(carol@/)).toBeVisible();

  await other.getByLabel('Path prefix').fill('/other/');
  await other.getByRole('button', { name: 'Save guardrails' }).click();
  await expect(other.getByText(/Someone else changed the guardrails since you loaded them/)).toBeVisible();
  await other.getByRole('link', { name: 'Load the latest guardrails' }).click();
  await expect(other.getByLabel('Allow-listed account ids')).toHaveValue(/210987654321/);
  await expect(other.getByLabel('Path prefix')).toHaveValue('/');
  await context.close();
});

test('Carol reads the audit log and its filters; the admin landing links every admin page', async ({
  browser,
}) => {
  const { context, page } = await signedInPage(browser, 'Carol Chen');
  await page.goto('/admin');
  for (const name of ['Target accounts', 'Guardrails', 'Audit log', 'Access']) {
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await expectNoSeriousViolations(page, '/admin');
  await page.getByRole('link', { name: 'Audit log', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  // No HTTP path creates requests yet (the wizard is not built), so a fresh sandbox has no events;
  // the lib tests (lib/requests/audit-log.test.ts) cover events, filters and pages.
  await expect(page.getByRole('table').or(page.getByText('No request has changed state yet.'))).toBeVisible();
  await expectNoSeriousViolations(page, '/audit');

  const search = page.getByRole('search', { name: 'Filter the audit log' });
  await search.getByLabel('Request id').fill('not-a-request');
  await search.getByLabel('Moved to state').selectOption('cancelled');
  await search.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL((url) => url.searchParams.get('state') === 'cancelled');
  await expect(page.getByText(/Enter a whole request id/)).toBeVisible();
  await expect(search.getByLabel('Request id')).toHaveAttribute('aria-invalid', 'true');
  await expect(search.getByLabel('Request id')).toHaveValue('not-a-request');
  await expect(page.getByRole('table')).toHaveCount(0);
  await expectNoSeriousViolations(page, '/audit with a filter error');

  await search.getByLabel('Request id').fill('');
  await search.getByLabel('Actor (user id or e-mail)').fill('nobody@acme.example');
  await search.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByText('No events match these filters.')).toBeVisible();
  await page.getByRole('link', { name: 'Clear' }).click();
  await page.waitForURL((url) => url.search === '');
  await context.close();
});
