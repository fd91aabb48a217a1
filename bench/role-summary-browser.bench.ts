/**
 * Benchmark of the role summary page (issue 14), against the production server in sandbox mode
 * (its own data folder, a free port) in Chromium, signed in as Alice:
 * - `roles.summary_access_kit_median_ms`: from requesting a role's summary page (navigation start,
 *   `performance.now()` 0) to the access kit painted (two animation frames after the kit's element
 *   is in the DOM), with the drift check still pending: the emulator answers every call 2 s late
 *   (its latency fault), so the live read behind the drift section cannot finish first, and each
 *   measurement checks that "Checking the role in AWS…" is still shown when the kit is painted.
 *   Median of 10 loads in one signed-in browser context, after a warm-up load. Goal ≤ 300.
 *
 * The role is Alice's, submitted and approved through `lib/requests` on the data folder before the
 * server starts (the approval's preflight against the target account left out: the emulator runs
 * inside the server); the server's provisioning worker then creates it in the emulator.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { freePort } from '../lib/testing/postgres-server';
import { findChromium } from '../scripts/chromium.mjs';
import { median, type BenchResult } from './types';

const root = join(import.meta.dirname, '..');
const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const LOADS = 10;
const ROLE = 'BenchSummaryRole';
const ACCOUNT = '444455556666';
const DRIFT_LATENCY_MS = 2000;

/** Submits and approves Alice's role on the data folder (no server holds it yet). */
async function approveRoleRequest(dataDir: string): Promise<void> {
  process.env.ROLESMITH_MODE = 'sandbox';
  process.env.ROLESMITH_DATA_DIR = dataDir;
  const [{ getDb, closeDb }, { seedSandboxData }, { seedSandboxPeople }, { loadPrincipal }, { getEnv }] =
    await Promise.all([
      import('../lib/db/client'),
      import('../lib/accounts/seed'),
      import('../lib/auth/seed'),
      import('../lib/auth/users'),
      import('../lib/env'),
    ]);
  const [{ createAndSubmitRequest }, { approveRequest }, { acknowledgementItems }, { ok }] =
    await Promise.all([
      import('../lib/requests/requests'),
      import('../lib/requests/approve'),
      import('../lib/requests/assess'),
      import('../lib/result'),
    ]);
  const db = await getDb();
  await seedSandboxData();
  await seedSandboxPeople();
  const [alice, bob] = await Promise.all(
    ['demo-alice', 'demo-bob'].map((id) => loadPrincipal(db, getEnv(), id)),
  );
  if (!alice || !bob) throw new Error('the demo people are missing');
  const submitted = await createAndSubmitRequest(alice, {
    kind: 'create',
    justification: 'The role summary benchmark',
    spec: {
      accountId: ACCOUNT,
      name: ROLE,
      description: 'Reads CloudWatch',
      trustedEntity: { type: 'aws_account', accountId: '111122223333', requireMfa: true },
      managedPolicyArns: ['arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess'],
      tags: [{ key: 'team', value: 'bench' }],
    },
  });
  if (!submitted.ok) throw new Error(`submission refused: ${submitted.message}`);
  const approved = await approveRequest(
    bob,
    {
      requestId: submitted.value.id,
      specSha256: submitted.value.specSha256,
      acknowledged: acknowledgementItems(submitted.value).map((item) => item.key),
    },
    () => Promise.resolve(ok(null)),
  );
  if (!approved.ok) throw new Error(`approval refused: ${approved.message}`);
  await closeDb();
}

/** `next start` in sandbox mode on its own data folder; resolves once /signin answers 200. */
async function startServer(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    stdio: 'ignore',
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      ROLESMITH_DATA_DIR: dataDir,
      ROLESMITH_MODE: 'sandbox',
    },
  });
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/signin`);
      await response.arrayBuffer();
      if (response.status === 200) return child;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error('the server did not serve /signin within 240 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function signInAsAlice(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto('/signin');
  await page.getByRole('button', { name: /^Sign in as Alice/ }).click();
  await page.waitForURL((url) => url.pathname === '/', { timeout: 60_000 });
  await page.close();
  return context;
}

/** Waits until the worker has provisioned the role: its summary answers 200 to Alice. */
async function waitForRole(context: BrowserContext, path: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if ((await context.request.get(path)).status() === 200) return;
    if (Date.now() > deadline) throw new Error(`${path} did not answer 200 within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Navigation start → the access kit painted, in ms, and whether the drift check was still pending then. */
async function loadOnce(
  context: BrowserContext,
  path: string,
): Promise<{ ms: number; driftPending: boolean }> {
  const page = await context.newPage();
  try {
    await page.addInitScript(() => {
      const holder = window as unknown as { kitPainted?: Promise<{ ms: number; driftPending: boolean }> };
      holder.kitPainted = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (!document.querySelector('[data-testid="access-kit"]')) return;
          observer.disconnect();
          requestAnimationFrame(() =>
            requestAnimationFrame(() =>
              resolve({
                ms: performance.now(),
                driftPending: document.body.innerText.includes('Checking the role in AWS…'),
              }),
            ),
          );
        });
        observer.observe(document, { childList: true, subtree: true });
      });
    });
    await page.goto(path, { waitUntil: 'commit', timeout: 60_000 });
    return await page.evaluate(
      () => (window as unknown as { kitPainted: Promise<{ ms: number; driftPending: boolean }> }).kitPainted,
    );
  } finally {
    await page.close();
  }
}

export default async function run(): Promise<BenchResult[]> {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-if-needed.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('the production build failed');
  const found = findChromium();
  if (!found.path) throw new Error(`no usable Chromium: ${found.problem}`);

  const dataDir = mkdtempSync(join(tmpdir(), 'rolesmith-bench-summary-'));
  await approveRoleRequest(dataDir);
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const server = await startServer(port, dataDir);
  const browser = await chromium.launch({
    executablePath: found.path,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const context = await signInAsAlice(browser, baseURL);
    const path = `/roles/${ACCOUNT}/${ROLE}`;
    await waitForRole(context, path);
    // Every emulator call (the drift section's live read among them) now answers 2 s late.
    const faults = await fetch(`${baseURL}/sandbox/aws/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: DRIFT_LATENCY_MS }),
    });
    if (!faults.ok) throw new Error(`the latency fault was refused: ${faults.status}`);
    await loadOnce(context, path);
    const loads: number[] = [];
    for (let index = 0; index < LOADS; index += 1) {
      const load = await loadOnce(context, path);
      if (!load.driftPending)
        throw new Error('the drift check had finished before the access kit was painted');
      loads.push(load.ms);
    }
    await context.close();
    console.log(`summary request → access kit painted (ms): ${loads.map((ms) => ms.toFixed(0)).join(', ')}`);
    return [
      {
        id: 'roles.summary_access_kit_median_ms',
        value: Math.round(median(loads)),
        unit: 'ms',
        goal: '<= 300',
        runs: loads.length,
      },
    ];
  } finally {
    await browser.close();
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}
