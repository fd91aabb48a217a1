/**
 * `requests.approve_to_provisioned_median_ms`: in sandbox mode's set-up, the time from an approval
 * committed (`approveRequest` resolved: the job is queued with its plan, and the process's worker
 * woken) to the request seen `provisioned` by `getProvisioningProgress`, the read the request
 * page's progress route answers with. The lib-level path, in one process as `npm start` runs it:
 * on-disk PGlite in a temporary folder, the emulator over HTTP in this process, and the process's
 * provisioning worker started as the server starts it (`startProvisioningWorker`, woken by the
 * approval). The progress is read every 5 ms here; the page polls its route every second, so a
 * person sees the state up to a second later. Each role: 1 new customer managed policy, 2 AWS
 * managed policies, 1 inline policy (10 IAM calls). Median of 10, after 2 warm-ups. No goal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite, setDbForTests } from '../lib/db/client';
import { migrateToLatest } from '../lib/db/migrate';
import { startProvisioningWorker, stopProvisioningWorker } from '../lib/provisioning/service';
import { approveRequest } from '../lib/requests/approve';
import { getProvisioningProgress } from '../lib/requests/progress';
import { requestBinding } from '../lib/requests/provisioning-binding';
import {
  approver,
  emulatorPreflight,
  roleSpec,
  seedTargetAccounts,
  startTestEmulator,
  submitForApproval,
} from '../lib/testing/provisioning';
import { median, type BenchResult } from './types';

const SHAPE = { newPolicies: 1, managed: 2, inline: 1 };
const WARM_UPS = 2;
const RUNS = 10;
const POLL_MS = 5;
const TIMEOUT_MS = 30_000;

async function approveToProvisioned(
  name: string,
  preflight: ReturnType<typeof emulatorPreflight>,
): Promise<number> {
  const submitted = await submitForApproval(roleSpec(name, SHAPE));
  const approved = await approveRequest(approver, submitted, preflight);
  if (!approved.ok || !approved.value.isFinal)
    throw new Error(`approval failed: ${JSON.stringify(approved)}`);
  const committed = performance.now();
  for (;;) {
    const progress = await getProvisioningProgress(approver, submitted.requestId);
    if (!progress.ok) throw new Error(progress.message);
    if (progress.value.state === 'provisioned') return performance.now() - committed;
    if (!progress.value.isLive) throw new Error(`${name} ended ${progress.value.state}`);
    if (performance.now() - committed > TIMEOUT_MS) throw new Error(`${name} not provisioned in time`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export default async function run(): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rolesmith-bench-requests-'));
  const database = await openPglite(join(dataDir, 'db'));
  const restoreDb = setDbForTests(database.db);
  const emulator = await startTestEmulator();
  try {
    await migrateToLatest(database.db);
    await seedTargetAccounts();
    await startProvisioningWorker({
      requests: requestBinding,
      iamFor: (accountId) => Promise.resolve(emulator.iam(accountId)),
      workerId: 'bench',
    });
    const preflight = emulatorPreflight(emulator);
    for (let index = 0; index < WARM_UPS; index += 1) await approveToProvisioned(`warm-${index}`, preflight);
    const measured: number[] = [];
    for (let index = 0; index < RUNS; index += 1)
      measured.push(await approveToProvisioned(`approve-to-provisioned-${index}`, preflight));
    console.log(
      `requests.approve_to_provisioned_median_ms runs: ${measured.map((ms) => ms.toFixed(0)).join(', ')}`,
    );
    return [
      {
        id: 'requests.approve_to_provisioned_median_ms',
        value: median(measured),
        unit: 'ms',
        goal: null,
        runs: measured.length,
      },
    ];
  } finally {
    await stopProvisioningWorker();
    restoreDb();
    await Promise.all([database.close(), emulator.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
