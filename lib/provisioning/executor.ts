import 'server-only';

import {
  isInvalidPrincipalError,
  isTransientAwsError,
  type AwsFailure,
  type AwsResult,
} from '@/lib/aws/errors';
import type { IamAccountClient } from '@/lib/aws/iam-client';
import type { JobError } from '@/lib/db/queries/provisioning';
import type { ProvisionedTransition } from '@/lib/db/queries/requests';
import type { RootDb, Tx } from '@/lib/db/schema';
import { JobRecorder, type ClaimNext, type PendingFinish } from '@/lib/provisioning/job-recorder';
import { LeaseLostError, type ClaimedJob } from '@/lib/provisioning/jobs';
import { isReadStep, type ProvisioningPlan, type ProvisioningStep } from '@/lib/provisioning/plan';
import { backoffDelayMs, type RetryPolicy } from '@/lib/provisioning/retry';
import { resumeWrite, runWrite, unlessForeign, verify } from '@/lib/provisioning/steps';

/** Points in a step where a test may stop the process (SIGKILL) to prove that a resume is exact. */
export type CheckpointPhase = 'intent_committed' | 'call_returned' | 'before_finish';

export interface Checkpoint {
  phase: CheckpointPhase;
  jobId: string;
  requestId: string;
  stepIndex: number;
  stepKey: string | null;
}

/** What happened to a failed provisioning: AWS's code and message, and the step that failed. */
export type ProvisioningFailure = JobError;

/** How the request around a job moves; implemented on top of `lib/requests`. */
export interface JobCompletion {
  /**
   * The request's move on success as part of the job's ending statement (one round trip instead
   * of several), or null; when that move does not happen, {@link succeeded} runs instead.
   */
  successTransition?(job: ClaimedJob, plan: ProvisioningPlan): ProvisionedTransition | null;
  succeeded(tx: Tx, job: ClaimedJob, plan: ProvisioningPlan): Promise<void>;
  failed(tx: Tx, job: ClaimedJob, failure: ProvisioningFailure): Promise<void>;
}

export interface ExecutorContext {
  db: RootDb;
  iam: IamAccountClient;
  job: ClaimedJob;
  plan: ProvisioningPlan;
  /** Steps already done (by this job before a crash, or by an earlier attempt): skipped. */
  doneSteps: ReadonlySet<string>;
  /**
   * Whether the job was claimed before (its worker died or lost the lease): every write not known
   * to be done is read first, and written only if its effect is missing.
   */
  isResume: boolean;
  /** Settles when the request has moved to `provisioning`; awaited before the job ends. */
  started: Promise<void>;
  leaseMs: number;
  /**
   * How often the steps done so far are recorded while the job runs (default 1 s); the job's end
   * records the rest. Each record also extends the lease.
   */
  progressMs?: number;
  retry: RetryPolicy;
  completion: JobCompletion;
  /**
   * Claims the worker's next job in the transaction that ends this one successfully, so that one
   * commit serves both (the worker runs it next).
   */
  claimNext?: ClaimNext;
  onCheckpoint?: (checkpoint: Checkpoint) => void | Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

export type ExecutionOutcome =
  | {
      status: 'succeeded';
      /** The worker's next job, claimed in the transaction that ended this one (see `claimNext`). */
      next: ClaimedJob | null;
    }
  | { status: 'failed'; failure: ProvisioningFailure }
  | { status: 'lease_lost' };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs a claimed job's plan to the end. The intents of all its writes were committed when the job
 * started, so every IAM call has a durable intent before it; completions are recorded in the
 * background and with the job's end (a crash before that record only costs a read on resume).
 * Resumes after the last completed step; treats entities this request already created as done;
 * retries throttling, server faults and concurrent modification with backoff and jitter within a
 * bound (the job shows `retrying` meanwhile); ends the job and moves its request in one
 * transaction, which begins while the verifying reads run and commits only when they all passed.
 * Returns `lease_lost` when another worker took the job over.
 */
export async function executeJob(ctx: ExecutorContext): Promise<ExecutionOutcome> {
  const { db, job, plan, leaseMs } = ctx;
  const sleep = ctx.sleep ?? defaultSleep;
  const recorder = new JobRecorder(db, job, leaseMs, ctx.progressMs ?? 1000);
  let pendingFinish: PendingFinish | null = null;
  const abandonFinish = async () => {
    const pending = pendingFinish;
    pendingFinish = null;
    await pending?.abandon();
  };
  const successTransition = ctx.completion.successTransition?.(job, plan) ?? null;
  const onlyReadsFrom = (from: number) =>
    plan.steps.slice(from).every((step) => isReadStep(step) || ctx.doneSteps.has(step.key));
  try {
    for (const [index, step] of plan.steps.entries()) {
      if (ctx.doneSteps.has(step.key)) continue;
      if (isReadStep(step)) {
        if (!pendingFinish) {
          await recorder.check();
          if (onlyReadsFrom(index)) {
            pendingFinish = recorder.beginFinish(
              ctx.started,
              (tx) => ctx.completion.succeeded(tx, job, plan),
              successTransition,
              ctx.claimNext ?? null,
            );
          }
        }
        const result = await withRetries(ctx, recorder, step, sleep, async () => {
          const read = await verify(ctx.iam, plan, step);
          // A failed read is waited out or fails the job: the job's end begun meanwhile is undone first.
          if (!read.ok) await abandonFinish();
          return read;
        });
        if (!result.ok) return await fail(ctx, recorder, step, result);
        continue;
      }
      await recorder.check();
      await ctx.onCheckpoint?.({
        phase: 'intent_committed',
        jobId: job.id,
        requestId: job.requestId,
        stepIndex: index,
        stepKey: step.key,
      });
      const result = await withRetries(ctx, recorder, step, sleep, () =>
        unlessForeign(ctx.iam, step, () =>
          ctx.isResume ? resumeWrite(ctx.iam, plan, step) : runWrite(ctx.iam, plan, step),
        ),
      );
      await ctx.onCheckpoint?.({
        phase: 'call_returned',
        jobId: job.id,
        requestId: job.requestId,
        stepIndex: index,
        stepKey: step.key,
      });
      if (!result.ok) return await fail(ctx, recorder, step, result);
      recorder.done({ key: step.key, outcome: result.value });
    }
    await ctx.onCheckpoint?.({
      phase: 'before_finish',
      jobId: job.id,
      requestId: job.requestId,
      stepIndex: plan.steps.length,
      stepKey: null,
    });
    const pending = pendingFinish;
    pendingFinish = null;
    const next = pending
      ? await pending.commit()
      : await recorder.finish(
          'succeeded',
          null,
          ctx.started,
          (tx) => ctx.completion.succeeded(tx, job, plan),
          successTransition,
          ctx.claimNext ?? null,
        );
    return { status: 'succeeded', next };
  } catch (error) {
    if (error instanceof LeaseLostError) return { status: 'lease_lost' };
    throw error;
  } finally {
    await abandonFinish().catch(() => undefined);
    await recorder.stop();
  }
}

async function fail(
  ctx: ExecutorContext,
  recorder: JobRecorder,
  step: ProvisioningStep,
  failure: AwsFailure,
): Promise<ExecutionOutcome> {
  const record: ProvisioningFailure = {
    code: failure.aws.code,
    message: failure.aws.message,
    step: step.key,
  };
  await recorder.finish('failed', record, ctx.started, (tx) => ctx.completion.failed(tx, ctx.job, record));
  return { status: 'failed', failure: record };
}

async function withRetries<T>(
  ctx: ExecutorContext,
  recorder: JobRecorder,
  step: ProvisioningStep,
  sleep: (ms: number) => Promise<void>,
  run: () => Promise<AwsResult<T>>,
): Promise<AwsResult<T>> {
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    const result = await run();
    if (result.ok) {
      if (attempt > 1) void recorder.setRetrying(null);
      return result;
    }
    const isPrincipalLag =
      isInvalidPrincipalError(result.aws) && Date.now() - started < ctx.retry.invalidPrincipalWindowMs;
    const isTransient = isTransientAwsError(result.aws) && attempt < ctx.retry.maxTransientAttempts;
    if (!isPrincipalLag && !isTransient) return result;
    await recorder.setRetrying({ code: result.aws.code, message: result.aws.message, step: step.key });
    await recorder.check();
    const delay = backoffDelayMs(ctx.retry, attempt);
    await sleep(
      isPrincipalLag ? Math.min(delay, ctx.retry.invalidPrincipalWindowMs - (Date.now() - started)) : delay,
    );
  }
}
