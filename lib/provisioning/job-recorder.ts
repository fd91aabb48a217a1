import 'server-only';

import {
  updateJobFinish,
  updateJobProgress,
  type JobError,
  type StepCompletion,
} from '@/lib/db/queries/provisioning';
import type { ProvisionedTransition } from '@/lib/db/queries/requests';
import type { RootDb, Tx } from '@/lib/db/schema';
import { inTransaction } from '@/lib/db/transaction';
import { LeaseLostError, type ClaimedJob } from '@/lib/provisioning/jobs';

/**
 * The provisioning intent recorder: a running job's durable record (the steps done, its status,
 * its lease) and the transaction that ends it. The steps themselves, IAM's writes and the
 * verifying reads, are in `steps.ts`; `executor.ts` runs a plan with both.
 */

/** Claims a worker's next job inside the given transaction; `null` when there is none. */
export type ClaimNext = (tx: Tx) => Promise<ClaimedJob | null>;

/** Rolls back a job's end begun before its last reads, when one of them failed. */
class FinishAbandoned extends Error {
  override readonly name = 'FinishAbandoned';
}

/** The claim of the worker's next job failed inside a job's end (which then ends without it). */
class ClaimFailed extends Error {
  override readonly name = 'ClaimFailed';
}

/** A job's end begun while its last reads run: committed once they pass, or abandoned. */
export interface PendingFinish {
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
export class JobRecorder {
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
