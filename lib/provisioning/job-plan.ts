import 'server-only';

import {
  getProvisionPlanningInput,
  getUnfinishedJobId,
  getRollbackSource,
  insertProvisioningJob,
  type IntentInput,
  type JobRequestSource,
  type PlannedJob,
} from '@/lib/db/queries/provisioning';
import type { Db } from '@/lib/db/schema';
import type { ProvisioningJobOperation } from '@/lib/db/tables/provisioning';
import { MAX_MANAGED_POLICIES_PER_ROLE, roleSpecSchemaFor, type RoleSpec } from '@/lib/iam/role-spec';
import { roleToProvision } from '@/lib/provisioning/from-spec';
import {
  actionOfStep,
  isReadStep,
  planChange,
  planCreate,
  planDelete,
  planRollback,
  type ProvisioningPlan,
} from '@/lib/provisioning/plan';
import { fail, ok, type Result } from '@/lib/result';

/** Larger than any attempt number: "every attempt so far" for a job not yet queued. */
const NEXT_ATTEMPT = 2 ** 31 - 1;

// Stored specs were validated against the account's quota at submission; re-read them leniently.
const storedSpecSchema = roleSpecSchemaFor({ managedPoliciesPerRole: MAX_MANAGED_POLICIES_PER_ROLE });

function parseStoredSpec(value: unknown, what: string): Result<RoleSpec> {
  const parsed = storedSpecSchema.safeParse(value);
  return parsed.success
    ? ok(parsed.data)
    : fail('invalid_input', `The request's ${what} is not a valid role specification`);
}

/**
 * The plan for a request (create; change: the diff against the provisioned spec; or delete), from
 * its kind and its stored specifications. Pure.
 */
export function planFromSource(requestId: string, source: JobRequestSource): Result<ProvisioningPlan> {
  const spec = parseStoredSpec(source.spec, 'specification');
  if (!spec.ok) return spec;
  if (source.kind === 'create') return planCreate(roleToProvision(spec.value), requestId);
  if (!source.baseSpec)
    return fail('invalid_input', 'A change or delete request needs the provisioned role specification');
  const base = parseStoredSpec(source.baseSpec, 'provisioned specification');
  if (!base.ok) return base;
  if (source.kind === 'change')
    return planChange(roleToProvision(base.value), roleToProvision(spec.value), requestId);
  return ok(planDelete(roleToProvision(base.value), requestId));
}

/**
 * The intent of every IAM write of `plan` (reads need none), in plan order; steps in `doneSteps`
 * (completed by an earlier attempt) are recorded done.
 */
export function intentsOf(plan: ProvisioningPlan, doneSteps: ReadonlySet<string>): IntentInput[] {
  return plan.steps.flatMap((step, index) =>
    isReadStep(step)
      ? []
      : [
          {
            key: step.key,
            index,
            action: actionOfStep[step.kind],
            state: doneSteps.has(step.key) ? ('done' as const) : ('pending' as const),
          },
        ],
  );
}

/** A job's plan (or why there is none) and, when the request already has an unfinished job, its id. */
type PlanningOutcome = { unfinishedJobId: string } | { unfinishedJobId: null; planned: Result<PlannedJob> };

/**
 * Plans a job of the request (`provision`: the request's plan, skipping what attempts before
 * `beforeAttempt` since the last rollback completed; `rollback`: undoing what those attempts
 * created). With `unlessUnfinished`, returns the request's unfinished job instead when it has
 * one. One read for a `provision` job.
 */
async function planFor(
  db: Db,
  job: { requestId: string; operation: ProvisioningJobOperation; beforeAttempt: number },
  unlessUnfinished: boolean,
): Promise<PlanningOutcome> {
  const { requestId, beforeAttempt } = job;
  if (job.operation === 'rollback') {
    const unfinishedJobId = unlessUnfinished ? await getUnfinishedJobId(db, requestId) : null;
    if (unfinishedJobId) return { unfinishedJobId };
    const source = await getRollbackSource(db, requestId, beforeAttempt);
    if (!source)
      return {
        unfinishedJobId: null,
        planned: fail('not_found', 'Nothing to roll back: no provisioning attempt ran.'),
      };
    const plan = planRollback(source.plan, source.touched, requestId, source.done);
    return {
      unfinishedJobId: null,
      planned: plan.ok ? ok({ plan: plan.value, intents: intentsOf(plan.value, new Set()) }) : plan,
    };
  }
  const input = await getProvisionPlanningInput(db, requestId, beforeAttempt);
  if (!input) return { unfinishedJobId: null, planned: fail('not_found', 'Request not found') };
  if (unlessUnfinished && input.unfinishedJobId) return { unfinishedJobId: input.unfinishedJobId };
  const plan = planFromSource(requestId, input.source);
  return {
    unfinishedJobId: null,
    planned: plan.ok ? ok({ plan: plan.value, intents: intentsOf(plan.value, input.carriedOver) }) : plan,
  };
}

/**
 * Plans a job a worker claimed without a plan (queued by an earlier version, or when planning
 * failed then) as {@link queueJob} would have, from the attempts before the job's own. Fails when
 * there is nothing to plan (e.g. nothing to roll back, or a stored specification that no longer
 * parses).
 */
export async function planClaimedJob(
  db: Db,
  job: { requestId: string; operation: ProvisioningJobOperation; attempt: number },
): Promise<Result<PlannedJob>> {
  const outcome = await planFor(db, { ...job, beforeAttempt: job.attempt }, false);
  return outcome.unfinishedJobId === null
    ? outcome.planned
    : fail('conflict', 'The request has another unfinished job');
}

/**
 * Queues a job of the request with its plan and the intents its first claim records (see
 * `enqueueProvisioning`), in the caller's transaction; without a plan when the request cannot be
 * planned (its claim then fails it with the reason). Returns the request's unfinished job instead
 * (`isNew: false`) when it has one.
 */
export async function queueJob(
  db: Db,
  requestId: string,
  operation: ProvisioningJobOperation,
): Promise<{ jobId: string; isNew: boolean }> {
  const outcome = await planFor(db, { requestId, operation, beforeAttempt: NEXT_ATTEMPT }, true);
  if (outcome.unfinishedJobId !== null) return { jobId: outcome.unfinishedJobId, isNew: false };
  return insertProvisioningJob(db, requestId, operation, outcome.planned.ok ? outcome.planned.value : null);
}
