import 'server-only';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '@/lib/db/schema';
import type { RoleSpec } from '@/lib/iam/role-spec';

/** Data access of `provisioned_roles`: the roles the portal created or changed, live or deleted. */

/** A live role the portal provisioned, with its owner and users. */
export interface ProvisionedRoleRecord {
  accountId: string;
  roleName: string;
  path: string;
  arn: string;
  /** The specification the role has now (as stored; parse before trusting it). */
  spec: unknown;
  /** The request that created or last changed the role. */
  requestId: string;
  /** The owner: the requester of the create request that made the role (a change never moves it). */
  ownerId: string;
  ownerName: string;
  ownerEmail: string;
  /** The people the owner named as the role's users (lower-cased e-mail addresses). */
  roleUsers: string[];
  createdAt: Date;
  updatedAt: Date;
}

function provisionedRoles(db: Db) {
  return db
    .selectFrom('provisioned_roles as p')
    .innerJoin('requests as o', 'o.id', 'p.owner_request_id')
    .select([
      'p.account_id',
      'p.role_name',
      'p.path',
      'p.arn',
      'p.spec',
      'p.request_id',
      'p.created_at',
      'p.updated_at',
      'o.requester_id',
      'o.requester_name',
      'o.requester_email',
      'p.role_users',
    ])
    .where('p.deleted_at', 'is', null);
}

function toProvisionedRole(row: {
  account_id: string;
  role_name: string;
  path: string;
  arn: string;
  spec: unknown;
  request_id: string;
  requester_id: string;
  requester_name: string;
  requester_email: string;
  role_users: string[];
  created_at: Date;
  updated_at: Date;
}): ProvisionedRoleRecord {
  return {
    accountId: row.account_id,
    roleName: row.role_name,
    path: row.path,
    arn: row.arn,
    spec: row.spec,
    requestId: row.request_id,
    ownerId: row.requester_id,
    ownerName: row.requester_name,
    ownerEmail: row.requester_email,
    roleUsers: row.role_users,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The live provisioned role of that name (case-insensitive, as IAM) in the account, or null. */
export async function getLiveProvisionedRole(
  db: Db,
  accountId: string,
  roleName: string,
): Promise<ProvisionedRoleRecord | null> {
  const row = await provisionedRoles(db)
    .where('p.account_id', '=', accountId)
    .where(sql<string>`lower(p.role_name)`, '=', roleName.toLowerCase())
    .executeTakeFirst();
  return row ? toProvisionedRole(row) : null;
}

/**
 * The live provisioned roles, by account and name: all of them, or those owned by `ownerId` or in
 * `accountIds`.
 */
export async function listLiveProvisionedRoles(
  db: Db,
  visibleTo: 'all' | { ownerId: string; accountIds: readonly string[] },
): Promise<ProvisionedRoleRecord[]> {
  let query = provisionedRoles(db);
  if (visibleTo !== 'all') {
    query = query.where((eb) =>
      visibleTo.accountIds.length > 0
        ? eb.or([
            eb('o.requester_id', '=', visibleTo.ownerId),
            eb('p.account_id', 'in', visibleTo.accountIds),
          ])
        : eb('o.requester_id', '=', visibleTo.ownerId),
    );
  }
  const rows = await query.orderBy('p.account_id').orderBy('p.role_name').execute();
  return rows.map(toProvisionedRole);
}

/** What the portal records about a role it created or changed. */
export interface ProvisionedRoleValues {
  roleName: string;
  path: string;
  arn: string;
  /** The create or change request that provisioned it (its requester and users are read from it). */
  requestId: string;
  spec: RoleSpec;
}

/**
 * The requester of the request whose id `requestId` (a column or expression) holds, as a scalar
 * subquery.
 */
const requesterOf = (requestId: RawBuilder<unknown>) =>
  sql`(select q.requester_id from requests q where q.id = ${requestId})`;

/**
 * The insert of a role's record into `provisioned_roles` from `source`, a query selecting, in this
 * order, the account id, role name, path, ARN, the request's id, its specification and its role
 * users. A new record is owned by that request (its requester) with its users; over the live
 * record of that name (a change), the spec, ARN and request follow the change while the owner
 * stays, and the users change only when the change's requester is the owner (who edits them in
 * the wizard): an approver's restore or change, or a role user's, leaves them as they were.
 */
export function insertProvisionedRoleFrom(source: RawBuilder<unknown>) {
  return sql`
    insert into provisioned_roles (account_id, role_name, path, arn, request_id, spec, role_users, owner_request_id)
    select s.*, s.request_id from (${source}) as s(account_id, role_name, path, arn, request_id, spec, role_users)
    on conflict (account_id, lower(role_name)) where deleted_at is null do update
    set role_name = excluded.role_name, path = excluded.path, arn = excluded.arn,
      request_id = excluded.request_id, spec = excluded.spec, updated_at = now(),
      role_users = case
        when ${requesterOf(sql`excluded.request_id`)} = ${requesterOf(sql`provisioned_roles.owner_request_id`)}
        then excluded.role_users else provisioned_roles.role_users end`;
}

/**
 * Records, in one statement, the role a create or change request left in its account: inserts the
 * live record of that name, or updates the one there is (see {@link insertProvisionedRoleFrom}).
 */
export async function upsertProvisionedRole(
  db: Db,
  accountId: string,
  values: ProvisionedRoleValues,
): Promise<void> {
  await insertProvisionedRoleFrom(sql`
    select ${accountId}::text, ${values.roleName}::text, ${values.path}::text, ${values.arn}::text,
      r.id, ${JSON.stringify(values.spec)}::jsonb, r.role_users
    from requests r where r.id = ${values.requestId}::uuid`).execute(db);
}

/**
 * Marks the live provisioned role of that name (case-insensitive) in the account deleted by the
 * request that deleted it, in one statement; `false` when there is none.
 */
export async function updateProvisionedRoleDeletedByName(
  db: Db,
  accountId: string,
  roleName: string,
  requestId: string,
): Promise<boolean> {
  const result = await sql`
    update provisioned_roles set deleted_at = now(), request_id = ${requestId}::uuid, updated_at = now()
    where account_id = ${accountId}::text and lower(role_name) = ${roleName.toLowerCase()}::text
      and deleted_at is null`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}

/**
 * A role the portal deleted: its last record (`spec`: what it had when deleted; `requestId`: the
 * delete request), and when it was deleted.
 */
export interface DeletedProvisionedRoleRecord extends Omit<
  ProvisionedRoleRecord,
  'ownerId' | 'ownerName' | 'ownerEmail' | 'roleUsers' | 'updatedAt'
> {
  deletedAt: Date;
}

/**
 * The most recently deleted provisioned role of that name (case-insensitive) in the account, or
 * null. The caller checks there is no live role of that name first.
 */
export async function getLatestDeletedProvisionedRole(
  db: Db,
  accountId: string,
  roleName: string,
): Promise<DeletedProvisionedRoleRecord | null> {
  const row = await db
    .selectFrom('provisioned_roles as p')
    .select([
      'p.account_id',
      'p.role_name',
      'p.path',
      'p.arn',
      'p.spec',
      'p.request_id',
      'p.created_at',
      'p.deleted_at',
    ])
    .where('p.account_id', '=', accountId)
    .where(sql<string>`lower(p.role_name)`, '=', roleName.toLowerCase())
    .where('p.deleted_at', 'is not', null)
    .orderBy('p.deleted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row || !row.deleted_at) return null;
  return {
    accountId: row.account_id,
    roleName: row.role_name,
    path: row.path,
    arn: row.arn,
    spec: row.spec,
    requestId: row.request_id,
    createdAt: row.created_at,
    deletedAt: row.deleted_at,
  };
}
