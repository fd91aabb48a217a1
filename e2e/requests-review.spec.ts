// The request page (/requests/<id>) for requesters and approvers: Alice submits, Bob reviews,
// acknowledges each finding and risk flag one by one and decides; the server refuses a forged
// approval of one's own request and an approval that skips an acknowledgement; a rejected request
// is started again; a privilege-escalation request needs two approvals.
import {
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { RoleSpec } from '../lib/iam/role-spec';
import { trustPolicyText } from '../lib/iam/trust-builder';
import { emptyWizardState, type WizardState } from '../lib/wizard/state';
import { expectNoSeriousViolations } from './accessibility';
import { expect, storedCookieHeader, test, type Person } from './fixtures';
import { tabTo } from './keyboard';
import { callServerAction, discoverServerActions, type ServerAction } from './harness/aws-http';
import { sandboxKeys } from './harness/sandbox-keys';
import { personNames } from './sessions';
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

test.describe.configure({ timeout: 90_000 });

/** Where the screenshots of the request page go (an artifact of the e2e job). */
const screens = path.resolve(import.meta.dirname, '..', 'test-results', 'request-screens');

const actions = discoverServerActions();
function action(name: string): ServerAction {
  const found = actions.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`${name} not found in the build`);
  return found;
}

/** Each person's client address, so that the per-IP mutation limit is not what a test meets. */
const addressOf = (person: Person) => `198.51.100.${60 + personNames.indexOf(person)}`;

/** A server action called over HTTP as `person` (their stored session); the RSC answer's text. */
async function post(
  baseURL: string,
  name: string,
  person: Person,
  fields: Record<string, string | readonly string[]>,
): Promise<string> {
  const answer = await callServerAction(baseURL, action(name), {
    fields,
    cookie: storedCookieHeader(person),
    headers: { 'x-forwarded-for': addressOf(person) },
  });
  expect(answer.status, answer.body).toBe(200);
  return answer.body;
}

/** A trust policy for the identity account and one inline policy: the wizard's state, ready to submit. */
function wizardState(name: string, document: string): WizardState {
  const state = emptyWizardState(PRODUCTION);
  return {
    ...state,
    awsAccount: { ...state.awsAccount, which: 'other', accountId: IDENTITY, requireMfa: true },
    customPolicies: [
      { id: 'policy-1', kind: 'inline', name: 'Work', description: '', document, editor: 'json' },
    ],
    name,
    justification: `Needed by the review end-to-end test (${name})`,
  };
}

/**
 * Submits a wizard state as `person` through the wizard's own action (what its Submit button
 * posts), each risk flag justified as the preview names it; returns the new request's id.
 */
async function submitAs(page: Page, baseURL: string, person: Person, state: WizardState): Promise<string> {
  const preview = await page.request.post('/api/wizard/preview', {
    data: { state },
    headers: { Origin: baseURL },
  });
  expect(preview.status()).toBe(200);
  const { risks } = (await preview.json()) as { risks: { key: string; requiresJustification: boolean }[] };
  const justified: WizardState = {
    ...state,
    flagJustifications: Object.fromEntries(
      risks
        .filter((risk) => risk.requiresJustification)
        .map((risk) => [risk.key, 'The deploy pipeline needs it']),
    ),
  };
  const body = await post(baseURL, 'submitWizardAction', person, { state: JSON.stringify(justified) });
  const id = /"requestId":"([0-9a-f-]{36})"/.exec(body)?.[1];
  if (!id) throw new Error(`no request id in the answer: ${body.slice(0, 400)}`);
  return id;
}

const policy = (actions: string[], resource = '*') =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }],
  });

test('Alice submits from the wizard; Bob acknowledges each flag, approves, and the request moves on; Alice gets no decision and a forged approval is refused', async ({
  asAlice,
  asBob,
  baseURL,
}) => {
  test.setTimeout(150_000);
  if (!baseURL) throw new Error('baseURL');
  const name = uniqueRoleName('review-secrets');

  // Alice, through the wizard: the identity account's principals with MFA, every secretsmanager action.
  const wizard = await startBlank(asAlice, PRODUCTION);
  await asAlice.getByRole('combobox', { name: 'Account ID' }).fill(IDENTITY);
  await nextTo(wizard, 'Add permissions');
  await selectManagedPolicy(asAlice, 'SecretsManagerReadWrite');
  await justifyFlags(wizard, 'The rotation job manages every secret of the service');
  await nextTo(wizard, 'Name, review, and create');
  await fillReview(wizard, { name, justification: 'The rotation job of the billing service' });
  const id = await wizard.submit();

  // Alice's own request: its state, no decision, Cancel request offered.
  await expect(asAlice.getByRole('heading', { level: 1 })).toHaveText(
    `${name} · acme-production (${PRODUCTION})`,
  );
  await expect(asAlice.getByText('Pending approval', { exact: true })).toBeVisible();
  await expect(asAlice.getByText('Requested by Alice Adams')).toBeVisible();
  await expect(asAlice.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await expect(asAlice.getByRole('button', { name: 'Reject' })).toHaveCount(0);
  await expect(asAlice.getByRole('checkbox', { name: /^Acknowledge/ })).toHaveCount(0);
  await expect(asAlice.getByRole('button', { name: 'Cancel request' })).toBeVisible();
  await expectNoSeriousViolations(asAlice);

  // Bob's view: Approve stays disabled until every item is acknowledged, one by one.
  await asBob.goto(`/requests/${id}`);
  const approve = asBob.getByRole('button', { name: 'Approve', exact: true });
  const boxes = asBob.getByRole('checkbox', { name: /^Acknowledge: / });
  const count = await boxes.count();
  expect(count).toBeGreaterThan(0);
  await expect(asBob.getByText('The rotation job manages every secret of the service').first()).toBeVisible();
  await expect(asBob.getByText(`0 of ${count} acknowledged`, { exact: false })).toBeVisible();
  await expect(approve).toBeDisabled();
  const keys: string[] = [];
  for (let index = 0; index < count; index += 1) {
    keys.push((await boxes.nth(index).getAttribute('value')) ?? '');
  }

  // Alice forges an approval of her own request, acknowledging everything: refused.
  const forged = await post(baseURL, 'approveRequestAction', 'Alice', {
    requestId: id,
    specSha256: await asBob.locator('input[name="specSha256"]').inputValue(),
    expectedVersion: '1',
    comment: 'approving my own request',
    acknowledged: keys,
  });
  expect(forged).toContain('"code":"forbidden"');

  // Bob posts an approval that skips one acknowledgement: refused, the request stays pending.
  const skipped = await post(baseURL, 'approveRequestAction', 'Bob', {
    requestId: id,
    specSha256: await asBob.locator('input[name="specSha256"]').inputValue(),
    expectedVersion: '1',
    acknowledged: keys.slice(1),
  });
  expect(skipped).toContain('"code":"invalid_input"');

  await expectNoSeriousViolations(asBob);
  for (let index = 0; index < count; index += 1) {
    await expect(approve).toBeDisabled();
    await boxes.nth(index).check();
    await expect(asBob.getByText(`${index + 1} of ${count} acknowledged`, { exact: false })).toBeVisible();
  }
  await expect(approve).toBeEnabled();
  await asBob
    .getByRole('textbox', { name: 'Comment', exact: true })
    .fill('Rotation needs it; reviewed with security');
  await approve.click();
  // The last approval needed: the decision is over, and the page shows the role being created.
  await expect(asBob.getByRole('heading', { name: 'Provisioning' })).toBeVisible();
  await expect(approve).toHaveCount(0);

  // Alice opens her request: the steps run and it ends created, without a reload; the timeline
  // names Bob with his comment and Rolesmith for the provisioning.
  await asAlice.goto(`/requests/${id}`);
  await expect(asAlice.getByRole('heading', { name: 'Provisioning' })).toBeVisible();
  // A mark on the window survives the router's own history updates (hydration replaces the history
  // entry, which Playwright reports as a navigation) but not a reload.
  await asAlice.evaluate(() => {
    (window as { rolesmithNotReloaded?: boolean }).rolesmithNotReloaded = true;
  });
  await expect(asAlice.getByText('Created', { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  expect(
    await asAlice.evaluate(() => (window as { rolesmithNotReloaded?: boolean }).rolesmithNotReloaded),
  ).toBe(true);
  const timeline = asAlice.getByRole('list', { name: 'Timeline' });
  await expect(timeline).toContainText('Pending approval → Approved');
  await expect(timeline).toContainText('by Bob Brown');
  await expect(timeline).toContainText('Rotation needs it; reviewed with security');
  await expect(timeline).toContainText('by Rolesmith');
  await expect(asAlice.getByRole('button', { name: 'Cancel request' })).toHaveCount(0);
  await expect(asAlice.getByRole('link', { name: 'Open the role’s summary' })).toHaveAttribute(
    'href',
    `/roles/${PRODUCTION}/${name}`,
  );

  // The role in the emulator is exactly the request's spec, read through the AWS SDK.
  const spec = (await (await asAlice.request.get(`/api/requests/${id}/spec`)).json()) as RoleSpec;
  const iam = new IAMClient({
    endpoint: `${baseURL}/sandbox/aws`,
    region: 'us-east-1',
    credentials: sandboxKeys(PRODUCTION, 'sandbox-admin'),
  });
  const { Role: role } = await iam.send(new GetRoleCommand({ RoleName: name }));
  expect(role?.Path).toBe(spec.path);
  expect(role?.MaxSessionDuration).toBe(spec.maxSessionDuration);
  expect(JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? ''))).toEqual(
    JSON.parse(trustPolicyText(spec.trustedEntity)),
  );
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }));
  expect(attached.AttachedPolicies?.map((policy) => policy.PolicyArn)).toEqual(spec.managedPolicyArns);
  const inline = await iam.send(new ListRolePoliciesCommand({ RoleName: name }));
  expect(inline.PolicyNames).toEqual([]);
});

test('Bob rejects with a comment (an empty one is refused beside the field); Alice starts again from it and the new request links back', async ({
  asAlice,
  asBob,
  baseURL,
}) => {
  if (!baseURL) throw new Error('baseURL');
  const name = uniqueRoleName('review-reject');
  const id = await submitAs(
    asAlice,
    baseURL,
    'Alice',
    wizardState(name, policy(['s3:GetObject'], 'arn:aws:s3:::acme-billing-reports/*')),
  );

  await asBob.goto(`/requests/${id}`);
  await asBob.getByRole('button', { name: 'Reject' }).click();
  const comment = asBob.getByRole('textbox', { name: 'Comment', exact: true });
  await expect(comment).toHaveAccessibleDescription(/Say why you reject the request/);
  await expect(asBob.getByText('Pending approval', { exact: true })).toBeVisible();
  await comment.fill('Limit it to the billing bucket');
  await asBob.getByRole('button', { name: 'Reject' }).click();
  await expect(asBob.getByText('Rejected', { exact: true })).toBeVisible();

  // Both sides comment on the rejected request.
  await asAlice.goto(`/requests/${id}`);
  await expect(asAlice.getByText('Limit it to the billing bucket')).toBeVisible();
  await asAlice.getByRole('textbox', { name: 'Add a comment' }).fill('Which prefix should it be?');
  await asAlice.getByRole('button', { name: 'Post comment' }).click();
  await expect(asAlice.getByRole('list', { name: 'Timeline' })).toContainText('Which prefix should it be?');
  await asBob.reload();
  await expect(asBob.getByRole('list', { name: 'Timeline' })).toContainText('Alice Adams commented');

  await asAlice.getByRole('link', { name: 'Start again from this request' }).click();
  await asAlice.waitForURL(new RegExp(`/roles/new\\?from=${id}`));
  await expect(asAlice.getByText(/A new request from your rejected request/)).toBeVisible();
  await asAlice.getByRole('button', { name: 'Next', exact: true }).click();
  await asAlice.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(asAlice.getByLabel('Role name', { exact: true })).toHaveValue(name);
  await asAlice.getByRole('button', { name: 'Submit request' }).click();
  await asAlice.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
  expect(asAlice.url()).not.toContain(id);
  await expect(asAlice.getByText('Pending approval', { exact: true })).toBeVisible();
  const startedFrom = asAlice.getByRole('link', { name: `the rejected request ${id.slice(0, 8)}` });
  await expect(startedFrom).toHaveAttribute('href', `/requests/${id}`);
  await startedFrom.click();
  await asAlice.waitForURL(new RegExp(`/requests/${id}$`));
  await expect(asAlice.getByText('Rejected', { exact: true })).toBeVisible();
});

test('a privilege-escalation request needs two approvals: pending 1 of 2 after Bob, approved after Carol', async ({
  asAlice,
  asBob,
  asCarol,
  baseURL,
}) => {
  if (!baseURL) throw new Error('baseURL');
  const name = uniqueRoleName('review-passrole');
  const id = await submitAs(
    asAlice,
    baseURL,
    'Alice',
    wizardState(name, policy(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'])),
  );

  async function approveAs(page: Page) {
    await page.goto(`/requests/${id}`);
    const boxes = page.getByRole('checkbox', { name: /^Acknowledge: / });
    await expect(boxes.first()).toBeVisible();
    for (const box of await boxes.all()) await box.check();
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
  }

  await asBob.goto(`/requests/${id}`);
  await expect(asBob.getByText('Pending approval (0 of 2)')).toBeVisible();
  await expect(asBob.getByText('Can pass roles to services that run code').first()).toBeVisible();
  await approveAs(asBob);
  await expect(
    asBob.getByRole('status').filter({ hasText: 'Approved: 1 of 2 approvals given' }),
  ).toBeVisible();
  await expect(asBob.getByText('Pending approval (1 of 2)')).toBeVisible();
  // The form's reset after the action leaves the ticks as the count says (1 of 1, not unticked boxes).
  for (const box of await asBob.getByRole('checkbox', { name: /^Acknowledge: / }).all())
    await expect(box).toBeChecked();
  await asBob.reload();
  await expect(asBob.getByText('Pending approval (1 of 2)')).toBeVisible();
  await expect(asBob.getByText('You approved this version')).toBeVisible();
  await expect(asBob.getByRole('button', { name: 'Approve', exact: true })).toBeDisabled();

  await approveAs(asCarol);
  await expect(asCarol.getByRole('heading', { name: 'Provisioning' })).toBeVisible();
  await expect(asCarol.getByText(/^(Approved|Being created|Created)$/).first()).toBeVisible();
  await expect(asCarol.getByText(/^2 of 2 given for this version/)).toBeVisible();
});

test('keyboard only at 1280×800: Bob acknowledges each flag, comments and approves; screenshots of both views; axe finds nothing serious', async ({
  asAlice,
  asBob,
  baseURL,
}) => {
  if (!baseURL) throw new Error('baseURL');
  await asAlice.setViewportSize({ width: 1280, height: 800 });
  await asBob.setViewportSize({ width: 1280, height: 800 });
  const name = uniqueRoleName('review-keyboard');
  const id = await submitAs(asAlice, baseURL, 'Alice', wizardState(name, policy(['secretsmanager:*'])));
  mkdirSync(screens, { recursive: true });

  await asAlice.goto(`/requests/${id}`);
  await asAlice.screenshot({ path: path.join(screens, 'alice-pending.png') });
  await asAlice.screenshot({ path: path.join(screens, 'alice-pending-full.png'), fullPage: true });
  await expectNoSeriousViolations(asAlice, 'request page, requester');

  await asBob.goto(`/requests/${id}`);
  await asBob.screenshot({ path: path.join(screens, 'bob-review.png') });
  const boxes = asBob.getByRole('checkbox', { name: /^Acknowledge: / });
  const titles: string[] = [];
  for (const box of await boxes.all()) titles.push((await box.getAttribute('aria-label')) ?? '');
  expect(titles.length).toBeGreaterThan(0);
  for (const title of titles) {
    await tabTo(asBob, 'checkbox', title);
    await asBob.keyboard.press('Space');
  }
  await expect(asBob.getByText(`${titles.length} of ${titles.length} acknowledged`)).toBeVisible();
  await tabTo(asBob, 'textbox', 'Comment');
  await asBob.keyboard.type('Checked with the secrets owners');
  await tabTo(asBob, 'button', 'Approve');
  await asBob.screenshot({ path: path.join(screens, 'bob-decision.png'), fullPage: true });
  await expectNoSeriousViolations(asBob, 'request page, approver');
  await asBob.keyboard.press('Enter');
  await expect(asBob.getByRole('status').filter({ hasText: 'Approved by you' })).toBeVisible();
  await asBob.screenshot({ path: path.join(screens, 'bob-approved.png'), fullPage: true });
  await expectNoSeriousViolations(asBob, 'request page after approval');
});
