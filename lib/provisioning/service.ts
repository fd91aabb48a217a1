import 'server-only';

import { getDb } from '@/lib/db/client';
import type { Db } from '@/lib/db/schema';
import { enqueueProvisioning } from '@/lib/provisioning/jobs';
import { iamForAccount, requestBinding } from '@/lib/provisioning/request-binding';
import {
  createProvisioningWorker,
  type ProvisioningWorker,
  type WorkerOptions,
} from '@/lib/provisioning/worker';

const workerKey = Symbol.for('rolesmith.provisioningWorker');
type Holder = { [workerKey]?: ProvisioningWorker };

/**
 * Starts this process's provisioning worker (once: later calls return the same worker). It uses
 * the process's database (`getDb()`) and reaches each target account as the mode says. Call it
 * when the server starts; any number of instances may run one against a shared PostgreSQL.
 */
export async function startProvisioningWorker(
  options: Partial<Omit<WorkerOptions, 'db' | 'requests' | 'iamFor'>> = {},
): Promise<ProvisioningWorker> {
  const holder = globalThis as Holder;
  if (holder[workerKey]) return holder[workerKey];
  const worker = createProvisioningWorker({
    db: await getDb(),
    requests: requestBinding,
    iamFor: iamForAccount,
    onError: (error) => console.error('rolesmith: provisioning worker error', error),
    ...options,
  });
  holder[workerKey] ??= worker;
  holder[workerKey].start();
  return holder[workerKey];
}

/** Stops this process's worker, if one runs, waiting for the jobs in hand. */
export async function stopProvisioningWorker(): Promise<void> {
  const holder = globalThis as Holder;
  const worker = holder[workerKey];
  delete holder[workerKey];
  await worker?.stop();
}

/** Wakes this process's worker after a job was queued, so that it need not wait for its next poll. */
export function wakeProvisioningWorker(): void {
  (globalThis as Holder)[workerKey]?.wake();
}

/**
 * The approval and retry hook (`EnqueueProvisioning` of `lib/requests/approve`): queues the
 * request's provisioning inside the approval's transaction, so that the job exists exactly when
 * the approval commits. A second call while a job is unfinished does nothing.
 */
export async function queueProvisioning(tx: Db, requestId: string): Promise<void> {
  await enqueueProvisioning(tx, requestId);
}

/**
 * Queues undoing what a failed request's provisioning created (an approver's choice instead of a
 * retry), in the caller's transaction. Idempotent while a job for the request is unfinished.
 */
export function enqueueRollback(tx: Db, requestId: string): Promise<{ jobId: string; isNew: boolean }> {
  return enqueueProvisioning(tx, requestId, 'rollback');
}
