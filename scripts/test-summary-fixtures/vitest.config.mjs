import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Only for scripts/test-summary.test.ts: the fixture files, with short hook timeouts.
export default defineConfig({
  root: fileURLToPath(new URL('./', import.meta.url)),
  test: {
    include: ['vitest/*.fixture.ts'],
    environment: 'node',
    hookTimeout: 2_000,
    testTimeout: 5_000,
    pool: 'forks',
  },
});
