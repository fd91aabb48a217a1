import type { TestContext } from 'vitest';

declare module '@vitest/runner' {
  interface TaskMeta {
    /** Why the test was skipped: set by `skipWhen`, listed by the test summary. */
    skipReason?: string;
  }
}

/**
 * Skips the running test when `condition` holds, recording `reason` where the test summary
 * (`scripts/test-summary.mjs`) finds it. This is the one way a test may be skipped: the summary
 * counts any other skipped test (`it.skip`, `it.skipIf`, `it.todo`, or a test that did not run
 * because a hook failed) as failed. Call it first in the test, or in `beforeEach` for a suite.
 */
export function skipWhen(context: TestContext, condition: boolean, reason: string): void {
  if (!condition) return;
  context.task.meta.skipReason = reason;
  context.skip(reason);
}
