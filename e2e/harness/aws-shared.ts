// One aws-mode stack (e2e/harness/aws-stack.ts) shared by the aws-mode specs that can share it:
// a worker-scoped fixture, started by the first test that asks for it, set up once (an admin
// registers the two accounts with their provisioner roles and makes `dev-approvers` the target's
// approvers), and stopped when the worker ends. The aws project runs one worker, so the specs share
// one stack; a failed test ends its worker, and the next spec gets a fresh stack. Each spec keeps to
// its own requester and role names, so that none depends on another or on the order they run in.
// auth-aws.spec.ts starts a stack of its own (it uses up the per-address sign-in budget, and maps
// the approver's groups otherwise).
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import pg from 'pg';
import { AccessPage } from '../pages/access-page';
import { AccountsPage } from '../pages/accounts-page';
import type { Emulator, EmulatorAccount } from './aws-portal';
import { signInWithOidc } from './aws-sign-in';
import { startAwsStack, type AwsStack } from './aws-stack';

/** Everyone the shared OpenID provider knows; a spec's requester is its own. */
export const people = {
  /** The bootstrap admin, who registers the accounts. */
  pat: { email: 'pat@acme.example', name: 'Pat Platform', groups: ['everyone'] },
  /** The target account's approver (through `dev-approvers`). */
  sam: { email: 'sam@acme.example', name: 'Sam Security', groups: ['everyone', 'dev-approvers'] },
  /** The requester of wizard-aws and requests-change-delete. */
  una: { email: 'una@acme.example', name: 'Una User', groups: ['everyone'] },
  /** The requester of roles-list-aws, whose list must start empty. */
  lin: { email: 'lin@acme.example', name: 'Lin Lister', groups: ['everyone'] },
  /** Another requester, who sees none of the others' roles. */
  vic: { email: 'vic@acme.example', name: 'Vic Viewer', groups: ['everyone'] },
};
export type Login = keyof typeof people;

/** The target account (acme-development) and the other account the roles trust (acme-production). */
export const targetId = '777788889999';
export const trustedId = '444455556666';

export interface SharedAws {
  stack: AwsStack;
  emulator: Emulator;
  account(id: string): EmulatorAccount;
  /** An IAM client as the account's sandbox administrator (a test's own reads and writes). */
  adminIam(id: string): IAMClient;
  signIn(browser: Browser, login: Login): Promise<{ context: BrowserContext; page: Page }>;
  /** Runs an `e2e/harness` script with the portal's environment; returns its JSON line. */
  runHarness(script: string, args: string[]): Promise<Record<string, unknown>>;
  /** Waits until the request is in `state` (read from the portal's PostgreSQL). */
  expectState(requestId: string, state: string, timeout?: number): Promise<void>;
}

function helpers(stack: AwsStack): SharedAws {
  const { emulator } = stack;
  if (!emulator) throw new Error('the standalone emulator (rolesmith sandbox) did not start');
  const account = (id: string) => {
    const found = emulator.accounts.find((candidate) => candidate.id === id);
    if (!found) throw new Error(`the emulator has no account ${id}`);
    return found;
  };
  const root = path.resolve(import.meta.dirname, '..', '..');
  return {
    stack,
    emulator,
    account,
    adminIam(id) {
      const admin = account(id).admin;
      if (!admin) throw new Error(`the emulator gave no admin keys for ${id}`);
      return new IAMClient({
        endpoint: emulator.endpoint,
        region: 'us-east-1',
        credentials: { ...admin },
        maxAttempts: 1,
      });
    },
    signIn(browser, login) {
      return signInWithOidc(
        browser,
        { portalUrl: stack.portal.url, issuer: stack.idp.issuer },
        { login, name: people[login].name },
      );
    },
    runHarness(script, args) {
      const child = spawn(
        process.execPath,
        ['--conditions=react-server', '--import', 'tsx/esm', path.join(root, 'e2e/harness', script), ...args],
        {
          cwd: root,
          env: {
            ...stack.portal.env,
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
          else reject(new Error(`${script} printed no result:\n${output}`));
        });
      });
    },
    async expectState(requestId, state, timeout = 60_000) {
      const db = new pg.Client({ connectionString: stack.postgres.url });
      await db.connect();
      try {
        await expect
          .poll(
            async () =>
              (await db.query<{ state: string }>('select state from requests where id = $1', [requestId]))
                .rows[0]?.state,
            { timeout },
          )
          .toBe(state);
      } finally {
        await db.end();
      }
    },
  };
}

/**
 * What every spec on the shared stack needs first, done once through the pages: the admin registers
 * the target account with its provisioner role (and the trusted account, so that the guardrails know
 * it as one of the organisation's), and makes `dev-approvers` the target's approvers.
 */
async function registerAccounts(aws: SharedAws, browser: Browser): Promise<void> {
  const pat = await aws.signIn(browser, 'pat');
  const accounts = new AccountsPage(pat.page);
  await accounts.goto();
  for (const [id, alias, environment] of [
    [targetId, 'acme-development', 'development'],
    [trustedId, 'acme-production', 'production'],
  ] as const) {
    const role = aws.account(id).provisionerRole;
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
}

export const test = base.extend<{ portalLogOnFailure: void }, { aws: SharedAws }>({
  aws: [
    async ({ browser }, provide) => {
      const stack = await startAwsStack({
        people,
        bootstrapAdmin: people.pat.email,
        // roles-list-aws waits for the background drift check to find a change made outside Rolesmith.
        portalEnv: { ROLESMITH_DRIFT_CHECK_INTERVAL_SECONDS: '60' },
      });
      try {
        const aws = helpers(stack);
        await registerAccounts(aws, browser);
        await provide(aws);
      } finally {
        await stack.stop();
      }
    },
    // Generous: four servers and a sign-in on a loaded machine. (`provide` is Playwright's `use`,
    // named so that the React hooks lint does not take it for React's.)
    { scope: 'worker', timeout: 300_000 },
  ],
  // Auth.js logs a failed sign-in's cause in the portal's log: printed after a failed test.
  portalLogOnFailure: [
    async ({ aws }, provide, testInfo) => {
      await provide();
      if (testInfo.status !== testInfo.expectedStatus)
        console.error(aws.stack.portal.logs.join('').slice(-4000));
    },
    { auto: true },
  ],
});

export { expect };
