import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSummary, summarize } from './test-summary.mjs';

type Stage = Parameters<typeof summarize>[0]['stages'][number];

// The summary code fed real reports: Vitest and Playwright run on the fixture files in
// scripts/test-summary-fixtures (which pass, fail, skip and break on purpose), so that these tests
// follow the runners' report formats as they change.

const root = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(root, 'scripts', 'test-summary-fixtures');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const out = mkdtempSync(path.join(os.tmpdir(), 'rolesmith-test-summary-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

type Report = Record<string, unknown>;
let vitest: Report;
let playwright: Report;

function run(command: string, args: string[], env: Record<string, string> = {}) {
  // Without this run's own Vitest variables, which would make the child think it is a worker.
  const childEnv = { ...process.env, ...env };
  for (const name of Object.keys(childEnv)) if (name.startsWith('VITEST')) delete childEnv[name];
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', env: childEnv });
  if (result.error) throw result.error;
  return result.status;
}

beforeAll(() => {
  const vitestJson = path.join(out, 'vitest.json');
  const vitestStatus = run(bin('vitest'), [
    'run',
    '--config',
    path.join(fixtures, 'vitest.config.mjs'),
    '--reporter=json',
    `--outputFile.json=${vitestJson}`,
  ]);
  expect(vitestStatus).toBe(1);
  vitest = JSON.parse(readFileSync(vitestJson, 'utf8')) as Report;

  const playwrightJson = path.join(out, 'playwright.json');
  const playwrightStatus = run(
    bin('playwright'),
    ['test', '--config', path.join(fixtures, 'playwright.config.ts')],
    {
      PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
    },
  );
  expect(playwrightStatus).toBe(1);
  playwright = JSON.parse(readFileSync(playwrightJson, 'utf8')) as Report;
}, 120_000);

const okStages: Stage[] = [
  { kind: 'lint', name: 'lint', status: 0 },
  { kind: 'typecheck', name: 'typecheck', status: 0 },
  { kind: 'vitest', name: 'unit and integration tests', status: 0 },
  { kind: 'playwright', name: 'end-to-end tests', status: 0 },
];

/** The stages of a run in which the unit and end-to-end stages failed (exit 1), as with the fixtures. */
const failedRunStages = okStages.map((stage) =>
  stage.kind === 'vitest' || stage.kind === 'playwright' ? { ...stage, status: 1 } : stage,
);

/** The stages of a run in which only the unit stage failed. */
const failedUnitStages = okStages.map((stage) => (stage.kind === 'vitest' ? { ...stage, status: 1 } : stage));

describe('summarize, on a real Vitest report', () => {
  const summary = () =>
    summarize({ stages: failedUnitStages, vitest, playwright: { suites: [] }, root: fixtures });

  it('counts a file whose beforeAll throws as failed, with each of its tests', () => {
    expect(summary().failures).toEqual(
      expect.arrayContaining([
        'vitest: vitest/before-all-throws.fixture.ts › would pass (did not run: the fixture could not be set up)',
        'vitest: vitest/before-all-throws.fixture.ts › would pass as well (did not run: the fixture could not be set up)',
      ]),
    );
  });

  it('counts the tests of a suite whose beforeAll throws as failed, and the rest of the file as it went', () => {
    const { failures } = summary();
    expect(failures).toContain(
      'vitest: vitest/suite-hook-throws.fixture.ts › a suite whose beforeAll throws would pass (did not run: a hook of its suite failed, or it was skipped without a reason)',
    );
    expect(failures.filter((name) => name.includes('passes outside the broken suite'))).toEqual([]);
  });

  it('counts a file that fails to import as one failure', () => {
    expect(summary().failures.filter((name) => name.includes('import-fails'))).toEqual([
      expect.stringMatching(
        /^vitest: vitest\/import-fails\.fixture\.ts \(could not run: Cannot find module .*no-such-module\.js/,
      ),
    ]);
  });

  it('counts the tests of a file whose server never starts as failed (issue 11: they were "skipped")', () => {
    expect(summary().failures.filter((name) => name.includes('server-never-starts'))).toEqual([
      'vitest: vitest/server-never-starts.fixture.ts › queries the server (did not run: Hook timed out in 2000ms.)',
      'vitest: vitest/server-never-starts.fixture.ts › queries it again (did not run: Hook timed out in 2000ms.)',
    ]);
  });

  it('lists each test skipped by skipWhen with its reason, and counts one skipped without a reason as failed', () => {
    const { skips, failures } = summary();
    expect(skips).toEqual([
      {
        name: 'vitest: vitest/outcomes.fixture.ts › is skipped by a named condition',
        reason: 'the fixture always skips this one',
      },
      {
        name: 'vitest: vitest/outcomes.fixture.ts › a suite skipped in beforeEach is skipped too',
        reason: 'the whole suite needs something missing',
      },
    ]);
    expect(failures).toContain(
      'vitest: vitest/outcomes.fixture.ts › is skipped with no reason (did not run: a hook of its suite failed, or it was skipped without a reason)',
    );
  });

  it('adds up: 2 passed; 1 failed, 5 that did not run, 1 skipped without a reason, 1 file; 2 skipped', () => {
    expect(summary().line).toBe('2 passed, 8 failed, 2 skipped');
  });
});

/** The stages of a run in which only the end-to-end stage failed. */
const failedEndToEndStages = okStages.map((stage) =>
  stage.kind === 'playwright' ? { ...stage, status: 1 } : stage,
);

describe('summarize, on a real Playwright report', () => {
  const summary = () => summarize({ stages: failedEndToEndStages, vitest: { testResults: [] }, playwright });

  it('counts failures, a flaky test as passed on retry, and skips by their reasons', () => {
    const { failures, passedOnRetry, skips, line } = summary();
    const file = 'outcomes.fixture.ts';
    expect(passedOnRetry).toEqual([`playwright: [outcomes] ${file} › passes on retry`]);
    expect(skips).toEqual([
      {
        name: `playwright: [outcomes] ${file} › is skipped by a named condition`,
        reason: 'the fixture always skips this one',
      },
    ]);
    expect(failures).toEqual([
      `playwright: [outcomes] ${file} › fails`,
      `playwright: [outcomes] ${file} › is skipped with no reason (did not run, or skipped without a reason)`,
      `playwright: [outcomes] ${file} › a suite whose beforeAll throws › would pass`,
      `playwright: [outcomes] ${file} › a suite whose beforeAll throws › would pass as well (did not run, or skipped without a reason)`,
      'playwright: [broken-setup] broken.setup.ts › signs in, and fails',
      // Left out because the project it depends on failed: not run, so not passed nor skipped.
      'playwright: [needs-setup] needs-setup.fixture.ts › needs the setup project (did not run, or skipped without a reason)',
    ]);
    expect(line).toBe('2 passed, 6 failed, 1 skipped');
  });

  it('counts a run-level error (a web server that did not start, say) as a failure', () => {
    const report = {
      suites: [],
      errors: [{ message: 'Error: Timed out waiting 240000ms from config.webServer.\n…' }],
    };
    expect(
      summarize({ stages: failedEndToEndStages, vitest: { testResults: [] }, playwright: report }).failures,
    ).toEqual(['playwright: Error: Timed out waiting 240000ms from config.webServer.']);
  });
});

describe('summarize, stages', () => {
  it('counts a failed lint or typecheck stage as one failure each', () => {
    const stages = okStages.map((stage) =>
      stage.kind === 'lint' || stage.kind === 'typecheck' ? { ...stage, status: 2 } : stage,
    );
    const summary = summarize({ stages, vitest: { testResults: [] }, playwright: { suites: [] } });
    expect(summary.failures).toEqual(['lint stage (exit 2)', 'typecheck stage (exit 2)']);
    expect(summary.line).toBe('0 passed, 2 failed');
  });

  it('counts a runner that failed without a failed test in its report, or wrote none, as one failure', () => {
    const summary = summarize({ stages: failedRunStages, vitest: { testResults: [] }, playwright: null });
    expect(summary.failures).toEqual([
      'unit and integration tests stage (exit 1, though its report names no failed test)',
      'end-to-end tests stage (exit 1, with no report)',
    ]);
  });

  it('counts a runner that exited 0 but wrote no report as a failure', () => {
    expect(summarize({ stages: okStages, vitest: { testResults: [] }, playwright: null }).failures).toEqual([
      'end-to-end tests stage (no report)',
    ]);
  });

  it('prints the stages, the skipped tests with their reasons, the failures and the totals line last', () => {
    const stages = failedRunStages.map((stage) => ({ ...stage, seconds: '1.0' }));
    const text = formatSummary(stages, summarize({ stages, vitest, playwright, root: fixtures }));
    const lines = text.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'ok     lint (1.0s)',
      'ok     typecheck (1.0s)',
      'FAILED unit and integration tests (1.0s)',
      'FAILED end-to-end tests (1.0s)',
    ]);
    expect(lines).toContain(
      'skipped: vitest: vitest/outcomes.fixture.ts › is skipped by a named condition (the fixture always skips this one)',
    );
    expect(lines.at(-1)).toBe('4 passed, 14 failed, 3 skipped');
  });
});
