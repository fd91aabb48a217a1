import 'server-only';
import { sql } from 'kysely';
import type { Db } from '@/lib/db/schema';
import type { DriftState, StoredDriftDifference } from '@/lib/db/tables/drift';

/** Data access of `role_drift`: the last drift check of each provisioned role, and its lease. */

export interface DriftOutcomeValues {
  state: DriftState;
  differences: StoredDriftDifference[];
  reason: string | null;
  checkedAt: Date;
}

/**
 * Records a drift check of the live role of that name in the account, if its record is still the
 * one the check compared (`requestId`), in one statement: the outcome (or, with `outcome: null`,
 * only the schedule: a throttled check keeps the last outcome), the next check `nextCheckInMs`
 * from now, and the lease released (`leaseOwner`'s, or any when null). `false` when the record
 * changed or the role was deleted meanwhile.
 */
export async function updateRoleDriftResult(
  db: Db,
  values: {
    accountId: string;
    roleName: string;
    requestId: string;
    outcome: DriftOutcomeValues | null;
    nextCheckInMs: number;
    leaseOwner: string | null;
  },
): Promise<boolean> {
  const outcome = values.outcome;
  const result = await sql`
    insert into role_drift (provisioned_role_id, request_id, state, differences, reason, checked_at, next_check_at)
    select p.id, p.request_id, ${outcome?.state ?? null}::text,
      ${JSON.stringify(outcome?.differences ?? [])}::jsonb, ${outcome?.reason ?? null}::text,
      ${outcome?.checkedAt ?? null}::timestamptz,
      now() + ${values.nextCheckInMs}::integer * interval '1 millisecond'
    from provisioned_roles p
    where p.account_id = ${values.accountId}::text and lower(p.role_name) = ${values.roleName.toLowerCase()}::text
      and p.deleted_at is null and p.request_id = ${values.requestId}::uuid
    on conflict (provisioned_role_id) do update set
      request_id = ${outcome ? sql`excluded.request_id` : sql`role_drift.request_id`},
      state = ${outcome ? sql`excluded.state` : sql`role_drift.state`},
      differences = ${outcome ? sql`excluded.differences` : sql`role_drift.differences`},
      reason = ${outcome ? sql`excluded.reason` : sql`role_drift.reason`},
      checked_at = ${outcome ? sql`excluded.checked_at` : sql`role_drift.checked_at`},
      next_check_at = excluded.next_check_at,
      lease_owner = case when ${values.leaseOwner}::text is null or role_drift.lease_owner = ${values.leaseOwner}::text
        then null else role_drift.lease_owner end,
      lease_expires_at = case when ${values.leaseOwner}::text is null or role_drift.lease_owner = ${values.leaseOwner}::text
        then null else role_drift.lease_expires_at end`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}

/**
 * The last recorded drift check of the live role of that name in the account, whichever request's
 * record it compared; null when it was never checked (or the role is not live).
 */
export async function selectLastDriftOutcome(
  db: Db,
  accountId: string,
  roleName: string,
): Promise<DriftOutcomeValues | null> {
  const row = await db
    .selectFrom('role_drift as d')
    .innerJoin('provisioned_roles as p', 'p.id', 'd.provisioned_role_id')
    .select(['d.state', 'd.differences', 'd.reason', 'd.checked_at'])
    .where('p.account_id', '=', accountId)
    .where(sql<string>`lower(p.role_name)`, '=', roleName.toLowerCase())
    .where('p.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row || row.state === null || row.checked_at === null) return null;
  return { state: row.state, differences: row.differences, reason: row.reason, checkedAt: row.checked_at };
}

/** A provisioned role claimed for a background drift check. */
export interface ClaimedDriftCheck {
  accountId: string;
  roleName: string;
  requestId: string;
  spec: unknown;
}

/**
 * Gives every live provisioned role without one a `role_drift` row (due at once), then claims up
 * to `limit` roles whose check is due and whose lease (if any) has expired, for `leaseOwner`, for
 * `leaseMs`: the rows are locked `FOR UPDATE SKIP LOCKED`, so two workers (or two instances) never
 * check the same role at once. Oldest due first.
 */
export async function updateClaimDueDriftChecks(
  db: Db,
  leaseOwner: string,
  leaseMs: number,
  limit: number,
): Promise<ClaimedDriftCheck[]> {
  await sql`
    insert into role_drift (provisioned_role_id)
    select p.id from provisioned_roles p
    where p.deleted_at is null
      and not exists (select 1 from role_drift d where d.provisioned_role_id = p.id)
    on conflict (provisioned_role_id) do nothing`.execute(db);
  const result = await sql<{ account_id: string; role_name: string; request_id: string; spec: unknown }>`
    with claimed as (
      update role_drift
      set lease_owner = ${leaseOwner}::text,
          lease_expires_at = clock_timestamp() + ${leaseMs}::integer * interval '1 millisecond'
      where provisioned_role_id in (
        select d.provisioned_role_id from role_drift d
        join provisioned_roles p on p.id = d.provisioned_role_id and p.deleted_at is null
        where d.next_check_at <= now() and (d.lease_owner is null or d.lease_expires_at < now())
        order by d.next_check_at, d.provisioned_role_id
        for update of d skip locked
        limit ${limit}::integer)
      returning provisioned_role_id
    )
    select p.account_id, p.role_name, p.request_id, p.spec
    from claimed join provisioned_roles p on p.id = claimed.provisioned_role_id
    order by p.account_id, p.role_name`.execute(db);
  return result.rows.map((row) => ({
    accountId: row.account_id,
    roleName: row.role_name,
    requestId: row.request_id,
    spec: row.spec,
  }));
}
