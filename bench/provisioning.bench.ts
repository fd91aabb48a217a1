/**
 * `provisioning.overhead_ratio`: the portal's time to provision N roles (a worker claiming each
 * job with its lease, committing an intent before every IAM call, verifying the role, and moving
 * the request to `provisioned`; sandbox mode's on-disk PGlite) ÷ the time of exactly the same IAM
 * calls made directly with `@aws-sdk/client-iam` (same client settings) against the same standalone
 * emulator. Portal and direct batches alternate in one run (which goes first alternates too); the
 * figure is the median of the per-round ratios. Goal ≤ 1.25.
 *
 * `provisioning.extra_calls_per_role`: IAM calls counted at the emulator while the portal
 * provisions, minus P + 1 + M + I + 3 per role, per role (median over rounds). Goal == 0.
 *
 * Each role: 1 new customer managed policy, 2 AWS managed policies, 1 inline policy (10 calls).
 * The emulator runs in its own process (`rolesmith sandbox --port 0 --json`), as a remote IAM
 * would; the database is PGlite in a temporary folder, as in sandbox mode.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import type { Kysely } from 'kysely';
import { openPglite, openPostgres, setDbForTests } from '../lib/db/client';
import type { Database } from '../lib/db/schema';
import { migrateToLatest } from '../lib/db/migrate';
import { roleSpecSchema } from '../lib/iam/role-spec';
import { roleToProvision } from '../lib/provisioning/from-spec';
import {
  customerPolicyArn,
  expectedCreateCalls,
  planCreate,
  type ProvisioningStep,
} from '../lib/provisioning/plan';
import { requestBinding } from '../lib/provisioning/request-binding';
import {
  TARGET,
  connectToEmulator,
  roleSpec,
  seedTargetAccounts,
  submitAndApprove,
  type EmulatorDescription,
  type TestEmulator,
} from '../lib/provisioning/test-fixtures';
import { createProvisioningWorker } from '../lib/provisioning/worker';
import { startTestPostgres } from '../lib/testing/postgres';
import { median, type BenchResult } from './types';

const ROUNDS = 7;
const ROLES_PER_BATCH = 10;
const SHAPE = { newPolicies: 1, managed: 2, inline: 1 };

/** Starts `rolesmith sandbox --port 0 --json` in its own process and connects to it. */
async function startEmulatorProcess(dataDir: string): Promise<TestEmulator> {
  const root = join(import.meta.dirname, '..');
  const child = spawn(
    process.execPath,
    [
      '--conditions=react-server',
      '--import',
      'tsx/esm',
      join(root, 'lib/cli/main.ts'),
      'sandbox',
      '--port',
      '0',
      '--json',
      '--data',
      dataDir,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`rolesmith sandbox exited with ${code}`)));
  });
  const description = JSON.parse(line) as EmulatorDescription;
  return connectToEmulator(description, async () => {
    child.kill('SIGTERM');
    await exited;
  });
}

interface Measured {
  ratios: number[];
  extras: number[];
}

/** Alternating portal and direct batches with `db` as the portal's database. */
async function measure(label: string, db: Kysely<Database>, emulator: TestEmulator): Promise<Measured> {
  const restoreDb = setDbForTests(db);
  const direct = new IAMClient({
    region: 'us-east-1',
    endpoint: emulator.endpoint,
    credentials: emulator.provisionerKeys(TARGET),
    retryMode: 'adaptive',
    maxAttempts: 3,
  });
  try {
    await migrateToLatest(db);
    await seedTargetAccounts();
    const worker = createProvisioningWorker({
      db,
      requests: requestBinding,
      iamFor: (accountId) => Promise.resolve(emulator.iam(accountId)),
      workerId: 'bench',
    });

    async function portalBatch(round: number): Promise<{ ms: number; extraCallsPerRole: number }> {
      const specs = Array.from({ length: ROLES_PER_BATCH }, (_, i) =>
        roleSpec(`${label}-portal-${round}-${i}`, SHAPE),
      );
      for (const spec of specs) await submitAndApprove(emulator, spec);
      await emulator.resetCalls();
      const started = performance.now();
      while (await worker.runOnce());
      const ms = performance.now() - started;
      const calls = Object.values(await emulator.calls()).reduce((sum, count) => sum + count, 0);
      const expected = specs.reduce(
        (sum, spec) => sum + expectedCreateCalls(roleToProvision(roleSpecSchema.parse(spec))),
        0,
      );
      return { ms, extraCallsPerRole: (calls - expected) / ROLES_PER_BATCH };
    }

    async function directBatch(round: number): Promise<number> {
      // The same plan the portal runs, as plain SDK calls.
      const plans = Array.from({ length: ROLES_PER_BATCH }, (_, i) => {
        const role = roleToProvision(roleSpecSchema.parse(roleSpec(`${label}-direct-${round}-${i}`, SHAPE)));
        const plan = planCreate(role, `direct-${round}-${i}`);
        if (!plan.ok) throw new Error(plan.message);
        return plan.value;
      });
      const started = performance.now();
      for (const plan of plans) {
        for (const step of plan.steps) await sendDirect(direct, step);
      }
      return performance.now() - started;
    }

    // Warm-up: module loading, JIT, connection pools, the emulator's caches.
    await portalBatch(-1);
    await directBatch(-1);

    const ratios: number[] = [];
    const extras: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      let portal: { ms: number; extraCallsPerRole: number };
      let directMs: number;
      if (round % 2 === 0) {
        portal = await portalBatch(round);
        directMs = await directBatch(round);
      } else {
        directMs = await directBatch(round);
        portal = await portalBatch(round);
      }
      ratios.push(portal.ms / directMs);
      extras.push(portal.extraCallsPerRole);
      console.log(
        `${label} round ${round}: portal ${portal.ms.toFixed(1)} ms, direct ${directMs.toFixed(1)} ms for ${ROLES_PER_BATCH} roles ` +
          `(ratio ${(portal.ms / directMs).toFixed(3)}, extra calls/role ${portal.extraCallsPerRole})`,
      );
    }
    // The direct batches created what the plans said.
    const check = await emulator
      .iam()
      .getPolicy(customerPolicyArn(TARGET, '/', `${label}-direct-0-0-policy-0`));
    if (!check.ok) throw new Error('the direct batch did not create its policies');
    return { ratios, extras };
  } finally {
    direct.destroy();
    restoreDb();
  }
}

async function sendDirect(direct: IAMClient, step: ProvisioningStep): Promise<void> {
  switch (step.kind) {
    case 'create_policy':
      await direct.send(
        new CreatePolicyCommand({
          PolicyName: step.policy.name,
          Path: step.policy.path,
          PolicyDocument: step.policy.document,
          ...(step.policy.description ? { Description: step.policy.description } : {}),
          Tags: step.policy.tags.map((tag) => ({ Key: tag.key, Value: tag.value })),
        }),
      );
      return;
    case 'create_role':
      await direct.send(
        new CreateRoleCommand({
          RoleName: step.role.name,
          Path: step.role.path,
          AssumeRolePolicyDocument: step.role.trustPolicy,
          MaxSessionDuration: step.role.maxSessionDurationSeconds,
          ...(step.role.description ? { Description: step.role.description } : {}),
          Tags: step.role.tags.map((tag) => ({ Key: tag.key, Value: tag.value })),
        }),
      );
      return;
    case 'attach_policy':
      await direct.send(new AttachRolePolicyCommand({ RoleName: step.roleName, PolicyArn: step.policyArn }));
      return;
    case 'put_inline_policy':
      await direct.send(
        new PutRolePolicyCommand({
          RoleName: step.roleName,
          PolicyName: step.policyName,
          PolicyDocument: step.document,
        }),
      );
      return;
    case 'verify_role':
      await direct.send(new GetRoleCommand({ RoleName: step.roleName }));
      return;
    case 'verify_attached_policies':
      await direct.send(new ListAttachedRolePoliciesCommand({ RoleName: step.roleName }));
      return;
    case 'verify_inline_policies':
      await direct.send(new ListRolePoliciesCommand({ RoleName: step.roleName }));
      return;
    default:
      throw new Error(`unexpected step ${step.kind}`);
  }
}

export default async function run(): Promise<BenchResult[]> {
  const folder = mkdtempSync(join(tmpdir(), 'rolesmith-bench-prov-'));
  const emulator = await startEmulatorProcess(join(folder, 'emulator'));
  const server = await startTestPostgres();
  try {
    const postgres = openPostgres(await server.createDatabase(), 10);
    const onServer = await measure('pg', postgres.db, emulator).finally(() => postgres.close());
    const pglite = await openPglite(join(folder, 'pglite'));
    const embedded = await measure('pglite', pglite.db, emulator).finally(() => pglite.close());
    return [
      // The production store: PostgreSQL through DATABASE_URL (here a local server).
      {
        id: 'provisioning.overhead_ratio',
        value: median(onServer.ratios),
        unit: 'ratio',
        goal: '<= 1.25',
        runs: ROUNDS,
      },
      // Sandbox mode's embedded PGlite: WebAssembly on the portal's own thread.
      {
        id: 'provisioning.overhead_ratio_pglite',
        value: median(embedded.ratios),
        unit: 'ratio',
        goal: null,
        runs: ROUNDS,
      },
      {
        id: 'provisioning.extra_calls_per_role',
        value: median([...onServer.extras, ...embedded.extras]),
        unit: 'count',
        goal: '== 0',
        runs: 2 * ROUNDS,
      },
    ];
  } finally {
    await server.stop();
    await emulator.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
