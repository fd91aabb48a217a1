import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./', import.meta.url)),
      // `server-only` throws outside Next's server build; tests run server code directly.
      'server-only': fileURLToPath(new URL('./lib/testing/empty-module.ts', import.meta.url)),
    },
  },
  test: {
    include: [
      'lib/**/*.test.ts',
      'scripts/**/*.test.ts',
      'app/**/*.test.ts',
      'bin/**/*.test.ts',
      'components/**/*.test.{ts,tsx}',
    ],
    // Files that fail and break on purpose, run only by scripts/test-summary.test.ts.
    exclude: [...configDefaults.exclude, 'scripts/test-summary-fixtures/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One test file per core. Vitest's default leaves a core to its main process (cores - 1), which
    // on CI's two cores ran the files one at a time; the main process only collects results, and
    // most files wait on PGlite, the emulator's HTTP or child processes, not on the CPU.
    maxWorkers: availableParallelism(),
  },
});
