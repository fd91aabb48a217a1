// `npm test`: everything a change must pass, in one run that reports everything.
// Stages: lint, typecheck, unit + integration (Vitest), end to end (Playwright against the
// production build). Every stage runs even when an earlier one failed. The last line is the total:
// `N passed, N failed` (`, N skipped` when any were skipped), also written to test-results/summary.txt.
// A test that did not run counts as failed; only tests skipped by a named condition count as skipped,
// each listed with its reason (scripts/test-summary.mjs).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIfNeeded, root } from './build-if-needed.mjs';
import { findChromium } from './chromium.mjs';
import { formatSummary, summarize } from './test-summary.mjs';

const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });
const vitestJson = join(results, 'vitest.json');
const playwrightJson = join(results, 'playwright.json');
rmSync(vitestJson, { force: true });
rmSync(playwrightJson, { force: true });

const bin = (name) => join(root, 'node_modules', '.bin', name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const stages = [];

/** Runs one stage; `kind` tells the summary which report is its. */
function stage(kind, name, run) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const status = run();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  stages.push({ kind, name, status, seconds });
  console.log(`=== ${name}: ${status === 0 ? 'ok' : `failed (exit ${status})`} in ${seconds}s ===`);
}

const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;

stage('lint', 'lint', () => run(bin('eslint'), ['.']));
stage('typecheck', 'typecheck', () => run(bin('tsc'), ['--noEmit']));
stage('vitest', 'unit and integration tests', () =>
  run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]),
);
stage('playwright', 'end-to-end tests', () => {
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

// Totals from the stages' statuses and the runners' own reports (rules in test-summary.mjs).
const readReport = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);
const summary = summarize({
  stages,
  vitest: readReport(vitestJson),
  playwright: readReport(playwrightJson),
  root,
});

console.log('\n=== summary ===');
console.log(formatSummary(stages, summary));
writeFileSync(join(results, 'summary.txt'), `${summary.line}\n`);
process.exit(summary.failed > 0 || summary.passed === 0 || stages.some((s) => s.status !== 0) ? 1 : 0);
