import 'server-only';
import {
  getLiveProvisionedRole,
  getLiveProvisionedRoleIdForUpdate,
  getRequestById,
  getRequestByIdForUpdate,
  insertProvisionedRole,
  updateProvisionedRole,
  updateProvisionedRoleDeleted,
} from '@/lib/db/queries/requests';
import type { Db, Tx } from '@/lib/db/schema';
import { roleArn } from '@/lib/iam/role-spec';
import type { RoleRequest } from '@/lib/requests/model';
import { transitionRequest } from '@/lib/requests/transition';
import { fail, ok, type Result } from '@/lib/result';

/**
 * The transitions `lib/provisioning` makes. Each takes the caller's transaction (so that it
 * commits with the job's own bookkeeping), locks the request row, writes the new state and one
 * audit event, and returns `conflict` when the request is not in the expected state.
 */

/** The actor recorded on audit events written by the provisioning worker. */
export const PROVISIONER_ACTOR = 'system:provisioner';

/** A request by id for the worker (no visibility check: the worker acts for the portal). */
export function getRequestForProvisioning(db: Db, requestId: string): Promise<RoleRequest | null> {
  return getRequestById(db, requestId);
}

/** `approved → provisioning`: the worker starts the job. */
export async function markProvisioning(
  tx: Tx,
  requestId: string,
  actorId = PROVISIONER_ACTOR,
): Promise<Result<RoleRequest>> {
  return transitionRequest(tx, {
    requestId,
    from: ['approved'],
    to: 'provisioning',
    actorId,
    reason: 'provisioning started',
  });
}

/**
 * `provisioning → provisioned`, recording the result in `provisioned_roles`: a create or change
 * stores the role's ARN and the specification it now has (the base of later change requests); a
 * delete marks the role deleted.
 */
export async function markProvisioned(
  tx: Tx,
  requestId: string,
  actorId = PROVISIONER_ACTOR,
): Promise<Result<RoleRequest>> {
  const moved = await transitionRequest(tx, {
    requestId,
    from: ['provisioning'],
    to: 'provisioned',
    actorId,
    reason: 'provisioned',
  });
  if (!moved.ok) return moved;
  const request = moved.value;
  const liveId = await getLiveProvisionedRoleIdForUpdate(tx, request.accountId, request.roleName);
  if (request.kind === 'delete') {
    if (liveId === null) return fail('conflict', `Role ${request.roleName} is not recorded as provisioned`);
    await updateProvisionedRoleDeleted(tx, liveId, request.id);
    return ok(request);
  }
  const values = {
    roleName: request.spec.name,
    path: request.spec.path,
    arn: roleArn(request.spec),
    requestId: request.id,
    spec: request.spec,
  };
  if (liveId !== null) await updateProvisionedRole(tx, liveId, values);
  else await insertProvisionedRole(tx, request.accountId, values);
  return ok(request);
}

/** `provisioning → failed`, recording AWS's error code and message for the requester and approvers. */
export async function markFailed(
  tx: Tx,
  requestId: string,
  failure: { code: string; message: string },
  actorId = PROVISIONER_ACTOR,
): Promise<Result<RoleRequest>> {
  return transitionRequest(tx, {
    requestId,
    from: ['provisioning'],
    to: 'failed',
    actorId,
    reason: `${failure.code}: ${failure.message}`.slice(0, 2000),
    changes: { failure },
  });
}

/**
 * `failed → rolled_back` when a rollback job has removed what the failed creation made: a terminal
 * state that frees the role name. Idempotent: a request already rolled back is returned as is, with
 * no second audit event (the completion hook may run again after a crash). `conflict` when the
 * request is in any other state.
 */
export async function markRolledBack(
  tx: Tx,
  requestId: string,
  actorId = PROVISIONER_ACTOR,
): Promise<Result<RoleRequest>> {
  const current = await getRequestByIdForUpdate(tx, requestId);
  if (current?.state === 'rolled_back') return ok(current);
  return transitionRequest(tx, {
    requestId,
    from: ['failed'],
    to: 'rolled_back',
    actorId,
    reason: 'rolled back',
  });
}

/**
 * A rollback job failed: the request stays `failed` (`failed → failed`), now carrying the
 * rollback's AWS error code and message, so that an approver can fix the cause and roll back again.
 */
export async function markRollbackFailed(
  tx: Tx,
  requestId: string,
  failure: { code: string; message: string },
  actorId = PROVISIONER_ACTOR,
): Promise<Result<RoleRequest>> {
  return transitionRequest(tx, {
    requestId,
    from: ['failed'],
    to: 'failed',
    actorId,
    reason: `rollback failed: ${failure.code}: ${failure.message}`.slice(0, 2000),
    changes: { failure },
  });
}

export interface ProvisionedRole {
  accountId: string;
  roleName: string;
  path: string;
  arn: string;
  requestId: string;
  createdAt: Date;
  updatedAt: Date;
}

/** The live role Rolesmith provisioned in an account under that name (case-insensitive), or null. */
export async function getProvisionedRole(
  db: Db,
  accountId: string,
  roleName: string,
): Promise<ProvisionedRole | null> {
  const role = await getLiveProvisionedRole(db, accountId, roleName);
  return role
    ? {
        accountId: role.accountId,
        roleName: role.roleName,
        path: role.path,
        arn: role.arn,
        requestId: role.requestId,
        createdAt: role.createdAt,
        updatedAt: role.updatedAt,
      }
    : null;
}
