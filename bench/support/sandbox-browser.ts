/**
 * What the browser benchmarks share: the production server in sandbox mode on its own data folder,
 * and a browser context signed in as a demo person through the demo chooser.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { findChromium } from '../../scripts/chromium.mjs';

const root = join(import.meta.dirname, '..', '..');
const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

/** `next start` in sandbox mode on its own data folder; resolves once /signin answers 200. */
export async function startSandboxServer(port: number, dataDir: string): Promise<ChildProcess> {
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
  // Generous: a first start creates the database and seeds the sandbox, on a loaded machine.
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

/** Stops the server started by {@link startSandboxServer} and waits for it to exit. */
export async function stopSandboxServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
}

/** A 1280×800 browser context signed in as the demo person whose name starts with `person` (e.g. `Alice`). */
export async function signInAs(browser: Browser, baseURL: string, person: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto('/signin');
  await page.getByRole('button', { name: new RegExp(`^Sign in as ${person}`) }).click();
  await page.waitForURL((url) => url.pathname === '/', { timeout: 60_000 });
  await page.close();
  return context;
}

/** Builds the production bundle if the sources changed, then finds a usable Chromium; throws otherwise. */
export function buildAndFindChromium(): string {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-if-needed.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('the production build failed');
  const found = findChromium();
  if (!found.path) throw new Error(`no usable Chromium: ${found.problem}`);
  return found.path;
}

/** Chromium as the browser benchmarks run it. */
export function launchBenchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
}
