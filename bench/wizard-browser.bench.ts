/**
 * Benchmarks of the wizard in the browser (issue 12), against the production server in sandbox
 * mode (its own data folder, a free port) in Chromium, signed in as Alice (a requester):
 * - `wizard.first_load_js_kb`: compressed JavaScript loaded by `/roles/new?start=blank` (the
 *   wizard's first step): the sum of `encodedBodySize` of the script resources after the network is
 *   idle, in kB; median of 3 loads, each in a fresh browser context (empty cache). Goal ≤ 200.
 * - `wizard.search_to_paint_median_ms`: in the visual builder (the Lambda-developer template, step 2,
 *   its custom policy's Visual tab), one character typed in the action filter box → the filtered
 *   results painted: from the keydown (`performance.now()` in a capturing listener) to two animation
 *   frames after the first DOM change of the action list; median of 20. Goal ≤ 100.
 * - `wizard.validate_to_markers_median_ms`: one keystroke in the CodeMirror JSON editor → its lint
 *   markers updated for the new text (the editor wrapper's `data-validated-at`, the
 *   `performance.now()` at which the markers were set), the validation's debounce included; median
 *   of 20. Goal ≤ 300.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { freePort } from '../lib/testing/postgres-server';
import {
  buildAndFindChromium,
  launchBenchChromium,
  signInAs,
  startSandboxServer,
  stopSandboxServer,
} from './support/sandbox-browser';
import { median, type BenchResult } from './types';

const LOADS = 3;
const KEYSTROKES = 20;
const alice = 'Alice';

/** Compressed bytes of the scripts the page loaded (same-origin, so `encodedBodySize` is exposed). */
async function firstLoadJsKb(browser: Browser, baseURL: string, storageState: string): Promise<number> {
  const context = await browser.newContext({ baseURL, storageState, viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto('/roles/new?start=blank', { waitUntil: 'networkidle', timeout: 120_000 });
    await page.getByRole('heading', { level: 1, name: 'Create role' }).waitFor();
    const bytes = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((entry): entry is PerformanceResourceTiming => entry instanceof PerformanceResourceTiming)
        .filter((entry) => entry.initiatorType === 'script' || /\.js(\?|$)/.test(entry.name))
        .reduce((sum, entry) => sum + entry.encodedBodySize, 0),
    );
    return bytes / 1024;
  } finally {
    await context.close();
  }
}

/** Opens the Lambda-developer template at step 2, its custom policy in view. */
async function openTemplatePolicy(page: Page): Promise<void> {
  await page.goto('/roles/new?template=lambda-developer', { timeout: 120_000 });
  await page.getByRole('heading', { level: 1, name: 'Create role' }).waitFor();
  const account = page.locator('select#wizard-accountId');
  if ((await account.inputValue()) === '') {
    const value = await account.locator('option').nth(1).getAttribute('value');
    await account.selectOption(value ?? '');
  }
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.locator('#wizard-step-heading', { hasText: 'Add permissions' }).waitFor();
  await page.getByRole('tab', { name: /^Custom policies/ }).click();
}

async function searchToPaint(page: Page): Promise<number[]> {
  await page.getByRole('tab', { name: 'Visual', exact: true }).first().click();
  const filter = page.getByLabel('Filter actions').first();
  await filter.waitFor({ timeout: 60_000 });
  await filter.click();
  const letters = 'abcdefghilmnoprstuvw';
  const times: number[] = [];
  for (let index = 0; index < KEYSTROKES; index += 1) {
    await filter.fill('');
    await page.waitForFunction(() => {
      const count = document.querySelector('[data-testid="action-count"]');
      return count !== null && !count.textContent?.includes(' match ');
    });
    await filter.focus();
    await page.evaluate(() => {
      const input = document.activeElement as HTMLInputElement;
      const list = input.closest('fieldset');
      if (!list) throw new Error('the filter box is not inside the action list');
      const holder = window as unknown as { searchToPaint?: Promise<number> };
      holder.searchToPaint = new Promise<number>((resolve) => {
        let start = 0;
        input.addEventListener('keydown', () => (start = performance.now()), { once: true, capture: true });
        const observer = new MutationObserver(() => {
          observer.disconnect();
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
        });
        // Children and text only: the input's own value is no result.
        observer.observe(list, { subtree: true, childList: true, characterData: true });
      });
    });
    await page.keyboard.press(letters[index % letters.length] ?? 'a');
    times.push(
      await page.evaluate(() => (window as unknown as { searchToPaint: Promise<number> }).searchToPaint),
    );
  }
  return times;
}

async function validateToMarkers(page: Page): Promise<number[]> {
  await page.getByRole('tab', { name: 'JSON', exact: true }).first().click();
  const editor = page.getByTestId('json-editor').first();
  await page.waitForFunction(
    () => {
      const wrapper = document.querySelector('[data-testid="json-editor"]');
      return (
        wrapper?.getAttribute('data-editor') === 'codemirror' &&
        wrapper.getAttribute('data-validated') === 'true'
      );
    },
    undefined,
    { timeout: 60_000 },
  );
  const content = editor.locator('.cm-content');
  await content.click();
  await page.keyboard.press('ControlOrMeta+End');
  const times: number[] = [];
  for (let index = 0; index < KEYSTROKES; index += 1) {
    await page.evaluate(() => {
      const holder = window as unknown as { keyAt?: number };
      holder.keyAt = 0;
      document.activeElement?.addEventListener('keydown', () => (holder.keyAt = performance.now()), {
        once: true,
        capture: true,
      });
    });
    // A space after the document, then its removal: each a keystroke that changes the text.
    await page.keyboard.press(index % 2 === 0 ? 'Space' : 'Backspace');
    const handle = await page.waitForFunction(
      () => {
        const { keyAt } = window as unknown as { keyAt: number };
        const wrapper = document.querySelector<HTMLElement>('[data-testid="json-editor"]');
        const at = Number(wrapper?.dataset.validatedAt ?? 0);
        return keyAt > 0 && wrapper?.dataset.validated === 'true' && at > keyAt ? at - keyAt : null;
      },
      undefined,
      { timeout: 30_000, polling: 'raf' },
    );
    times.push((await handle.jsonValue()) as number);
  }
  return times;
}

export default async function run(): Promise<BenchResult[]> {
  const chromiumPath = buildAndFindChromium();

  const dataDir = mkdtempSync(join(tmpdir(), 'rolesmith-bench-wizard-'));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const server = await startSandboxServer(port, dataDir);
  const browser = await launchBenchChromium(chromiumPath);
  try {
    const signedIn = await signInAs(browser, baseURL, alice);
    const storageState = join(dataDir, 'alice.json');
    await signedIn.storageState({ path: storageState });
    await signedIn.close();

    // A warm-up load: the server renders each route once before the measured loads.
    await firstLoadJsKb(browser, baseURL, storageState);
    const loads: number[] = [];
    for (let index = 0; index < LOADS; index += 1)
      loads.push(await firstLoadJsKb(browser, baseURL, storageState));

    const context = await browser.newContext({
      baseURL,
      storageState,
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    await openTemplatePolicy(page);
    const search = await searchToPaint(page);
    const validate = await validateToMarkers(page);
    await context.close();

    console.log(`first-load JS (kB): ${loads.map((kb) => kb.toFixed(1)).join(', ')}`);
    console.log(`search → paint (ms): ${search.map((ms) => ms.toFixed(1)).join(', ')}`);
    console.log(`keystroke → markers (ms): ${validate.map((ms) => ms.toFixed(0)).join(', ')}`);
    return [
      {
        id: 'wizard.first_load_js_kb',
        value: Math.round(median(loads) * 10) / 10,
        unit: 'kB',
        goal: '<= 200',
        runs: loads.length,
      },
      {
        id: 'wizard.search_to_paint_median_ms',
        value: Math.round(median(search) * 10) / 10,
        unit: 'ms',
        goal: '<= 100',
        runs: search.length,
      },
      {
        id: 'wizard.validate_to_markers_median_ms',
        value: Math.round(median(validate)),
        unit: 'ms',
        goal: '<= 300',
        runs: validate.length,
      },
    ];
  } finally {
    await browser.close();
    await stopSandboxServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
