import 'server-only';
import { sql } from 'kysely';
import { canApproveFor, type Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import type { RoleSpec } from '@/lib/iam/role-spec';
import { fail, ok, type Result } from '@/lib/result';

/** A role Rolesmith provisioned, as the role summary page shows it. */
export interface RoleSummary {
  accountId: string;
  roleName: string;
  path: string;
  arn: string;
  /** The specification the role has now. */
  spec: RoleSpec;
  /** The request that created or last changed the role. */
  requestId: string;
  requesterId: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A live role Rolesmith provisioned, for its summary page. Visible to the requester of the request
 * that created or last changed it, to approvers for its account, and to admins; `not_found`
 * otherwise, and for roles that do not exist or were deleted.
 */
export async function getRoleSummary(
  principal: Principal,
  accountId: string,
  roleName: string,
): Promise<Result<RoleSummary>> {
  const db = await getDb();
  const row = await db
    .selectFrom('provisioned_roles as p')
    .innerJoin('requests as r', 'r.id', 'p.request_id')
    .select([
      'p.account_id',
      'p.role_name',
      'p.path',
      'p.arn',
      'p.spec',
      'p.request_id',
      'p.created_at',
      'p.updated_at',
      'r.requester_id',
    ])
    .where('p.account_id', '=', accountId)
    .where(sql<string>`lower(p.role_name)`, '=', roleName.toLowerCase())
    .where('p.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row || (row.requester_id !== principal.id && !canApproveFor(principal, row.account_id)))
    return fail('not_found', 'Role not found');
  return ok({
    accountId: row.account_id,
    roleName: row.role_name,
    path: row.path,
    arn: row.arn,
    spec: row.spec as RoleSpec,
    requestId: row.request_id,
    requesterId: row.requester_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** The live roles the principal may see (as {@link getRoleSummary}), by account and name. */
export async function listRoleSummaries(principal: Principal): Promise<RoleSummary[]> {
  const db = await getDb();
  const approver = principal.roles.admin ? 'all' : principal.roles.approver;
  let query = db
    .selectFrom('provisioned_roles as p')
    .innerJoin('requests as r', 'r.id', 'p.request_id')
    .select([
      'p.account_id',
      'p.role_name',
      'p.path',
      'p.arn',
      'p.spec',
      'p.request_id',
      'p.created_at',
      'p.updated_at',
      'r.requester_id',
    ])
    .where('p.deleted_at', 'is', null);
  if (approver !== 'all') {
    const accounts = approver ?? [];
    query = query.where((eb) =>
      accounts.length > 0
        ? eb.or([eb('r.requester_id', '=', principal.id), eb('p.account_id', 'in', accounts)])
        : eb('r.requester_id', '=', principal.id),
    );
  }
  const rows = await query.orderBy('p.account_id').orderBy('p.role_name').execute();
  return rows.map((row) => ({
    accountId: row.account_id,
    roleName: row.role_name,
    path: row.path,
    arn: row.arn,
    spec: row.spec as RoleSpec,
    requestId: row.request_id,
    requesterId: row.requester_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}
