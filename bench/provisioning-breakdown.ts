/**
 * Where the portal's provisioning time goes (not a benchmark of `npm run bench`; run it by hand):
 *
 *   N=40 node --conditions=react-server --import tsx/esm bench/provisioning-breakdown.ts
 *
 * Provisions N roles (1 new policy, 2 managed, 1 inline: 10 IAM calls each) with one worker on a
 * local PostgreSQL server against the emulator in its own process, three times (the first warms
 * up), and prints per role: the time of each IAM call and of each database statement (statements
 * overlap IAM calls when they run in the background), and the phases of a job on its critical
 * path: from `runOnce()` to the first IAM call, the IAM span, and from the last IAM call to the end.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { IamAccountClient } from '../lib/aws/iam-client';
import { setDbForTests } from '../lib/db/client';
import { migrateToLatest } from '../lib/db/migrate';
import { namePreparedStatements } from '../lib/db/prepared';
import type { Database } from '../lib/db/schema';
import { requestBinding } from '../lib/requests/provisioning-binding';
import { createProvisioningWorker } from '../lib/provisioning/worker';
import { startTestPostgres } from '../lib/testing/postgres';
import {
  TARGET,
  connectToEmulator,
  roleSpec,
  seedTargetAccounts,
  submitAndApprove,
  type EmulatorDescription,
} from '../lib/testing/provisioning';

const N = Number(process.env.N ?? 40);
const stats = new Map<string, { count: number; ms: number }>();
let isRecording = false;
function add(key: string, ms: number): void {
  if (!isRecording) return;
  const entry = stats.get(key) ?? { count: 0, ms: 0 };
  entry.count += 1;
  entry.ms += ms;
  stats.set(key, entry);
}

const root = join(import.meta.dirname, '..');
const folder = mkdtempSync(join(tmpdir(), 'rolesmith-breakdown-'));
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
    join(folder, 'emulator'),
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_NO_WARNINGS: '1' } },
);
const line = await new Promise<string>((resolve) =>
  createInterface({ input: child.stdout }).once('line', resolve),
);
const emulator = connectToEmulator(JSON.parse(line) as EmulatorDescription, () => Promise.resolve());
const server = await startTestPostgres();
const pool = new pg.Pool({ connectionString: await server.createDatabase(), max: 10 });
namePreparedStatements(pool);
const db = new Kysely<Database>({
  dialect: new PostgresDialect({ pool }),
  log: (event) =>
    add(`db   ${event.query.sql.replace(/\s+/g, ' ').trim().slice(0, 70)}`, event.queryDurationMillis),
});
const restore = setDbForTests(db);
try {
  await migrateToLatest(db);
  await seedTargetAccounts();
  let firstCallAt = 0;
  let lastEndAt = 0;
  const iam = emulator.iam(TARGET);
  const timed = Object.fromEntries(
    Object.entries(iam).map(([name, method]) => [
      name,
      async (...args: unknown[]) => {
        const started = performance.now();
        firstCallAt ||= started;
        try {
          return await (method as (...inner: unknown[]) => Promise<unknown>)(...args);
        } finally {
          lastEndAt = performance.now();
          add(`iam  ${name}`, lastEndAt - started);
        }
      },
    ]),
  ) as unknown as IamAccountClient;
  const worker = createProvisioningWorker({
    db,
    requests: requestBinding,
    iamFor: () => Promise.resolve(timed),
    workerId: 'breakdown',
  });
  for (let round = 0; round < 3; round += 1) {
    for (let i = 0; i < N; i += 1)
      await submitAndApprove(emulator, roleSpec(`b${round}-${i}`, { newPolicies: 1, managed: 2, inline: 1 }));
    stats.clear();
    isRecording = round > 0;
    const started = performance.now();
    for (;;) {
      firstCallAt = 0;
      const runStarted = performance.now();
      const didWork = await worker.runOnce();
      const runEnded = performance.now();
      if (!didWork) break;
      add('job  runOnce() to first IAM call', firstCallAt - runStarted);
      add('job  first to last IAM call', lastEndAt - firstCallAt);
      add('job  last IAM call to end', runEnded - lastEndAt);
    }
    const total = performance.now() - started;
    if (!isRecording) continue;
    console.log(`\nround ${round}: ${(total / N).toFixed(2)} ms per role (${N} roles)`);
    for (const [key, entry] of [...stats.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
      console.log(
        `${(entry.ms / N).toFixed(2).padStart(7)} ms/role ${(entry.count / N).toFixed(1).padStart(5)}×  ${key}`,
      );
  }
} finally {
  restore();
  await db.destroy();
  await server.stop();
  child.kill('SIGTERM');
  rmSync(folder, { recursive: true, force: true });
}
