import 'server-only';

import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

import type { Database, Db } from '@/lib/db/schema';
import type { ProvisioningJobOperation, ProvisioningJobStatus } from '@/lib/db/tables/provisioning';
import type { ProvisioningPlan } from '@/lib/provisioning/plan';

/** A job as a worker holds it after claiming it. */
export interface ClaimedJob {
  id: string;
  requestId: string;
  attempt: number;
  operation: ProvisioningJobOperation;
  /** Unique per claim: every write of the worker is fenced on it. */
  leaseToken: string;
  plan: ProvisioningPlan | null;
  /** 1 on the first claim; more means the job is being resumed after a crash or a lost lease. */
  claims: number;
}

/** What the portal shows about a request's provisioning. */
export interface ProvisioningStatus {
  jobId: string;
  attempt: number;
  operation: ProvisioningJobOperation;
  status: ProvisioningJobStatus;
  lastError: { code: string; message: string; step: string | null } | null;
  steps: {
    key: string;
    action: string;
    state: 'pending' | 'done';
    startedAt: Date;
    completedAt: Date | null;
  }[];
  updatedAt: Date;
}

/** Thrown inside a worker's transaction when another worker took the job over; the run stops. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(jobId: string) {
    super(`The lease on provisioning job ${jobId} was lost to another worker`);
  }
}

/**
 * Queues a request for provisioning, inside the caller's transaction (the approval's or the
 * retry's), so the job exists if and only if that transaction commits. Idempotent: while the
 * request has an unfinished job, a second call returns that job (`isNew: false`).
 */
export async function enqueueProvisioning(
  tx: Db,
  requestId: string,
  operation: ProvisioningJobOperation = 'provision',
): Promise<{ jobId: string; isNew: boolean }> {
  const inserted = await sql<{ id: string }>`
    insert into provisioning_jobs (request_id, attempt, operation, status)
    select ${requestId}::uuid, coalesce(max(attempt), 0) + 1, ${operation}, 'queued'
    from provisioning_jobs where request_id = ${requestId}::uuid
    on conflict do nothing
    returning id`.execute(tx);
  const created = inserted.rows[0];
  if (created) return { jobId: created.id, isNew: true };
  const active = await tx
    .selectFrom('provisioning_jobs')
    .select('id')
    .where('request_id', '=', requestId)
    .where('status', 'in', ['queued', 'running', 'retrying'])
    .executeTakeFirst();
  if (active) return { jobId: active.id, isNew: false };
  // A concurrent enqueue took the same attempt number and has finished since: ask again.
  return enqueueProvisioning(tx, requestId, operation);
}

interface JobRow {
  id: string;
  request_id: string;
  attempt: number;
  operation: ProvisioningJobOperation;
  plan: ProvisioningPlan | null;
  claims: number;
}

/**
 * Claims the oldest runnable job with a lease of `leaseMs`: a queued or retrying job whose backoff
 * has passed, or a running job whose lease has expired (its worker died). Uses
 * `FOR UPDATE SKIP LOCKED`, so concurrent workers never claim the same job. Returns `null` when
 * there is nothing to do. Inside a transaction, the job's row stays locked until it commits.
 */
export async function claimNextJob(db: Db, workerId: string, leaseMs: number): Promise<ClaimedJob | null> {
  const leaseToken = `${workerId}/${randomUUID()}`;
  const result = await sql<JobRow>`
    update provisioning_jobs
    set status = 'running', lease_owner = ${leaseToken},
        lease_expires_at = now() + ${leaseMs} * interval '1 millisecond',
        claims = claims + 1, updated_at = now()
    where id = (
      select id from provisioning_jobs
      where status in ('queued', 'running', 'retrying') and run_after <= now()
        and (lease_owner is null or lease_expires_at < now())
      order by run_after, created_at
      for update skip locked
      limit 1)
    returning id, request_id, attempt, operation, plan, claims`.execute(db);
  const row = result.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    requestId: row.request_id,
    attempt: row.attempt,
    operation: row.operation,
    leaseToken,
    plan: row.plan,
    claims: row.claims,
  };
}

/**
 * Extends the lease and checks that it is still ours, in the caller's transaction. Throws
 * {@link LeaseLostError} when another worker holds the job now.
 */
export async function fenceJob(
  tx: Db,
  job: ClaimedJob,
  leaseMs: number,
  status: 'running' | 'retrying' = 'running',
): Promise<void> {
  const result = await sql`
    update provisioning_jobs
    set lease_expires_at = now() + ${leaseMs} * interval '1 millisecond', status = ${status}, updated_at = now()
    where id = ${job.id}::uuid and lease_owner = ${job.leaseToken}`.execute(tx);
  if (Number(result.numAffectedRows ?? 0) !== 1) throw new LeaseLostError(job.id);
}

/**
 * At a job's first claim, in one statement (so one commit, fenced on the lease): stores the plan,
 * so that a resume repeats exactly the same steps, and records the intent of every IAM write the
 * plan makes, before any of them is called (the write-ahead record of HashiCorp Vault's AWS
 * engine, for a whole plan at once). Steps an earlier attempt of the request completed are
 * recorded `done`. A crash at any later point can be resumed or rolled back.
 */
export async function startJob(
  db: Db,
  job: ClaimedJob,
  plan: ProvisioningPlan,
  intents: { key: string; index: number; action: string; state: 'pending' | 'done' }[],
  leaseMs: number,
): Promise<void> {
  const result = await sql<{ fenced: number }>`
    with fence as (
      update provisioning_jobs
      set plan = ${JSON.stringify(plan)}::jsonb, status = 'running', updated_at = now(),
          lease_expires_at = now() + ${leaseMs} * interval '1 millisecond'
      where id = ${job.id}::uuid and lease_owner = ${job.leaseToken}
      returning id
    ), began as (
      insert into provisioning_intents (job_id, step_key, step_index, action, state, worker)
      select fence.id, intent.key, intent.index, intent.action, intent.state, ${job.leaseToken}::text
      from fence, unnest(${intents.map((intent) => intent.key)}::text[], ${intents.map((intent) => intent.index)}::integer[],
        ${intents.map((intent) => intent.action)}::text[], ${intents.map((intent) => intent.state)}::text[])
        as intent(key, index, action, state)
      on conflict (job_id, step_key) do nothing
      returning step_key
    )
    select (select count(*) from fence)::integer as fenced`.execute(db);
  if ((result.rows[0]?.fenced ?? 0) !== 1) throw new LeaseLostError(job.id);
}

export interface IntentRecord {
  key: string;
  state: 'pending' | 'done';
  outcome: unknown;
}

/** The intents recorded for a job, by step key. */
export async function listJobIntents(db: Db, jobId: string): Promise<Map<string, IntentRecord>> {
  const rows = await db
    .selectFrom('provisioning_intents')
    .select(['step_key', 'state', 'outcome'])
    .where('job_id', '=', jobId)
    .execute();
  return new Map(
    rows.map((row) => [row.step_key, { key: row.step_key, state: row.state, outcome: row.outcome }]),
  );
}

/**
 * Step keys that earlier provisioning attempts of the request completed and that no rollback has
 * undone since: an approver's retry does not repeat them.
 */
export async function listCarriedOverSteps(
  db: Db,
  requestId: string,
  beforeAttempt: number,
): Promise<Set<string>> {
  const lastRollback = await db
    .selectFrom('provisioning_jobs')
    .select((eb) => eb.fn.max('attempt').as('attempt'))
    .where('request_id', '=', requestId)
    .where('operation', '=', 'rollback')
    .where('attempt', '<', beforeAttempt)
    .executeTakeFirst();
  const since = lastRollback?.attempt ?? 0;
  const rows = await db
    .selectFrom('provisioning_intents as i')
    .innerJoin('provisioning_jobs as j', 'j.id', 'i.job_id')
    .select('i.step_key')
    .where('j.request_id', '=', requestId)
    .where('j.operation', '=', 'provision')
    .where('j.attempt', '>', since)
    .where('j.attempt', '<', beforeAttempt)
    .where('i.state', '=', 'done')
    .execute();
  return new Set(rows.map((row) => row.step_key));
}

/**
 * Marks step `done` complete (with its outcome) and/or records the intent for step `next`, fenced
 * on the lease, as a single statement (so a single commit). Throws {@link LeaseLostError} when the
 * lease is gone.
 */
export async function recordProgress(
  db: Db,
  job: ClaimedJob,
  leaseMs: number,
  done: { key: string; outcome: unknown } | null,
  next: { key: string; index: number; action: string } | null,
): Promise<void> {
  const result = await sql<{ fenced: number }>`
    with fence as (
      update provisioning_jobs
      set lease_expires_at = now() + ${leaseMs} * interval '1 millisecond', status = 'running', updated_at = now()
      where id = ${job.id}::uuid and lease_owner = ${job.leaseToken}
      returning id
    ), done as (
      update provisioning_intents
      set state = 'done', outcome = ${done ? JSON.stringify(done.outcome ?? null) : null}::jsonb, completed_at = now()
      where job_id = ${job.id}::uuid and step_key = ${done?.key ?? null}::text and exists (select 1 from fence)
      returning step_key
    ), began as (
      insert into provisioning_intents (job_id, step_key, step_index, action, state, worker)
      select id, ${next?.key ?? null}::text, ${next?.index ?? 0}::integer, ${next?.action ?? ''}::text, 'pending', ${job.leaseToken}::text
      from fence where ${next?.key ?? null}::text is not null
      on conflict (job_id, step_key) do nothing
      returning step_key
    )
    select (select count(*) from fence)::integer as fenced`.execute(db);
  if ((result.rows[0]?.fenced ?? 0) !== 1) throw new LeaseLostError(job.id);
}

/**
 * Commits the caller's transaction without waiting for the disk (PostgreSQL `synchronous_commit =
 * off`, for this transaction only). For records that a crash may lose without harm: a completion
 * (a resume then reads instead), the request's move to `provisioning` and the job's end (a resume
 * repeats them). PostgreSQL's log is written in order, so the next synchronous commit, such as the
 * next job's intents, makes them durable too; and the server flushes them within a fraction of a
 * second anyway.
 */
export async function commitLazily(tx: Db): Promise<void> {
  await sql`set local synchronous_commit = off`.execute(tx);
}

/** Marks the job `retrying` with the failure being waited out, fenced on the lease. */
export async function markJobRetrying(
  db: Kysely<Database>,
  job: ClaimedJob,
  leaseMs: number,
  error: { code: string; message: string; step: string | null },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await fenceJob(tx, job, leaseMs, 'retrying');
    await tx
      .updateTable('provisioning_jobs')
      .set({ last_error: JSON.stringify(error) })
      .where('id', '=', job.id)
      .execute();
  });
}

/**
 * Ends the job (`succeeded` or `failed`) and releases its lease, in the caller's transaction, in
 * one statement fenced on the lease. A failure is recorded as `last_error`; a success leaves the
 * last transient error seen, for operators.
 */
export async function finishJob(
  tx: Db,
  job: ClaimedJob,
  status: 'succeeded' | 'failed',
  error: { code: string; message: string; step: string | null } | null,
): Promise<void> {
  const result = await sql`
    update provisioning_jobs
    set status = ${status}, last_error = coalesce(${error ? JSON.stringify(error) : null}::jsonb, last_error),
        lease_owner = null, lease_expires_at = null, finished_at = now(), updated_at = now()
    where id = ${job.id}::uuid and lease_owner = ${job.leaseToken}`.execute(tx);
  if (Number(result.numAffectedRows ?? 0) !== 1) throw new LeaseLostError(job.id);
}

/** Extends the lease while a slow call or a backoff runs; `false` when the lease was lost. */
export async function heartbeat(db: Kysely<Database>, job: ClaimedJob, leaseMs: number): Promise<boolean> {
  const result = await sql`
    update provisioning_jobs set lease_expires_at = now() + ${leaseMs} * interval '1 millisecond'
    where id = ${job.id}::uuid and lease_owner = ${job.leaseToken}`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}

/**
 * The latest provisioning job of a request with its steps, for the request page (shows
 * "retrying" while throttling or a server fault is waited out). `null` when none exists.
 */
export async function getProvisioningStatus(db: Db, requestId: string): Promise<ProvisioningStatus | null> {
  const job = await db
    .selectFrom('provisioning_jobs')
    .select(['id', 'attempt', 'operation', 'status', 'last_error', 'updated_at'])
    .where('request_id', '=', requestId)
    .orderBy('attempt', 'desc')
    .executeTakeFirst();
  if (!job) return null;
  const steps = await db
    .selectFrom('provisioning_intents')
    .select(['step_key', 'action', 'state', 'started_at', 'completed_at'])
    .where('job_id', '=', job.id)
    .orderBy('step_index')
    .execute();
  return {
    jobId: job.id,
    attempt: job.attempt,
    operation: job.operation,
    status: job.status,
    lastError: job.last_error ?? null,
    steps: steps.map((step) => ({
      key: step.step_key,
      action: step.action,
      state: step.state,
      startedAt: step.started_at,
      completedAt: step.completed_at,
    })),
    updatedAt: job.updated_at,
  };
}

/**
 * For a rollback: the plan of the request's latest provisioning attempt, the keys of every step
 * that attempts since the last rollback that did not fail recorded an intent for (done or maybe
 * done), and the keys of those recorded done.
 */
export async function getRollbackSource(
  db: Db,
  requestId: string,
  beforeAttempt: number,
): Promise<{ plan: ProvisioningPlan; touched: Set<string>; done: Set<string> } | null> {
  const jobs = await db
    .selectFrom('provisioning_jobs')
    .select(['id', 'attempt', 'operation', 'plan', 'status'])
    .where('request_id', '=', requestId)
    .where('attempt', '<', beforeAttempt)
    .orderBy('attempt', 'desc')
    .execute();
  const since: typeof jobs = [];
  for (const job of jobs) {
    // A failed rollback undid only part of it: rolling back again starts from the same attempts.
    if (job.operation === 'rollback') {
      if (job.status === 'failed') continue;
      break;
    }
    since.push(job);
  }
  const latest = since.find((job) => job.plan !== null);
  if (!latest) return null;
  const ids = since.map((job) => job.id);
  const rows = await db
    .selectFrom('provisioning_intents')
    .select(['step_key', 'state'])
    .where('job_id', 'in', ids)
    .execute();
  return {
    plan: latest.plan as ProvisioningPlan,
    touched: new Set(rows.map((row) => row.step_key)),
    done: new Set(rows.filter((row) => row.state === 'done').map((row) => row.step_key)),
  };
}
