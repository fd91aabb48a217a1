import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AttachRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { expect, test, type Page } from '@playwright/test';
import pg from 'pg';
import { expectNoSeriousViolations } from './accessibility';
import type { Emulator, EmulatorAccount } from './harness/aws-portal';
import { registerAwsStack } from './harness/aws-stack';
import { signInWithOidc } from './harness/aws-sign-in';
import { AccessPage } from './pages/access-page';
import { AccountsPage } from './pages/accounts-page';
import { WizardPage } from './pages/wizard-page';

// The roles list end to end, in aws mode: the sandbox-mode portal has no approval screen yet (the
// approvals issue builds it) and its embedded database is the server's alone, so the approval goes
// through `lib/requests` in a process of its own on the portal's PostgreSQL, as in
// wizard-aws.spec.ts. The standalone emulator is AWS. A requester's provisioned role appears in
// their list and not in another requester's; a policy attached outside Rolesmith through the AWS
// SDK is found by the background drift check (a one-minute interval here) and the drift filter
// shows it; *Create role from this one* opens the wizard with the trust copied.

test.describe.configure({ mode: 'serial', timeout: 120_000 });

const people = {
  pat: { email: 'pat@acme.example', name: 'Pat Platform', groups: ['everyone'] },
  sam: { email: 'sam@acme.example', name: 'Sam Security', groups: ['everyone', 'dev-approvers'] },
  una: { email: 'una@acme.example', name: 'Una User', groups: ['everyone'] },
  vic: { email: 'vic@acme.example', name: 'Vic Viewer', groups: ['everyone'] },
};

const targetId = '777788889999';
const trustedId = '444455556666';
const roleName = 'ListedReader';
const screens = path.resolve(import.meta.dirname, '..', 'test-results', 'roles-list-screens');

let emulator: Emulator | null = null;

function account(id: string): EmulatorAccount {
  const found = emulator?.accounts.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`the emulator has no account ${id}`);
  return found;
}

function adminIam(id: string): IAMClient {
  const admin = account(id).admin;
  if (!admin || !emulator) throw new Error(`the emulator gave no admin keys for ${id}`);
  return new IAMClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { ...admin },
    maxAttempts: 1,
  });
}

const aws = registerAwsStack({
  people,
  bootstrapAdmin: people.pat.email,
  beforePortal: (started) => {
    emulator = started;
    return Promise.resolve();
  },
  portalEnv: { ROLESMITH_DRIFT_CHECK_INTERVAL_SECONDS: '60' },
});

function signIn(browser: Parameters<typeof signInWithOidc>[0], login: keyof typeof people) {
  return signInWithOidc(
    browser,
    { portalUrl: aws().portal.url, issuer: aws().idp.issuer },
    { login, name: people[login].name },
  );
}

/** Runs `e2e/harness/approve-request.ts` with the portal's environment; returns its JSON line. */
function approveThroughLib(email: string, requestId: string): Promise<Record<string, unknown>> {
  const root = path.resolve(import.meta.dirname, '..');
  const child = spawn(
    process.execPath,
    [
      '--conditions=react-server',
      '--import',
      'tsx/esm',
      path.join(root, 'e2e/harness/approve-request.ts'),
      email,
      requestId,
    ],
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
      else reject(new Error(`approve-request printed no result:\n${output}`));
    });
  });
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screens, { recursive: true });
  await page.screenshot({ path: path.join(screens, `${name}.png`), fullPage: true });
}

const rolesTable = (page: Page) => page.getByRole('table', { name: 'Roles' });
const roleRow = (page: Page, name: string) =>
  rolesTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name, exact: true }) });

const expectedTrust = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${trustedId}:root` },
      Action: 'sts:AssumeRole',
      // The wizard writes the console's empty block when no condition applies.
      Condition: {},
    },
  ],
};

test('a provisioned role is in its requester’s list and not in another’s; drift and Create role from this one', async ({
  browser,
}) => {
  test.setTimeout(300_000);

  // The admin registers the accounts (with their provisioner roles) and the target's approvers.
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

  // Una: an empty list first, which says so and links to the wizard; then a request for a role.
  const una = await signIn(browser, 'una');
  const page = una.page;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/roles');
  await expect(page.getByText('You have no roles yet.')).toBeVisible();
  await expect(page.getByRole('main').getByRole('link', { name: 'Create role' }).last()).toHaveAttribute(
    'href',
    '/roles/new',
  );
  await expectNoSeriousViolations(page, 'empty roles list');

  const wizard = new WizardPage(page);
  await wizard.open();
  await wizard.chooseAccount('acme-development');
  await page.getByRole('radio', { name: /^AWS account/ }).check();
  await page.getByRole('radio', { name: /^Another AWS account/ }).check();
  await page.getByLabel('Account ID', { exact: true }).fill(trustedId);
  await expect
    .poll(async () => JSON.parse((await wizard.trustPolicyJson.textContent()) ?? '{}') as unknown)
    .toEqual(expectedTrust);
  await wizard.next();
  await wizard.expectStep('Add permissions');
  await wizard.next();
  await wizard.expectStep('Name, review, and create');
  await wizard.setRoleName(roleName);
  await expect(wizard.roleNameStatus).toContainText(`${roleName} is available`, { timeout: 20_000 });
  await wizard.justification.fill('Reads the application data for the roles list test.');
  const requestId = await wizard.submit();

  const sam = await signIn(browser, 'sam');
  await sam.context.close();
  expect(await approveThroughLib(people.sam.email, requestId)).toMatchObject({ ok: true, isFinal: true });
  const db = new pg.Client({ connectionString: aws().postgres.url });
  await db.connect();
  try {
    await expect
      .poll(
        async () =>
          (await db.query<{ state: string }>('select state from requests where id = $1', [requestId])).rows[0]
            ?.state,
        { timeout: 45_000 },
      )
      .toBe('provisioned');
  } finally {
    await db.end();
  }

  // The role is in Una's list: linked to its summary, with its account, trust and owner.
  await page.goto('/roles');
  const row = roleRow(page, roleName);
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('link', { name: roleName, exact: true })).toHaveAttribute(
    'href',
    `/roles/${targetId}/${roleName}`,
  );
  await expect(row).toContainText('acme-development');
  await expect(row).toContainText(targetId);
  await expect(row).toContainText('AWS account');
  await expect(row).toContainText(trustedId);
  await expect(row).toContainText('Una User');
  await screenshot(page, 'list');
  await expectNoSeriousViolations(page, 'roles list');

  // Vic, another requester, does not see it.
  const vic = await signIn(browser, 'vic');
  await vic.page.goto('/roles');
  await expect(vic.page.getByText('You have no roles yet.')).toBeVisible();
  await expect(vic.page.getByRole('rowheader', { name: roleName })).toHaveCount(0);
  await vic.context.close();

  // A policy attached outside Rolesmith: the background check finds it, the drift filter shows it.
  const iam = adminIam(targetId);
  await iam.send(
    new AttachRolePolicyCommand({
      RoleName: roleName,
      PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    }),
  );
  iam.destroy();
  // Filters through the form with the keyboard, as a person would: the URL keeps them.
  await page.getByLabel('Drift', { exact: true }).selectOption('drifted');
  await page.getByRole('button', { name: 'Filter' }).press('Enter');
  await page.waitForURL(/\/roles\?.*drift=drifted/);
  await expect
    .poll(
      async () => {
        await page.reload();
        return roleRow(page, roleName).count();
      },
      { timeout: 150_000, intervals: [5_000] },
    )
    .toBe(1);
  await expect(roleRow(page, roleName).getByText('Drifted')).toBeVisible();
  await expect(roleRow(page, roleName)).toContainText('1 difference');
  await screenshot(page, 'drift-filter');
  await expectNoSeriousViolations(page, 'roles list filtered by drift');
  await page.goto('/roles?drift=matches');
  await expect(page.getByText('No roles match these filters.')).toBeVisible();
  await page.goto(`/roles?type=aws_service`);
  await expect(page.getByRole('rowheader', { name: roleName })).toHaveCount(0);
  await page.goto(`/roles?type=aws_account&account=${targetId}`);
  await expect(roleRow(page, roleName)).toHaveCount(1);

  // Create role from this one: the wizard, the trust copied from the role.
  await roleRow(page, roleName)
    .getByRole('link', { name: `Create role from ${roleName}` })
    .click();
  await page.waitForURL(/\/roles\/new\?copy=/);
  await expect
    .poll(async () => JSON.parse((await wizard.trustPolicyJson.textContent()) ?? '{}') as unknown, {
      timeout: 20_000,
    })
    .toEqual(expectedTrust);
  await screenshot(page, 'new-from-this-one');
  await una.context.close();
});
