// The role summary page and its access kit, end to end in sandbox mode: Alice requests a role
// through the wizard, Bob approves it on the request page, the portal provisions it in the
// emulator, and Alice's summary gives her the switch-role link, the CLI profile and the sandbox
// switch that really assumes the role (with MFA, and refused without it).
import type { Page } from '@playwright/test';
import { expectNoSeriousViolations } from './accessibility';
import { expect, test } from './fixtures';
import { tabTo } from './keyboard';
import { SwitchRolePage } from './pages/switch-role-page';
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

/** Bob approves a request on its page, acknowledging every item it lists. */
async function approveAsBob(bob: Page, requestId: string): Promise<void> {
  await bob.goto(`/requests/${requestId}`);
  const boxes = bob.getByRole('checkbox', { name: /^Acknowledge: / });
  for (const box of await boxes.all()) await box.check();
  const approve = bob.getByRole('button', { name: 'Approve', exact: true });
  await expect(approve).toBeEnabled();
  await approve.click();
  // The worker may have provisioned it already by the time the page answers.
  await expect(bob.getByText(/^(Approved|Provisioning|Provisioned)$/).first()).toBeVisible();
}

/** Waits until the portal's worker has provisioned the role: its summary answers 200. */
async function waitForSummary(page: Page, href: string): Promise<void> {
  await expect
    .poll(async () => (await page.request.get(href)).status(), { timeout: 60_000, intervals: [500, 1000] })
    .toBe(200);
}

test('Alice requests a role with MFA, Bob approves, and Alice switches to it from its summary', async ({
  asAlice,
  asBob,
  asDave,
}) => {
  const name = uniqueRoleName('summary-mfa');
  const wizard = await startBlank(asAlice, PRODUCTION);
  await asAlice.getByRole('combobox', { name: 'Account ID' }).fill(IDENTITY);
  await asAlice.getByRole('checkbox', { name: 'Require MFA' }).check();
  await nextTo(wizard, 'Add permissions');
  await selectManagedPolicy(asAlice, 'CloudWatchReadOnlyAccess');
  await nextTo(wizard, 'Name, review, and create');
  await fillReview(wizard, {
    name,
    justification: 'Reads production to debug the billing service',
    description: 'Debugging production',
    tags: [{ key: 'team', value: 'billing' }],
  });
  const requestId = await wizard.submit();
  await approveAsBob(asBob, requestId);

  const href = `/roles/${PRODUCTION}/${name}`;
  await waitForSummary(asAlice, href);
  await asAlice.setViewportSize({ width: 1280, height: 800 });
  await asAlice.goto(href);
  await expect(asAlice.getByRole('heading', { level: 1 })).toHaveText(
    `${name} · acme-production (${PRODUCTION})`,
  );
  const kit = asAlice.getByTestId('access-kit');
  await expect(kit).toBeVisible();

  // The console's link: host, path and parameters (as a set), opening in a new tab.
  const link = kit.getByRole('link', { name: /^Switch role in the console/ });
  const params = async () => {
    const url = new URL((await link.getAttribute('href')) ?? '');
    return { host: url.host, path: url.pathname, params: Object.fromEntries(url.searchParams) };
  };
  expect(await params()).toEqual({
    host: 'signin.aws.amazon.com',
    path: '/switchrole',
    params: {
      account: PRODUCTION,
      roleName: name,
      displayName: `${name} @ acme-production`,
      color: expect.any(String),
    },
  });
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');

  // The display name and colour change the link as they change, by keyboard.
  await asAlice.locator('body').click({ position: { x: 5, y: 5 } });
  await tabTo(asAlice, 'textbox', /^Display name/);
  await asAlice.keyboard.press('ControlOrMeta+a');
  await asAlice.keyboard.type('Alice @ prod');
  await tabTo(asAlice, 'radio', /./);
  await asAlice.getByRole('radio', { name: 'Green' }).check();
  await expect.poll(params).toEqual({
    host: 'signin.aws.amazon.com',
    path: '/switchrole',
    params: { account: PRODUCTION, roleName: name, displayName: 'Alice @ prod', color: 'B7CA9D' },
  });
  // Over 64 characters: the error beside the field, and no link until it is fixed.
  const displayName = kit.getByRole('textbox', { name: /^Display name/ });
  await displayName.fill('x'.repeat(65));
  await expect(kit.getByText('Display name must be at most 64 characters (it has 65).')).toBeVisible();
  await expect(displayName).toHaveAttribute('aria-invalid', 'true');
  await expect(link).toHaveCount(0);
  await displayName.fill('Alice @ prod');
  await expect(link).toBeVisible();

  // The CLI profile asks for MFA; the summary, tabs and downloads are there.
  const profile = kit.getByLabel('Profile for ~/.aws/config');
  await expect(profile).toContainText(`role_arn = arn:aws:iam::${PRODUCTION}:role/${name}`);
  await expect(profile).toContainText(`mfa_serial = arn:aws:iam::${IDENTITY}:mfa/YOUR_USER_NAME`);
  await expect(profile).toContainText('region = us-east-1');
  await expect(profile).not.toContainText('external_id');
  const yaml = await asAlice.request.get(
    (await kit.getByRole('link', { name: 'CloudFormation (YAML)' }).getAttribute('href')) ?? '',
  );
  expect(yaml.status()).toBe(200);
  expect(yaml.headers()['content-disposition']).toBe(`attachment; filename="${name}.cloudformation.yaml"`);
  await asAlice.getByRole('tab', { name: 'Permissions' }).click();
  await expect(asAlice.getByText('CloudWatchReadOnlyAccess', { exact: true })).toBeVisible();
  await asAlice.getByRole('tab', { name: 'History' }).click();
  await expect(asAlice.getByRole('table', { name: 'Requests of this role' })).toContainText('Create');
  await asAlice.getByRole('tab', { name: 'Trust relationships' }).click();
  await expectNoSeriousViolations(asAlice, 'role summary');
  await asAlice.evaluate(() => window.scrollTo(0, 0));
  await asAlice.screenshot({ path: 'test-results/role-summary.png', fullPage: true });

  // Dave may not see it: the same 404 as a role that does not exist.
  expect((await asDave.request.get(href)).status()).toBe(404);
  expect((await asDave.request.get(`/roles/${PRODUCTION}/no-such-role-here`)).status()).toBe(404);

  // Open in sandbox: the same query on the sandbox's page, in a new tab; the switch with MFA works.
  const [sandbox] = await Promise.all([
    asAlice.context().waitForEvent('page'),
    kit.getByRole('link', { name: /^Open in sandbox/ }).click(),
  ]);
  await sandbox.waitForLoadState();
  expect(Object.fromEntries(new URL(sandbox.url()).searchParams)).toEqual((await params()).params);
  const switchRole = new SwitchRolePage(sandbox);
  await expect(switchRole.mfaCode).toHaveValue(/^\d{6}$/);
  await switchRole.switchRole();
  await expect(
    sandbox.getByRole('heading', { name: 'Switched role: you are now acting as Alice @ prod' }),
  ).toBeVisible();
  const header = sandbox.getByText(`Alice @ prod | ${PRODUCTION}`);
  await expect(header).toBeVisible();
  await expect(header.locator('..')).toHaveCSS('background-color', 'rgb(183, 202, 157)');
  await sandbox.screenshot({ path: 'test-results/role-summary-sandbox-switch.png', fullPage: true });

  // Without the MFA code, AWS refuses.
  await switchRole.mfaCode.fill('');
  await switchRole.switchRole();
  await expect(switchRole.refusedHeading).toBeVisible();
  await expect(
    sandbox.getByText(
      `AccessDenied: User: arn:aws:iam::${IDENTITY}:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${PRODUCTION}:role/${name}`,
    ),
  ).toBeVisible();
});

test('a role that requires an external ID shows no link, says why, and its CLI profile carries the ID', async ({
  asAlice,
  asBob,
}) => {
  const name = uniqueRoleName('summary-extid');
  const externalId = 'acme-partner-5b2e1d';
  const wizard = await startBlank(asAlice, PRODUCTION);
  await asAlice.getByRole('combobox', { name: 'Account ID' }).fill(IDENTITY);
  await asAlice.getByRole('checkbox', { name: 'Require external ID' }).check();
  await asAlice.getByRole('textbox', { name: 'External ID' }).fill(externalId);
  await nextTo(wizard, 'Add permissions');
  await selectManagedPolicy(asAlice, 'CloudWatchReadOnlyAccess');
  await nextTo(wizard, 'Name, review, and create');
  await fillReview(wizard, { name, justification: 'The partner reads our inventory' });
  const requestId = await wizard.submit();
  await approveAsBob(asBob, requestId);

  const href = `/roles/${PRODUCTION}/${name}`;
  await waitForSummary(asAlice, href);
  await asAlice.goto(href);
  const kit = asAlice.getByTestId('access-kit');
  await expect(kit.getByRole('heading', { name: 'The console cannot switch to this role' })).toBeVisible();
  await expect(kit).toContainText(
    'This role requires an external ID, which the console cannot pass; use the CLI profile or an SDK instead.',
  );
  await expect(kit.getByRole('link', { name: /^Switch role in the console/ })).toHaveCount(0);
  await expect(kit.getByRole('link', { name: /^Open in sandbox/ })).toHaveCount(0);
  await expect(kit.getByLabel('Profile for ~/.aws/config')).toContainText(`external_id = ${externalId}`);
  await expectNoSeriousViolations(asAlice, 'role summary (external ID)');
  await asAlice.screenshot({ path: 'test-results/role-summary-external-id.png', fullPage: true });
});
