import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import {
  CreatePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { provisionerPolicy, provisionerPolicyName } from '../lib/sandbox/provisioner-policy';
import type { Emulator, EmulatorAccount } from './harness/aws-portal';
import { registerAwsStack } from './harness/aws-stack';
import { signInWithOidc } from './harness/aws-sign-in';
import { AccessPage } from './pages/access-page';
import { AccountsPage } from './pages/accounts-page';
import { PolicyEditor } from './pages/policy-editor';
import { WizardPage } from './pages/wizard-page';

// aws mode, the wizard end to end: the standalone emulator is AWS, and the portal reaches the target
// account only through its provisioner role, which carries exactly the README's provisioner policy.
// An admin registers the target account; a requester signed in through the real OIDC flow completes
// the wizard (another account with MFA, a customer managed policy found by search — read through the
// provisioner role —, an inline policy, the name checked as free); an approver approves through
// `lib/requests` (no approval screen yet); the portal's worker creates the role, read back here with
// the AWS SDK.

test.describe.configure({ mode: 'serial', timeout: 90_000 });

const people = {
  pat: { email: 'pat@acme.example', name: 'Pat Platform', groups: ['everyone'] },
  sam: { email: 'sam@acme.example', name: 'Sam Security', groups: ['everyone', 'dev-approvers'] },
  una: { email: 'una@acme.example', name: 'Una User', groups: ['everyone'] },
};

/** The target account (acme-development) and the other account trusted by the new role. */
const targetId = '777788889999';
const trustedId = '444455556666';
const managedPolicyName = 'AcmeAppConfigRead';
const roleName = 'AppConfigReader';
const inlinePolicyName = 'ReadAppParameters';
const inlineDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['ssm:GetParameter', 'ssm:GetParameters'],
      Resource: `arn:aws:ssm:us-east-1:${targetId}:parameter/app/*`,
    },
  ],
};

let emulator: Emulator | null = null;

function requireEmulator(): Emulator {
  if (!emulator) throw new Error('the standalone emulator (rolesmith sandbox) did not start');
  return emulator;
}

function account(id: string): EmulatorAccount {
  const found = requireEmulator().accounts.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`the emulator has no account ${id}`);
  return found;
}

/** An IAM client as the account's sandbox administrator (the test's own reads and writes). */
function adminIam(id: string): IAMClient {
  const admin = account(id).admin;
  if (!admin) throw new Error(`the emulator gave no admin keys for ${id}`);
  return new IAMClient({
    endpoint: requireEmulator().endpoint,
    region: 'us-east-1',
    credentials: { ...admin },
    maxAttempts: 1,
  });
}

const decoded = (document: string | undefined) => JSON.parse(decodeURIComponent(document ?? '')) as unknown;

const aws = registerAwsStack({
  people,
  bootstrapAdmin: people.pat.email,
  beforePortal: async (started) => {
    emulator = started;
    // A customer managed policy the requester will find by search: the portal lists it through the
    // provisioner role (iam:ListPolicies, then GetPolicy/GetPolicyVersion for its details).
    await adminIam(targetId).send(
      new CreatePolicyCommand({
        PolicyName: managedPolicyName,
        Description: 'Read the application configuration',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'ssm:DescribeParameters', Resource: '*' }],
        }),
      }),
    );
  },
});
const requirePortal = () => aws().portal;

function signIn(browser: Parameters<typeof signInWithOidc>[0], login: keyof typeof people) {
  return signInWithOidc(
    browser,
    { portalUrl: requirePortal().url, issuer: aws().idp.issuer },
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
      env: {
        ...requirePortal().env,
        NODE_ENV: 'production',
        PATH: process.env.PATH ?? '',
        HOME: os.tmpdir(),
      },
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

test("the emulator's provisioner roles carry exactly the documented provisioner policy", async () => {
  const targets = requireEmulator().accounts.filter((candidate) => candidate.provisionerRole);
  expect(targets.map((candidate) => candidate.id)).toContain(targetId);
  for (const target of targets) {
    const roleArn = target.provisionerRole?.arn ?? '';
    const name = roleArn.split('/').at(-1) ?? '';
    const iam = adminIam(target.id);
    const inline = await iam.send(new ListRolePoliciesCommand({ RoleName: name }));
    expect(inline.PolicyNames, roleArn).toEqual([provisionerPolicyName]);
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }));
    expect(attached.AttachedPolicies ?? [], roleArn).toEqual([]);
    const policy = await iam.send(
      new GetRolePolicyCommand({ RoleName: name, PolicyName: provisionerPolicyName }),
    );
    expect(decoded(policy.PolicyDocument), roleArn).toEqual(provisionerPolicy);
  }
});

test('an admin registers the target account, a requester completes the wizard, the approved role is created', async ({
  browser,
}) => {
  // Three OIDC sign-ins, the wizard, an approval process and provisioning: room on a loaded machine.
  test.setTimeout(180_000);

  // The admin registers the target account with its provisioner role (and the trusted account, so that
  // the guardrails know it as one of the organisation's), and makes a group the target's approvers.
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

  // The requester, through the wizard.
  const una = await signIn(browser, 'una');
  const { page } = una;
  const wizard = new WizardPage(page);
  await wizard.open();
  await wizard.chooseAccount('acme-development');
  // The SAML card lists the target account's identity providers, read through the provisioner role
  // (ListOpenIDConnectProviders, GetOpenIDConnectProvider, ListSAMLProviders).
  await page.getByRole('radio', { name: /^SAML 2\.0 federation/ }).check();
  await expect(
    page.getByLabel('SAML 2.0-based provider').locator('option', { hasText: 'AcmeOkta' }),
  ).toHaveCount(1, { timeout: 20_000 });
  await page.getByRole('radio', { name: /^AWS account/ }).check();
  await page.getByRole('radio', { name: /^Another AWS account/ }).check();
  await page.getByLabel('Account ID', { exact: true }).fill(trustedId);
  await page.getByRole('checkbox', { name: /^Require MFA/ }).check();
  const expectedTrust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${trustedId}:root` },
        Action: 'sts:AssumeRole',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      },
    ],
  };
  await expect
    .poll(async () => JSON.parse((await wizard.trustPolicyJson.textContent()) ?? '{}') as unknown)
    .toEqual(expectedTrust);
  await wizard.next();
  await wizard.expectStep('Add permissions');

  // A customer managed policy of the target account, found by search.
  const search = page.getByRole('search', { name: /managed policies/i });
  await search.getByRole('searchbox').fill('AcmeApp');
  const match = page.getByRole('checkbox', { name: `Select ${managedPolicyName}` });
  await expect(match).toBeVisible({ timeout: 20_000 });
  await match.check();
  await page.getByRole('button', { name: `Show ${managedPolicyName} details` }).click();
  await expect(page.getByRole('region', { name: new RegExp(managedPolicyName) }).first()).toContainText(
    'ssm:DescribeParameters',
  );

  // An inline policy written as JSON.
  await page.getByRole('tab', { name: /^Custom policies/ }).click();
  await page.getByRole('button', { name: 'Add inline policy' }).click();
  const card = page.getByRole('tabpanel', { name: /^Custom policies/ });
  await card.getByLabel('Policy name').fill(inlinePolicyName);
  const editor = new PolicyEditor(page, card);
  await editor.openJson();
  await editor.jsonContent.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(JSON.stringify(inlineDocument, null, 2));
  await expect(editor.jsonEditor).toHaveAttribute('data-validated', 'true');
  await expect(editor.jsonEditor).not.toHaveAttribute('aria-invalid', 'true');
  await wizard.next();
  await wizard.expectStep('Name, review, and create');

  // The name, checked as free in the target account (read through the provisioner role).
  await wizard.setRoleName(roleName);
  await expect(wizard.roleNameStatus).toContainText(`${roleName} is available`, { timeout: 20_000 });
  await wizard.justification.fill('The application reads its configuration from Parameter Store.');
  const requestId = await wizard.submit();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await una.context.close();

  // The approver signs in once (so that the portal knows the person and their group), then approves.
  const sam = await signIn(browser, 'sam');
  await sam.context.close();
  const approved = await approveThroughLib(people.sam.email, requestId);
  expect(approved).toMatchObject({ ok: true, isFinal: true });

  // The portal's worker provisions the role through the provisioner role.
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

  const iam = adminIam(targetId);
  const role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
  expect(decoded(role?.AssumeRolePolicyDocument)).toEqual(expectedTrust);
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  expect(attached.AttachedPolicies).toEqual([
    { PolicyName: managedPolicyName, PolicyArn: `arn:aws:iam::${targetId}:policy/${managedPolicyName}` },
  ]);
  const inline = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
  expect(inline.PolicyNames).toEqual([inlinePolicyName]);
  const stored = await iam.send(
    new GetRolePolicyCommand({ RoleName: roleName, PolicyName: inlinePolicyName }),
  );
  expect(decoded(stored.PolicyDocument)).toEqual(inlineDocument);
  // Exactly one such role: the name the wizard checked is the one created.
  const roles = await iam.send(new ListRolesCommand({}));
  expect(roles.Roles?.filter((candidate) => candidate.RoleName === roleName)).toHaveLength(1);
});
