import 'server-only';
import { canApproveFor, type Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import {
  getLiveProvisionedRole,
  listLiveProvisionedRoles,
  type ProvisionedRoleRecord,
} from '@/lib/db/queries/provisioned-roles';
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
  const role = await getLiveProvisionedRole(await getDb(), accountId, roleName);
  if (!role || (role.requesterId !== principal.id && !canApproveFor(principal, role.accountId)))
    return fail('not_found', 'Role not found');
  return ok(toRoleSummary(role));
}

/** The live roles the principal may see (as {@link getRoleSummary}), by account and name. */
export async function listRoleSummaries(principal: Principal): Promise<RoleSummary[]> {
  const approver = principal.roles.admin ? 'all' : principal.roles.approver;
  const roles = await listLiveProvisionedRoles(
    await getDb(),
    approver === 'all' ? 'all' : { requesterId: principal.id, accountIds: approver ?? [] },
  );
  return roles.map(toRoleSummary);
}

function toRoleSummary(role: ProvisionedRoleRecord): RoleSummary {
  return { ...role, spec: role.spec as RoleSpec };
}
