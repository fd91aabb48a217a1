import 'server-only';
import {
  getLiveProvisionedRole,
  updateProvisionedRoleDeletedByName,
  upsertProvisionedRole,
} from '@/lib/db/queries/provisioned-roles';
import {
  getRequestById,
  updateRequestStateWithEvent,
  type ProvisionedTransition,
  type StateTransition,
} from '@/lib/db/queries/requests';
import type { Db, Tx } from '@/lib/db/schema';
import { roleArn, type RoleSpec } from '@/lib/iam/role-spec';
import type { RoleRequest } from '@/lib/requests/model';
import { canTransition, describeState } from '@/lib/requests/state-machine';
import { fail, ok, type Result } from '@/lib/result';

/**
 * The transitions `lib/provisioning` makes. Each writes the new state with a compare-and-set on
 * the expected state and appends one audit event, in a single statement (atomic on its own, or
 * committed with the caller's transaction, e.g. the job's own bookkeeping), and returns `conflict`
 * when the request is not in the expected state.
 */

/** The actor recorded on audit events written by the provisioning worker. */
export const PROVISIONER_ACTOR = 'system:provisioner';

/** A request by id for the worker (no visibility check: the worker acts for the portal). */
export function getRequestForProvisioning(db: Db, requestId: string): Promise<RoleRequest | null> {
  return getRequestById(db, requestId);
}

/**
 * One lifecycle transition with its audit event, in one statement. A transition the lifecycle
 * does not allow is refused before touching the database; a request not in `from` (now) is read
 * again only to say what state it is in.
 */
async function transition(db: Db, move: StateTransition): Promise<Result<RoleRequest>> {
  if (!canTransition(move.from, move.to)) {
    return fail(
      'conflict',
      `A request cannot move from ${describeState(move.from)} to ${describeState(move.to)}`,
    );
  }
  const moved = await updateRequestStateWithEvent(db, move);
  if (moved) return ok(moved);
  const current = await getRequestById(db, move.requestId);
  if (!current) return fail('not_found', 'Request not found');
  return fail(
    'conflict',
    `The request is ${describeState(current.state)}, so it cannot move to ${describeState(move.to)}`,
  );
}

/**
 * `approved → provisioning` for one request, checked against the lifecycle here like every
 * transition (see {@link provisioningStartMove} for the worker's claim).
 */
export function provisioningStartTransition(requestId: string, actorId = PROVISIONER_ACTOR): StateTransition {
  return { requestId, ...provisioningStartMove(actorId) };
}

/**
 * `approved → provisioning` for whichever request a worker's claim picks (the claim's statement
 * supplies the request).
 */
export function provisioningStartMove(actorId = PROVISIONER_ACTOR): Omit<StateTransition, 'requestId'> {
  const move = { from: 'approved', to: 'provisioning', actorId, reason: 'provisioning started' } as const;
  if (!canTransition(move.from, move.to))
    throw new Error('The lifecycle no longer allows approved → provisioning');
  return move;
}

/**
 * `approved → provisioning`: the worker starts the job (or resumes one whose start was not
 * recorded). One statement, so `db` may be the database itself (no transaction); with `lazy`, it
 * commits without waiting for the disk.
 */
export async function markProvisioning(
  db: Db,
  requestId: string,
  actorId = PROVISIONER_ACTOR,
  options: { lazy?: boolean } = {},
): Promise<Result<RoleRequest>> {
  return transition(db, {
    ...provisioningStartTransition(requestId, actorId),
    ...(options.lazy ? { lazy: true } : {}),
  });
}

/**
 * `provisioning → provisioned`, recording the result in `provisioned_roles`: a create or change
 * stores the role's ARN and the specification it now has (the base of later change requests); a
 * delete marks the role deleted. Two statements, in the caller's transaction.
 */
export async function markProvisioned(
  tx: Tx,
  requestId: string,
  actorId = PROVISIONER_ACTOR,
): Promise<Result<RoleRequest>> {
  const moved = await transition(tx, {
    requestId,
    from: 'provisioning',
    to: 'provisioned',
    actorId,
    reason: 'provisioned',
  });
  if (!moved.ok) return moved;
  const request = moved.value;
  if (request.kind === 'delete') {
    const isMarked = await updateProvisionedRoleDeletedByName(
      tx,
      request.accountId,
      request.roleName,
      request.id,
    );
    return isMarked
      ? ok(request)
      : fail('conflict', `Role ${request.roleName} is not recorded as provisioned`);
  }
  await upsertProvisionedRole(tx, request.accountId, {
    roleName: request.spec.name,
    path: request.spec.path,
    arn: roleArn(request.spec),
    requestId: request.id,
    spec: request.spec,
  });
  return ok(request);
}

/**
 * `provisioning → provisioned` with the record of the role, as a transition for the worker to make
 * in the statement that ends the job (see `updateJobFinish`): the same writes as
 * {@link markProvisioned}, from the request's kind and stored specification as the job read them
 * (the statement records the role only if the stored specification is still that one).
 */
export function provisionedTransition(
  requestId: string,
  request: { kind: RoleRequest['kind']; spec: unknown; specSha256: string },
  actorId = PROVISIONER_ACTOR,
): ProvisionedTransition {
  const move: StateTransition = {
    requestId,
    from: 'provisioning',
    to: 'provisioned',
    actorId,
    reason: 'provisioned',
  };
  if (!canTransition(move.from, move.to))
    throw new Error('The lifecycle no longer allows provisioning → provisioned');
  if (request.kind === 'delete') return { move, record: { kind: 'delete' } };
  return {
    move,
    record: { kind: 'upsert', specSha256: request.specSha256, arn: roleArn(request.spec as RoleSpec) },
  };
}

/** `provisioning → failed`, recording AWS's error code and message for the requester and approvers. */
export async function markFailed(
  tx: Tx,
  requestId: string,
  failure: { code: string; message: string },
  actorId = PROVISIONER_ACTOR,
): Promise<Result<RoleRequest>> {
  return transition(tx, {
    requestId,
    from: 'provisioning',
    to: 'failed',
    actorId,
    reason: `${failure.code}: ${failure.message}`.slice(0, 2000),
    failure,
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
  const moved = await transition(tx, {
    requestId,
    from: 'failed',
    to: 'rolled_back',
    actorId,
    reason: 'rolled back',
  });
  if (moved.ok || moved.code !== 'conflict') return moved;
  const current = await getRequestById(tx, requestId);
  return current?.state === 'rolled_back' ? ok(current) : moved;
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
  return transition(tx, {
    requestId,
    from: 'failed',
    to: 'failed',
    actorId,
    reason: `rollback failed: ${failure.code}: ${failure.message}`.slice(0, 2000),
    failure,
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
