import 'server-only';

import { randomUUID } from 'node:crypto';

import {
  updateClaimNextJob,
  updateJobStart,
  type ClaimedJobRecord,
  type IntentInput,
} from '@/lib/db/queries/provisioning';
import type { StateTransition } from '@/lib/db/queries/requests';
import type { Db } from '@/lib/db/schema';
import type { ProvisioningJobOperation } from '@/lib/db/tables/provisioning';
import { queueJob } from '@/lib/provisioning/job-plan';
import type { ProvisioningPlan } from '@/lib/provisioning/plan';

/** A job as a worker holds it after claiming it. */
export interface ClaimedJob extends ClaimedJobRecord {
  /** Unique per claim: every write of the worker is fenced on it. */
  leaseToken: string;
  /**
   * When the claim was sent (`Date.now()`): the lease runs from then at the latest. A job claimed
   * ahead, by the end of the worker's previous job, may start long after that.
   */
  claimedAt: number;
}

/** Thrown when another worker took the job over; the run stops. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(jobId: string) {
    super(`The lease on provisioning job ${jobId} was lost to another worker`);
  }
}

/**
 * Queues a request for provisioning (or a rollback), inside the caller's transaction (the
 * approval's, retry's or rollback's), so the job exists if and only if that transaction commits.
 * The job's plan, and the intents its first claim will record, are fixed here (see `queueJob`): the
 * worker claims a job and starts its IAM calls with nothing left to compute. When the request
 * cannot be planned, the job is queued without a plan and fails at its claim with the reason.
 * Idempotent: while the request has an unfinished job, a second call returns that job
 * (`isNew: false`).
 */
export async function enqueueProvisioning(
  tx: Db,
  requestId: string,
  operation: ProvisioningJobOperation = 'provision',
): Promise<{ jobId: string; isNew: boolean }> {
  return queueJob(tx, requestId, operation);
}

/**
 * Claims the oldest runnable job with a lease of `leaseMs` (see `updateClaimNextJob`): concurrent
 * workers never claim the same job. The claim's one statement also records the job's intents
 * (durably, before any IAM call) and, with `start`, moves a `provision` job's request
 * `approved → provisioning`. Returns `null` when there is nothing to do.
 */
export async function claimNextJob(
  db: Db,
  workerId: string,
  leaseMs: number,
  start?: Omit<StateTransition, 'requestId'>,
): Promise<ClaimedJob | null> {
  const leaseToken = `${workerId}/${randomUUID()}`;
  const claimedAt = Date.now();
  const claimed = await updateClaimNextJob(db, leaseToken, leaseMs, start);
  return claimed ? { ...claimed, leaseToken, claimedAt } : null;
}

/**
 * For a job queued without a plan (by an earlier version, or because its request could not be
 * planned then), at its first claim, in one statement (one commit, fenced on the lease): stores the
 * plan, so that a resume repeats exactly the same steps, and records the intent of every IAM write
 * it makes, before any of them is called (the write-ahead record of HashiCorp Vault's AWS engine,
 * for a whole plan at once). Steps an earlier attempt completed are recorded `done`. Throws
 * {@link LeaseLostError} when the lease is gone.
 */
export async function startJob(
  db: Db,
  job: ClaimedJob,
  plan: ProvisioningPlan,
  intents: IntentInput[],
  leaseMs: number,
): Promise<void> {
  if (!(await updateJobStart(db, job, plan, intents, leaseMs))) throw new LeaseLostError(job.id);
}
