import 'server-only';
import { getTargetAccount } from '@/lib/accounts/accounts';
import { canApproveFor, type Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import type { AuditEvent } from '@/lib/db/queries/audit';
import { getUser } from '@/lib/db/queries/auth';
import {
  getLatestDeletedProvisionedRole,
  getLiveProvisionedRole,
  listLiveProvisionedRoles,
  type ProvisionedRoleRecord,
} from '@/lib/db/queries/provisioned-roles';
import {
  getRoleCreateRequest,
  listRoleEvents,
  listRoleRequests,
  type RoleRequestRecord,
} from '@/lib/db/queries/role-history';
import type { Db } from '@/lib/db/schema';
import type { RoleSpec } from '@/lib/iam/role-spec';
import { canViewRequest } from '@/lib/requests/model';
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
  /** The owner: the requester of the create request that made the role (a change never moves it). */
  ownerId: string;
  ownerName: string;
  ownerEmail: string;
  /** Whom the owner named as the role's users besides themselves (lower-cased e-mail addresses). */
  roleUsers: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** What the summary page shows beyond the record: the account and the requests that made the role. */
export interface RoleSummaryDetail extends RoleSummary {
  /** The target account's alias and switch-role colour (null when it is no longer a target account). */
  account: { id: string; alias: string; color: string } | null;
  /** The create request that made the live role (null for a role recorded before requests were kept). */
  createdBy: { requestId: string; at: Date } | null;
  /** The request that changed the role last; null when that is the create request. */
  lastChangedBy: { requestId: string; at: Date } | null;
}

/** A request of the role's history, with whether the viewer may open it (`/requests/<id>`). */
export interface RoleHistoryRequest extends RoleRequestRecord {
  canOpen: boolean;
}

/** The role's submitted requests (oldest first) and their audit events (newest first). */
export interface RoleHistory {
  requests: RoleHistoryRequest[];
  events: AuditEvent[];
}

/** At most this many audit events in a role's history. */
export const ROLE_HISTORY_EVENT_LIMIT = 200;

/**
 * Whether the principal may see a provisioned role: its owner (the requester of the request that
 * created it), the people the owner named as its users (matched on the principal's verified
 * e-mail), approvers for its account and admins. An approver's restore or change does not move it.
 */
export function canViewRole(
  principal: Principal,
  role: Pick<ProvisionedRoleRecord, 'accountId' | 'ownerId' | 'roleUsers'>,
  verifiedEmail: string | null,
): boolean {
  if (role.ownerId === principal.id || canApproveFor(principal, role.accountId)) return true;
  return verifiedEmail !== null && role.roleUsers.includes(verifiedEmail.toLowerCase());
}

/** The principal's e-mail when their identity provider verified it (read from the database), else null. */
async function verifiedEmailOf(db: Db, principal: Principal): Promise<string | null> {
  const user = await getUser(db, principal.id);
  return user?.emailVerified ? user.email : null;
}

/**
 * The live role of that name the principal may see (see {@link canViewRole}); `path`, when given,
 * must be the role's path too. Null for a role that does not exist, was deleted, or is not theirs
 * to see: the three look the same.
 */
async function loadVisibleRole(
  db: Db,
  principal: Principal,
  accountId: string,
  roleName: string,
  path?: string,
): Promise<ProvisionedRoleRecord | null> {
  const role = await getLiveProvisionedRole(db, accountId, roleName);
  if (!role || (path !== undefined && role.path !== path)) return null;
  return (await maySeeRole(db, principal, role)) ? role : null;
}

/**
 * {@link canViewRole}, reading the principal's verified e-mail only when it decides: whether they
 * may see the role, and so request a change or its deletion.
 */
export async function maySeeRole(
  db: Db,
  principal: Principal,
  role: Pick<ProvisionedRoleRecord, 'accountId' | 'ownerId' | 'roleUsers'>,
): Promise<boolean> {
  return (
    canViewRole(principal, role, null) || canViewRole(principal, role, await verifiedEmailOf(db, principal))
  );
}

const roleNotFound = () => fail('not_found', 'Role not found');

/**
 * A live role Rolesmith provisioned, for its summary page: see {@link canViewRole} for who may see
 * it. `path`, when given (e.g. `/team/`), must match the role's path. `not_found` otherwise, and for
 * roles that do not exist or were deleted.
 */
export async function getRoleSummary(
  principal: Principal,
  accountId: string,
  roleName: string,
  path?: string,
): Promise<Result<RoleSummary>> {
  const role = await loadVisibleRole(await getDb(), principal, accountId, roleName, path);
  return role ? ok(toRoleSummary(role)) : roleNotFound();
}

/**
 * {@link getRoleSummary} with the target account and the requests that created and last changed
 * the role, for the summary page's header and summary. `not_found` as {@link getRoleSummary}.
 */
export async function getRoleSummaryDetail(
  principal: Principal,
  accountId: string,
  roleName: string,
  path?: string,
): Promise<Result<RoleSummaryDetail>> {
  const db = await getDb();
  const role = await loadVisibleRole(db, principal, accountId, roleName, path);
  if (!role) return roleNotFound();
  const [account, created] = await Promise.all([
    getTargetAccount(role.accountId, db),
    getRoleCreateRequest(db, role.accountId, role.roleName, role.updatedAt),
  ]);
  return ok({
    ...toRoleSummary(role),
    account: account ? { id: account.id, alias: account.alias, color: account.color } : null,
    createdBy: created ? { requestId: created.id, at: created.createdAt } : null,
    lastChangedBy: created?.id === role.requestId ? null : { requestId: role.requestId, at: role.updatedAt },
  });
}

/**
 * The history of a live role the principal may see (as {@link getRoleSummary}): the submitted
 * requests since the request that created it, each saying whether the principal may open it,
 * and their audit events (the newest {@link ROLE_HISTORY_EVENT_LIMIT}). `not_found` as
 * {@link getRoleSummary}.
 */
export async function getRoleHistory(
  principal: Principal,
  accountId: string,
  roleName: string,
): Promise<Result<RoleHistory>> {
  const db = await getDb();
  const role = await loadVisibleRole(db, principal, accountId, roleName);
  if (!role) return roleNotFound();
  const created = await getRoleCreateRequest(db, role.accountId, role.roleName, role.updatedAt);
  const requests = await listRoleRequests(
    db,
    role.accountId,
    role.roleName,
    created?.createdAt ?? role.createdAt,
  );
  return ok(await historyOf(db, principal, role.accountId, requests));
}

/**
 * The requests of a role with whether the principal may open each, and their audit events (without
 * the reasons of requests the principal may not open).
 */
async function historyOf(
  db: Db,
  principal: Principal,
  accountId: string,
  requests: RoleRequestRecord[],
): Promise<RoleHistory> {
  const events = await listRoleEvents(
    db,
    requests.map((request) => request.id),
    ROLE_HISTORY_EVENT_LIMIT,
  );
  const withAccess = requests.map((request) => ({
    ...request,
    canOpen: canViewRequest(principal, { requester: request.requester, accountId, state: request.state }),
  }));
  // An event's reason is an approver's or requester's comment on the request: only for those who
  // may open the request. Who did what, and when, stays in the role's history for everyone.
  const closed = new Set(withAccess.filter((request) => !request.canOpen).map((request) => request.id));
  return {
    requests: withAccess,
    events: events.map((event) => (closed.has(event.requestId) ? { ...event, reason: null } : event)),
  };
}

/** A role Rolesmith deleted, as its "This role was deleted" page shows it. */
export interface DeletedRoleSummary {
  accountId: string;
  roleName: string;
  path: string;
  arn: string;
  /** The specification the role had when it was deleted. */
  spec: RoleSpec;
  account: { id: string; alias: string; color: string } | null;
  deletedAt: Date;
  /** The delete request that removed it (null if it is not in the history any more). */
  deletedBy: RoleHistoryRequest | null;
  /** Its last life's requests (create to delete) and their audit events. */
  history: RoleHistory;
}

/**
 * The role of that name Rolesmith deleted last, when no live role has the name: for the people who
 * could see it (approvers for its account, admins, and the requesters and verified role users of
 * the requests of its last life). `not_found` otherwise, like a role that never existed.
 */
export async function getDeletedRoleSummary(
  principal: Principal,
  accountId: string,
  roleName: string,
  path?: string,
): Promise<Result<DeletedRoleSummary>> {
  const db = await getDb();
  if (await getLiveProvisionedRole(db, accountId, roleName)) return roleNotFound();
  const role = await getLatestDeletedProvisionedRole(db, accountId, roleName);
  if (!role || (path !== undefined && role.path !== path)) return roleNotFound();
  const created = await getRoleCreateRequest(db, role.accountId, role.roleName, role.deletedAt);
  const requests = (
    await listRoleRequests(db, role.accountId, role.roleName, created?.createdAt ?? role.createdAt)
  ).filter((request) => request.createdAt <= role.deletedAt);
  const provisioned = requests.filter((request) => request.state === 'provisioned');
  const sees = (email: string | null) =>
    canApproveFor(principal, role.accountId) ||
    provisioned.some((request) =>
      canViewRole(
        principal,
        { accountId: role.accountId, ownerId: request.requester.id, roleUsers: request.roleUsers },
        email,
      ),
    );
  if (!sees(null) && !sees(await verifiedEmailOf(db, principal))) return roleNotFound();
  const [account, history] = await Promise.all([
    getTargetAccount(role.accountId, db),
    historyOf(db, principal, role.accountId, requests),
  ]);
  return ok({
    accountId: role.accountId,
    roleName: role.roleName,
    path: role.path,
    arn: role.arn,
    spec: role.spec as RoleSpec,
    account: account ? { id: account.id, alias: account.alias, color: account.color } : null,
    deletedAt: role.deletedAt,
    deletedBy: history.requests.find((request) => request.id === role.requestId) ?? null,
    history,
  });
}

/** The live roles the principal may see as their owner, an approver or an admin, by account and name. */
export async function listRoleSummaries(principal: Principal): Promise<RoleSummary[]> {
  const approver = principal.roles.admin ? 'all' : principal.roles.approver;
  const roles = await listLiveProvisionedRoles(
    await getDb(),
    approver === 'all' ? 'all' : { ownerId: principal.id, accountIds: approver ?? [] },
  );
  return roles.map(toRoleSummary);
}

function toRoleSummary(role: ProvisionedRoleRecord): RoleSummary {
  return { ...role, spec: role.spec as RoleSpec };
}
