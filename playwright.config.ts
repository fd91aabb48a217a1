import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { findChromium } from './scripts/chromium.mjs';

// The config is evaluated again in every worker; values chosen once are handed down via the
// environment so that all of them agree on the port and the data folder.
function once(name: string, choose: () => string): string {
  process.env[name] ??= choose();
  return process.env[name];
}

const port = Number(
  once('ROLESMITH_E2E_PORT', () =>
    execFileSync(
      process.execPath,
      [
        '-e',
        "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
      ],
      {
        encoding: 'utf8',
      },
    ).trim(),
  ),
);
const dataDir = once('ROLESMITH_E2E_DATA_DIR', () => mkdtempSync(join(tmpdir(), 'rolesmith-e2e-')));
// Found and checked (`--version` runs) once; a missing or unusable browser stops the run here.
const chromiumPath = once('ROLESMITH_E2E_CHROMIUM', () => {
  const chromium = findChromium();
  if (!chromium.path) throw new Error(`rolesmith: ${chromium.problem}`);
  return chromium.path;
});

// The specs that run in aws mode. requests-change-delete needs a database another process can
// reach (it creates change requests through lib/requests in a process of its own).
const awsSpecs = [/-aws\.spec\.ts$/, /requests-change-delete\.spec\.ts$/];

export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results/e2e-artifacts',
  fullyParallel: false,
  // Two workers, one per project (below): the aws-mode specs run on stacks of their own, so they run
  // beside the sandbox specs, which share one server and run one file at a time, in name order.
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-gpu',
        '--no-sandbox',
      ],
    },
  },
  projects: [
    {
      // Signs each demo person in once and saves the session (e2e/auth.setup.ts, playwright/.auth/).
      name: 'setup',
      testMatch: /auth\.setup\.ts/,
      use: { ...devices['Desktop Chrome'], channel: undefined },
    },
    {
      name: 'sandbox',
      testMatch: /.*\.spec\.ts/,
      testIgnore: awsSpecs,
      dependencies: ['setup'],
      workers: 1,
      use: { ...devices['Desktop Chrome'], channel: undefined },
    },
    {
      // aws mode on PostgreSQL, an OpenID provider, the standalone emulator and `next start`
      // (e2e/harness/aws-stack.ts), which auth-aws starts for itself and the others share.
      name: 'aws',
      testMatch: awsSpecs,
      // Not for the sessions (aws mode signs in through its own provider): Playwright runs projects
      // in phases by their dependencies, and only projects of one phase run side by side.
      dependencies: ['setup'],
      workers: 1,
      use: { ...devices['Desktop Chrome'], channel: undefined },
    },
  ],
  webServer: [
    {
      // The production server, started the way `npm start` starts it.
      command: 'node scripts/start.mjs',
      url: `${baseURL}/`,
      timeout: 240_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        PORT: String(port),
        ROLESMITH_DATA_DIR: dataDir,
        ROLESMITH_MODE: 'sandbox',
        // The auth specs give each rate-limit test a client address of its own in X-Forwarded-For,
        // as one trusted reverse proxy would (the aws project checks the default, 0 hops).
        ROLESMITH_TRUSTED_PROXIES: '1',
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
  ],
});
