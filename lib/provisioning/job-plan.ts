import 'server-only';

import {
  getJobRequestSource,
  getRollbackSource,
  listCarriedOverSteps,
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

/**
 * Plans a job of the request, as it is queued (in the approval's, retry's or rollback's
 * transaction, after any earlier attempt has ended): a `provision` job runs the request's plan,
 * skipping what earlier attempts since the last rollback completed; a `rollback` job undoes what
 * those attempts created. `beforeAttempt` limits the earlier attempts considered (default: all).
 * Fails when there is nothing to plan (e.g. nothing to roll back, or a stored specification that
 * no longer parses).
 */
export async function planJob(
  db: Db,
  requestId: string,
  operation: ProvisioningJobOperation,
  beforeAttempt = NEXT_ATTEMPT,
): Promise<Result<PlannedJob>> {
  if (operation === 'rollback') {
    const source = await getRollbackSource(db, requestId, beforeAttempt);
    if (!source)
      return fail('not_found', 'Nothing to roll back: no provisioning attempt ran.');
    const plan = planRollback(source.plan, source.touched, requestId, source.done);
    return plan.ok ? ok({ plan: plan.value, intents: intentsOf(plan.value, new Set()) }) : plan;
  }
  const source = await getJobRequestSource(db, requestId);
  if (!source) return fail('not_found', 'Request not found');
  const plan = planFromSource(requestId, source);
  if (!plan.ok) return plan;
  const carriedOver = await listCarriedOverSteps(db, requestId, beforeAttempt);
  return ok({ plan: plan.value, intents: intentsOf(plan.value, carriedOver) });
}
