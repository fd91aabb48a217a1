import { expectNoSeriousViolations } from './accessibility';
import { expect, test } from './fixtures';
import { SignInPage } from './pages/sign-in-page';
import { SwitchRolePage } from './pages/switch-role-page';

// The sandbox switch-role page: the link Rolesmith shows for a role really assumes it in the
// in-process emulator, as the signed-in person's own sandbox IAM user. The role used is the one the
// emulator seeds, DemoReadOnly in 444455556666 (trusts 111122223333 with MFA, ReadOnlyAccess).

// 99BCE3 is the console's blue before 2024: links made then still open with Blue chosen (83D4E8 today).
const link = '/sandbox/switchrole?account=444455556666&roleName=DemoReadOnly&displayName=Demo&color=99BCE3';

test('signed out, the link leads to sign-in and back to the pre-filled form, keeping the query', async ({
  page,
}) => {
  // Signs in explicitly: what is tested is the way through sign-in and back.
  const switchRole = new SwitchRolePage(page);
  await switchRole.goto(link);
  await page.waitForURL((url) => url.pathname === '/signin');
  expect(new URL(page.url()).searchParams.get('callbackUrl')).toBe(link);
  await new SignInPage(page).chooseDemoPerson('Alice Adams');
  await page.waitForURL((url) => url.pathname === '/sandbox/switchrole');
  expect(new URL(page.url()).search).toBe(new URL(link, 'http://x').search);
  await expect(switchRole.heading).toBeVisible();
  await expect(switchRole.account).toHaveValue('444455556666');
  await expect(switchRole.role).toHaveValue('DemoReadOnly');
  await expect(switchRole.displayName).toHaveValue('Demo');
  await expect(switchRole.color('Blue')).toBeChecked();
});

test('Alice switches to DemoReadOnly with MFA: the session works as the role', async ({ asAlice: page }) => {
  const switchRole = new SwitchRolePage(page);
  await switchRole.goto(link);
  await expect(page.getByText('arn:aws:iam::111122223333:user/alice', { exact: true })).toBeVisible();
  await expect(switchRole.mfaCode).toHaveValue(/^\d{6}$/);
  await expectNoSeriousViolations(page);

  await switchRole.switchRole();
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
  await switchRole.mfaCode.fill('');
  await switchRole.switchRole();
  await expect(switchRole.refusedHeading).toBeVisible();
  await expect(page.getByText(/requires MFA and no code was given/)).toBeVisible();
});

test("a role whose trust does not allow the person's console switch is refused with AWS's words", async ({
  asAlice: page,
}) => {
  // Every target account's RolesmithProvisioner role trusts 111122223333 only with an external ID,
  // which the console (and so this page) cannot pass. (Erin, the outside consultant, is not used:
  // e2e/auth-security.spec.ts spends her per-user mutation budget on the same server.)
  const switchRole = new SwitchRolePage(page);
  await switchRole.goto(
    '/sandbox/switchrole?account=444455556666&roleName=rolesmith/RolesmithProvisioner&displayName=Provisioner',
  );
  await switchRole.switchRole();
  await expect(switchRole.refusedHeading).toBeVisible();
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
});

test('a malformed link is explained and nothing is assumed', async ({ asAlice: page }) => {
  const switchRole = new SwitchRolePage(page);
  await switchRole.goto('/sandbox/switchrole?account=4444&roleName=/DemoReadOnly&color=blue');
  const alert = switchRole.invalidLinkAlert;
  await expect(alert).toContainText('Account must be a 12-digit AWS account ID');
  await expect(alert).toContainText('Colour must be six hexadecimal digits');
  await expect(switchRole.account).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/assumed-role/)).toHaveCount(0);
  // Submitting it unchanged is refused by the server's own check, field by field.
  await switchRole.switchRole();
  await expect(switchRole.invalidHeading).toBeVisible();
  await expect(page.getByText(/assumed-role/)).toHaveCount(0);
});
