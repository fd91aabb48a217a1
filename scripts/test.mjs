// `npm test`: everything a change must pass, in one run that reports everything.
// Stages: lint, typecheck, unit + integration (Vitest), end to end (Playwright against the
// production build). Every stage runs even when an earlier one failed. The last line is the total:
// `N passed, N failed` (`, N skipped` when any were skipped), also written to test-results/summary.txt.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIfNeeded, root } from './build-if-needed.mjs';
import { findChromium } from './chromium.mjs';

const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });
const vitestJson = join(results, 'vitest.json');
const playwrightJson = join(results, 'playwright.json');
rmSync(vitestJson, { force: true });
rmSync(playwrightJson, { force: true });

const bin = (name) => join(root, 'node_modules', '.bin', name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const stages = [];

function stage(name, run) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const status = run();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  stages.push({ name, ok: status === 0, seconds });
  console.log(`=== ${name}: ${status === 0 ? 'ok' : `failed (exit ${status})`} in ${seconds}s ===`);
}

const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;

stage('lint', () => run(bin('eslint'), ['.']));
stage('typecheck', () => run(bin('tsc'), ['--noEmit']));
stage('unit and integration tests', () =>
  run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]),
);
stage('end-to-end tests', () => {
  const chromium = findChromium({ install: true });
  if (!chromium.path) {
    console.error(`rolesmith: ${chromium.problem}`);
    return 1;
  }
  env.CHROMIUM_PATH = chromium.path;
  // Canary secrets: the build runs with them in its environment, and the end-to-end secret scan
  // (e2e/auth-aws.spec.ts) looks for every secret-looking variable of its environment in
  // .next/static, so a secret that leaked into the client bundle at build time would be found.
  const canary = () => `canary-${randomBytes(24).toString('hex')}`;
  Object.assign(process.env, {
    AUTH_SECRET: canary(),
    ROLESMITH_OIDC_CLIENT_SECRET: canary(),
    ROLESMITH_CANARY_AWS_SECRET_ACCESS_KEY: canary(),
  });
  Object.assign(env, process.env);
  const built = buildIfNeeded();
  if (built !== 0) return built;
  return run(bin('playwright'), ['test']);
});

// Totals from the runners' own reports.
let passed = 0;
let failed = 0;
let skipped = 0;
const passedOnRetry = [];
const failures = [];

for (const { name, ok } of stages) {
  if ((name === 'lint' || name === 'typecheck') && !ok) {
    failed += 1;
    failures.push(`${name} stage`);
  }
}

if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  for (const file of report.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (test.status === 'passed') {
        passed += 1;
        if ((test.retryCount ?? 0) > 0) passedOnRetry.push(`vitest: ${test.fullName}`);
      } else if (test.status === 'failed') {
        failed += 1;
        failures.push(`vitest: ${test.fullName}`);
      } else skipped += 1;
    }
    // A file that failed to load has no assertion results but must not pass silently.
    if ((file.assertionResults ?? []).length === 0 && file.status === 'failed') {
      failed += 1;
      failures.push(`vitest: ${file.name} (could not run)`);
    }
  }
} else if (!stages.find((s) => s.name === 'unit and integration tests')?.ok) {
  failed += 1;
  failures.push('unit and integration tests (no report)');
}

if (existsSync(playwrightJson)) {
  const report = JSON.parse(readFileSync(playwrightJson, 'utf8'));
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const title = [...titles, spec.title].filter(Boolean).join(' › ');
        if (test.status === 'expected') passed += 1;
        else if (test.status === 'flaky') {
          passed += 1;
          passedOnRetry.push(`playwright: [${test.projectName}] ${title}`);
        } else if (test.status === 'skipped') skipped += 1;
        else {
          failed += 1;
          failures.push(`playwright: [${test.projectName}] ${title}`);
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const suite of report.suites ?? []) walk(suite, []);
  for (const error of report.errors ?? []) {
    failed += 1;
    failures.push(`playwright: ${String(error.message ?? 'error').split('\n')[0]}`);
  }
} else if (!stages.find((s) => s.name === 'end-to-end tests')?.ok) {
  failed += 1;
  failures.push('end-to-end tests (no report)');
}

console.log('\n=== summary ===');
for (const { name, ok, seconds } of stages) console.log(`${ok ? 'ok    ' : 'FAILED'} ${name} (${seconds}s)`);
for (const name of passedOnRetry) console.log(`passed on retry: ${name}`);
for (const name of failures) console.log(`failed: ${name}`);
const line = `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
writeFileSync(join(results, 'summary.txt'), `${line}\n`);
console.log(line);
process.exit(failed > 0 || passed === 0 || stages.some((s) => !s.ok) ? 1 : 0);
