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

export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results/e2e-artifacts',
  fullyParallel: false,
  workers: 1,
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
      testIgnore: /-aws\.spec\.ts/,
      dependencies: ['setup'],
      use: { ...devices['Desktop Chrome'], channel: undefined },
    },
    {
      // aws mode: each spec starts its own PostgreSQL, OpenID provider, emulator and `next start`.
      name: 'aws',
      testMatch: /-aws\.spec\.ts/,
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
