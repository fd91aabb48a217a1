import type { JobError, JobProgressRecord } from '@/lib/db/queries/provisioning';
import type { ProvisioningJobOperation, ProvisioningJobStatus } from '@/lib/db/tables/provisioning';
import { explainAwsError } from '@/lib/provisioning/aws-error-words';
import { isReadStep, type ProvisioningStep } from '@/lib/provisioning/plan';
import { describeStepCall } from '@/lib/provisioning/step-call';

/**
 * A provisioning job's steps as the request page shows them while it runs, computed from the
 * job's plan and its intent records (pure: `lib/requests` reads the records).
 *
 * A step's status is what the records say: `done` when its intent is recorded done (a verifying
 * read: when the job succeeded, or a later step is done); `failed` for the step the job's failure
 * names; `running` for the first step not done of a running job (completions are recorded about
 * once a second, so it may be a step or two behind the worker); `queued` for the rest of a job
 * still to run; `not_run` for the steps after a failure.
 */
export type StepStatus = 'queued' | 'running' | 'done' | 'failed' | 'not_run';

/** AWS's failure in plain words, with its raw code and message. */
export interface FailureInWords {
  code: string;
  message: string;
  /** {@link explainAwsError}: what happened and what to do. */
  explanation: string;
}

export interface StepProgress {
  key: string;
  /** The IAM action, e.g. `CreateRole`. */
  action: string;
  /** The call with its subject, e.g. `CreateRole DataDev`. */
  call: string;
  purpose: string;
  status: StepStatus;
  /** What happened, in words ("Created arn:…", "Already in place", "Verified"), or null. */
  outcome: string | null;
  /** The failure of a failed step, or the error a running step is waiting out. */
  error: FailureInWords | null;
}

export interface JobProgress {
  jobId: string;
  attempt: number;
  operation: ProvisioningJobOperation;
  status: ProvisioningJobStatus;
  steps: StepProgress[];
  /** The job's failure (also when no step names it, e.g. a plan that could not be made). */
  failure: (FailureInWords & { call: string | null }) | null;
  /** ISO times. */
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

function inWords(error: JobError): FailureInWords {
  return { code: error.code, message: error.message, explanation: explainAwsError(error.code) };
}

/** Steps that remove something: one found already done found it gone. */
const removals = new Set<ProvisioningStep['kind']>([
  'delete_boundary',
  'untag_role',
  'detach_policy',
  'delete_inline_policy',
  'delete_role',
  'delete_policy',
  'remove_role_from_instance_profiles',
  'remove_unrecorded_policies',
  'delete_instance_profile',
]);

function outcomeOf(step: ProvisioningStep, outcome: unknown, isCarriedOver: boolean): string {
  if (isCarriedOver) return 'Done by an earlier attempt';
  if (isReadStep(step)) return 'Verified';
  const value = (outcome ?? {}) as {
    arn?: unknown;
    alreadyDone?: unknown;
    skipped?: unknown;
    outside?: unknown;
  };
  if (typeof value.skipped === 'string') return `Skipped: ${value.skipped}`;
  if (Array.isArray(value.outside) && value.outside.length > 0)
    return `Done: removed what was attached outside Rolesmith: ${value.outside.join(', ')}`;
  if (value.alreadyDone === true) return removals.has(step.kind) ? 'Already gone' : 'Already in place';
  if (typeof value.arn === 'string') return `Done: ${value.arn}`;
  return 'Done';
}

/** See {@link StepStatus}. */
export function jobProgress(record: JobProgressRecord): JobProgress {
  const plan = record.plan?.steps ?? [];
  const claimed = record.intents.length > 0;
  const done = new Map<string, { outcome: unknown; isCarriedOver: boolean }>();
  if (claimed) {
    for (const intent of record.intents)
      if (intent.state === 'done')
        done.set(intent.key, { outcome: intent.outcome, isCarriedOver: intent.completedAt === null });
  } else {
    for (const intent of record.plannedIntents ?? [])
      if (intent.state === 'done') done.set(intent.key, { outcome: null, isCarriedOver: true });
  }
  const { status, lastError } = record;
  const failedIndex =
    status === 'failed' && lastError?.step ? plan.findIndex((step) => step.key === lastError.step) : -1;
  const lastDoneIndex = plan.reduce((last, step, index) => (done.has(step.key) ? index : last), -1);
  let runningIndex = -1;
  if (status === 'running' || status === 'retrying')
    runningIndex = plan.findIndex(
      (step, index) => !done.has(step.key) && !(isReadStep(step) && index < lastDoneIndex),
    );

  const steps = plan.map((step, index): StepProgress => {
    const words = describeStepCall(step);
    const base = { key: step.key, ...words, outcome: null, error: null };
    const record = done.get(step.key);
    const isDone =
      record !== undefined ||
      status === 'succeeded' ||
      (isReadStep(step) && (index < lastDoneIndex || (failedIndex >= 0 && index < failedIndex)));
    if (isDone)
      return {
        ...base,
        status: 'done',
        outcome: outcomeOf(step, record?.outcome, record?.isCarriedOver ?? false),
      };
    if (index === failedIndex && lastError)
      return { ...base, status: 'failed', outcome: 'Failed', error: inWords(lastError) };
    if (status === 'failed') return { ...base, status: 'not_run' };
    if (index === runningIndex) {
      const waiting = status === 'retrying' && lastError?.step === step.key ? lastError : null;
      return {
        ...base,
        status: 'running',
        outcome: waiting ? `Waiting out ${waiting.code}, then retrying` : null,
        error: waiting ? inWords(waiting) : null,
      };
    }
    return { ...base, status: 'queued' };
  });

  const failedStep = failedIndex >= 0 ? steps[failedIndex] : undefined;
  return {
    jobId: record.id,
    attempt: record.attempt,
    operation: record.operation,
    status,
    steps,
    failure:
      status === 'failed' && lastError ? { ...inWords(lastError), call: failedStep?.call ?? null } : null,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    finishedAt: record.finishedAt?.toISOString() ?? null,
  };
}
