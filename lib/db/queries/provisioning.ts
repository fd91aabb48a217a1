import 'server-only';

import { sql } from 'kysely';

import { PREPARED } from '@/lib/db/prepared';
import {
  provisionedTransitionCtes,
  transitionCtesOf,
  type ProvisionedTransition,
  type StateTransition,
} from '@/lib/db/queries/requests';
import type { Db, Tx } from '@/lib/db/schema';
import type { RequestKind, RequestState } from '@/lib/db/tables/core';
import type {
  ProvisioningIntentState,
  ProvisioningJobOperation,
  ProvisioningJobStatus,
} from '@/lib/db/tables/provisioning';
import type { ProvisioningPlan } from '@/lib/provisioning/plan';

/**
 * Queries of provisioning: jobs claimed with a lease and the intent records written before IAM
 * calls. Every write a worker makes is fenced on its lease token (`lease_owner`): it changes
 * nothing and returns `false` when another worker holds the job now. Writes marked `lazy` commit
 * without waiting for the disk (`synchronous_commit = off` for their transaction only): for records
 * a database crash may lose without harm, because a resume reads IAM instead or repeats them.
 */

/** What a job's plan is made from: its request's kind and specifications (stored JSON, unparsed). */
export interface JobRequestSource {
  kind: RequestKind;
  spec: unknown;
  /** SHA-256 of `spec`, as the request stores it. */
  specSha256: string;
  /** The role the plan starts from: the request's plan base when it has one (an adoption), else its base. */
  baseSpec: unknown;
}

/** A job as the claim returned it. */
export interface ClaimedJobRecord {
  id: string;
  requestId: string;
  /** Read with the claim, so that planning costs no second query. */
  request: JobRequestSource;
  attempt: number;
  operation: ProvisioningJobOperation;
  /** The request's state when the job was claimed (before the claim's own transition). */
  requestState: RequestState;
  /**
   * The plan fixed when the job was queued (or, for a job queued before plans were, at its first
   * claim); `null` for such an old job not claimed before.
   */
  plan: ProvisioningPlan | null;
  /** 1 on the first claim; more means the job is being resumed. */
  claims: number;
  /** Steps recorded done: carried over from an earlier attempt, or done before a resume. */
  doneKeys: string[];
  /** Whether the claim moved the request `approved → provisioning` (see `updateClaimNextJob`). */
  isStarted: boolean;
}

/** The failure a job records: AWS's code and message and the step that failed. */
export interface JobError {
  code: string;
  message: string;
  step: string | null;
}

/** One step's intent, recorded before the job's first IAM call. */
export interface IntentInput {
  key: string;
  index: number;
  action: string;
  state: ProvisioningIntentState;
}

/** A step known to be done, with what it learnt (e.g. the ARN it created). */
export interface StepCompletion {
  key: string;
  outcome: unknown;
}

/** What the portal shows about a request's provisioning. */
export interface ProvisioningStatus {
  jobId: string;
  attempt: number;
  operation: ProvisioningJobOperation;
  status: ProvisioningJobStatus;
  lastError: JobError | null;
  steps: {
    key: string;
    action: string;
    state: ProvisioningIntentState;
    startedAt: Date;
    completedAt: Date | null;
  }[];
  updatedAt: Date;
}

/** A provisioning job of a request, as tests and operators look at it. */
export interface ProvisioningJobSummary {
  id: string;
  attempt: number;
  operation: ProvisioningJobOperation;
  status: ProvisioningJobStatus;
  claims: number;
  lastError: JobError | null;
}

/** `set_config(…, true)` in a statement: its transaction commits without waiting for the disk. */
const lazyCommit = sql`(select set_config('synchronous_commit', 'off', true))`;
const syncCommit = sql`null`;

/** A job's plan and the intents its first claim records, fixed when it is queued. */
export interface PlannedJob {
  plan: ProvisioningPlan;
  intents: IntentInput[];
}

/**
 * Inserts a queued job for the request with the next attempt number, with its plan when given
 * (without one, the worker plans it at its first claim). Idempotent while the request has an
 * unfinished job (a unique partial index): returns that job with `isNew: false`.
 */
export async function insertProvisioningJob(
  db: Db,
  requestId: string,
  operation: ProvisioningJobOperation,
  planned: PlannedJob | null = null,
): Promise<{ jobId: string; isNew: boolean }> {
  const inserted = await sql<{ id: string }>`
    insert into provisioning_jobs (request_id, attempt, operation, status, planned_plan, planned_intents)
    select ${requestId}::uuid, coalesce(max(attempt), 0) + 1, ${operation}, 'queued',
      ${planned ? JSON.stringify(planned.plan) : null}::jsonb, ${planned ? JSON.stringify(planned.intents) : null}::jsonb
    from provisioning_jobs where request_id = ${requestId}::uuid
    on conflict do nothing
    returning id`.execute(db);
  const created = inserted.rows[0];
  if (created) return { jobId: created.id, isNew: true };
  const active = await getUnfinishedJobId(db, requestId);
  if (active) return { jobId: active, isNew: false };
  // A concurrent insert took the same attempt number and has finished since: ask again.
  return insertProvisioningJob(db, requestId, operation, planned);
}

/** What a `provision` job of the request is planned from, read in one statement. */
export interface ProvisionPlanningInput {
  source: JobRequestSource;
  /** The request's unfinished job (then nothing is queued), or null. */
  unfinishedJobId: string | null;
  /**
   * Step keys that provisioning attempts before `beforeAttempt` completed and that no rollback has
   * undone since: a retry does not repeat them.
   */
  carriedOver: Set<string>;
}

/** See {@link ProvisionPlanningInput}; `null` when the request does not exist. */
export async function getProvisionPlanningInput(
  db: Db,
  requestId: string,
  beforeAttempt: number,
): Promise<ProvisionPlanningInput | null> {
  const result = await sql<{
    kind: RequestKind;
    spec: unknown;
    spec_sha256: string;
    base_spec: unknown;
    unfinished_job_id: string | null;
    carried_over: string[];
  }>`
    select r.kind, r.spec, r.spec_sha256, coalesce(r.plan_base_spec, r.base_spec) as base_spec,
      (select j.id from provisioning_jobs j
        where j.request_id = r.id and j.status in ('queued', 'running', 'retrying') limit 1) as unfinished_job_id,
      array(
        select i.step_key from provisioning_intents i join provisioning_jobs j on j.id = i.job_id
        where j.request_id = r.id and j.operation = 'provision' and i.state = 'done'
          and j.attempt < ${beforeAttempt}::integer
          and j.attempt > coalesce((
            select max(rb.attempt) from provisioning_jobs rb
            where rb.request_id = r.id and rb.operation = 'rollback' and rb.attempt < ${beforeAttempt}::integer), 0)
      ) as carried_over
    from requests r where r.id = ${requestId}::uuid`.execute(db);
  const row = result.rows[0];
  return row
    ? {
        source: { kind: row.kind, spec: row.spec, specSha256: row.spec_sha256, baseSpec: row.base_spec },
        unfinishedJobId: row.unfinished_job_id,
        carriedOver: new Set(row.carried_over),
      }
    : null;
}

/**
 * Locks the request's unfinished jobs (`FOR UPDATE`), waiting for a worker that is ending one.
 * Callers that then lock the request take the locks in the worker's order (job, then request),
 * so an approver's retry or rollback racing the end of a job waits instead of deadlocking.
 */
export async function lockUnfinishedProvisioningJobs(tx: Tx, requestId: string): Promise<void> {
  await tx
    .selectFrom('provisioning_jobs')
    .select('id')
    .where('request_id', '=', requestId)
    .where('status', 'in', ['queued', 'running', 'retrying'])
    .forUpdate()
    .execute();
}

/**
 * Claims the oldest runnable job for `leaseToken` for `leaseMs`, in one statement: a queued or
 * retrying job whose backoff has passed, or a running job whose lease has expired
 * (`FOR UPDATE SKIP LOCKED`, so concurrent workers never claim the same job). The same statement
 * records the intents the job was planned with (its first claim; kept on later ones), so they are
 * durable (synchronous commit) before the worker's first IAM call, and, with `start`, makes that
 * transition of a `provision` job's request (`approved → provisioning`) with its audit event. The
 * job's request is read with it. `null` when there is nothing to do. A named prepared statement.
 * A claim always commits synchronously, also inside a transaction that began lazily (a job's end
 * that claims the worker's next job); its lease runs from the statement (`clock_timestamp()`), not
 * from the start of such a transaction.
 */
export async function updateClaimNextJob(
  db: Db,
  leaseToken: string,
  leaseMs: number,
  start?: Omit<StateTransition, 'requestId'>,
): Promise<ClaimedJobRecord | null> {
  const moveCtes = start
    ? sql`, ${transitionCtesOf(sql`(select request_id from claimed where operation = 'provision')`, start)}`
    : sql``;
  const result = await sql<{
    id: string;
    request_id: string;
    attempt: number;
    operation: ProvisioningJobOperation;
    plan: ProvisioningPlan | null;
    claims: number;
    done_keys: string[];
    moved: number;
    request_kind: RequestKind;
    request_state: RequestState;
    request_spec: unknown;
    request_spec_sha256: string;
    request_base_spec: unknown;
  }>`${PREPARED}
    with claimed as (
      update provisioning_jobs
      set status = 'running', lease_owner = ${leaseToken}::text,
          lease_expires_at = clock_timestamp() + ${leaseMs}::integer * interval '1 millisecond',
          claims = claims + 1, updated_at = now(), plan = coalesce(plan, planned_plan)
      where id = (
        select id from provisioning_jobs
        where status in ('queued', 'running', 'retrying') and run_after <= now()
          and (lease_owner is null or lease_expires_at < now())
        order by run_after, created_at
        for update skip locked
        limit 1)
      returning id, request_id, attempt, operation, plan, planned_intents, claims
    ), began as (
      insert into provisioning_intents (job_id, step_key, step_index, action, state, worker)
      select claimed.id, intent.key, intent.index, intent.action, intent.state, ${leaseToken}::text
      from claimed, jsonb_to_recordset(claimed.planned_intents)
        as intent(key text, index integer, action text, state text)
      where claimed.plan is not null
      on conflict (job_id, step_key) do nothing
      returning step_key
    )${moveCtes}
    select claimed.id, claimed.request_id, claimed.attempt, claimed.operation, claimed.plan, claimed.claims,
      array(
        select intent.key from jsonb_to_recordset(coalesce(claimed.planned_intents, '[]'::jsonb))
          as intent(key text, state text)
        where intent.state = 'done'
        union
        select i.step_key from provisioning_intents i where i.job_id = claimed.id and i.state = 'done'
      ) as done_keys,
      ${start ? sql`(select count(*) from moved)::integer` : sql`0`} as moved,
      r.kind as request_kind, r.state as request_state, r.spec as request_spec,
      r.spec_sha256 as request_spec_sha256, coalesce(r.plan_base_spec, r.base_spec) as request_base_spec,
      (select set_config('synchronous_commit', 'on', true)) as durable
    from claimed join requests r on r.id = claimed.request_id`.execute(db);
  const row = result.rows[0];
  return row
    ? {
        id: row.id,
        requestId: row.request_id,
        request: {
          kind: row.request_kind,
          spec: row.request_spec,
          specSha256: row.request_spec_sha256,
          baseSpec: row.request_base_spec,
        },
        requestState: row.request_state,
        attempt: row.attempt,
        operation: row.operation,
        plan: row.plan,
        claims: row.claims,
        doneKeys: row.done_keys,
        isStarted: row.moved === 1,
      }
    : null;
}

/**
 * In one statement, fenced on the lease (and extending it): stores the job's plan and records the
 * intent of every step in `intents` (intents already recorded are kept). For a job queued without
 * a plan, planned at its first claim. `false` when the lease is no longer ours (then nothing is
 * written).
 */
export async function updateJobStart(
  db: Db,
  job: { id: string; leaseToken: string },
  plan: ProvisioningPlan,
  intents: IntentInput[],
  leaseMs: number,
): Promise<boolean> {
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
  return (result.rows[0]?.fenced ?? 0) === 1;
}

/**
 * In one statement, fenced on the lease: extends the lease, sets the job's status (and its last
 * error, when given) and marks `completions` done with their outcomes. With `lazy`, its
 * transaction commits without waiting for the disk. `false` when the lease is no longer ours.
 */
export async function updateJobProgress(
  db: Db,
  job: { id: string; leaseToken: string },
  leaseMs: number,
  progress: {
    status: 'running' | 'retrying';
    completions: StepCompletion[];
    lastError?: JobError;
    lazy: boolean;
  },
): Promise<boolean> {
  const { completions } = progress;
  const result = await sql<{ fenced: number }>`${PREPARED}
    with fence as (
      update provisioning_jobs
      set lease_expires_at = now() + ${leaseMs}::integer * interval '1 millisecond', status = ${progress.status}::text,
          last_error = coalesce(${progress.lastError ? JSON.stringify(progress.lastError) : null}::jsonb, last_error),
          updated_at = now()
      where id = ${job.id}::uuid and lease_owner = ${job.leaseToken}
      returning id
    ), done as (
      ${completedIntents(job.id, completions)}
    )
    select (select count(*) from fence)::integer as fenced, ${progress.lazy ? lazyCommit : syncCommit} as lazy`.execute(
    db,
  );
  return (result.rows[0]?.fenced ?? 0) === 1;
}

/** The `update` marking `completions` done, for a statement whose `fence` CTE holds the job. */
function completedIntents(jobId: string, completions: StepCompletion[]) {
  return sql`
      update provisioning_intents i
      set state = 'done', outcome = c.outcome::jsonb, completed_at = now()
      from unnest(${completions.map((c) => c.key)}::text[], ${completions.map((c) => JSON.stringify(c.outcome ?? null))}::text[])
        as c(key, outcome)
      where i.job_id = ${jobId}::uuid and i.step_key = c.key and exists (select 1 from fence)
      returning i.step_key`;
}

/**
 * Gives back a job claimed but not started (a worker that stops with a job it claimed ahead): it
 * is queued again as if that claim had not happened, so its next claim is not taken for a resume
 * (no IAM call was made), and the intents that claim recorded are removed (the next claim records
 * them again from the job's plan, under its own lease). One statement, fenced on the lease: `false`
 * when the lease was no longer ours (then nothing changes).
 */
export async function updateReleaseJob(db: Db, job: { id: string; leaseToken: string }): Promise<boolean> {
  const result = await sql<{ released: number }>`
    with released as (
      update provisioning_jobs
      set status = 'queued', lease_owner = null, lease_expires_at = null, claims = claims - 1, updated_at = now()
      where id = ${job.id}::uuid and lease_owner = ${job.leaseToken}::text
      returning id
    ), unrecorded as (
      delete from provisioning_intents
      where job_id in (select id from released) and worker = ${job.leaseToken}::text
    )
    select (select count(*) from released)::integer as released`.execute(db);
  return (result.rows[0]?.released ?? 0) === 1;
}

/**
 * Ends the job (`succeeded` or `failed`) and releases its lease, marking `completions` done, in
 * one statement fenced on the lease; with `transition`, the same statement moves the job's request
 * to `provisioned` and records its role (see `provisionedTransitionCtes`). A failure is recorded
 * as `last_error`; a success keeps the last transient error seen, for operators. `isFenced` is
 * false when the lease is no longer ours (then nothing is written); `isMoved` and `isRecorded`
 * tell whether the transition and the role's record happened.
 */
export async function updateJobFinish(
  db: Db,
  job: { id: string; leaseToken: string },
  finish: {
    status: 'succeeded' | 'failed';
    error: JobError | null;
    completions: StepCompletion[];
    lazy: boolean;
    transition?: ProvisionedTransition;
  },
): Promise<{ isFenced: boolean; isMoved: boolean; isRecorded: boolean }> {
  const { transition } = finish;
  const transitionCtes = transition
    ? sql`, ${provisionedTransitionCtes(transition, sql`exists (select 1 from fence)`)}`
    : sql``;
  const result = await sql<{ fenced: number; moved: number; recorded: number }>`${PREPARED}
    with fence as (
      update provisioning_jobs
      set status = ${finish.status}::text,
          last_error = coalesce(${finish.error ? JSON.stringify(finish.error) : null}::jsonb, last_error),
          lease_owner = null, lease_expires_at = null, finished_at = now(), updated_at = now()
      where id = ${job.id}::uuid and lease_owner = ${job.leaseToken}
      returning id
    ), done as (
      ${completedIntents(job.id, finish.completions)}
    )${transitionCtes}
    select (select count(*) from fence)::integer as fenced,
      ${transition ? sql`(select count(*) from moved)::integer` : sql`0`} as moved,
      ${transition ? sql`(select count(*) from recorded)::integer` : sql`0`} as recorded,
      ${finish.lazy ? lazyCommit : syncCommit} as lazy`.execute(db);
  const row = result.rows[0];
  return {
    isFenced: (row?.fenced ?? 0) === 1,
    isMoved: (row?.moved ?? 0) === 1,
    isRecorded: (row?.recorded ?? 0) === 1,
  };
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

/** Every provisioning job of a request, oldest attempt first. */
export async function listProvisioningJobs(db: Db, requestId: string): Promise<ProvisioningJobSummary[]> {
  const rows = await db
    .selectFrom('provisioning_jobs')
    .select(['id', 'attempt', 'operation', 'status', 'claims', 'last_error'])
    .where('request_id', '=', requestId)
    .orderBy('attempt')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    attempt: row.attempt,
    operation: row.operation,
    status: row.status,
    claims: row.claims,
    lastError: row.last_error ?? null,
  }));
}

/** The distinct lease tokens that recorded intents of a job (which worker ran it). */
export async function listJobIntentWorkers(db: Db, jobId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('provisioning_intents')
    .select('worker')
    .distinct()
    .where('job_id', '=', jobId)
    .execute();
  return rows.map((row) => row.worker);
}

/**
 * For a rollback: the plan of the request's latest provisioning attempt, the keys of every step
 * that attempts since the last rollback that did not fail recorded an intent for (done or maybe
 * done), and the keys of those recorded done. `null` when no such attempt fixed a plan.
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

/** The id of a provisioning job (provision or rollback) still queued, running or retrying for the request, or null. */
export async function getUnfinishedJobId(db: Db, requestId: string): Promise<string | null> {
  const row = await db
    .selectFrom('provisioning_jobs')
    .select('id')
    .where('request_id', '=', requestId)
    .where('status', 'in', ['queued', 'running', 'retrying'])
    .executeTakeFirst();
  return row?.id ?? null;
}

/** One step's intent record as the request page's progress shows it. */
export interface IntentProgressRecord {
  key: string;
  state: ProvisioningIntentState;
  /** What the step learnt (e.g. `{ arn }`), when it recorded it. */
  outcome: unknown;
  /** Null for a step recorded done at the claim (an earlier attempt completed it). */
  completedAt: Date | null;
}

/** A job of a request with what its progress is read from: its plan and its intents. */
export interface JobProgressRecord {
  id: string;
  attempt: number;
  operation: ProvisioningJobOperation;
  status: ProvisioningJobStatus;
  /** The plan the job runs: fixed at its first claim, or when it was queued. */
  plan: ProvisioningPlan | null;
  /** The intents of a job not claimed yet, as queued (`{ key, index, action, state }[]`). */
  plannedIntents: IntentInput[] | null;
  /** The intents recorded since its first claim, in plan order. */
  intents: IntentProgressRecord[];
  lastError: JobError | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

/**
 * Every provisioning job of a request (oldest attempt first) with its plan and intent records, in
 * two reads: what the request page's live progress is computed from.
 */
export async function listJobProgressRecords(db: Db, requestId: string): Promise<JobProgressRecord[]> {
  const jobs = await db
    .selectFrom('provisioning_jobs')
    .select([
      'id',
      'attempt',
      'operation',
      'status',
      'plan',
      'planned_plan',
      'planned_intents',
      'last_error',
      'created_at',
      'updated_at',
      'finished_at',
    ])
    .where('request_id', '=', requestId)
    .orderBy('attempt')
    .execute();
  if (jobs.length === 0) return [];
  const intents = await db
    .selectFrom('provisioning_intents')
    .select(['job_id', 'step_key', 'state', 'outcome', 'completed_at'])
    .where(
      'job_id',
      'in',
      jobs.map((job) => job.id),
    )
    .orderBy('step_index')
    .execute();
  return jobs.map((job) => ({
    id: job.id,
    attempt: job.attempt,
    operation: job.operation,
    status: job.status,
    plan: (job.plan ?? job.planned_plan) as ProvisioningPlan | null,
    plannedIntents: job.planned_intents as IntentInput[] | null,
    intents: intents
      .filter((intent) => intent.job_id === job.id)
      .map((intent) => ({
        key: intent.step_key,
        state: intent.state,
        outcome: intent.outcome,
        completedAt: intent.completed_at,
      })),
    lastError: job.last_error ?? null,
    createdAt: job.created_at,
    updatedAt: job.updated_at,
    finishedAt: job.finished_at,
  }));
}
