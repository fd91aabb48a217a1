import { createRequire } from 'node:module';
import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';
import tseslint from 'typescript-eslint';

const require = createRequire(import.meta.url);

/** Type-only imports stay allowed where a layer may not import another's values. */
const noValuesFrom = (areas, message) =>
  areas.map((area) => ({ group: [`@/lib/${area}`, `@/lib/${area}/**`], allowTypeImports: true, message }));

const uiLayer = 'app/ and components/ read data through lib functions (DESIGN.md, "Layers")';

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
    // Issue 11: no import cycle anywhere. eslint-config-next registers the plugin; the TypeScript
    // resolver reads tsconfig.json, so `@/` paths resolve (an unresolved import is no edge at all).
    // Type-only imports are no edge (they vanish at compile time), dynamic `import()` is one. Tests
    // are left out: nothing imports a test, so no cycle runs through one, and walking each test's
    // dependencies again is most of the rule's cost.
    files: ['**/*.{ts,tsx,mts,mjs,js}'],
    ignores: ['**/*.test.ts', '**/*.spec.ts'],
    settings: {
      'import/resolver': {
        [require.resolve('eslint-import-resolver-typescript')]: {
          alwaysTryTypes: true,
          project: `${import.meta.dirname}/tsconfig.json`,
        },
        [require.resolve('eslint-import-resolver-node')]: { extensions: ['.js', '.jsx', '.ts', '.tsx'] },
      },
      // Packages are no part of a cycle of ours: not parsed (some bundles overflow the parser's stack).
      'import/ignore': ['node_modules'],
    },
    rules: {
      'import/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Layers (DESIGN.md): the UI reaches the database, AWS and the emulator only through lib functions.
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', 'app/sandbox/**', 'app/signin/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: noValuesFrom(['db', 'aws', 'sandbox'], uiLayer) },
      ],
    },
  },
  {
    // The sandbox's own pages and the demo sign-in (its people are the emulator's) may use lib/sandbox.
    files: ['app/sandbox/**/*.{ts,tsx}', 'app/signin/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: noValuesFrom(['db', 'aws'], uiLayer) },
      ],
    },
  },
  {
    // lib/iam is the pure domain: no other lib area, types included, except the shared leaf modules.
    files: ['lib/iam/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Any `@/` path but lib/iam's own modules and the two shared leaves; any parent folder.
              regex: '^(@/(?!lib/iam/|lib/result$|lib/package-dir$)|\\.\\./)',
              message: 'lib/iam imports no other lib area except lib/result.ts and lib/package-dir.ts',
            },
          ],
        },
      ],
    },
  },
  {
    // Provisioning is the layer below the request workflow: it owns the interface it needs from it
    // (`ProvisioningRequests`), which is supplied when a worker starts, and imports nothing of it.
    files: ['lib/provisioning/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/lib/requests', '@/lib/requests/**'],
              message:
                'lib/provisioning does not import lib/requests: declare what it needs and have it supplied',
            },
          ],
        },
      ],
    },
  },
  {
    // lib/db sits below the domain: it may name their types (what its queries return), never call them.
    files: ['lib/db/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: noValuesFrom(
            ['iam', 'requests', 'provisioning', 'auth', 'accounts', 'aws', 'sandbox', 'cli', 'testing'],
            'lib/db imports only types from the layers above it',
          ),
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
    // Files that break the rules on purpose, linted by lib/layers.test.ts.
    '**/lint-fixtures/**',
  ]),
]);
