/**
 * `provisioning.overhead_ratio`: the portal's time to provision N roles (a worker claiming each
 * job with its lease, committing the intents of its IAM writes before the first of them, verifying
 * the role, and moving the request to `provisioned`) on PostgreSQL ÷ the time of exactly the same
 * IAM calls made directly with `@aws-sdk/client-iam` (same client settings: adaptive retry, 3
 * attempts, one call at a time) against the same standalone emulator. Portal and direct roles
 * alternate one by one in one run (which goes first alternates too); the figure is the median of
 * the per-round ratios. Goal ≤ 1.25. `provisioning.overhead_ratio_pglite` is the same on sandbox
 * mode's on-disk PGlite, and `provisioning.overhead_ratio_iam_50ms` the same on PostgreSQL with
 * the emulator's latency injection making every call take 50 ms (a second figure, not the
 * headline).
 *
 * `provisioning.extra_calls_per_role`: IAM calls counted at the emulator while the portal
 * provisions a role, minus P + 1 + M + I + 3 (median over rounds). Goal == 0.
 *
 * What the portal's time does not include: the approval, which queues the job with its plan and
 * the intents its claim records (planning happens there, once, in the approval's transaction).
 * `provisioning.approve_median_ms` is that approval's time (its preflight reads the account through
 * the emulator, then one transaction approves and queues), so that work moved out of the measured
 * window stays visible.
 *
 * Each role: 1 new customer managed policy, 2 AWS managed policies, 1 inline policy (10 calls).
 * The emulator runs in its own process (`rolesmith sandbox --port 0 --json`), as a remote IAM
 * would.
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
import { openPglite, openPostgres, setDbForTests } from '../lib/db/client';
import type { RootDb } from '../lib/db/schema';
import { migrateToLatest } from '../lib/db/migrate';
import { roleSpecSchema } from '../lib/iam/role-spec';
import { roleToProvision } from '../lib/provisioning/from-spec';
import {
  customerPolicyArn,
  expectedCreateCalls,
  planCreate,
  type ProvisioningStep,
} from '../lib/provisioning/plan';
import { requestBinding } from '../lib/requests/provisioning-binding';
import { approveRequest } from '../lib/requests/approve';
import {
  TARGET,
  emulatorPreflight,
  approver,
  connectToEmulator,
  roleSpec,
  seedTargetAccounts,
  submitForApproval,
  type EmulatorDescription,
  type TestEmulator,
} from '../lib/testing/provisioning';
import { createProvisioningWorker } from '../lib/provisioning/worker';
import { startTestPostgres } from '../lib/testing/postgres';
import { median, type BenchResult } from './types';

const ROUNDS = 15;
const ROLES_PER_ROUND = 10;
const SHAPE = { newPolicies: 1, managed: 2, inline: 1 };
/** The second, labelled figure: every emulator call takes this long, as IAM's own calls do. */
const IAM_LATENCY_MS = 50;
const LATENCY_ROUNDS = 5;
const LATENCY_ROLES_PER_ROUND = 3;

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
  /** Each `approveRequest` of the measured rounds (ms). */
  approvals: number[];
}

/**
 * Rounds of `roles` portal roles and `roles` direct roles, interleaved role by role (which side
 * goes first alternates), so that both sides see the same load on a shared machine. A portal
 * role is one `runOnce()` of the worker: the claim (with the intents and the request's move to
 * `provisioning`), the IAM calls, the verification and the job's end (the request's move to
 * `provisioned` and the role's record). The first job of a round is claimed by its own
 * `runOnce()`; each later one by the end of the job before it, in that job's commit, inside that
 * measured `runOnce()`: nothing runs between the measured calls. A round's portal time also counts
 * the worker's final empty claim. The figure per round is portal time ÷ direct time.
 */
async function measure(
  label: string,
  db: RootDb,
  emulator: TestEmulator,
  rounds: number,
  roles: number,
): Promise<Measured> {
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
    const preflight = emulatorPreflight(emulator);
    const worker = createProvisioningWorker({
      db,
      requests: requestBinding,
      iamFor: (accountId) => Promise.resolve(emulator.iam(accountId)),
      workerId: 'bench',
    });
    const expected = expectedCreateCalls(roleToProvision(roleSpecSchema.parse(roleSpec('shape', SHAPE))));

    async function portalRole(): Promise<{ ms: number; extraCalls: number }> {
      await emulator.resetCalls();
      const started = performance.now();
      const didWork = await worker.runOnce();
      const ms = performance.now() - started;
      if (!didWork) throw new Error('no job to run');
      const calls = Object.values(await emulator.calls()).reduce((sum, count) => sum + count, 0);
      return { ms, extraCalls: calls - expected };
    }

    async function directRole(name: string): Promise<number> {
      // The same plan the portal runs, as plain SDK calls.
      const plan = planCreate(roleToProvision(roleSpecSchema.parse(roleSpec(name, SHAPE))), name);
      if (!plan.ok) throw new Error(plan.message);
      // The same control requests to the emulator around it as around a portal role, so that
      // neither side runs right after them more often than the other.
      await emulator.resetCalls();
      const started = performance.now();
      for (const step of plan.value.steps) await sendDirect(direct, step);
      const ms = performance.now() - started;
      const calls = Object.values(await emulator.calls()).reduce((sum, count) => sum + count, 0);
      if (calls !== plan.value.steps.length) throw new Error(`the direct role made ${calls} calls`);
      return ms;
    }

    async function round(
      n: number,
    ): Promise<{ portalMs: number; directMs: number; extraCallsPerRole: number; approvals: number[] }> {
      const approvals: number[] = [];
      for (let i = 0; i < roles; i += 1) {
        const submitted = await submitForApproval(roleSpec(`${label}-portal-${n}-${i}`, SHAPE));
        const started = performance.now();
        const approved = await approveRequest(approver, submitted, preflight);
        approvals.push(performance.now() - started);
        if (!approved.ok || !approved.value.isFinal)
          throw new Error(`approval failed: ${JSON.stringify(approved)}`);
      }
      let portalMs = 0;
      let directMs = 0;
      let extraCalls = 0;
      for (let i = 0; i < roles; i += 1) {
        const portalFirst = (n + i) % 2 === 0;
        if (!portalFirst) directMs += await directRole(`${label}-direct-${n}-${i}`);
        const portal = await portalRole();
        portalMs += portal.ms;
        extraCalls += portal.extraCalls;
        if (portalFirst) directMs += await directRole(`${label}-direct-${n}-${i}`);
      }
      const started = performance.now();
      if (await worker.runOnce()) throw new Error('a job was left over');
      portalMs += performance.now() - started;
      return { portalMs, directMs, extraCallsPerRole: extraCalls / roles, approvals };
    }

    // Warm-up: module loading, JIT, connection pools, the emulator's caches.
    await round(-1);

    const ratios: number[] = [];
    const extras: number[] = [];
    const approvals: number[] = [];
    for (let n = 0; n < rounds; n += 1) {
      const { portalMs, directMs, extraCallsPerRole, approvals: roundApprovals } = await round(n);
      ratios.push(portalMs / directMs);
      extras.push(extraCallsPerRole);
      approvals.push(...roundApprovals);
      console.log(
        `${label} round ${n}: portal ${portalMs.toFixed(1)} ms, direct ${directMs.toFixed(1)} ms for ${roles} roles ` +
          `(ratio ${(portalMs / directMs).toFixed(3)}, extra calls/role ${extraCallsPerRole})`,
      );
    }
    // The direct roles were created as the plans said.
    const check = await emulator
      .iam()
      .getPolicy(customerPolicyArn(TARGET, '/', `${label}-direct-0-0-policy-0`));
    if (!check.ok) throw new Error('the direct roles did not create their policies');
    return { ratios, extras, approvals };
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
    const onServer = await measure('pg', postgres.db, emulator, ROUNDS, ROLES_PER_ROUND).finally(() =>
      postgres.close(),
    );
    const pglite = await openPglite(join(folder, 'pglite'));
    const embedded = await measure('pglite', pglite.db, emulator, ROUNDS, ROLES_PER_ROUND).finally(() =>
      pglite.close(),
    );
    await emulator.setFaults({ latencyMs: IAM_LATENCY_MS });
    const slowPostgres = openPostgres(await server.createDatabase(), 10);
    const withLatency = await measure(
      'pg-latency',
      slowPostgres.db,
      emulator,
      LATENCY_ROUNDS,
      LATENCY_ROLES_PER_ROUND,
    ).finally(() => slowPostgres.close());
    await emulator.setFaults({});
    return [
      // The headline: PostgreSQL through DATABASE_URL (here a local server), an emulator answering
      // at once, so that the portal's own overhead is all there is to see.
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
      // Not the headline: the same on PostgreSQL with every emulator call taking IAM_LATENCY_MS,
      // closer to what calls to IAM itself take.
      {
        id: `provisioning.overhead_ratio_iam_${IAM_LATENCY_MS}ms`,
        value: median(withLatency.ratios),
        unit: 'ratio',
        goal: null,
        runs: LATENCY_ROUNDS,
      },
      // Outside the ratio: approving (preflight + the transaction that plans and queues the job), on PostgreSQL.
      {
        id: 'provisioning.approve_median_ms',
        value: median(onServer.approvals),
        unit: 'ms',
        goal: null,
        runs: onServer.approvals.length,
      },
      {
        id: 'provisioning.extra_calls_per_role',
        value: median([...onServer.extras, ...embedded.extras, ...withLatency.extras]),
        unit: 'count',
        goal: '== 0',
        runs: 2 * ROUNDS + LATENCY_ROUNDS,
      },
    ];
  } finally {
    await server.stop();
    await emulator.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
