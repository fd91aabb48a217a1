import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { GetRoleCommand, IAMClient, NoSuchEntityException } from '@aws-sdk/client-iam';
import { expect, test, type Browser, type Page } from '@playwright/test';
import pg from 'pg';
import { expectNoSeriousViolations } from './accessibility';
import type { Emulator, EmulatorAccount } from './harness/aws-portal';
import { registerAwsStack } from './harness/aws-stack';
import { signInWithOidc } from './harness/aws-sign-in';
import { AccessPage } from './pages/access-page';
import { AccountsPage } from './pages/accounts-page';

// Change and delete requests on the request page. The buttons that create them belong to the role
// summary (another issue), so they are created through `lib/requests` in a process of their own
// (e2e/harness/role-request.ts), which needs the portal's database from another process: this spec
// runs on the aws-mode stack (a real PostgreSQL, the standalone emulator as AWS, `next start`), as
// the aws-mode wizard spec does. Two roles are provisioned first; a narrowing change of one shows
// "Grants no new access", a widening change of the other names the statement responsible; then the
// first is deleted, approved through the page, and is gone from the emulator (read with the SDK).

test.describe.configure({ mode: 'serial', timeout: 120_000 });

const people = {
  pat: { email: 'pat@acme.example', name: 'Pat Platform', groups: ['everyone'] },
  sam: { email: 'sam@acme.example', name: 'Sam Security', groups: ['everyone', 'dev-approvers'] },
  una: { email: 'una@acme.example', name: 'Una User', groups: ['everyone'] },
};

const targetId = '777788889999';
const trustedId = '444455556666';
const bucket = 'arn:aws:s3:::acme-change-data';

let emulator: Emulator | null = null;
const aws = registerAwsStack({
  people,
  bootstrapAdmin: people.pat.email,
  beforePortal: (started) => {
    emulator = started;
    return Promise.resolve();
  },
});

function account(id: string): EmulatorAccount {
  const found = emulator?.accounts.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`the emulator has no account ${id}`);
  return found;
}

function adminIam(id: string): IAMClient {
  const admin = account(id).admin;
  if (!emulator || !admin) throw new Error(`the emulator gave no admin keys for ${id}`);
  return new IAMClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { ...admin },
    maxAttempts: 1,
  });
}

const signIn = (browser: Browser, login: keyof typeof people) =>
  signInWithOidc(
    browser,
    { portalUrl: aws().portal.url, issuer: aws().idp.issuer },
    { login, name: people[login].name },
  );

/** Runs a harness script with the portal's environment; returns its JSON line. */
function runHarness(script: string, args: string[]): Promise<Record<string, unknown>> {
  const root = path.resolve(import.meta.dirname, '..');
  const child = spawn(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx/esm', path.join(root, 'e2e/harness', script), ...args],
    {
      cwd: root,
      env: { ...aws().portal.env, NODE_ENV: 'production', PATH: process.env.PATH ?? '', HOME: os.tmpdir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', () => {
      const line = output
        .trim()
        .split('\n')
        .findLast((candidate) => candidate.startsWith('{'));
      if (line) resolve(JSON.parse(line) as Record<string, unknown>);
      else reject(new Error(`${script} printed no result:\n${output}`));
    });
  });
}

async function submit(email: string, input: Record<string, unknown>): Promise<string> {
  const result = await runHarness('role-request.ts', [email, 'submit', JSON.stringify(input)]);
  expect(result, JSON.stringify(result)).toMatchObject({ ok: true, state: 'pending' });
  return String(result.id);
}

async function expectState(requestId: string, state: string): Promise<void> {
  const db = new pg.Client({ connectionString: aws().postgres.url });
  await db.connect();
  try {
    await expect
      .poll(
        async () =>
          (await db.query<{ state: string }>('select state from requests where id = $1', [requestId])).rows[0]
            ?.state,
        { timeout: 60_000 },
      )
      .toBe(state);
  } finally {
    await db.end();
  }
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

test('an admin registers the target account; two roles are provisioned', async ({ browser }) => {
  test.setTimeout(240_000);
  const pat = await signIn(browser, 'pat');
  const accounts = new AccountsPage(pat.page);
  await accounts.goto();
  for (const [id, alias, environment] of [
    [targetId, 'acme-development', 'development'],
    [trustedId, 'acme-production', 'production'],
  ] as const) {
    const role = account(id).provisionerRole;
    if (!role) throw new Error(`the emulator gave no provisioner role for ${id}`);
    await accounts.addForm.getByLabel('Account id').fill(id);
    await accounts.addForm.getByLabel('Alias').fill(alias);
    await accounts.addForm.getByLabel('Environment').fill(environment);
    await accounts.addForm.getByLabel('Provisioner role ARN (optional)').fill(role.arn);
    await accounts.addForm.getByLabel('External ID (optional)').fill(role.externalId);
    await accounts.addForm.getByRole('button', { name: 'Add account' }).click();
    await expect(accounts.addForm.getByText(`Account ${alias} (${id}) added.`)).toBeVisible();
  }
  const access = new AccessPage(pat.page);
  await access.goto();
  await access.grantToGroup('dev-approvers', { accounts: targetId });
  await expect(access.granted).toBeVisible();
  await pat.context.close();
  // The portal knows people once they have signed in.
  for (const login of ['una', 'sam'] as const) await (await signIn(browser, login)).context.close();

  for (const name of [narrowRole, wideRole]) {
    const id = await submit(people.una.email, {
      kind: 'create',
      spec: roleSpec(name, original),
      justification: 'The change-request end-to-end test needs a provisioned role',
    });
    expect(await runHarness('approve-request.ts', [people.sam.email, id])).toMatchObject({ ok: true });
    await expectState(id, 'provisioned');
  }
  const role = await adminIam(targetId).send(new GetRoleCommand({ RoleName: narrowRole }));
  expect(role.Role?.RoleName).toBe(narrowRole);
});

async function openAsSam(
  browser: Browser,
  requestId: string,
): Promise<{ page: Page; close: () => Promise<void> }> {
  const sam = await signIn(browser, 'sam');
  await sam.page.goto(`/requests/${requestId}`);
  return { page: sam.page, close: () => sam.context.close() };
}

test('a narrowing change (a narrower resource, an action fewer, a Deny added: a longer text) grants no new access', async ({
  browser,
}) => {
  narrowChange = await submit(people.una.email, {
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
  const { page, close } = await openAsSam(browser, narrowChange);
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
  browser,
}) => {
  const id = await submit(people.una.email, {
    kind: 'change',
    spec: roleSpec(
      wideRole,
      document({ Sid: 'Everything', Effect: 'Allow', Action: 's3:*', Resource: `${bucket}/*` }),
    ),
    justification: 'The job now also tags and deletes objects',
  });
  const { page, close } = await openAsSam(browser, id);
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
  await expect(
    changes.getByRole('table', { name: 'Actions allowed after the change that were not before' }),
  ).toContainText('s3:DeleteObject');
  await expectNoSeriousViolations(page, 'widening change request page');
  await close();
});

test('a delete request shows what it removes; approved on the page, the role is gone from the emulator', async ({
  browser,
}) => {
  // One open request per role: the narrowing change is withdrawn first.
  expect(await runHarness('role-request.ts', [people.una.email, 'cancel', narrowChange])).toMatchObject({
    ok: true,
    state: 'cancelled',
  });
  const id = await submit(people.una.email, {
    kind: 'delete',
    accountId: targetId,
    roleName: narrowRole,
    justification: 'The reports job is retired',
  });
  const { page, close } = await openAsSam(browser, id);
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

  await expectState(id, 'provisioned');
  await expect(adminIam(targetId).send(new GetRoleCommand({ RoleName: narrowRole }))).rejects.toBeInstanceOf(
    NoSuchEntityException,
  );
  // The other role is untouched.
  const other = await adminIam(targetId).send(new GetRoleCommand({ RoleName: wideRole }));
  expect(other.Role?.RoleName).toBe(wideRole);
});
