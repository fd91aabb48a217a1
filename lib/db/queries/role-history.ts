import 'server-only';
import { sql } from 'kysely';
import type { Db } from '@/lib/db/schema';
import type { RequestKind, RequestState } from '@/lib/db/tables/core';
import { auditEventsQuery, toAuditEvent, type AuditEvent } from '@/lib/db/queries/audit';

/**
 * Data access for one role's history: the submitted requests naming the role (by account and
 * name, case-insensitive as IAM), and their audit events. The rule of who may see them stays in
 * `lib/requests/roles.ts`.
 */

/** A request of a role, as its history lists it. */
export interface RoleRequestRecord {
  id: string;
  kind: RequestKind;
  state: RequestState;
  requester: { id: string; email: string; name: string };
  justification: string;
  roleUsers: string[];
  createdAt: Date;
  updatedAt: Date;
}

const byRole = (accountId: string, roleName: string) =>
  sql<boolean>`r.account_id = ${accountId} and lower(r.role_name) = ${roleName.toLowerCase()}`;

/**
 * The submitted (non-draft) requests of the role created at or after `since`, oldest first (so a
 * role deleted and created again under the same name shows only its latest life).
 */
export async function listRoleRequests(
  db: Db,
  accountId: string,
  roleName: string,
  since: Date,
): Promise<RoleRequestRecord[]> {
  const rows = await db
    .selectFrom('requests as r')
    .select([
      'r.id',
      'r.kind',
      'r.state',
      'r.requester_id',
      'r.requester_name',
      'r.requester_email',
      'r.justification',
      'r.role_users',
      'r.created_at',
      'r.updated_at',
    ])
    .where(byRole(accountId, roleName))
    .where('r.state', '!=', 'draft')
    .where('r.created_at', '>=', since)
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    state: row.state,
    requester: { id: row.requester_id, email: row.requester_email, name: row.requester_name },
    justification: row.justification,
    roleUsers: row.role_users ?? [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

/**
 * The latest provisioned create request of the role that is not after `before` (the one that
 * created the live role), or null.
 */
export async function getRoleCreateRequest(
  db: Db,
  accountId: string,
  roleName: string,
  before: Date,
): Promise<{ id: string; createdAt: Date } | null> {
  const row = await db
    .selectFrom('requests as r')
    .select(['r.id', 'r.created_at'])
    .where(byRole(accountId, roleName))
    .where('r.kind', '=', 'create')
    .where('r.state', '=', 'provisioned')
    .where('r.created_at', '<=', before)
    .orderBy('r.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, createdAt: row.created_at } : null;
}

/** The audit events of the given requests, newest first, at most `limit`. */
export async function listRoleEvents(
  db: Db,
  requestIds: readonly string[],
  limit: number,
): Promise<AuditEvent[]> {
  if (requestIds.length === 0) return [];
  const rows = await auditEventsQuery(db)
    .where('e.request_id', 'in', requestIds)
    .orderBy('e.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toAuditEvent);
}
