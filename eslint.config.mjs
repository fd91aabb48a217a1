import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';
import tseslint from 'typescript-eslint';

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  {
    files: ['**/*.{ts,tsx,mts}'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // @cloud-copilot/iam-simulate is AGPL: a test-only oracle, never imported by shipped code.
    files: ['**/*.{ts,tsx,mts,mjs,js}'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@cloud-copilot/iam-simulate', message: 'AGPL: import it only from *.test.ts files.' },
          ],
        },
      ],
    },
  },
  {
    // Issue 5: no SQL outside lib/db. Query functions live in lib/db/queries and return domain types.
    files: [
      'lib/**/*.{ts,tsx}',
      'app/**/*.{ts,tsx}',
      'components/**/*.{ts,tsx}',
      'proxy.ts',
      'instrumentation.ts',
    ],
    ignores: ['lib/db/**', 'lib/testing/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@cloud-copilot/iam-simulate', message: 'AGPL: import it only from *.test.ts files.' },
            { name: 'kysely', message: 'No SQL outside lib/db: add a query function to lib/db/queries.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|selectNoFrom|mergeInto|transaction)$/]',
          message:
            'No SQL outside lib/db: add a query function to lib/db/queries (transactions: lib/db/transaction).',
        },
        {
          selector: "TaggedTemplateExpression[tag.name='sql']",
          message: 'No SQL outside lib/db: add a query function to lib/db/queries.',
        },
      ],
    },
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  globalIgnores([
    '.next/**',
    'out/**',
    'build/**',
    'next-env.d.ts',
    '.data/**',
    'test-results/**',
    'playwright-report/**',
    'node_modules/**',
  ]),
]);
