import 'server-only';
import { sql } from 'kysely';
import type { Db } from '@/lib/db/schema';
import type { RoleSpec } from '@/lib/iam/role-spec';

/** Data access of `provisioned_roles`: the roles the portal created or changed, live or deleted. */

/** A live role the portal provisioned, with the requester of the request that created or last changed it. */
export interface ProvisionedRoleRecord {
  accountId: string;
  roleName: string;
  path: string;
  arn: string;
  /** The specification the role has now (as stored; parse before trusting it). */
  spec: unknown;
  requestId: string;
  requesterId: string;
  /** The people the requester named as the role's users on that request (lower-cased e-mail addresses). */
  roleUsers: string[];
  createdAt: Date;
  updatedAt: Date;
}

function provisionedRoles(db: Db) {
  return db
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
      'r.role_users',
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
  role_users: string[] | null;
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
    requesterId: row.requester_id,
    roleUsers: row.role_users ?? [],
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
 * The live provisioned roles, by account and name: all of them, or those requested by
 * `requesterId` or in `accountIds`.
 */
export async function listLiveProvisionedRoles(
  db: Db,
  visibleTo: 'all' | { requesterId: string; accountIds: readonly string[] },
): Promise<ProvisionedRoleRecord[]> {
  let query = provisionedRoles(db);
  if (visibleTo !== 'all') {
    query = query.where((eb) =>
      visibleTo.accountIds.length > 0
        ? eb.or([
            eb('r.requester_id', '=', visibleTo.requesterId),
            eb('p.account_id', 'in', visibleTo.accountIds),
          ])
        : eb('r.requester_id', '=', visibleTo.requesterId),
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
  requestId: string;
  spec: RoleSpec;
}

/**
 * Records, in one statement, the role a create or change request left in its account: inserts the
 * live record of that name, or updates the one there is.
 */
export async function upsertProvisionedRole(
  db: Db,
  accountId: string,
  values: ProvisionedRoleValues,
): Promise<void> {
  await sql`
    insert into provisioned_roles (account_id, role_name, path, arn, request_id, spec)
    values (${accountId}::text, ${values.roleName}::text, ${values.path}::text, ${values.arn}::text,
      ${values.requestId}::uuid, ${JSON.stringify(values.spec)}::jsonb)
    on conflict (account_id, lower(role_name)) where deleted_at is null do update
    set role_name = excluded.role_name, path = excluded.path, arn = excluded.arn,
      request_id = excluded.request_id, spec = excluded.spec, updated_at = now()`.execute(db);
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
  'requesterId' | 'roleUsers' | 'updatedAt'
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
