import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { signInAsDemoPerson } from './harness/demo-sign-in';

const pages = [
  { path: '/', heading: 'Cross-account IAM roles, on request' },
  { path: '/roles/new', heading: 'New role' },
  { path: '/requests', heading: 'My requests' },
  { path: '/approvals', heading: 'Approvals' },
  { path: '/roles', heading: 'Roles' },
  { path: '/admin', heading: 'Admin' },
];

for (const { path, heading } of pages) {
  test(`${path} renders the shell, the sandbox banner and has no serious accessibility violations`, async ({
    page,
  }) => {
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Sandbox mode' })).toContainText('Sandbox mode.');

    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const label of ['New role', 'My requests', 'Approvals', 'Roles', 'Admin']) {
      await expect(nav.getByRole('link', { name: label, exact: true })).toBeVisible();
    }

    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  });
}

test('the navigation leads to each section and marks the current one', async ({ page }) => {
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Approvals', exact: true }).click();
  await expect(page).toHaveURL(/\/approvals$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Approvals' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Approvals', exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(nav.getByRole('link', { name: 'Roles', exact: true })).not.toHaveAttribute(
    'aria-current',
    'page',
  );
  // /roles/new is New role's page, not also Roles'.
  await nav.getByRole('link', { name: 'New role', exact: true }).click();
  await expect(page).toHaveURL(/\/roles\/new$/);
  await expect(nav.getByRole('link', { name: 'New role', exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(nav.getByRole('link', { name: 'Roles', exact: true })).not.toHaveAttribute(
    'aria-current',
    'page',
  );
});

test('an unknown page answers 404 with a way back', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to the overview' }).click();
  await expect(page).toHaveURL(/\/$/);
});

async function expectNoSeriousViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

test('the sign-in page, the signed-in header and the admin access page have no serious accessibility violations', async ({
  page,
}) => {
  await page.goto('/signin');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Rolesmith' })).toBeVisible();
  await expectNoSeriousViolations(page);

  await signInAsDemoPerson(page, 'Carol Chen');
  await expect(page.getByRole('banner').getByText('Carol Chen')).toBeVisible();
  await expectNoSeriousViolations(page);

  await page.goto('/access');
  await expect(page.getByRole('heading', { level: 1, name: 'Access' })).toBeVisible();
  await expectNoSeriousViolations(page);
});
