import { defineConfig } from '@playwright/test';

// Only for scripts/test-summary.test.ts: tests that need no browser, one retry (for a flaky test),
// and a project that depends on a failing one.
export default defineConfig({
  testDir: './playwright',
  outputDir: '../../test-results/test-summary-fixtures',
  retries: 1,
  workers: 1,
  reporter: [['json']],
  projects: [
    { name: 'outcomes', testMatch: /outcomes\.fixture\.ts/ },
    { name: 'broken-setup', testMatch: /broken\.setup\.ts/ },
    { name: 'needs-setup', testMatch: /needs-setup\.fixture\.ts/, dependencies: ['broken-setup'] },
  ],
});
