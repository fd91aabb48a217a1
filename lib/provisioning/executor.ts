import 'server-only';

import {
  isInvalidPrincipalError,
  isTransientAwsError,
  type AwsFailure,
  type AwsResult,
} from '@/lib/aws/errors';
import type { IamAccountClient } from '@/lib/aws/iam-client';
import type { LiveRole } from '@/lib/aws/types';
import {
  updateJobFinish,
  updateJobProgress,
  type JobError,
  type StepCompletion,
} from '@/lib/db/queries/provisioning';
import type { ProvisionedTransition } from '@/lib/db/queries/requests';
import type { RootDb, Tx } from '@/lib/db/schema';
import { inTransaction } from '@/lib/db/transaction';
import { jsonTextEqual } from '@/lib/iam/json-equal';
import { LeaseLostError, type ClaimedJob } from '@/lib/provisioning/jobs';
import {
  customerPolicyArn,
  isReadStep,
  REQUEST_TAG_KEY,
  type ProvisioningPlan,
  type ProvisioningStep,
} from '@/lib/provisioning/plan';
import { backoffDelayMs, type RetryPolicy } from '@/lib/provisioning/retry';

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

/** Claims a worker's next job inside the given transaction; `null` when there is none. */
export type ClaimNext = (tx: Tx) => Promise<ClaimedJob | null>;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function synthetic(code: string, message: string): AwsFailure {
  return {
    ok: false,
    code: code === 'EntityAlreadyExists' ? 'conflict' : 'aws_error',
    message: `${code}: ${message}`,
    aws: { code, message, httpStatus: null, isOutcomeUnknown: false },
  };
}

const okValue = <T>(value: T): AwsResult<T> => ({ ok: true, value });

function hasRequestTag(tags: { key: string; value: string }[], requestId: string): boolean {
  return tags.some(
    (tag) => tag.key.toLowerCase() === REQUEST_TAG_KEY.toLowerCase() && tag.value === requestId,
  );
}

/** Rolls back a job's end begun before its last reads, when one of them failed. */
class FinishAbandoned extends Error {
  override readonly name = 'FinishAbandoned';
}

/** The claim of the worker's next job failed inside a job's end (which then ends without it). */
class ClaimFailed extends Error {
  override readonly name = 'ClaimFailed';
}

/** A job's end begun while its last reads run: committed once they pass, or abandoned. */
interface PendingFinish {
  /** Commits the job's end; returns the next job claimed with it, if any. */
  commit(): Promise<ClaimedJob | null>;
  abandon(): Promise<void>;
}

/**
 * A running job's record in the database: the steps done that are not recorded yet, the job's
 * status, and its lease. Records are written in the background (one fenced statement each, which
 * also extends the lease) at most every `progressMs`, or at once when the job starts or stops
 * waiting out a failure; the job's end records whatever is left in its own transaction. Losing an
 * unrecorded completion in a crash costs only a read on resume: the intents themselves were
 * committed before the first IAM call.
 */
class JobRecorder {
  #unrecorded: StepCompletion[] = [];
  #status: 'running' | 'retrying' = 'running';
  #lastError: JobError | undefined;
  #isDirty = false;
  #chain: Promise<void> = Promise.resolve();
  #isQueued = false;
  /** When the lease was last extended: at the claim, for a job that just starts. */
  #renewedAt: number;
  #failure: Error | null = null;
  #isLeaseLost = false;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly db: RootDb,
    private readonly job: ClaimedJob,
    private readonly leaseMs: number,
    private readonly progressMs: number,
  ) {
    this.#renewedAt = job.claimedAt;
    this.#startTimer();
  }

  #startTimer(): void {
    const renewEvery = Math.max(10, Math.floor(this.leaseMs / 3));
    this.#timer ??= setInterval(
      () => {
        if (this.#unrecorded.length > 0 || this.#isDirty || Date.now() - this.#renewedAt >= renewEvery)
          void this.flush();
      },
      Math.max(10, Math.min(this.progressMs, renewEvery)),
    );
  }

  #stopTimer(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** A step's effect is in place. */
  done(completion: StepCompletion): void {
    this.#unrecorded.push(completion);
  }

  /** The job waits out a failure (`error`), or runs again (`null`): recorded at once. */
  setRetrying(error: JobError | null): Promise<void> {
    this.#status = error ? 'retrying' : 'running';
    if (error) this.#lastError = error;
    this.#isDirty = true;
    return this.flush();
  }

  /** Throws when the lease was lost or a record failed; renews a lease close to expiry first. */
  async check(): Promise<void> {
    if (Date.now() - this.#renewedAt >= this.leaseMs / 2) await this.flush();
    if (this.#failure) throw this.#failure;
    if (this.#isLeaseLost) throw new LeaseLostError(this.job.id);
  }

  /** Records what is pending now (after any record in progress). */
  flush(): Promise<void> {
    if (this.#isQueued) return this.#chain;
    this.#isQueued = true;
    this.#chain = this.#chain.then(async () => {
      this.#isQueued = false;
      const completions = this.#unrecorded;
      this.#unrecorded = [];
      const lastError = this.#lastError;
      this.#lastError = undefined;
      this.#isDirty = false;
      const startedAt = Date.now();
      try {
        const held = await updateJobProgress(this.db, this.job, this.leaseMs, {
          status: this.#status,
          completions,
          ...(lastError ? { lastError } : {}),
          lazy: true,
        });
        if (held) this.#renewedAt = startedAt;
        else this.#isLeaseLost = true;
      } catch (error) {
        this.#unrecorded.unshift(...completions);
        this.#failure ??=
          error instanceof Error
            ? error
            : new Error('Could not record provisioning progress', { cause: error });
      }
    });
    return this.#chain;
  }

  /**
   * Ends the job in one transaction, lazily committed, once `started` (the request's move to
   * `provisioning`) has settled: the job's end with the completions not recorded yet, and
   * `moveRequest` (the request's transition), or `transition` made by the job's ending statement
   * itself (`moveRequest` runs only when that did not move the request). Throws
   * {@link LeaseLostError} when the lease is gone.
   */
  async finish(
    status: 'succeeded' | 'failed',
    error: JobError | null,
    started: Promise<void>,
    moveRequest: (tx: Tx) => Promise<void>,
    transition: ProvisionedTransition | null = null,
    claimNext: ClaimNext | null = null,
  ): Promise<ClaimedJob | null> {
    return this.#end(status, error, started, moveRequest, Promise.resolve(true), transition, claimNext);
  }

  /**
   * Begins the job's successful end (as {@link finish}) while its last reads run, holding the
   * transaction open until `commit()` (the reads passed) or `abandon()` (one failed: nothing is
   * written, and recording resumes). The job's row and its request's stay locked meanwhile; the
   * reads must not wait for the database.
   */
  beginFinish(
    started: Promise<void>,
    moveRequest: (tx: Tx) => Promise<void>,
    transition: ProvisionedTransition | null,
    claimNext: ClaimNext | null,
  ): PendingFinish {
    let decide: (isCommit: boolean) => void = () => undefined;
    const decision = new Promise<boolean>((resolve) => (decide = resolve));
    const ended = this.#end('succeeded', null, started, moveRequest, decision, transition, claimNext);
    ended.catch(() => undefined);
    return {
      commit: async () => {
        decide(true);
        return ended;
      },
      abandon: async () => {
        decide(false);
        try {
          await ended;
        } catch (error) {
          if (!(error instanceof FinishAbandoned)) throw error;
        }
        this.#startTimer();
      },
    };
  }

  async #end(
    status: 'succeeded' | 'failed',
    error: JobError | null,
    started: Promise<void>,
    moveRequest: (tx: Tx) => Promise<void>,
    decision: Promise<boolean>,
    transition: ProvisionedTransition | null,
    claimNext: ClaimNext | null = null,
  ): Promise<ClaimedJob | null> {
    this.#stopTimer();
    await this.#chain;
    if (this.#failure && status === 'succeeded') throw this.#failure;
    await started;
    const completions = this.#unrecorded;
    const end = (claim: ClaimNext | null) =>
      inTransaction(this.db, async (tx) => {
        const held = await updateJobFinish(tx, this.job, {
          status,
          error,
          completions,
          lazy: true,
          ...(transition ? { transition } : {}),
        });
        if (!held.isFenced) throw new LeaseLostError(this.job.id);
        if (!held.isMoved) await moveRequest(tx);
        else if (!held.isRecorded) {
          throw new Error(
            `Request ${this.job.requestId} could not be recorded as provisioned: its specification changed while it was provisioning`,
          );
        }
        // The worker's next job, claimed in this transaction: its intents become durable with this
        // commit (the claim makes it synchronous), before any of its IAM calls.
        const claimed =
          status === 'succeeded' && claim
            ? await claim(tx).catch((cause: unknown) => {
                throw new ClaimFailed('Could not claim the next job', { cause });
              })
            : null;
        if (!(await decision)) throw new FinishAbandoned();
        return claimed;
      });
    // A failed claim (reported by `claimNext` itself) must not undo this job's end: end it alone.
    const next = await end(claimNext).catch((error: unknown) => {
      if (error instanceof ClaimFailed) return end(null);
      throw error;
    });
    this.#unrecorded = [];
    return next;
  }

  /** Stops the background records (waiting for one in progress). */
  async stop(): Promise<void> {
    this.#stopTimer();
    await this.#chain;
  }
}

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

/** What a write learnt, kept on its intent record. */
type StepOutcome = { arn?: string; alreadyDone?: boolean; skipped?: string } | null;

/**
 * A rollback step with `ifTaggedBy` runs only on a role (or policy) carrying that request's tag:
 * one whose creation may not have been ours is read first, and left alone when someone else owns it.
 */
async function unlessForeign(
  iam: IamAccountClient,
  step: ProvisioningStep,
  write: () => Promise<AwsResult<StepOutcome>>,
): Promise<AwsResult<StepOutcome>> {
  switch (step.kind) {
    case 'detach_policy':
    case 'delete_inline_policy':
    case 'delete_role':
    case 'delete_policy': {
      if (!step.ifTaggedBy) return write();
      const live =
        step.kind === 'delete_policy' ? await iam.getPolicy(step.arn) : await iam.getRole(step.roleName);
      if (!live.ok) return live.aws.code === 'NoSuchEntity' ? okValue({ alreadyDone: true }) : live;
      return hasRequestTag(live.value.tags, step.ifTaggedBy)
        ? write()
        : okValue({ skipped: 'not created by this request' });
    }
    default:
      return write();
  }
}

async function runWrite(
  iam: IamAccountClient,
  plan: ProvisioningPlan,
  step: ProvisioningStep,
): Promise<AwsResult<StepOutcome>> {
  switch (step.kind) {
    case 'create_policy': {
      const created = await iam.createPolicy(step.policy);
      if (created.ok) return okValue({ arn: created.value.arn });
      if (created.aws.code !== 'EntityAlreadyExists') return created;
      // Created by an earlier attempt of this request? Then it is done (a retry finds it by its tag).
      const existing = await iam.getPolicy(step.arn);
      if (existing.ok && hasRequestTag(existing.value.tags, plan.requestId))
        return okValue({ arn: existing.value.arn, alreadyDone: true });
      return created;
    }
    case 'create_role': {
      const created = await iam.createRole(step.role);
      if (created.ok) return okValue({ arn: created.value.arn });
      if (created.aws.code !== 'EntityAlreadyExists') return created;
      const existing = await iam.getRole(step.role.name);
      if (existing.ok && hasRequestTag(existing.value.tags, plan.requestId))
        return okValue({ arn: existing.value.arn, alreadyDone: true });
      return created;
    }
    case 'attach_policy':
      return done(await iam.attachRolePolicy(step.roleName, step.policyArn));
    case 'put_inline_policy':
      return done(await iam.putRolePolicy(step.roleName, step.policyName, step.document));
    case 'update_role':
      return done(
        await iam.updateRole(step.roleName, {
          description: step.description,
          maxSessionDurationSeconds: step.maxSessionDurationSeconds,
        }),
      );
    case 'update_trust_policy':
      return done(await iam.updateTrustPolicy(step.roleName, step.document));
    case 'put_boundary':
      return done(await iam.putPermissionsBoundary(step.roleName, step.policyArn));
    case 'delete_boundary':
      return doneUnlessMissing(await iam.deletePermissionsBoundary(step.roleName));
    case 'tag_role':
      return done(await iam.tagRole(step.roleName, step.tags));
    case 'untag_role':
      return done(await iam.untagRole(step.roleName, step.keys));
    case 'detach_policy':
      return doneUnlessMissing(await iam.detachRolePolicy(step.roleName, step.policyArn));
    case 'delete_inline_policy':
      return doneUnlessMissing(await iam.deleteRolePolicy(step.roleName, step.policyName));
    case 'delete_role':
      return doneUnlessMissing(await iam.deleteRole(step.roleName));
    case 'delete_policy':
      return doneUnlessMissing(await iam.deletePolicy(step.arn));
    case 'verify_role':
    case 'verify_attached_policies':
    case 'verify_inline_policies':
    case 'verify_role_deleted':
      throw new Error(`${step.kind} is a read, not a write`);
  }
}

function done(result: AwsResult<null>): AwsResult<StepOutcome> {
  return result.ok ? okValue(null) : result;
}

/** Deletes are done when the thing is already gone (a retry after a crash, or a manual cleanup). */
function doneUnlessMissing(result: AwsResult<null>): AwsResult<StepOutcome> {
  if (!result.ok && result.aws.code === 'NoSuchEntity') return okValue({ alreadyDone: true });
  return done(result);
}

/**
 * A write whose intent was committed by a worker that died: read first (the only extra calls a
 * resume makes), and write only if the effect is not already in place.
 */
async function resumeWrite(
  iam: IamAccountClient,
  plan: ProvisioningPlan,
  step: ProvisioningStep,
): Promise<AwsResult<StepOutcome>> {
  switch (step.kind) {
    case 'create_policy': {
      const existing = await iam.getPolicy(step.arn);
      if (existing.ok) {
        return hasRequestTag(existing.value.tags, plan.requestId)
          ? okValue({ arn: existing.value.arn, alreadyDone: true })
          : synthetic('EntityAlreadyExists', `A policy called ${step.policy.name} already exists.`);
      }
      return existing.aws.code === 'NoSuchEntity' ? runWrite(iam, plan, step) : existing;
    }
    case 'create_role': {
      const existing = await iam.getRole(step.role.name);
      if (existing.ok) {
        return hasRequestTag(existing.value.tags, plan.requestId)
          ? okValue({ arn: existing.value.arn, alreadyDone: true })
          : synthetic('EntityAlreadyExists', `Role with name ${step.role.name} already exists.`);
      }
      return existing.aws.code === 'NoSuchEntity' ? runWrite(iam, plan, step) : existing;
    }
    case 'attach_policy':
    case 'detach_policy': {
      const attached = await iam.listAttachedRolePolicies(step.roleName);
      // A rollback resumed after its DeleteRole: a role that is gone has nothing attached.
      if (!attached.ok)
        return step.kind === 'detach_policy' && attached.aws.code === 'NoSuchEntity'
          ? okValue({ alreadyDone: true })
          : attached;
      const isAttached = attached.value.some((policy) => policy.arn === step.policyArn);
      return isAttached === (step.kind === 'attach_policy')
        ? okValue({ alreadyDone: true })
        : runWrite(iam, plan, step);
    }
    case 'put_inline_policy': {
      const current = await iam.getRolePolicy(step.roleName, step.policyName);
      if (current.ok && jsonTextEqual(current.value, step.document))
        return okValue({ alreadyDone: true });
      if (!current.ok && current.aws.code !== 'NoSuchEntity') return current;
      return runWrite(iam, plan, step);
    }
    case 'delete_inline_policy': {
      const names = await iam.listRolePolicies(step.roleName);
      if (!names.ok) return names.aws.code === 'NoSuchEntity' ? okValue({ alreadyDone: true }) : names;
      return names.value.includes(step.policyName)
        ? runWrite(iam, plan, step)
        : okValue({ alreadyDone: true });
    }
    case 'delete_role': {
      const existing = await iam.getRole(step.roleName);
      if (!existing.ok)
        return existing.aws.code === 'NoSuchEntity' ? okValue({ alreadyDone: true }) : existing;
      return runWrite(iam, plan, step);
    }
    case 'delete_policy': {
      const existing = await iam.getPolicy(step.arn);
      if (!existing.ok)
        return existing.aws.code === 'NoSuchEntity' ? okValue({ alreadyDone: true }) : existing;
      return runWrite(iam, plan, step);
    }
    case 'update_role':
    case 'update_trust_policy':
    case 'put_boundary':
    case 'delete_boundary':
    case 'tag_role':
    case 'untag_role': {
      const live = await iam.getRole(step.roleName);
      if (!live.ok) return live;
      return isRoleSettingApplied(live.value, step)
        ? okValue({ alreadyDone: true })
        : runWrite(iam, plan, step);
    }
    case 'verify_role':
    case 'verify_attached_policies':
    case 'verify_inline_policies':
    case 'verify_role_deleted':
      throw new Error(`${step.kind} is a read, not a write`);
  }
}

function isRoleSettingApplied(role: LiveRole, step: ProvisioningStep): boolean {
  const tagValue = (key: string) => role.tags.find((tag) => tag.key.toLowerCase() === key.toLowerCase());
  switch (step.kind) {
    case 'update_role':
      return (
        (role.description ?? '') === (step.description ?? '') &&
        role.maxSessionDurationSeconds === step.maxSessionDurationSeconds
      );
    case 'update_trust_policy':
      return jsonTextEqual(role.trustPolicy, step.document);
    case 'put_boundary':
      return role.permissionsBoundaryArn === step.policyArn;
    case 'delete_boundary':
      return role.permissionsBoundaryArn === null;
    case 'tag_role':
      return step.tags.every((tag) => tagValue(tag.key)?.value === tag.value);
    case 'untag_role':
      return step.keys.every((key) => tagValue(key) === undefined);
    default:
      return false;
  }
}

/** The verifying reads: the live role must match the approved specification. */
async function verify(
  iam: IamAccountClient,
  plan: ProvisioningPlan,
  step: ProvisioningStep,
): Promise<AwsResult<null>> {
  const target = plan.target;
  switch (step.kind) {
    case 'verify_role': {
      const live = await iam.getRole(step.roleName);
      if (!live.ok || !target) return live.ok ? okValue(null) : live;
      const problems: string[] = [];
      const role = live.value;
      const liveAccount = role.arn.split(':')[4] ?? '';
      if (liveAccount !== plan.accountId)
        problems.push(`it is in account ${liveAccount}, expected ${plan.accountId}`);
      if (role.path !== target.path) problems.push(`path is ${role.path}, expected ${target.path}`);
      if ((role.description ?? '') !== (target.description ?? '')) problems.push('description differs');
      if (role.maxSessionDurationSeconds !== target.maxSessionDurationSeconds) {
        problems.push(
          `max session duration is ${role.maxSessionDurationSeconds ?? 'unset'}, expected ${target.maxSessionDurationSeconds}`,
        );
      }
      if (!jsonTextEqual(role.trustPolicy, target.trustPolicy))
        problems.push('trust policy differs');
      if (role.permissionsBoundaryArn !== target.permissionsBoundaryArn)
        problems.push('permissions boundary differs');
      for (const tag of target.tags) {
        if (tag.key.toLowerCase() === REQUEST_TAG_KEY) continue;
        if (
          !role.tags.some(
            (live) => live.key.toLowerCase() === tag.key.toLowerCase() && live.value === tag.value,
          )
        ) {
          problems.push(`tag ${tag.key} differs`);
        }
      }
      if (plan.operation === 'create' && !hasRequestTag(role.tags, plan.requestId))
        problems.push(`tag ${REQUEST_TAG_KEY} missing`);
      return problems.length === 0
        ? okValue(null)
        : synthetic('VerificationFailed', `Role ${role.name}: ${problems.join('; ')}.`);
    }
    case 'verify_attached_policies': {
      const attached = await iam.listAttachedRolePolicies(step.roleName);
      if (!attached.ok || !target) return attached.ok ? okValue(null) : attached;
      const expected = new Set([
        ...target.managedPolicyArns,
        ...target.newPolicies.map((policy) => customerPolicyArn(target.accountId, policy.path, policy.name)),
      ]);
      const live = new Set(attached.value.map((policy) => policy.arn));
      const missing = [...expected].filter((arn) => !live.has(arn));
      const extra = [...live].filter((arn) => !expected.has(arn));
      if (missing.length === 0 && extra.length === 0) return okValue(null);
      return synthetic(
        'VerificationFailed',
        `Attached policies differ: missing ${missing.join(', ') || 'none'}; unexpected ${extra.join(', ') || 'none'}.`,
      );
    }
    case 'verify_inline_policies': {
      const names = await iam.listRolePolicies(step.roleName);
      if (!names.ok || !target) return names.ok ? okValue(null) : names;
      const expected = new Set(target.inlinePolicies.map((policy) => policy.name));
      const live = new Set(names.value);
      const isSame = expected.size === live.size && [...expected].every((name) => live.has(name));
      return isSame
        ? okValue(null)
        : synthetic(
            'VerificationFailed',
            `Inline policies are ${[...live].join(', ') || 'none'}, expected ${[...expected].join(', ') || 'none'}.`,
          );
    }
    case 'verify_role_deleted': {
      const live = await iam.getRole(step.roleName);
      if (live.ok && step.ifTaggedBy && !hasRequestTag(live.value.tags, step.ifTaggedBy))
        return okValue(null);
      if (live.ok) return synthetic('VerificationFailed', `Role ${step.roleName} still exists.`);
      return live.aws.code === 'NoSuchEntity' ? okValue(null) : live;
    }
    default:
      throw new Error(`${step.kind} is a write, not a read`);
  }
}
