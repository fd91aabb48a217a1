import type { ColumnType, Generated, Selectable } from 'kysely';

/**
 * Tables of provisioning (owned by `lib/provisioning`): jobs claimed with a lease, and the durable
 * intent record written before each IAM call.
 */

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type JsonColumn<T> = ColumnType<T, string, string>;

/** `queued` → `running` → `succeeded` | `failed`; `retrying` while waiting out throttling or a server fault. */
export type ProvisioningJobStatus = 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed';

/** `provision` runs the request's plan; `rollback` undoes what an earlier failed attempt created. */
export type ProvisioningJobOperation = 'provision' | 'rollback';

export interface ProvisioningJobsTable {
  id: Generated<string>;
  request_id: string;
  /** 1 for the first run; each approver retry (or rollback) adds a job with the next attempt. */
  attempt: number;
  operation: ProvisioningJobOperation;
  status: ProvisioningJobStatus;
  /**
   * The plan (steps) the job runs, set by its first claim (from `planned_plan`, or planned then for
   * a job queued without one), so that a resume repeats exactly the same steps.
   */
  plan: JsonColumn<unknown> | null;
  /**
   * The plan fixed when the job was queued, until its first claim makes it `plan` (a worker of the
   * previous version takes a job with a `plan` for one it resumes, and records no intents for it).
   */
  planned_plan: JsonColumn<unknown> | null;
  /** The intents the job's first claim records (`{ key, index, action, state }[]`), fixed with the plan. */
  planned_intents: JsonColumn<unknown> | null;
  /** Worker holding the lease, and until when. */
  lease_owner: string | null;
  lease_expires_at: Date | null;
  /** Not claimable before this time (backoff after a transient failure). */
  run_after: ColumnType<Date, Date | string | undefined, Date | string>;
  /** How many times the job was claimed (more than 1 means it was resumed). */
  claims: ColumnType<number, number | undefined, number>;
  /** The last AWS failure: `{ code, message, step }`. */
  last_error: JsonColumn<{ code: string; message: string; step: string | null } | null> | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  finished_at: Date | null;
}

/** `pending`: committed before the IAM call; `done`: the call's effect is known to be in place. */
export type ProvisioningIntentState = 'pending' | 'done';

export interface ProvisioningIntentsTable {
  job_id: string;
  /** The plan step's key, unique within the job. */
  step_key: string;
  step_index: number;
  /** IAM action, e.g. `CreateRole`. */
  action: string;
  state: ProvisioningIntentState;
  /** What the step learnt, e.g. `{ arn, alreadyExisted }`. */
  outcome: JsonColumn<unknown> | null;
  worker: string;
  started_at: CreatedAt;
  completed_at: Date | null;
}

export interface ProvisioningTables {
  provisioning_jobs: ProvisioningJobsTable;
  provisioning_intents: ProvisioningIntentsTable;
}

export type ProvisioningJobRow = Selectable<ProvisioningJobsTable>;
export type ProvisioningIntentRow = Selectable<ProvisioningIntentsTable>;
