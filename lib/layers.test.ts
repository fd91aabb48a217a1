import path from 'node:path';

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lint refuses an import cycle and a layer breach: ESLint's Node API with the project's own
// eslint.config.mjs, over fixture files that break each rule on purpose (`lint-fixtures/` folders,
// which the normal lint run ignores; `ignore: false` lints them here).
const root = path.resolve(import.meta.dirname, '..');
const fixtures = {
  cycleA: 'lib/requests/lint-fixtures/cycle-a.ts',
  cycleB: 'lib/requests/lint-fixtures/cycle-b.ts',
  layerBreach: 'lib/iam/lint-fixtures/layer-breach.ts',
  upwardImport: 'lib/provisioning/lint-fixtures/imports-requests.ts',
};

describe('lint enforces the layers', () => {
  it('reports the cycle in both files and each layer breach, and nothing else', async () => {
    const eslint = new ESLint({ cwd: root, ignore: false });
    const results = await eslint.lintFiles(Object.values(fixtures));
    const errors = Object.fromEntries(
      results.map((result) => [
        path.relative(root, result.filePath),
        result.messages.map((message) => ({
          rule: message.ruleId,
          severity: message.severity,
          text: message.message,
        })),
      ]),
    );
    expect(errors).toEqual({
      [fixtures.cycleA]: [
        { rule: 'import/no-cycle', severity: 2, text: expect.stringContaining('cycle') as string },
      ],
      [fixtures.cycleB]: [
        { rule: 'import/no-cycle', severity: 2, text: expect.stringContaining('cycle') as string },
      ],
      [fixtures.layerBreach]: [
        {
          rule: '@typescript-eslint/no-restricted-imports',
          severity: 2,
          text: expect.stringContaining("'@/lib/db/client'") as string,
        },
      ],
      [fixtures.upwardImport]: [
        {
          rule: '@typescript-eslint/no-restricted-imports',
          severity: 2,
          text: expect.stringContaining('lib/provisioning does not import lib/requests') as string,
        },
      ],
    });
  }, 180_000);

  it('ignores the fixtures in the normal lint run', async () => {
    const eslint = new ESLint({ cwd: root });
    expect(await eslint.isPathIgnored(fixtures.cycleA)).toBe(true);
    expect(await eslint.isPathIgnored(fixtures.layerBreach)).toBe(true);
  });
});
