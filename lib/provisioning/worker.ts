import 'server-only';

import os from 'node:os';

import type { IamAccountClient } from '@/lib/aws/iam-client';
import { updateJobFinish, updateReleaseJob } from '@/lib/db/queries/provisioning';
import type { StateTransition } from '@/lib/db/queries/requests';
import type { Db, RootDb, Tx } from '@/lib/db/schema';
import { inTransaction } from '@/lib/db/transaction';
import {
  executeJob,
  type Checkpoint,
  type ExecutionOutcome,
  type JobCompletion,
  type ProvisioningFailure,
} from '@/lib/provisioning/executor';
import { claimNextJob, LeaseLostError, startJob, type ClaimedJob } from '@/lib/provisioning/jobs';
import { planClaimedJob } from '@/lib/provisioning/job-plan';
import type { ProvisioningPlan } from '@/lib/provisioning/plan';
import { defaultRetryPolicy, type RetryPolicy } from '@/lib/provisioning/retry';

/** How provisioning moves the requests it works on (implemented over `lib/requests`). */
export interface ProvisioningRequests extends JobCompletion {
  /**
   * The request's `approved → provisioning`, made by the statement that claims a `provision` job
   * (with its intents), for whichever request that job serves.
   */
  startMove: Omit<StateTransition, 'requestId'>;
  /**
   * The request becomes `provisioning` (a no-op if it already is), in one statement, so `db` may
   * be the database itself.
   */
  begin(db: Db, job: ClaimedJob): Promise<void>;
}

export interface WorkerOptions {
  db: RootDb;
  requests: ProvisioningRequests;
  /** The IAM client for a target account. */
  iamFor: (accountId: string) => Promise<IamAccountClient>;
  /** Names this worker in leases and intent records; defaults to host and process id. */
  workerId?: string;
  /** How long a claim lasts without a heartbeat (default 30 s). */
  leaseMs?: number;
  /** How often a running job records the steps done so far (default 1 s); its end records the rest. */
  progressMs?: number;
  /** How often an idle worker looks for jobs (default 1 s). */
  pollMs?: number;
  /** Jobs run at once by this worker (default 2). */
  concurrency?: number;
  retry?: RetryPolicy;
  /** Waits between retries (tests observe the `retrying` state through it). */
  sleep?: (ms: number) => Promise<void>;
  onCheckpoint?: (checkpoint: Checkpoint) => void | Promise<void>;
  /** Called after each job ends or is lost, e.g. for logs. */
  onJobEnded?: (job: ClaimedJob, outcome: ExecutionOutcome) => void;
  /** Called when a job throws (a bug or the database going away); the job is retried after its lease. */
  onError?: (error: unknown) => void;
  /**
   * Claims a job may take without finishing (default 5): the next claim fails it and its request,
   * so a job that keeps throwing (e.g. its account cannot be reached) is not reclaimed forever.
   */
  maxClaims?: number;
}

export interface ProvisioningWorker {
  /** Claims and runs one job; `false` when there was none. */
  runOnce(): Promise<boolean>;
  /** Starts the polling loop (idempotent; ignored while `stop()` is in progress). */
  start(): void;
  /** Looks for work now instead of at the next poll. */
  wake(): void;
  /** Stops claiming and waits for the jobs in hand to end. */
  stop(): Promise<void>;
}

/**
 * A provisioning worker: claims jobs with a lease (the claim records the job's planned intents and
 * moves its request to `provisioning`, in one statement) and runs each with {@link executeJob}.
 * Any number of workers, in any number of processes, may run against one PostgreSQL database.
 */
export function createProvisioningWorker(options: WorkerOptions): ProvisioningWorker {
  const workerId = options.workerId ?? `${os.hostname()}:${process.pid}`;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 1000;
  const concurrency = options.concurrency ?? 2;
  const maxClaims = options.maxClaims ?? 5;
  const retry = options.retry ?? defaultRetryPolicy;
  let running = false;
  let isStopping = false;
  const sleepers = new Set<() => void>();
  const loops: Promise<void>[] = [];

  /** Jobs claimed by the end of an earlier job (see `claimNext`), run before claiming more. */
  const claimedAhead: ClaimedJob[] = [];
  const claimNext = (tx: Tx) =>
    claimNextJob(tx, workerId, leaseMs, options.requests.startMove).catch((error: unknown) => {
      // The job's end then commits without it (see `executeJob`); the next poll claims again.
      options.onError?.(error);
      throw error;
    });

  async function runOnce(): Promise<boolean> {
    const job =
      claimedAhead.shift() ?? (await claimNextJob(options.db, workerId, leaseMs, options.requests.startMove));
    if (!job) return false;
    if (job.claims > maxClaims) {
      const failure = await inTransaction(options.db, (tx) => abandonJob(tx, job));
      options.onJobEnded?.(job, { status: 'failed', failure });
      return true;
    }
    if (job.operation === 'provision' && !job.isStarted && job.requestState !== 'provisioning')
      throw new Error(`Request ${job.requestId} cannot start provisioning: it is ${job.requestState}`);
    const prepared = job.plan
      ? { plan: job.plan, doneSteps: new Set(job.doneKeys) }
      : await prepareUnplanned(job);
    if ('outcome' in prepared) {
      options.onJobEnded?.(job, prepared.outcome);
      return true;
    }
    const iam = await options.iamFor(prepared.plan.accountId);
    const outcome = await executeJob({
      db: options.db,
      iam,
      job,
      plan: prepared.plan,
      doneSteps: prepared.doneSteps,
      // Claimed before (its worker died or lost the lease): writes not known done are read first.
      isResume: job.plan !== null && job.claims > 1,
      // The claim moved the request to `provisioning` (or it already was).
      started: Promise.resolve(),
      leaseMs,
      ...(options.progressMs ? { progressMs: options.progressMs } : {}),
      retry,
      completion: options.requests,
      // While the worker runs (or is driven by runOnce), the end of a job claims the next one.
      ...(isStopping ? {} : { claimNext }),
      ...(options.onCheckpoint ? { onCheckpoint: options.onCheckpoint } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
    if (outcome.status === 'succeeded' && outcome.next) claimedAhead.push(outcome.next);
    options.onJobEnded?.(job, outcome);
    return true;
  }

  /** Gives back the jobs claimed ahead and not run (the worker stops). */
  async function releaseClaimedAhead(): Promise<void> {
    for (const job of claimedAhead.splice(0)) await updateReleaseJob(options.db, job);
  }

  interface Prepared {
    plan: ProvisioningPlan;
    doneSteps: Set<string>;
  }

  /**
   * A job queued without a plan (by an earlier version, or because its request could not be
   * planned then): plans it now and records its intents in one statement with a synchronous
   * commit, before any IAM call. A request that cannot be planned fails instead (with the reason).
   */
  async function prepareUnplanned(job: ClaimedJob): Promise<Prepared | { outcome: ExecutionOutcome }> {
    const db = options.db;
    const planned = await planClaimedJob(db, job);
    try {
      if (!planned.ok) {
        const failure = { code: 'InvalidRequest', message: planned.message, step: null };
        await inTransaction(db, (tx) => endJob(tx, job, failure));
        return { outcome: { status: 'failed', failure } };
      }
      await startJob(db, job, planned.value.plan, planned.value.intents, leaseMs);
    } catch (error) {
      if (error instanceof LeaseLostError) return { outcome: { status: 'lease_lost' } };
      throw error;
    }
    const { plan, intents } = planned.value;
    const doneSteps = new Set(
      intents.filter((intent) => intent.state === 'done').map((intent) => intent.key),
    );
    return { plan, doneSteps };
  }

  /** Fails a job in the claim's transaction and records the failure on its request (a provision or a rollback). */
  async function endJob(tx: Tx, job: ClaimedJob, failure: ProvisioningFailure): Promise<void> {
    const held = await updateJobFinish(tx, job, {
      status: 'failed',
      error: failure,
      completions: [],
      lazy: false,
    });
    if (!held.isFenced) throw new LeaseLostError(job.id);
    if (job.operation === 'provision') await options.requests.begin(tx, job);
    await options.requests.failed(tx, job, failure);
  }

  /** Fails a job claimed more than `maxClaims` times (and its provisioning request), in the claim's transaction. */
  async function abandonJob(tx: Tx, job: ClaimedJob): Promise<ProvisioningFailure> {
    const failure: ProvisioningFailure = {
      code: 'ProvisioningAbandoned',
      message: `Provisioning was started ${maxClaims} times without finishing (e.g. the account could not be reached); the worker's log has the cause. An approver may retry.`,
      step: null,
    };
    await endJob(tx, job, failure);
    return failure;
  }

  async function loop(): Promise<void> {
    while (running) {
      let didWork = false;
      try {
        didWork = await runOnce();
      } catch (error) {
        options.onError?.(error);
      }
      if (!didWork && running) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            sleepers.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, pollMs);
          sleepers.add(wake);
        });
      }
    }
  }

  return {
    runOnce,
    start() {
      // Not while stopping: its jobs claimed ahead are being given back.
      if (running || isStopping) return;
      running = true;
      for (let i = 0; i < concurrency; i += 1) loops.push(loop());
    },
    wake() {
      for (const wake of [...sleepers]) wake();
    },
    async stop() {
      running = false;
      isStopping = true;
      for (const wake of [...sleepers]) wake();
      await Promise.all(loops.splice(0));
      await releaseClaimedAhead();
      isStopping = false;
    },
  };
}
