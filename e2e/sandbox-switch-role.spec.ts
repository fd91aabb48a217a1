import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { signInAsDemoPerson } from './harness/demo-sign-in';

// The sandbox switch-role page: the link Rolesmith shows for a role really assumes it in the
// in-process emulator, as the signed-in person's own sandbox IAM user. The role used is the one the
// emulator seeds, DemoReadOnly in 444455556666 (trusts 111122223333 with MFA, ReadOnlyAccess).

// 99BCE3 is the console's blue before 2024: links made then still open with Blue chosen (83D4E8 today).
const link = '/sandbox/switchrole?account=444455556666&roleName=DemoReadOnly&displayName=Demo&color=99BCE3';

async function signIn(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`^Sign in as ${name}`) }).click();
}

async function signedInPage(browser: Browser, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/signin');
  await signInAsDemoPerson(page, name);
  return { context, page };
}

async function expectNoSeriousViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

test('signed out, the link leads to sign-in and back to the pre-filled form, keeping the query', async ({
  page,
}) => {
  await page.goto(link);
  await page.waitForURL((url) => url.pathname === '/signin');
  expect(new URL(page.url()).searchParams.get('callbackUrl')).toBe(link);
  await signIn(page, 'Alice Adams');
  await page.waitForURL((url) => url.pathname === '/sandbox/switchrole');
  expect(new URL(page.url()).search).toBe(new URL(link, 'http://x').search);
  await expect(page.getByRole('heading', { level: 1, name: 'Switch Role' })).toBeVisible();
  await expect(page.getByLabel('Account')).toHaveValue('444455556666');
  await expect(page.getByLabel('Role', { exact: true })).toHaveValue('DemoReadOnly');
  await expect(page.getByLabel(/^Display name/)).toHaveValue('Demo');
  await expect(page.getByRole('radio', { name: 'Blue' })).toBeChecked();
});

test('Alice switches to DemoReadOnly with MFA: the session works as the role', async ({ browser }) => {
  const { context, page } = await signedInPage(browser, 'Alice Adams');
  await page.goto(link);
  await expect(page.getByText('arn:aws:iam::111122223333:user/alice', { exact: true })).toBeVisible();
  await expect(page.getByLabel(/^MFA code/)).toHaveValue(/^\d{6}$/);
  await expectNoSeriousViolations(page);

  await page.getByRole('button', { name: 'Switch Role' }).click();
  await expect(
    page.getByRole('heading', { name: 'Switched role: you are now acting as Demo' }),
  ).toBeVisible();
  await expect(page.getByText('Demo | 444455556666')).toBeVisible();
  await expect(page.getByText('with MFA', { exact: true })).toBeVisible();
  const assumed = 'arn:aws:sts::444455556666:assumed-role/DemoReadOnly/alice';
  // Once from AssumeRole, once from GetCallerIdentity made with the temporary credentials.
  await expect(page.getByText(assumed, { exact: true })).toHaveCount(2);
  await expect(page.getByText('ReadOnlyAccess', { exact: false }).first()).toBeVisible();
  await expect(page.getByText(/Session expires/)).toBeVisible();
  // The result region took the focus, and no secret key is on the page.
  await expect(page.locator('[aria-live="polite"]').filter({ hasText: assumed })).toBeFocused();
  expect(await page.content()).not.toMatch(/secretAccessKey|SecretAccessKey|sessionToken/);
  await expectNoSeriousViolations(page);
  await page.screenshot({ path: 'test-results/sandbox-switch-role.png', fullPage: true });

  // Without the MFA code the trust policy's MFA condition is not met.
  await page.getByLabel(/^MFA code/).fill('');
  await page.getByRole('button', { name: 'Switch Role' }).click();
  await expect(page.getByRole('heading', { name: 'AWS refused the switch' })).toBeVisible();
  await expect(page.getByText(/requires MFA and no code was given/)).toBeVisible();
  await context.close();
});

test("a role whose trust does not allow the person's console switch is refused with AWS's words", async ({
  browser,
}) => {
  // Every target account's RolesmithProvisioner role trusts 111122223333 only with an external ID,
  // which the console (and so this page) cannot pass. (Erin, the outside consultant, is not used:
  // e2e/auth-security.spec.ts spends her per-user mutation budget on the same server.)
  const { context, page } = await signedInPage(browser, 'Alice Adams');
  await page.goto(
    '/sandbox/switchrole?account=444455556666&roleName=rolesmith/RolesmithProvisioner&displayName=Provisioner',
  );
  await page.getByRole('button', { name: 'Switch Role' }).click();
  await expect(page.getByRole('heading', { name: 'AWS refused the switch' })).toBeVisible();
  await expect(
    page.getByText(
      'AccessDenied: User: arn:aws:iam::111122223333:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/rolesmith/RolesmithProvisioner',
    ),
  ).toBeVisible();
  await expect(
    page.getByText(/trust policy does not allow your user.*external ID, which console switching cannot pass/),
  ).toBeVisible();
  await expect(page.getByText(/assumed-role/)).toHaveCount(0);
  await expectNoSeriousViolations(page);
  await page.screenshot({ path: 'test-results/sandbox-switch-role-denied.png', fullPage: true });
  await context.close();
});

test('a malformed link is explained and nothing is assumed', async ({ browser }) => {
  const { context, page } = await signedInPage(browser, 'Alice Adams');
  await page.goto('/sandbox/switchrole?account=4444&roleName=/DemoReadOnly&color=blue');
  const alert = page.getByRole('alert').filter({ hasText: 'This switch-role link is not valid' });
  await expect(alert).toContainText('Account must be a 12-digit AWS account ID');
  await expect(alert).toContainText('Colour must be six hexadecimal digits');
  await expect(page.getByLabel('Account')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/assumed-role/)).toHaveCount(0);
  // Submitting it unchanged is refused by the server's own check, field by field.
  await page.getByRole('button', { name: 'Switch Role' }).click();
  await expect(page.getByRole('heading', { name: 'Could not switch role' })).toBeVisible();
  await expect(page.getByText(/assumed-role/)).toHaveCount(0);
  await context.close();
});
