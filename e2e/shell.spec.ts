import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { signInAsDemoPerson } from './harness/demo-sign-in';

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** Sessions signed in once per file, so that the per-person sign-in limit is not spent here. */
const sessions = new Map<string, StorageState>();

/** A page signed in as a demo person, or anonymous when `name` is null. */
async function pageAs(
  browser: Browser,
  name: string | null,
): Promise<{ context: BrowserContext; page: Page }> {
  const saved = name ? sessions.get(name) : undefined;
  const context = await browser.newContext(saved ? { storageState: saved } : {});
  const page = await context.newPage();
  if (name && !saved) {
    await page.goto('/signin');
    await signInAsDemoPerson(page, name);
    sessions.set(name, await context.storageState());
  }
  return { context, page };
}

// The portal's pages need a signed-in person (the home page does not): Carol, the admin, sees them all.
const pages: { path: string; heading: string; as: 'Carol Chen' | null }[] = [
  { path: '/', heading: 'Cross-account IAM roles, on request', as: null },
  { path: '/roles/new', heading: 'New role', as: 'Carol Chen' },
  { path: '/requests', heading: 'My requests', as: 'Carol Chen' },
  { path: '/approvals', heading: 'Approvals', as: 'Carol Chen' },
  { path: '/roles', heading: 'Roles', as: 'Carol Chen' },
  { path: '/admin', heading: 'Admin', as: 'Carol Chen' },
];

/** The navigation items each kind of person sees: Approvals for approvers and admins, Admin for admins. */
const navigationFor = {
  anonymous: ['New role', 'My requests', 'Roles'],
  'Alice Adams': ['New role', 'My requests', 'Roles'],
  'Bob Brown': ['New role', 'My requests', 'Approvals', 'Roles'],
  'Carol Chen': ['New role', 'My requests', 'Approvals', 'Roles', 'Admin'],
} as const;

async function expectNavigation(page: Page, labels: readonly string[]): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const label of labels) {
    await expect(nav.getByRole('link', { name: label, exact: true })).toBeVisible();
  }
  await expect(nav.getByRole('link')).toHaveCount(labels.length);
}

for (const { path, heading, as } of pages) {
  test(`${path} renders the shell, the sandbox banner and has no serious accessibility violations`, async ({
    browser,
  }) => {
    const { context, page } = await pageAs(browser, as);
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Sandbox mode' })).toContainText('Sandbox mode.');

    await expectNavigation(page, navigationFor[as ?? 'anonymous']);

    await expectNoSeriousViolations(page);
    await context.close();
  });
}

test('the navigation shows Approvals only to approvers and admins, and Admin only to admins', async ({
  browser,
}) => {
  for (const name of ['Alice Adams', 'Bob Brown', 'Carol Chen'] as const) {
    const { context, page } = await pageAs(browser, name);
    await page.goto('/');
    await expectNavigation(page, navigationFor[name]);
    await context.close();
  }
});

test('the navigation leads to each section and marks the current one', async ({ browser }) => {
  const { context, page } = await pageAs(browser, 'Carol Chen');
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
  await context.close();
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
