// Provisioning, live, on the request page (/requests/<id>): Alice submits from the wizard and keeps
// her request's page open; Bob approves on his; a failure injected at the sandbox emulator
// (`_sandbox/faults`, `failNth`) shows on both pages without a reload — the failed step's IAM call,
// AWS's code and message, the sentence saying what to do; Bob retries and both pages end
// `provisioned` with the role's summary link, still without a reload; another failed request is
// rolled back and ends `rolled_back`.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import type { APIRequestContext, Page } from '@playwright/test';
import type { Faults } from '../lib/sandbox/faults';
import { expectNoSeriousViolations } from './accessibility';
import { expect, test } from './fixtures';
import { sandboxKeys } from './harness/sandbox-keys';
import {
  fillReview,
  IDENTITY,
  justifyFlags,
  nextTo,
  PRODUCTION,
  selectManagedPolicy,
  startBlank,
  uniqueRoleName,
} from './wizard-flows';

test.describe.configure({ mode: 'serial', timeout: 150_000 });

const screensDir = path.resolve(import.meta.dirname, '..', 'test-results', 'provisioning-screens');

/** Sets the sandbox emulator's faults (`{}` clears them); the emulator answers with what it holds. */
async function setFaults(request: APIRequestContext, faults: Faults): Promise<void> {
  const response = await request.post('/sandbox/aws/_sandbox/faults', { data: faults });
  expect(response.status()).toBe(200);
}

test.afterEach(async ({ request }) => {
  await setFaults(request, {});
});

/** Alice's request through the wizard: the identity account's principals, these AWS managed policies. */
async function submitThroughWizard(page: Page, name: string, policies: string[]): Promise<string> {
  const wizard = await startBlank(page, PRODUCTION);
  await page.getByRole('combobox', { name: 'Account ID' }).fill(IDENTITY);
  await nextTo(wizard, 'Add permissions');
  for (const policy of policies) await selectManagedPolicy(page, policy);
  // The preview answers the last selection first: its risk flags may ask for justifications.
  await expect(page.getByText('Updating…', { exact: true })).toHaveCount(0);
  if ((await wizard.preview.getByRole('textbox', { name: 'Justification (required)' }).count()) > 0)
    await justifyFlags(wizard, 'The reporting job reads these');
  await nextTo(wizard, 'Name, review, and create');
  await fillReview(wizard, { name, justification: `Provisioning end-to-end test (${name})` });
  return wizard.submit();
}

/** Bob approves on the request's page: every acknowledgement, then Approve; provisioning starts. */
async function approve(page: Page, id: string): Promise<void> {
  await page.goto(`/requests/${id}`);
  for (const box of await page.getByRole('checkbox', { name: /^Acknowledge: / }).all()) await box.check();
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  // The decision form goes with the approval; the provisioning section takes its place.
  await expect(page.getByRole('region', { name: 'Provisioning' })).toBeVisible({ timeout: 20_000 });
}

/** The provisioning section's live sentence (the polite live region). */
const liveSentence = (page: Page) =>
  page.getByRole('region', { name: 'Provisioning' }).getByRole('status').first();

/** A step's row in the latest job's table, by its IAM call. */
const stepRow = (page: Page, call: string) =>
  page
    .getByRole('region', { name: 'Provisioning' })
    .getByRole('table')
    .first()
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${call}`) }) });

/** The production account's IAM as its sandbox administrator, through the AWS SDK. */
function productionIam(baseURL: string): IAMClient {
  return new IAMClient({
    endpoint: `${baseURL}/sandbox/aws`,
    region: 'us-east-1',
    credentials: sandboxKeys(PRODUCTION, 'sandbox-admin'),
    maxAttempts: 1,
  });
}

async function screen(page: Page, name: string): Promise<void> {
  mkdirSync(screensDir, { recursive: true });
  await page.screenshot({ path: path.join(screensDir, `${name}.png`), fullPage: true });
  await expectNoSeriousViolations(page, name);
}

test('a failure injected at the emulator shows live with AWS’s message; Bob retries and it ends provisioned without a reload', async ({
  asAlice,
  asBob,
  baseURL,
  request,
}) => {
  if (!baseURL) throw new Error('baseURL');
  await asAlice.setViewportSize({ width: 1280, height: 800 });
  await asBob.setViewportSize({ width: 1280, height: 800 });
  const name = uniqueRoleName('live-retry');
  const id = await submitThroughWizard(asAlice, name, ['AmazonS3ReadOnlyAccess', 'CloudWatchReadOnlyAccess']);
  await expect(asAlice).toHaveURL(new RegExp(`/requests/${id}$`));
  await expect(asAlice.getByRole('region', { name: 'Provisioning' })).toHaveCount(0);

  // Each IAM call takes 300 ms, and the second attachment fails as if the policy did not exist.
  await setFaults(request, {
    latencyMs: 300,
    failNth: { action: 'AttachRolePolicy', n: 2, code: 'NoSuchEntity' },
  });
  await approve(asBob, id);

  // Alice's page, opened while pending and never reloaded, follows: the steps, then the failure.
  const section = asAlice.getByRole('region', { name: 'Provisioning' });
  await expect(section).toBeVisible({ timeout: 20_000 });
  await expect(stepRow(asAlice, 'CreateRole ' + name)).toBeVisible();
  await expect(liveSentence(asAlice)).toHaveText(
    /^Provisioning failed at AttachRolePolicy CloudWatchReadOnlyAccess: NoSuchEntity\.$/,
    {
      timeout: 30_000,
    },
  );
  const failed = stepRow(asAlice, 'AttachRolePolicy CloudWatchReadOnlyAccess');
  await expect(failed).toContainText('Failed');
  await expect(failed).toContainText('NoSuchEntity: Injected failure of call 2 of AttachRolePolicy.');
  await expect(stepRow(asAlice, 'AttachRolePolicy AmazonS3ReadOnlyAccess')).toContainText('Done');
  await expect(stepRow(asAlice, `GetRole ${name}`)).toContainText('Not run');
  const callout = section.getByRole('heading', {
    name: 'Provisioning failed at AttachRolePolicy CloudWatchReadOnlyAccess',
  });
  await expect(callout).toBeVisible();
  await expect(
    section.getByText(/Something the request refers to does not exist in the account/),
  ).toBeVisible();
  // Retry and Roll back are an approver's: Alice gets neither.
  await expect(asAlice.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await expect(asAlice.getByRole('button', { name: 'Roll back' })).toHaveCount(0);
  await screen(asAlice, 'failed-requester');

  // Bob's page (refreshed by his approval) ends failed too, with Retry and Roll back.
  await expect(liveSentence(asBob)).toHaveText(
    /^Provisioning failed at AttachRolePolicy CloudWatchReadOnlyAccess/,
    {
      timeout: 30_000,
    },
  );
  const retry = asBob.getByRole('button', { name: 'Retry', exact: true });
  await expect(retry).toBeVisible();
  await expect(asBob.getByRole('button', { name: 'Roll back', exact: true })).toBeVisible();
  await screen(asBob, 'failed-approver');

  // The cause fixed (the fault cleared, each call slowed so that the steps can be watched), Bob retries, with a confirmation.
  await setFaults(request, { latencyMs: 800 });
  await retry.focus();
  await asBob.keyboard.press('Enter');
  const dialog = asBob.getByRole('dialog', { name: `Retry provisioning ${name}?` });
  await expect(dialog).toBeVisible();
  await screen(asBob, 'retry-confirm');
  await dialog.getByRole('button', { name: 'Retry', exact: true }).click();

  await expect(asBob.getByRole('heading', { name: /^Attempt 2/ })).toBeVisible({ timeout: 20_000 });
  // Each call takes 800 ms: the page shows the job running, a step at a time.
  await expect(liveSentence(asBob)).toHaveText('Provisioning is running.');
  await expect(
    asBob
      .getByRole('region', { name: 'Provisioning' })
      .getByRole('table')
      .first()
      .getByText('Running', { exact: true }),
  ).toBeVisible();
  await screen(asBob, 'running');
  await expect(stepRow(asBob, `CreateRole ${name}`)).toContainText('Done by an earlier attempt');
  await expect(liveSentence(asBob)).toHaveText('The role is provisioned and verified.', { timeout: 30_000 });
  const link = asBob.getByRole('link', { name: `Open the summary of ${name}` });
  await expect(link).toHaveAttribute('href', `/roles/${PRODUCTION}/${name}`);
  await expect(asBob.getByRole('button', { name: 'Retry', exact: true })).toHaveCount(0);
  await asBob.getByText('Earlier attempts (1)').click();
  await screen(asBob, 'provisioned-approver');

  // Alice's page, still never reloaded, sees the retry (its failed state is watched) and ends provisioned.
  await expect(liveSentence(asAlice)).toHaveText('The role is provisioned and verified.', {
    timeout: 60_000,
  });
  await expect(asAlice.getByRole('link', { name: `Open the summary of ${name}` })).toBeVisible();
  await screen(asAlice, 'provisioned-requester');

  // The role in the emulator, read through the AWS SDK: both managed policies attached.
  const iam = productionIam(baseURL);
  const { Role: role } = await iam.send(new GetRoleCommand({ RoleName: name }));
  expect(role?.Arn).toBe(`arn:aws:iam::${PRODUCTION}:role/${name}`);
  const { AttachedPolicies: attached } = await iam.send(
    new ListAttachedRolePoliciesCommand({ RoleName: name }),
  );
  expect((attached ?? []).map((policy) => policy.PolicyName).sort()).toEqual([
    'AmazonS3ReadOnlyAccess',
    'CloudWatchReadOnlyAccess',
  ]);
});

test('Bob rolls back another failed request, and its page ends rolled back', async ({
  asAlice,
  asBob,
  baseURL,
  request,
}) => {
  if (!baseURL) throw new Error('baseURL');
  await asBob.setViewportSize({ width: 1280, height: 800 });
  const name = uniqueRoleName('live-rollback');
  const id = await submitThroughWizard(asAlice, name, ['AmazonS3ReadOnlyAccess']);
  await setFaults(request, { failNth: { action: 'AttachRolePolicy', n: 1, code: 'AccessDenied' } });
  await approve(asBob, id);
  await expect(liveSentence(asBob)).toHaveText(
    /^Provisioning failed at AttachRolePolicy AmazonS3ReadOnlyAccess: AccessDenied\.$/,
    {
      timeout: 30_000,
    },
  );
  await expect(asBob.getByText(/Rolesmith is not allowed to make this call in the account/)).toBeVisible();
  await setFaults(request, { latencyMs: 300 });

  await asBob.getByRole('button', { name: 'Roll back', exact: true }).click();
  const dialog = asBob.getByRole('dialog', { name: `Roll back ${name}?` });
  await expect(dialog).toContainText('The request then ends rolled back');
  await dialog.getByRole('button', { name: 'Roll back', exact: true }).click();

  // The rollback is a job of its own, with its steps; the request ends rolled back.
  await expect(asBob.getByRole('heading', { name: /^Rollback \(attempt 2\)/ })).toBeVisible({
    timeout: 20_000,
  });
  await expect(stepRow(asBob, `DeleteRole ${name}`)).toBeVisible();
  await expect(liveSentence(asBob)).toHaveText('Rolled back: what this request created is removed.', {
    timeout: 30_000,
  });
  await expect(asBob.getByText('Rolled back', { exact: true }).first()).toBeVisible();
  await expect(asBob.getByRole('button', { name: 'Retry', exact: true })).toHaveCount(0);
  await screen(asBob, 'rolled-back');
  // The role the failed attempt created is gone from the emulator.
  await expect(productionIam(baseURL).send(new GetRoleCommand({ RoleName: name }))).rejects.toMatchObject({
    name: 'NoSuchEntityException',
  });
});
