import { expectNoSeriousViolations } from './accessibility';
import { expect, test } from './fixtures';
import { Shell } from './pages/shell';
import { SignInPage } from './pages/sign-in-page';

// The shell every page shares, as Carol (an admin sees every item of the navigation).

// The portal's pages need a signed-in person (the home page does not): Carol, the admin, sees them all.
const pages: { path: string; heading: string; as: 'Carol' | null }[] = [
  { path: '/', heading: 'Cross-account IAM roles, on request', as: null },
  { path: '/roles/new', heading: 'Create role', as: 'Carol' },
  { path: '/requests', heading: 'My requests', as: 'Carol' },
  { path: '/approvals', heading: 'Approvals', as: 'Carol' },
  { path: '/roles', heading: 'Roles', as: 'Carol' },
  { path: '/admin', heading: 'Admin', as: 'Carol' },
];

/** The navigation items each kind of person sees: Approvals for approvers and admins, Admin for admins. */
const navigationFor = {
  anonymous: ['Create role', 'My requests', 'Roles'],
  Alice: ['Create role', 'My requests', 'Roles'],
  Bob: ['Create role', 'My requests', 'Approvals', 'Roles'],
  Carol: ['Create role', 'My requests', 'Approvals', 'Roles', 'Admin'],
} as const;

async function expectNavigation(shell: Shell, labels: readonly string[]): Promise<void> {
  for (const label of labels) await expect(shell.navLink(label)).toBeVisible();
  await expect(shell.nav.getByRole('link')).toHaveCount(labels.length);
}

for (const { path, heading, as } of pages) {
  test(`${path} renders the shell, the sandbox banner and has no serious accessibility violations`, async ({
    page: anonymous,
    signedInAs,
  }) => {
    const page = as ? await signedInAs(as) : anonymous;
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    const shell = new Shell(page);
    await expect(shell.heading(heading)).toBeVisible();
    await expect(shell.sandboxBanner).toContainText('Sandbox mode.');
    await expectNavigation(shell, navigationFor[as ?? 'anonymous']);
    await expectNoSeriousViolations(page);
  });
}

test('the navigation shows Approvals only to approvers and admins, and Admin only to admins', async ({
  signedInAs,
}) => {
  for (const person of ['Alice', 'Bob', 'Carol'] as const) {
    const page = await signedInAs(person);
    await page.goto('/');
    await expectNavigation(new Shell(page), navigationFor[person]);
  }
});

test('the navigation leads to each section and marks the current one', async ({ asCarol: page }) => {
  await page.goto('/');
  const shell = new Shell(page);
  await shell.navigateTo('Approvals');
  await expect(page).toHaveURL(/\/approvals$/);
  await expect(shell.heading('Approvals')).toBeVisible();
  await shell.expectCurrent('Approvals');
  await shell.expectCurrent('Roles', false);
  // /roles/new is Create role's page, not also Roles'.
  await shell.navigateTo('Create role');
  await expect(page).toHaveURL(/\/roles\/new$/);
  await shell.expectCurrent('Create role');
  await shell.expectCurrent('Roles', false);
});

test('an unknown page answers 404 with a way back', async ({ asAlice: page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  const shell = new Shell(page);
  await shell.expectNotFound();
  await shell.goBackToOverview();
  await expect(page).toHaveURL(/\/$/);
});

test('the sign-in page, the signed-in header and the admin access page have no serious accessibility violations', async ({
  page,
  asCarol,
}) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await expect(signIn.heading).toBeVisible();
  await expectNoSeriousViolations(page);

  await asCarol.goto('/');
  await expect(new Shell(asCarol).header.getByText('Carol Chen')).toBeVisible();
  await expectNoSeriousViolations(asCarol);

  await asCarol.goto('/access');
  await expect(new Shell(asCarol).heading('Access')).toBeVisible();
  await expectNoSeriousViolations(asCarol);
});
