// The totals of `npm test`, computed from the stages' exit statuses and the runners' own JSON
// reports (Vitest's `json` reporter, Playwright's `json` reporter). A pure function, so that
// scripts/test-summary.test.ts can feed it real reports of tests that fail, break and skip.
//
// The rules, so that the totals line never reads better than the run was:
// - A test counts as skipped only when it was skipped by a named condition: in Vitest through
//   `skipWhen` (lib/testing/skip.ts, which records the reason in the test's meta), in Playwright
//   through `test.skip(condition, description)` or `test.fixme(…, description)`. Every skipped test
//   is listed with its reason. Any other test that did not run is counted as failed: one in a file
//   or suite whose hook failed, one skipped with no reason (`it.skip`, `it.todo`, `.only` elsewhere),
//   a Playwright test left out because a project it depends on failed.
// - A Vitest file that failed without a failed test to show for it (it could not be imported, or a
//   hook after its tests failed) counts as one failure.
// - A stage that exited non-zero without any failure counted from its report (no report, an
//   unhandled error, a crash) counts as one failure; a failed lint or typecheck stage as one.

/** The kinds of stage `npm test` runs. */
export const stageKinds = /** @type {const} */ (['lint', 'typecheck', 'vitest', 'playwright']);

/**
 * @typedef {{ kind: (typeof stageKinds)[number], name: string, status: number, seconds?: string }} Stage
 * @typedef {{ name: string, reason: string }} Skip
 * @typedef {{
 *   passed: number,
 *   failed: number,
 *   skipped: number,
 *   failures: string[],
 *   skips: Skip[],
 *   passedOnRetry: string[],
 *   line: string,
 * }} Summary
 */

function firstLine(text) {
  return String(text ?? '')
    .trim()
    .split('\n')[0]
    .trim();
}

function relativeTo(root, file) {
  return root && file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
}

/** Adds Vitest's report (`json` reporter) to `totals`; returns the failures it counted. */
function addVitest(totals, report, root) {
  let failures = 0;
  const fail = (what) => {
    totals.failed += 1;
    totals.failures.push(`vitest: ${what}`);
    failures += 1;
  };
  for (const file of report.testResults ?? []) {
    const path = relativeTo(root, file.name);
    const fileFailed = file.status === 'failed';
    // A file's own error (a hook at its top, an import) is its message; a suite's is not reported.
    const fileError = firstLine(file.message);
    const notRun = fileError
      ? `did not run: ${fileError}`
      : fileFailed
        ? 'did not run: a hook of its suite failed, or it was skipped without a reason'
        : 'skipped without a reason: use skipWhen';
    let failedHere = 0;
    for (const test of file.assertionResults ?? []) {
      const name = `${path} › ${test.fullName}`;
      if (test.status === 'passed') totals.passed += 1;
      else if (test.status === 'failed') {
        fail(name);
        failedHere += 1;
      } else if (test.meta?.skipReason) {
        totals.skipped += 1;
        totals.skips.push({ name: `vitest: ${name}`, reason: test.meta.skipReason });
      } else {
        fail(`${name} (${notRun})`);
        failedHere += 1;
      }
    }
    if (fileFailed && failedHere === 0) {
      const tests = (file.assertionResults ?? []).length;
      fail(
        `${path} (${tests === 0 ? 'could not run' : 'failed after its tests'}: ${fileError || 'no message'})`,
      );
    }
  }
  return failures;
}

function skipReason(test) {
  const annotations = [
    ...(test.annotations ?? []),
    ...(test.results ?? []).flatMap((r) => r.annotations ?? []),
  ];
  const skip = annotations.find((a) => (a.type === 'skip' || a.type === 'fixme') && a.description);
  return skip?.description;
}

/** Adds Playwright's report (`json` reporter) to `totals`; returns the failures it counted. */
function addPlaywright(totals, report) {
  let failures = 0;
  const fail = (what) => {
    totals.failed += 1;
    totals.failures.push(`playwright: ${what}`);
    failures += 1;
  };
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const name = `[${test.projectName}] ${[...titles, spec.title].filter(Boolean).join(' › ')}`;
        if (test.status === 'expected') totals.passed += 1;
        else if (test.status === 'flaky') {
          totals.passed += 1;
          totals.passedOnRetry.push(`playwright: ${name}`);
        } else if (test.status === 'skipped') {
          const reason = skipReason(test);
          if (reason) {
            totals.skipped += 1;
            totals.skips.push({ name: `playwright: ${name}`, reason });
          } else fail(`${name} (did not run, or skipped without a reason)`);
        } else fail(name);
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  // The top-level suites are the files, named by their paths.
  for (const suite of report.suites ?? []) walk(suite, [suite.title]);
  for (const error of report.errors ?? []) fail(firstLine(error.message ?? 'error'));
  return failures;
}

/**
 * Totals of a run: `stages` with their exit statuses, and the reports the runners wrote (`null`
 * when a runner wrote none). `root` shortens file paths in the lists.
 *
 * @param {{ stages: Stage[], vitest?: object | null, playwright?: object | null, root?: string }} run
 * @returns {Summary}
 */
export function summarize({ stages, vitest = null, playwright = null, root = '' }) {
  const totals = { passed: 0, failed: 0, skipped: 0, failures: [], skips: [], passedOnRetry: [] };
  for (const stage of stages) {
    const report = stage.kind === 'vitest' ? vitest : stage.kind === 'playwright' ? playwright : null;
    let counted = 0;
    if (report && stage.kind === 'vitest') counted = addVitest(totals, report, root);
    if (report && stage.kind === 'playwright') counted = addPlaywright(totals, report);
    if (stage.status !== 0 && counted === 0) {
      totals.failed += 1;
      const why =
        stage.kind === 'lint' || stage.kind === 'typecheck'
          ? ''
          : report
            ? ', though its report names no failed test'
            : ', with no report';
      totals.failures.push(`${stage.name} stage (exit ${stage.status}${why})`);
    } else if (stage.status === 0 && !report && (stage.kind === 'vitest' || stage.kind === 'playwright')) {
      totals.failed += 1;
      totals.failures.push(`${stage.name} stage (no report)`);
    }
  }
  const line = `${totals.passed} passed, ${totals.failed} failed${totals.skipped > 0 ? `, ${totals.skipped} skipped` : ''}`;
  return { ...totals, line };
}

/** The summary as printed: stages, passed on retry, skipped with reasons, failures, the totals line. */
export function formatSummary(stages, summary) {
  return [
    ...stages.map(
      (s) =>
        `${s.status === 0 ? 'ok    ' : 'FAILED'} ${s.name}${s.seconds === undefined ? '' : ` (${s.seconds}s)`}`,
    ),
    ...summary.passedOnRetry.map((name) => `passed on retry: ${name}`),
    ...summary.skips.map(({ name, reason }) => `skipped: ${name} (${reason})`),
    ...summary.failures.map((name) => `failed: ${name}`),
    summary.line,
  ].join('\n');
}
