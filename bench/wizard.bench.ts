/**
 * Benchmarks of the wizard's server side (issue 12):
 * - `wizard.validate_route_median_ms`: server time of `POST /api/iam/validate` (the exported route
 *   handler, called in a Next request scope as a signed-in person: session check, read limit,
 *   body, validator, risk flags) for an identity policy of about 2 KB, median of 50 after warm-up.
 *   No goal of its own; the browser-side figure `wizard.validate_to_markers_median_ms` (≤ 300,
 *   debounce included) is what the person feels.
 * - `wizard.preview_typical_median_ms` (goal ≤ 150): `previewWizard` (what `POST /api/wizard/preview`
 *   runs) for a typical state (an AWS account trusted with MFA, one AWS managed policy read from the
 *   account through the emulator over HTTP, one inline policy with a misspelt action), median of 20
 *   after one warm-up that also fills the account-read cache. Moved here from the unit test
 *   `lib/wizard/preview.test.ts`, which asserted it against the clock.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AccountIam } from '../lib/wizard/account-reads';
import type { WizardState } from '../lib/wizard/state';
import { median, type BenchResult } from './types';

// Next's request scope needs AsyncLocalStorage on globalThis before Next loads.
(globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= AsyncLocalStorage;

const RUNS = 50;
const PREVIEW_RUNS = 20;
const PRODUCTION = '444455556666';

/** An identity policy of about 2 KB: a few typical statements. */
function policyOfAbout2Kb(): string {
  const statements: Record<string, unknown>[] = [];
  for (let n = 0; JSON.stringify({ Version: '2012-10-17', Statement: statements }).length < 2000; n += 1) {
    statements.push(
      n % 3 === 0
        ? { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::data-${n}/*` }
        : n % 3 === 1
          ? {
              Effect: 'Allow',
              Action: ['lambda:InvokeFunction', 'lambda:UpdateFunctionCode'],
              Resource: `arn:aws:lambda:eu-west-1:444455556666:function:app-${n}`,
            }
          : {
              Effect: 'Allow',
              Action: 'dynamodb:Query',
              Resource: `arn:aws:dynamodb:eu-west-1:444455556666:table/t${n}`,
              Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
            },
    );
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

/** The wizard preview of a typical state, against the emulator over HTTP (the database is set). */
async function measurePreview(): Promise<BenchResult> {
  const { seedSandboxData } = await import('../lib/accounts/seed');
  const { createAccountClients } = await import('../lib/aws/account-clients');
  const { startHarness } = await import('../lib/sandbox/test-harness');
  const { previewWizard } = await import('../lib/wizard/preview');
  const { forgetCachedReads } = await import('../lib/wizard/read-cache');
  const { emptyWizardState } = await import('../lib/wizard/state');
  await seedSandboxData();
  const harness = await startHarness();
  try {
    const accountIam: AccountIam = (account) => {
      const keys = harness.server.emulator.describe().accounts.find((item) => item.id === account.id);
      if (!keys) throw new Error(`no sandbox account ${account.id}`);
      return Promise.resolve(
        createAccountClients(account.id, {
          endpoint: harness.server.endpoint,
          region: 'us-east-1',
          credentials: keys.provisioner,
          maxAttempts: 1,
        }).iam,
      );
    };
    forgetCachedReads();
    const lambda = JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['lambda:ListFunctions', 'lambda:InvokeFunktion'], Resource: '*' },
        ],
      },
      null,
      4,
    );
    const typical: WizardState = {
      ...emptyWizardState(PRODUCTION),
      awsAccount: {
        which: 'other',
        accountId: '111122223333',
        requireExternalId: false,
        externalId: '',
        requireMfa: true,
      },
      name: 'LambdaDev',
      justification: 'x',
      managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      customPolicies: [
        { id: 'p1', kind: 'inline', name: 'Lambda', description: '', document: lambda, editor: 'json' },
      ],
    };
    const once = async (): Promise<number> => {
      const started = performance.now();
      const result = await previewWizard({ state: typical }, { accountIam });
      const elapsed = performance.now() - started;
      if (!result.ok) throw new Error(`the preview failed: ${result.message}`);
      return elapsed;
    };
    await once();
    const times: number[] = [];
    for (let i = 0; i < PREVIEW_RUNS; i += 1) times.push(await once());
    return {
      id: 'wizard.preview_typical_median_ms',
      value: median(times),
      unit: 'ms',
      goal: '<= 150',
      runs: PREVIEW_RUNS,
    };
  } finally {
    await harness.close();
  }
}

async function measure(): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rolesmith-bench-wizard-'));
  process.env.ROLESMITH_MODE = 'sandbox';
  process.env.ROLESMITH_DATA_DIR = dataDir;
  process.env.AUTH_SECRET = 'bench-wizard-secret-'.padEnd(48, 'x');
  const { encode } = await import('next-auth/jwt');
  const { openPglite, setDbForTests } = await import('../lib/db/client');
  const { migrateToLatest } = await import('../lib/db/migrate');
  const { seedSandboxPeopleInto } = await import('../lib/auth/users');
  const { startSession } = await import('../lib/auth/server-sessions');
  const { resetEnvForTests } = await import('../lib/env');
  const { inRequest } = await import('../lib/testing/next-request');
  const { POST } = await import('../app/api/iam/validate/route');
  resetEnvForTests();
  const opened = await openPglite(null);
  const restore = setDbForTests(opened.db);
  try {
    await migrateToLatest(opened.db);
    await seedSandboxPeopleInto(opened.db);
    const sid = await startSession(opened.db, 'demo-alice');
    const token = await encode({
      token: { sub: 'demo-alice', signedInAt: Math.floor(Date.now() / 1000), sid },
      secret: process.env.AUTH_SECRET,
      salt: 'authjs.session-token',
    });
    const headers = new Headers({
      host: 'localhost:3000',
      origin: 'http://localhost:3000',
      cookie: `authjs.session-token=${token}`,
    });
    const body = JSON.stringify({
      kind: 'identity',
      document: policyOfAbout2Kb(),
      accountId: PRODUCTION,
    });
    const once = async (): Promise<number> => {
      const request = new Request('http://localhost:3000/api/iam/validate', {
        method: 'POST',
        headers,
        body,
      });
      const started = performance.now();
      const response = await inRequest(headers, () => POST(request));
      await response.text();
      const elapsed = performance.now() - started;
      if (response.status !== 200) throw new Error(`validate answered ${response.status}`);
      return elapsed;
    };
    for (let i = 0; i < 5; i += 1) await once();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i += 1) times.push(await once());
    return [
      { id: 'wizard.validate_route_median_ms', value: median(times), unit: 'ms', goal: null, runs: RUNS },
      await measurePreview(),
    ];
  } finally {
    restore();
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * `npm run bench` runs benchmark files with the react-server condition, under which Next's
 * navigation module (imported by the session guard) cannot load outside Next; the measurement
 * runs in a child process without it, `server-only` resolved to an empty module as in Vitest.
 */
export default function run(): Promise<BenchResult[]> {
  const out = join(mkdtempSync(join(tmpdir(), 'rolesmith-bench-wizard-out-')), 'results.json');
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx/esm',
      '--import',
      join(import.meta.dirname, 'support', 'server-only-hook.mjs'),
      import.meta.filename,
      out,
    ],
    {
      cwd: join(import.meta.dirname, '..'),
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    },
  );
  if (child.status !== 0) throw new Error(`the wizard benchmark exited with ${child.status}`);
  const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResult[];
  rmSync(dirname(out), { recursive: true, force: true });
  return Promise.resolve(results);
}

// The child: measure and write the results where the parent asked.
if (process.argv[1] === import.meta.filename && process.argv[2]) {
  writeFileSync(process.argv[2], JSON.stringify(await measure()));
}
