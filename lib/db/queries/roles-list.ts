import 'server-only';
import { sql } from 'kysely';
import type { Db } from '@/lib/db/schema';
import type { DriftState } from '@/lib/db/tables/drift';

/** Data access of the roles list: live provisioned roles with their account, owner and last drift check. */

/** One live provisioned role as the roles list shows it. */
export interface RoleListRecord {
  /** `provisioned_roles.id`: the keyset's tie-breaker. */
  id: string;
  accountId: string;
  accountAlias: string;
  roleName: string;
  path: string;
  /** The record's `trustedEntity` (as stored; parse before trusting it). */
  trustedEntity: unknown;
  /** The owner: the requester of the create request that made the role (a change never moves it). */
  requesterId: string;
  requesterName: string;
  requesterEmail: string;
  /** The people the owner named as the role's users (lower-cased e-mail addresses). */
  roleUsers: string[];
  updatedAt: Date;
  /** The last background or page check of this version of the record; `null` if none yet. */
  drift: { state: DriftState; checkedAt: Date; differenceCount: number } | null;
}

/** Who sees which roles: everyone (admins), or a person's own, their users', and their approved accounts'. */
export type RoleListVisibility =
  'all' | { requesterId: string; verifiedEmail: string | null; accountIds: readonly string[] };

export interface RoleListFilters {
  accountId?: string;
  /** A trusted entity type of the record (`aws_account`, `aws_service`, …). */
  entityType?: string;
  /** Part of the owner's name or e-mail, or of a role user's e-mail (case-insensitive). */
  owner?: string;
  /** `unchecked`: no check of the current record yet. */
  drift?: DriftState | 'unchecked';
}

/** Escapes `%`, `_` and `\` for a `like` pattern. */
function likeText(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * The live provisioned roles visible as said, filtered, by role name (case-insensitive) then id,
 * after the keyset `after` (the last row of the previous page), at most `limit`.
 */
export async function listRoleListRecords(
  db: Db,
  options: {
    visibleTo: RoleListVisibility;
    filters: RoleListFilters;
    after: { name: string; id: string } | null;
    limit: number;
  },
): Promise<RoleListRecord[]> {
  const { visibleTo, filters, after } = options;
  const conditions = [sql`p.deleted_at is null`];
  if (visibleTo !== 'all') {
    const accounts =
      visibleTo.accountIds.length > 0
        ? sql` or p.account_id in (${sql.join(visibleTo.accountIds.map((id) => sql`${id}::text`))})`
        : sql``;
    const roleUser = visibleTo.verifiedEmail
      ? sql` or p.role_users ? ${visibleTo.verifiedEmail.toLowerCase()}::text`
      : sql``;
    conditions.push(sql`(o.requester_id = ${visibleTo.requesterId}::text${roleUser}${accounts})`);
  }
  if (filters.accountId) conditions.push(sql`p.account_id = ${filters.accountId}::text`);
  if (filters.entityType)
    conditions.push(sql`p.spec->'trustedEntity'->>'type' = ${filters.entityType}::text`);
  if (filters.owner) {
    const pattern = `%${likeText(filters.owner)}%`;
    conditions.push(sql`(o.requester_email ilike ${pattern}::text or o.requester_name ilike ${pattern}::text
      or exists (select 1 from jsonb_array_elements_text(p.role_users) u where u ilike ${pattern}::text))`);
  }
  const current = sql`d.request_id = p.request_id and d.state is not null`;
  if (filters.drift === 'unchecked') conditions.push(sql`not coalesce(${current}, false)`);
  else if (filters.drift) conditions.push(sql`(${current} and d.state = ${filters.drift}::text)`);
  if (after) conditions.push(sql`(lower(p.role_name), p.id) > (${after.name}::text, ${after.id}::bigint)`);

  const result = await sql<{
    id: string;
    account_id: string;
    alias: string;
    role_name: string;
    path: string;
    trusted_entity: unknown;
    requester_id: string;
    requester_name: string;
    requester_email: string;
    role_users: string[];
    updated_at: Date;
    drift_state: DriftState | null;
    checked_at: Date | null;
    difference_count: number;
  }>`
    select p.id::text as id, p.account_id, a.alias, p.role_name, p.path,
      p.spec->'trustedEntity' as trusted_entity, o.requester_id, o.requester_name, o.requester_email,
      p.role_users, p.updated_at,
      case when ${current} then d.state end as drift_state,
      case when ${current} then d.checked_at end as checked_at,
      case when ${current} then jsonb_array_length(d.differences) else 0 end as difference_count
    from provisioned_roles p
    join requests o on o.id = p.owner_request_id
    join target_accounts a on a.id = p.account_id
    left join role_drift d on d.provisioned_role_id = p.id
    where ${sql.join(conditions, sql` and `)}
    order by lower(p.role_name), p.id
    limit ${options.limit}::integer`.execute(db);
  return result.rows.map((row) => ({
    id: row.id,
    accountId: row.account_id,
    accountAlias: row.alias,
    roleName: row.role_name,
    path: row.path,
    trustedEntity: row.trusted_entity,
    requesterId: row.requester_id,
    requesterName: row.requester_name,
    requesterEmail: row.requester_email,
    roleUsers: row.role_users,
    updatedAt: row.updated_at,
    drift:
      row.drift_state && row.checked_at
        ? { state: row.drift_state, checkedAt: row.checked_at, differenceCount: row.difference_count }
        : null,
  }));
}
