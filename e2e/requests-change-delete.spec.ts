import { GetRoleCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import type { Browser, Page } from '@playwright/test';
import { expectNoSeriousViolations } from './accessibility';
import { expect, people, targetId, test, trustedId, type SharedAws } from './harness/aws-shared';

// Change and delete requests on the request page. The buttons that create them belong to the role
// summary (another issue), so they are created through `lib/requests` in a process of its own
// (e2e/harness/role-request.ts), which needs the portal's database from another process: this spec
// runs on the shared aws-mode stack (e2e/harness/aws-shared.ts: a real PostgreSQL, the standalone
// emulator as AWS, `next start`, the accounts registered). Two roles are provisioned first; a
// narrowing change of one shows "Grants no new access", a widening change of the other names the
// statement responsible; then the first is deleted, approved through the page, and is gone from
// the emulator (read with the SDK).

test.describe.configure({ mode: 'serial', timeout: 120_000 });

const bucket = 'arn:aws:s3:::acme-change-data';

async function submit(aws: SharedAws, email: string, input: Record<string, unknown>): Promise<string> {
  const result = await aws.runHarness('role-request.ts', [email, 'submit', JSON.stringify(input)]);
  expect(result, JSON.stringify(result)).toMatchObject({ ok: true, state: 'pending' });
  return String(result.id);
}

const document = (...statements: object[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

function roleSpec(name: string, work: string) {
  return {
    accountId: targetId,
    name,
    description: 'Reads and writes the change-test data',
    trustedEntity: { type: 'aws_account', accountId: trustedId, requireMfa: true },
    inlinePolicies: [{ name: 'Work', document: work }],
  };
}

const original = document({
  Effect: 'Allow',
  Action: ['s3:GetObject', 's3:PutObject'],
  Resource: `${bucket}/*`,
  Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
});

const narrowRole = 'ChangeNarrowed';
const wideRole = 'ChangeWidened';
let narrowChange = '';

test('two roles are provisioned', async ({ aws, browser }) => {
  test.setTimeout(240_000);
  // The portal knows people once they have signed in.
  for (const login of ['una', 'sam'] as const) await (await aws.signIn(browser, login)).context.close();

  for (const name of [narrowRole, wideRole]) {
    const id = await submit(aws, people.una.email, {
      kind: 'create',
      spec: roleSpec(name, original),
      justification: 'The change-request end-to-end test needs a provisioned role',
    });
    expect(await aws.runHarness('approve-request.ts', [people.sam.email, id])).toMatchObject({ ok: true });
    await aws.expectState(id, 'provisioned');
  }
  const role = await aws.adminIam(targetId).send(new GetRoleCommand({ RoleName: narrowRole }));
  expect(role.Role?.RoleName).toBe(narrowRole);
});

async function openAsSam(
  aws: SharedAws,
  browser: Browser,
  requestId: string,
): Promise<{ page: Page; close: () => Promise<void> }> {
  const sam = await aws.signIn(browser, 'sam');
  await sam.page.goto(`/requests/${requestId}`);
  return { page: sam.page, close: () => sam.context.close() };
}

test('a narrowing change (a narrower resource, an action fewer, a Deny added: a longer text) grants no new access', async ({
  aws,
  browser,
}) => {
  narrowChange = await submit(aws, people.una.email, {
    kind: 'change',
    spec: roleSpec(
      narrowRole,
      document(
        {
          Sid: 'ReadReports',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: `${bucket}/reports/*`,
          Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/26' } },
        },
        { Sid: 'NeverDelete', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
      ),
    ),
    justification: 'Only the reports are needed now',
  });
  const { page, close } = await openAsSam(aws, browser, narrowChange);
  const changes = page.getByRole('region', { name: 'Changes to the role' });
  await expect(changes.getByRole('heading', { name: 'Grants no new access' })).toBeVisible();
  await expect(changes.getByText('May grant new access')).toHaveCount(0);
  // The semantic diff: s3:PutObject no longer allowed, the resources and conditions changed.
  const removed = changes.getByRole('table', { name: 'Actions no longer allowed' });
  await expect(removed.getByRole('row', { name: /Amazon S3.*Write.*s3:PutObject/ })).toBeVisible();
  await expect(
    changes.getByRole('table', { name: 'Actions on both sides whose resources or conditions changed' }),
  ).toContainText(`Resource: ${bucket}/reports/*`);
  // The normalised side-by-side is folded until asked for; removed and added lines are marked.
  const details = changes.getByText('Inline policy Work', { exact: true });
  const sideBySide = changes.getByRole('region', { name: 'Inline policy Work, before and after' });
  await expect(sideBySide).toBeHidden();
  await details.click();
  await expect(sideBySide).toBeVisible();
  await expect(sideBySide).toContainText('"NeverDelete"');
  await expect(sideBySide.getByText('Added:').first()).toBeAttached();
  await expectNoSeriousViolations(page, 'change request page');
  await close();
});

test('a widening change (fewer characters, s3:* replacing two actions, a condition dropped) names the statement responsible', async ({
  aws,
  browser,
}) => {
  const id = await submit(aws, people.una.email, {
    kind: 'change',
    spec: roleSpec(
      wideRole,
      document({ Sid: 'Everything', Effect: 'Allow', Action: 's3:*', Resource: `${bucket}/*` }),
    ),
    justification: 'The job now also tags and deletes objects',
  });
  const { page, close } = await openAsSam(aws, browser, id);
  const changes = page.getByRole('region', { name: 'Changes to the role' });
  await expect(changes.getByRole('heading', { name: 'May grant new access' })).toBeVisible();
  await expect(changes.getByText('Grants no new access')).toHaveCount(0);
  await expect(
    changes.getByText('Inline policy Work, statement 0 (Everything) · /Statement/0'),
  ).toBeVisible();
  await expect(changes.getByText('Allows s3:*, which no statement allowed before.')).toBeVisible();
  await expect(
    changes.getByText(/^For example, s3:\w+ on arn:aws:s3:::acme-change-data\/example/),
  ).toBeVisible();
  // One row per service, its access levels counted; the action names are folded until opened.
  const added = changes.getByRole('table', { name: 'Actions allowed after the change that were not before' });
  await expect(added.getByRole('rowheader', { name: 'Amazon S3' })).toBeVisible();
  await expect(added).toContainText('Write (');
  await added.getByText(/^\d+ actions, from s3:/).click();
  await expect(added).toContainText('s3:DeleteObject');
  await expectNoSeriousViolations(page, 'widening change request page');
  await close();
});

test('a delete request shows what it removes; approved on the page, the role is gone from the emulator', async ({
  aws,
  browser,
}) => {
  // One open request per role: the narrowing change is withdrawn first.
  expect(await aws.runHarness('role-request.ts', [people.una.email, 'cancel', narrowChange])).toMatchObject({
    ok: true,
    state: 'cancelled',
  });
  const id = await submit(aws, people.una.email, {
    kind: 'delete',
    accountId: targetId,
    roleName: narrowRole,
    justification: 'The reports job is retired',
  });
  const { page, close } = await openAsSam(aws, browser, id);
  const summary = page.getByRole('region', { name: 'What will be removed' });
  await expect(
    summary.getByRole('row', { name: new RegExp(`Role.*role/${narrowRole}.*Deleted`) }),
  ).toBeVisible();
  await expect(
    summary.getByRole('row', { name: /Inline policy.*Work.*Deleted with the role/ }),
  ).toBeVisible();
  await expect(summary).toContainText(`Users and roles in account ${trustedId} who signed in with MFA`);
  await expectNoSeriousViolations(page, 'delete request page');
  const boxes = page.getByRole('checkbox', { name: /^Acknowledge: / });
  for (const box of await boxes.all()) await box.check();
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /Approved/ })).toBeVisible();
  await close();

  await aws.expectState(id, 'provisioned');
  await expect(
    aws.adminIam(targetId).send(new GetRoleCommand({ RoleName: narrowRole })),
  ).rejects.toBeInstanceOf(NoSuchEntityException);
  // The other role is untouched.
  const other = await aws.adminIam(targetId).send(new GetRoleCommand({ RoleName: wideRole }));
  expect(other.Role?.RoleName).toBe(wideRole);
});
