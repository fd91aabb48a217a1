// Change and delete requests from the role summary page, end to end in sandbox mode: Alice asks
// for a role, Bob approves it; from its summary Alice requests its deletion (a justification is
// required), a second request while hers is open is refused, Bob approves, the role is gone from
// the emulator (read with the AWS SDK) and its summary says it was deleted, with its history. And a
// change: *Request a change* opens the wizard on the role as recorded, its name fixed; a managed
// policy added and approved shows on the summary, in its history and in the emulator.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  AttachRolePolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import type { Page } from '@playwright/test';
import { expectNoSeriousViolations } from './accessibility';
import { expect, test } from './fixtures';
import { sandboxKeys } from './harness/sandbox-keys';
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

const screensDir = path.resolve(import.meta.dirname, '..', 'test-results', 'role-changes');

async function screen(page: Page, name: string): Promise<void> {
  mkdirSync(screensDir, { recursive: true });
  await page.screenshot({ path: path.join(screensDir, `${name}.png`), fullPage: true });
  await expectNoSeriousViolations(page, name);
}

/** The production account's IAM as its sandbox administrator, through the AWS SDK. */
function productionIam(baseURL: string): IAMClient {
  return new IAMClient({
    endpoint: `${baseURL}/sandbox/aws`,
    region: 'us-east-1',
    credentials: sandboxKeys(PRODUCTION, 'sandbox-admin'),
    maxAttempts: 1,
  });
}

/** An approver (Bob, or Carol) approves a request on its page, acknowledging every item it lists. */
async function approveAsBob(bob: Page, requestId: string): Promise<void> {
  await bob.goto(`/requests/${requestId}`);
  for (const box of await bob.getByRole('checkbox', { name: /^Acknowledge: / }).all()) await box.check();
  const approve = bob.getByRole('button', { name: 'Approve', exact: true });
  await expect(approve).toBeEnabled();
  await approve.click();
  // A restore's diff lists every action AdministratorAccess allowed: the page takes a while to answer.
  await expect(bob.getByText(/^(Approved|Provisioning|Provisioned)$/).first()).toBeVisible({
    timeout: 45_000,
  });
}

/** Alice's role, requested through the wizard and approved by Bob; resolves to its summary's address. */
async function provisionedRole(alice: Page, bob: Page, name: string): Promise<string> {
  const wizard = await startBlank(alice, PRODUCTION);
  await alice.getByRole('combobox', { name: 'Account ID' }).fill(IDENTITY);
  await nextTo(wizard, 'Add permissions');
  await selectManagedPolicy(alice, 'CloudWatchReadOnlyAccess');
  await nextTo(wizard, 'Name, review, and create');
  await fillReview(wizard, { name, justification: 'Reads CloudWatch for the on-call rota' });
  await approveAsBob(bob, await wizard.submit());
  const href = `/roles/${PRODUCTION}/${name}`;
  await expect
    .poll(async () => (await alice.request.get(href)).status(), { timeout: 60_000, intervals: [500, 1000] })
    .toBe(200);
  return href;
}

test('Alice requests the deletion of her role from its summary; Bob approves; the role is gone and its summary says so', async ({
  asAlice,
  asBob,
  baseURL,
}) => {
  if (!baseURL) throw new Error('baseURL');
  const name = uniqueRoleName('doomed');
  const href = await provisionedRole(asAlice, asBob, name);
  await asAlice.setViewportSize({ width: 1280, height: 800 });
  await asAlice.goto(href);

  // By keyboard: the button opens the form with focus in it; Cancel gives focus back.
  const requestDeletion = asAlice.getByRole('button', { name: 'Request deletion' });
  await requestDeletion.focus();
  await asAlice.keyboard.press('Enter');
  const justification = asAlice.getByRole('textbox', { name: 'Justification' });
  await expect(justification).toBeFocused();
  await asAlice.getByRole('button', { name: 'Cancel' }).press('Enter');
  await expect(requestDeletion).toBeFocused();
  await asAlice.keyboard.press('Enter');
  // A blank justification is refused beside the field; focus stays on it.
  await asAlice.getByRole('button', { name: 'Submit delete request' }).press('Enter');
  await expect(justification).toBeFocused();
  await expect(justification).toHaveAttribute('aria-invalid', 'true');
  await expect(asAlice.getByText('Explain why the role should be deleted')).toBeVisible();
  await screen(asAlice, 'request-deletion-blank');
  await justification.fill('The on-call rota moved to another account');
  await asAlice.getByRole('button', { name: 'Submit delete request' }).click();
  await asAlice.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
  const requestId = asAlice.url().split('/').at(-1) ?? '';

  // While it is open, another request for the role is refused, saying why.
  await asBob.goto(href);
  await asBob.getByRole('button', { name: 'Request deletion' }).click();
  await asBob.getByRole('textbox', { name: 'Justification' }).fill('Tidying up');
  await asBob.getByRole('button', { name: 'Submit delete request' }).click();
  await expect(asBob.getByRole('form', { name: /^Request deletion of / }).getByRole('alert')).toContainText(
    'already pending',
  );

  await approveAsBob(asBob, requestId);
  await expect
    .poll(
      async () => {
        await asAlice.goto(href);
        return asAlice.getByRole('heading', { name: 'This role was deleted' }).count();
      },
      { timeout: 60_000, intervals: [1000] },
    )
    .toBe(1);
  await expect(asAlice.getByText('The on-call rota moved to another account').first()).toBeVisible();
  await expect(asAlice.getByRole('table', { name: 'Requests of this role' }).getByRole('row')).toHaveCount(3);
  await screen(asAlice, 'role-deleted');

  const iam = productionIam(baseURL);
  await expect(iam.send(new GetRoleCommand({ RoleName: name }))).rejects.toMatchObject({
    name: 'NoSuchEntityException',
  });
});

test('Alice requests a change from her role’s summary: the wizard starts from the role with its name fixed; approved, the new policy shows on the summary and in its history', async ({
  asAlice,
  asBob,
  baseURL,
}) => {
  if (!baseURL) throw new Error('baseURL');
  const name = uniqueRoleName('changing');
  const href = await provisionedRole(asAlice, asBob, name);
  await asAlice.setViewportSize({ width: 1280, height: 800 });
  await asAlice.goto(href);
  await asAlice.getByRole('link', { name: 'Request a change' }).click();
  const wizard = new WizardPage(asAlice);
  await expect(asAlice.getByText(`A change of ${name}, as Rolesmith recorded it`)).toBeVisible();
  await expect(asAlice.getByLabel('Target account', { exact: true })).toBeDisabled();
  await nextTo(wizard, 'Add permissions');
  await selectManagedPolicy(asAlice, 'AmazonEC2ReadOnlyAccess');
  await nextTo(wizard, 'Name, review, and create');
  await expect(wizard.roleName).toHaveValue(name);
  await expect(wizard.roleName).toHaveAttribute('readonly', '');
  await screen(asAlice, 'request-change-review');
  await wizard.justification.fill('The on-call rota also reads EC2 now');
  const requestId = await wizard.submit();
  await approveAsBob(asBob, requestId);

  await expect
    .poll(
      async () => {
        await asAlice.goto(href);
        await asAlice.getByRole('tab', { name: 'Permissions' }).click();
        return asAlice.getByText('AmazonEC2ReadOnlyAccess', { exact: true }).count();
      },
      { timeout: 60_000, intervals: [1000] },
    )
    .toBeGreaterThan(0);
  await asAlice.getByRole('tab', { name: 'History' }).click();
  const requests = asAlice.getByRole('table', { name: 'Requests of this role' });
  await expect(requests.getByRole('row')).toHaveCount(3);
  await expect(requests.getByRole('row').nth(2)).toContainText('Change');
  await expect(requests.getByRole('row').nth(2)).toContainText('The on-call rota also reads EC2 now');

  const iam = productionIam(baseURL);
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }));
  expect(attached.AttachedPolicies?.map((policy) => policy.PolicyName).sort()).toEqual([
    'AmazonEC2ReadOnlyAccess',
    'CloudWatchReadOnlyAccess',
  ]);
});

test('a policy attached outside Rolesmith: Bob restores what Rolesmith recorded, Carol approves, and the role matches again', async ({
  asAlice,
  asBob,
  asCarol,
  baseURL,
}) => {
  if (!baseURL) throw new Error('baseURL');
  const name = uniqueRoleName('drifted');
  const href = await provisionedRole(asAlice, asBob, name);
  const iam = productionIam(baseURL);
  await iam.send(
    new AttachRolePolicyCommand({ RoleName: name, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
  );
  await asBob.setViewportSize({ width: 1280, height: 800 });
  await asBob.goto(href);
  await expect(asBob.getByText('was attached outside Rolesmith')).toBeVisible();
  // Alice, the owner, may adopt but not restore.
  await asAlice.goto(href);
  await expect(asAlice.getByRole('button', { name: 'Adopt the live state' })).toBeVisible();
  await expect(asAlice.getByRole('button', { name: 'Restore what Rolesmith recorded' })).toHaveCount(0);
  await screen(asBob, 'drift-actions');
  await asBob.getByRole('button', { name: 'Restore what Rolesmith recorded' }).click();
  await asBob.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
  await approveAsBob(asCarol, asBob.url().split('/').at(-1) ?? '');
  await expect
    .poll(
      async () => {
        const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }));
        return attached.AttachedPolicies?.map((policy) => policy.PolicyName);
      },
      { timeout: 60_000, intervals: [1000] },
    )
    .toEqual(['CloudWatchReadOnlyAccess']);
  await asBob.goto(href);
  await expect(asBob.getByText(/Matches what Rolesmith created/)).toBeVisible();
  // Bob's restore did not make the role his: Alice still owns it and sees its access kit.
  await asAlice.goto(href);
  await expect(asAlice.getByTestId('access-kit')).toBeVisible();
  await expect(asAlice.getByText(/Matches what Rolesmith created/)).toBeVisible();
});
