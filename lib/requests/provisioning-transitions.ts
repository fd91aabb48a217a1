import 'server-only';
import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '@/lib/db/schema';
import { roleArn } from '@/lib/iam/role-spec';
import { toRoleRequest, type RoleRequest } from '@/lib/requests/model';
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
export async function getRequestForProvisioning(db: Db, requestId: string): Promise<RoleRequest | null> {
  const row = await db.selectFrom('requests').selectAll().where('id', '=', requestId).executeTakeFirst();
  return row ? toRoleRequest(row) : null;
}

/** `approved → provisioning`: the worker starts the job. */
export async function markProvisioning(
  tx: Transaction<Database>,
  requestId: string,
  actorId = PROVISIONER_ACTOR,
): Promise<Result<RoleRequest>> {
  const moved = await transitionRequest(tx, {
    requestId,
    from: ['approved'],
    to: 'provisioning',
    actorId,
    reason: 'provisioning started',
  });
  return moved.ok ? ok(toRoleRequest(moved.value)) : moved;
}

/**
 * `provisioning → provisioned`, recording the result in `provisioned_roles`: a create or change
 * stores the role's ARN and the specification it now has (the base of later change requests); a
 * delete marks the role deleted.
 */
export async function markProvisioned(
  tx: Transaction<Database>,
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
  const request = toRoleRequest(moved.value);
  const live = await tx
    .selectFrom('provisioned_roles')
    .select('id')
    .where('account_id', '=', request.accountId)
    .where(sql<string>`lower(role_name)`, '=', request.roleName.toLowerCase())
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  if (request.kind === 'delete') {
    if (!live) return fail('conflict', `Role ${request.roleName} is not recorded as provisioned`);
    await tx
      .updateTable('provisioned_roles')
      .set({ deleted_at: new Date(), request_id: request.id, updated_at: new Date() })
      .where('id', '=', live.id)
      .execute();
    return ok(request);
  }
  const values = {
    role_name: request.spec.name,
    path: request.spec.path,
    arn: roleArn(request.spec),
    request_id: request.id,
    spec: JSON.stringify(request.spec),
  };
  if (live) {
    await tx
      .updateTable('provisioned_roles')
      .set({ ...values, updated_at: new Date() })
      .where('id', '=', live.id)
      .execute();
  } else {
    await tx
      .insertInto('provisioned_roles')
      .values({ ...values, account_id: request.accountId })
      .execute();
  }
  return ok(request);
}

/** `provisioning → failed`, recording AWS's error code and message for the requester and approvers. */
export async function markFailed(
  tx: Transaction<Database>,
  requestId: string,
  failure: { code: string; message: string },
  actorId = PROVISIONER_ACTOR,
): Promise<Result<RoleRequest>> {
  const moved = await transitionRequest(tx, {
    requestId,
    from: ['provisioning'],
    to: 'failed',
    actorId,
    reason: `${failure.code}: ${failure.message}`.slice(0, 2000),
    changes: { failure: JSON.stringify(failure) },
  });
  return moved.ok ? ok(toRoleRequest(moved.value)) : moved;
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
  const row = await db
    .selectFrom('provisioned_roles')
    .selectAll()
    .where('account_id', '=', accountId)
    .where(sql<string>`lower(role_name)`, '=', roleName.toLowerCase())
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row
    ? {
        accountId: row.account_id,
        roleName: row.role_name,
        path: row.path,
        arn: row.arn,
        requestId: row.request_id,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }
    : null;
}
