// Screenshots of every page as the demo person who would see it, for comparing the UI before and
// after a change, with an axe check of each page (serious and critical violations are listed).
//   node scripts/screens.mjs <base URL> <output folder>
// The portal must run in sandbox mode at <base URL>. Writes <name>.png per page and axe.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from '@playwright/test';
import { findChromium } from './chromium.mjs';

const [baseURL = 'http://127.0.0.1:3617', outDir = 'screens'] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });

/** [file name, path, demo person (null: signed out)] */
const pages = [
  ['signin', '/signin', null],
  ['home', '/', 'Alice Adams'],
  ['signin-signed-in', '/signin', 'Alice Adams'],
  [
    'sandbox-switchrole',
    '/sandbox/switchrole?account=444455556666&roleName=DemoReadOnly&displayName=Demo&color=99BCE3',
    'Alice Adams',
  ],
  ['roles', '/roles', 'Alice Adams'],
  ['roles-new', '/roles/new', 'Alice Adams'],
  ['requests', '/requests', 'Alice Adams'],
  ['approvals', '/approvals', 'Bob Brown'],
  ['admin', '/admin', 'Carol Chen'],
  ['access', '/access', 'Carol Chen'],
  ['accounts', '/accounts', 'Carol Chen'],
  ['account-edit', '/accounts/444455556666', 'Carol Chen'],
  ['guardrails', '/guardrails', 'Carol Chen'],
  ['audit', '/audit', 'Carol Chen'],
];

const executablePath = findChromium().path;
if (!executablePath) throw new Error('No Chromium found (set CHROMIUM_PATH)');
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
const contexts = new Map();

async function contextFor(person) {
  const key = person ?? '';
  if (contexts.has(key)) return contexts.get(key);
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  if (person) {
    const page = await context.newPage();
    await page.goto('/signin');
    await page.getByRole('button', { name: new RegExp(`^Sign in as ${person}`) }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.close();
  }
  contexts.set(key, context);
  return context;
}

const report = {};
for (const [name, path, person] of pages) {
  const context = await contextFor(person);
  const page = await context.newPage();
  const scripts = [];
  page.on('response', (res) => {
    if (res.request().resourceType() === 'script')
      scripts.push(
        res.body().then(
          (b) => b.length,
          () => 0,
        ),
      );
  });
  const response = await page.goto(path);
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });
  const axe = await new AxeBuilder({ page }).analyze();
  const jsBytes = (await Promise.all(scripts)).reduce((sum, n) => sum + n, 0);
  const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  report[name] = {
    path,
    person,
    status: response?.status(),
    jsKiB: Math.round(jsBytes / 1024),
    violations: axe.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })),
  };
  console.log(
    `${name.padEnd(20)} ${String(response?.status()).padEnd(4)} JS ${String(Math.round(jsBytes / 1024)).padStart(4)} KiB  axe: ${bad.length === 0 ? 'ok' : bad.map((v) => `${v.id}(${v.impact})`).join(', ')}`,
  );
  await page.close();
}
writeFileSync(join(outDir, 'axe.json'), JSON.stringify(report, null, 2));
await browser.close();
