import 'server-only';

import type { ProvisioningRequests } from '@/lib/provisioning/worker';
import {
  getRequestForProvisioning,
  markFailed,
  markProvisioned,
  markProvisioning,
  markRollbackFailed,
  markRolledBack,
  provisionedTransition,
  provisioningStartMove,
} from '@/lib/requests/provisioning-transitions';
import type { Result } from '@/lib/result';

function orThrow<T>(result: Result<T>, what: string): T {
  if (!result.ok) throw new Error(`${what}: ${result.message}`);
  return result.value;
}

/**
 * The request workflow as provisioning needs it (`ProvisioningRequests`, the interface
 * `lib/provisioning/worker` owns), over `lib/requests/provisioning-transitions`. Provisioning is the
 * lower layer and never imports this module: whoever starts a worker passes it in (the server's
 * start-up, `lib/server-start.ts`; the standalone worker, `lib/worker-main.ts`; tests). Each call
 * runs in the worker's transaction, so a request's state moves exactly when the job's does.
 * A rollback job that succeeds moves the request `failed → rolled_back`; one that fails leaves it
 * `failed` with the rollback's error.
 */
export const requestBinding: ProvisioningRequests = {
  startMove: provisioningStartMove(),
  successTransition: (job) =>
    job.operation === 'provision' ? provisionedTransition(job.requestId, job.request) : null,
  async begin(db, job) {
    const moved = await markProvisioning(db, job.requestId);
    if (moved.ok) return;
    // An approver's retry already moved the request back to `provisioning`.
    const request = await getRequestForProvisioning(db, job.requestId);
    if (request?.state !== 'provisioning')
      orThrow(moved, `Request ${job.requestId} cannot start provisioning`);
  },
  async succeeded(tx, job) {
    if (job.operation === 'rollback') {
      orThrow(
        await markRolledBack(tx, job.requestId),
        `Request ${job.requestId} cannot be marked rolled back`,
      );
      return;
    }
    orThrow(
      await markProvisioned(tx, job.requestId),
      `Request ${job.requestId} cannot be marked provisioned`,
    );
  },
  async failed(tx, job, failure) {
    if (job.operation === 'rollback') {
      orThrow(
        await markRollbackFailed(tx, job.requestId, { code: failure.code, message: failure.message }),
        `Request ${job.requestId} cannot record its failed rollback`,
      );
      return;
    }
    orThrow(
      await markFailed(tx, job.requestId, { code: failure.code, message: failure.message }),
      `Request ${job.requestId} cannot be marked failed`,
    );
  },
};
