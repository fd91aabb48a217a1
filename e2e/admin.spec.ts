import { expectNoSeriousViolations } from './accessibility';
import { expect, test } from './fixtures';
import { AccountsPage } from './pages/accounts-page';
import { AdminPage } from './pages/admin-page';
import { AuditPage } from './pages/audit-page';
import { GuardrailsPage } from './pages/guardrails-page';
import { Shell } from './pages/shell';

// Sandbox mode: the admin pages (target accounts, guardrails, audit log) as Carol, the admin, and
// as people who are not admins. Each test makes its own data; the guardrails change here (an
// allow-listed account) does not affect what other specs create.

const adminPages = ['/accounts', '/accounts/444455556666', '/guardrails', '/notifications', '/audit'];

test('admin pages answer not found to people who are not admins, and send anonymous callers to sign in', async ({
  asAlice,
  asBob,
  page,
}) => {
  for (const [name, signedIn] of [
    ['Alice Adams', asAlice],
    ['Bob Brown', asBob],
  ] as const) {
    for (const path of adminPages) {
      await signedIn.goto(path);
      await new Shell(signedIn).expectNotFound(`${name} ${path}`);
      await expect(signedIn.getByRole('table')).toHaveCount(0);
      await expect(signedIn.getByRole('textbox')).toHaveCount(0);
    }
  }
  for (const path of adminPages) {
    await page.goto(path);
    await page.waitForURL((url) => url.pathname === '/signin');
  }
});

test('Carol adds, edits and removes a target account, with errors under the fields', async ({ asCarol }) => {
  const page = asCarol;
  const admin = new AdminPage(page);
  await admin.goto();
  await admin.link('Target accounts').click();
  const accounts = new AccountsPage(page);
  await expect(accounts.heading).toBeVisible();
  await expect(accounts.aliasCell('acme-production')).toBeVisible();
  await expectNoSeriousViolations(page, '/accounts');

  await accounts.add({
    accountId: '2109876543',
    alias: 'Acme Staging',
    environment: 'staging',
    color: 'Yellow',
  });
  await expect(page.getByText('AWS account ID must be exactly 12 digits')).toBeVisible();
  await expect(page.getByText('Alias may contain only lower-case letters, digits and hyphens')).toBeVisible();
  await expect(accounts.accountId).toHaveAttribute('aria-invalid', 'true');
  await expect(accounts.accountId).toHaveValue('2109876543');
  await expect(accounts.environment).toHaveValue('staging');
  await expectNoSeriousViolations(page, '/accounts with field errors');

  await accounts.add({ accountId: '210987654321', alias: 'acme-staging' });
  await expect(page.getByText('Account acme-staging (210987654321) added.')).toBeVisible();
  const row = accounts.row('acme-staging');
  await expect(row).toContainText('210987654321');
  await expect(row).toContainText('#EFDA95');
  await expect(row).toContainText('Sandbox emulator');
  await expect(accounts.accountId).toHaveValue('');

  // Adding the same account again is refused; nothing changes.
  await accounts.add({ accountId: '210987654321', alias: 'acme-staging-2', environment: 'qa' });
  await expect(page.getByText('This account is already in the list')).toBeVisible();
  await expect(accounts.aliasCell('acme-staging-2')).toHaveCount(0);

  const edit = await accounts.edit('acme-staging');
  await expect(edit.heading).toBeVisible();
  await expect(edit.accountId).toHaveAttribute('readonly', '');
  await expectNoSeriousViolations(page, '/accounts/210987654321');
  await edit.save({ environment: 'pre-production', color: 'Blue' });
  await page.waitForURL((url) => url.pathname === '/accounts');
  await expect(page.getByText('Account acme-staging (210987654321) saved.')).toBeVisible();
  await expect(row).toContainText('pre-production');
  await expect(row).toContainText('#83D4E8');

  await accounts.remove('acme-staging');
  await expect(accounts.aliasCell('acme-staging')).toHaveCount(0);
  await expect(accounts.aliasCell('acme-production')).toBeVisible();
});

test('Carol edits the guardrails: a bad forbidden action is shown under its field, a stale form is refused', async ({
  asCarol,
}) => {
  const guardrails = new GuardrailsPage(asCarol);
  await guardrails.goto();
  await expect(guardrails.heading).toBeVisible();
  await expectNoSeriousViolations(asCarol, '/guardrails');
  // A second tab loaded at the same version, for the compare-and-set below.
  const other = new GuardrailsPage(await asCarol.context().newPage());
  await other.goto();

  const forbidden = guardrails.forbiddenActions;
  const original = await forbidden.inputValue();
  expect(original).toContain('iam:CreateUser');
  await forbidden.fill(`${original}\niam:CreateUsr`);
  await guardrails.save();
  const error = asCarol.getByText('iam:CreateUsr: matches no IAM action; check the spelling');
  await expect(error).toBeVisible();
  await expect(forbidden).toHaveAttribute('aria-invalid', 'true');
  const errorId = await error.locator('xpath=ancestor-or-self::*[@id][1]').getAttribute('id');
  expect(await forbidden.getAttribute('aria-describedby')).toContain(errorId);
  await expect(forbidden).toHaveValue(`${original}\niam:CreateUsr`);
  await expectNoSeriousViolations(asCarol, '/guardrails with a field error');

  await forbidden.fill(original);
  const allowList = guardrails.allowListedAccounts;
  await allowList.fill(`${await allowList.inputValue()}\n210987654321`);
  await guardrails.save();
  await expect(guardrails.saved).toBeVisible();
  await expect(asCarol.getByText(/saved by Carol Chen \(carol@/)).toBeVisible();

  await other.pathPrefix.fill('/other/');
  await other.save();
  await expect(other.staleRefusal).toBeVisible();
  await other.loadLatest();
  await expect(other.allowListedAccounts).toHaveValue(/210987654321/);
  await expect(other.pathPrefix).toHaveValue('/');
});

test('Carol reads the audit log and its filters; the admin landing links every admin page', async ({
  asCarol,
}) => {
  const page = asCarol;
  const admin = new AdminPage(page);
  await admin.goto();
  for (const section of AdminPage.sections) await expect(admin.link(section)).toBeVisible();
  await expectNoSeriousViolations(page, '/admin');
  await admin.link('Audit log').click();
  const audit = new AuditPage(page);
  await expect(audit.heading).toBeVisible();
  // No HTTP path creates requests yet (the wizard is not built), so a fresh sandbox has no events;
  // the lib tests (lib/requests/audit-log.test.ts) cover events, filters and pages.
  await expect(audit.table.or(page.getByText('No request has changed state yet.'))).toBeVisible();
  await expectNoSeriousViolations(page, '/audit');

  await audit.requestId.fill('not-a-request');
  await audit.state.selectOption('cancelled');
  await audit.filter();
  await page.waitForURL((url) => url.searchParams.get('state') === 'cancelled');
  await expect(page.getByText(/Enter a whole request id/)).toBeVisible();
  await expect(audit.requestId).toHaveAttribute('aria-invalid', 'true');
  await expect(audit.requestId).toHaveValue('not-a-request');
  await expect(audit.table).toHaveCount(0);
  await expectNoSeriousViolations(page, '/audit with a filter error');

  await audit.requestId.fill('');
  await audit.actor.fill('nobody@acme.example');
  await audit.filter();
  await expect(page.getByText('No events match these filters.')).toBeVisible();
  await audit.clear();
  await page.waitForURL((url) => url.search === '');
});
