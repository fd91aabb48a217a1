import 'server-only';

import { getDb } from '@/lib/db/client';
import { iamForAccount } from '@/lib/provisioning/account-iam';
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
 * when the server starts, with the request workflow's side of provisioning (`requests`: provisioning
 * is the lower layer and does not import it); `iamFor` defaults to {@link iamForAccount}. Any number of instances may run one against a shared
 * PostgreSQL.
 */
export async function startProvisioningWorker(
  options: Pick<WorkerOptions, 'requests'> & Partial<Omit<WorkerOptions, 'db'>>,
): Promise<ProvisioningWorker> {
  const holder = globalThis as Holder;
  if (holder[workerKey]) return holder[workerKey];
  const worker = createProvisioningWorker({
    db: await getDb(),
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
