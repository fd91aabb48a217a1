import 'server-only';

import { getAccountClients } from '@/lib/aws/account-clients';
import type { IamAccountClient } from '@/lib/aws/iam-client';
import { getTargetAccount } from '@/lib/accounts/accounts';
import type { JobRequestSource } from '@/lib/db/queries/provisioning';
import { roleSpecSchemaFor, MAX_MANAGED_POLICIES_PER_ROLE, type RoleSpec } from '@/lib/iam/role-spec';
import { roleToProvision } from '@/lib/provisioning/from-spec';
import { planChange, planCreate, planDelete, type ProvisioningPlan } from '@/lib/provisioning/plan';
import type { ProvisioningRequests } from '@/lib/provisioning/worker';
import {
  getRequestForProvisioning,
  markFailed,
  markProvisioned,
  markProvisioning,
  markRollbackFailed,
  markRolledBack,
  provisionedTransition,
  provisioningStartTransition,
} from '@/lib/requests/provisioning-transitions';
import { fail, ok, type Result } from '@/lib/result';

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

function orThrow<T>(result: Result<T>, what: string): T {
  if (!result.ok) throw new Error(`${what}: ${result.message}`);
  return result.value;
}

/**
 * Provisioning's side of the request workflow (`lib/requests/provisioning-transitions`): each call
 * runs in the worker's transaction, so a request's state moves exactly when the job's does.
 * A rollback job that succeeds moves the request `failed → rolled_back`; one that fails leaves it
 * `failed` with the rollback's error.
 */
export const requestBinding: ProvisioningRequests = {
  planFor: (job) => planFromSource(job.requestId, job.request),
  startTransition: (job) => provisioningStartTransition(job.requestId),
  successTransition: (job) =>
    job.operation === 'provision' ? provisionedTransition(job.requestId, job.request) : null,
  async begin(db, job, options = {}) {
    const moved = await markProvisioning(db, job.requestId, undefined, options);
    if (moved.ok) return;
    // An approver's retry already moved the request back to `provisioning`.
    const request = await getRequestForProvisioning(db, job.requestId);
    if (request?.state !== 'provisioning')
      orThrow(moved, `Request ${job.requestId} cannot start provisioning`);
  },
  async succeeded(tx, job) {
    if (job.operation === 'rollback') {
      orThrow(
        await markRolledBack(tx, job.requestId),
        `Request ${job.requestId} cannot be marked rolled back`,
      );
      return;
    }
    orThrow(
      await markProvisioned(tx, job.requestId),
      `Request ${job.requestId} cannot be marked provisioned`,
    );
  },
  async failed(tx, job, failure) {
    if (job.operation === 'rollback') {
      orThrow(
        await markRollbackFailed(tx, job.requestId, { code: failure.code, message: failure.message }),
        `Request ${job.requestId} cannot record its failed rollback`,
      );
      return;
    }
    orThrow(
      await markFailed(tx, job.requestId, { code: failure.code, message: failure.message }),
      `Request ${job.requestId} cannot be marked failed`,
    );
  },
};

/** The IAM client for a target account, as the portal reaches it in the current mode. */
export async function iamForAccount(accountId: string): Promise<IamAccountClient> {
  const account = await getTargetAccount(accountId);
  if (!account) throw new Error(`Account ${accountId} is not a target account`);
  const clients = await getAccountClients({
    accountId,
    provisionerRoleArn: account.provisionerRoleArn,
    externalId: account.externalId,
  });
  return clients.iam;
}
