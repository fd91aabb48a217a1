import 'server-only';

import type { Principal } from '@/lib/auth/principal';
import { authDb } from '@/lib/auth/db';
import { hitRateLimit, liveRoleReadsPerUser } from '@/lib/auth/rate-limit';
import { isTransientAwsError, type AwsFailure } from '@/lib/aws/errors';
import type { IamAccountClient } from '@/lib/aws/iam-client';
import { getDb } from '@/lib/db/client';
import type { Db } from '@/lib/db/schema';
import { selectLastDriftOutcome, updateRoleDriftResult } from '@/lib/db/queries/role-drift';
import type { DriftState, StoredDriftDifference } from '@/lib/db/tables/drift';
import { compareRole, liveRoleSpec, roleDeletedDifference, type DriftDifference } from '@/lib/iam/role-drift';
import { roleSpecSchema, type RoleSpec } from '@/lib/iam/role-spec';
import { iamForAccount } from '@/lib/provisioning/account-iam';
import { readLiveRole } from '@/lib/provisioning/live-role';
import { getRoleSummary, type RoleSummary } from '@/lib/requests/roles';
import { ok, type Result } from '@/lib/result';

export type { DriftDifference };

/**
 * The outcome of comparing a role in IAM with what Rolesmith recorded:
 * - `matches`: no difference; `live` is the role as read.
 * - `drifted`: the differences, in the summary page's order; `live` is the role as read (a restore
 *   is planned from it, not from the record), `null` when the role was deleted outside Rolesmith.
 * - `unknown`: the role could not be checked (AWS throttled, refused the provisioner, or failed);
 *   `reason` says so plainly, `awsCode` is AWS's code, `isTransient` whether trying later may work.
 */
export type DriftCheck =
  | { state: 'matches'; checkedAt: Date; differences: []; live: RoleSpec }
  | { state: 'drifted'; checkedAt: Date; differences: DriftDifference[]; live: RoleSpec | null }
  | {
      state: 'unknown';
      checkedAt: Date;
      reason: string;
      awsCode: string | null;
      isTransient: boolean;
    };

/** How a check reaches an account's IAM (the mode's clients unless a test or worker says otherwise). */
export type IamFor = (accountId: string) => Promise<IamAccountClient>;

/** What a drift check compares: the record of one provisioned role (its spec parsed by the check). */
export type RecordedRole = Pick<RoleSummary, 'accountId' | 'roleName' | 'requestId'> & { spec: unknown };

function couldNotCheck(failure: AwsFailure): DriftCheck {
  const code = failure.aws.code;
  const reason =
    failure.code === 'rate_limited'
      ? 'AWS is throttling Rolesmith’s calls to IAM right now, so the role could not be checked. Try again in a minute.'
      : failure.code === 'forbidden'
        ? `AWS refused Rolesmith’s provisioner access to read this role (${code}), so the role could not be checked. An admin can check the account’s provisioner role.`
        : `AWS answered ${code} while Rolesmith read the role, so it could not be checked. Try again later.`;
  return {
    state: 'unknown',
    checkedAt: new Date(),
    reason,
    awsCode: code,
    isTransient: isTransientAwsError(failure.aws),
  };
}

/**
 * Reads the role from IAM and compares it with its record. Never throws for AWS's answers: a
 * failed read is an `unknown` check. The record's spec is parsed first; a record that no longer
 * parses is a broken invariant and throws.
 */
export async function checkRecordedRole(
  recorded: RecordedRole,
  iamFor: IamFor = iamForAccount,
): Promise<DriftCheck> {
  const spec = roleSpecSchema.parse(recorded.spec);
  let iam: IamAccountClient;
  try {
    iam = await iamFor(recorded.accountId);
  } catch {
    // iamForAccount throws only when the account is no longer a target account.
    return {
      state: 'unknown',
      checkedAt: new Date(),
      reason: 'Rolesmith cannot reach this account any more (it is no longer a target account).',
      awsCode: null,
      isTransient: false,
    };
  }
  const read = await readLiveRole(iam, spec);
  if (!read.ok) return couldNotCheck(read);
  const checkedAt = new Date();
  if (read.role === 'deleted') {
    return { state: 'drifted', checkedAt, differences: [roleDeletedDifference], live: null };
  }
  const live = liveRoleSpec(spec, read.role);
  const differences = compareRole(spec, read.role);
  return differences.length === 0
    ? { state: 'matches', checkedAt, differences: [], live }
    : { state: 'drifted', checkedAt, differences, live };
}

/**
 * Records a check's outcome for the role's current record (a check of a record that another
 * request has replaced since is dropped), and schedules the next one `nextCheckInMs` later. A
 * transient failure (throttling) keeps the last known outcome and only reschedules.
 */
export async function recordDriftCheck(
  recorded: Pick<RecordedRole, 'accountId' | 'roleName' | 'requestId'>,
  check: DriftCheck,
  options: { nextCheckInMs: number; leaseOwner?: string; db?: Db },
): Promise<void> {
  await updateRoleDriftResult(options.db ?? (await getDb()), {
    accountId: recorded.accountId,
    roleName: recorded.roleName,
    requestId: recorded.requestId,
    outcome:
      check.state === 'unknown' && check.isTransient
        ? null
        : {
            state: check.state,
            differences:
              check.state === 'unknown'
                ? []
                : check.differences.map(({ kind, sentence }) => ({ kind, sentence })),
            reason: check.state === 'unknown' ? check.reason : null,
            checkedAt: check.checkedAt,
          },
    nextCheckInMs: options.nextCheckInMs,
    leaseOwner: options.leaseOwner ?? null,
  });
}

/**
 * Puts a claimed role's check off by `delayMs` without checking it (the last outcome stays), and
 * releases `leaseOwner`'s lease: what the background check does with the rest of a round after IAM
 * throttled it.
 */
export async function postponeDriftCheck(
  recorded: Pick<RecordedRole, 'accountId' | 'roleName' | 'requestId'>,
  delayMs: number,
  options: { leaseOwner: string; db?: Db },
): Promise<void> {
  await updateRoleDriftResult(options.db ?? (await getDb()), {
    accountId: recorded.accountId,
    roleName: recorded.roleName,
    requestId: recorded.requestId,
    outcome: null,
    nextCheckInMs: delayMs,
    leaseOwner: options.leaseOwner,
  });
}

/** After a check from the summary page, the background check leaves the role alone this long. */
const PAGE_CHECK_RESCHEDULE_MS = 15 * 60_000;

/**
 * The drift of a role the principal may see (as `getRoleSummary`: `not_found` otherwise), read
 * live from IAM now and recorded for the roles list. AWS failures are an `unknown` check, never an
 * error.
 */
export async function checkRoleDrift(
  principal: Principal,
  accountId: string,
  roleName: string,
  iamFor: IamFor = iamForAccount,
): Promise<Result<DriftCheck>> {
  const summary = await getRoleSummary(principal, accountId, roleName);
  if (!summary.ok) return summary;
  const check = await checkRecordedRole(summary.value, iamFor);
  await recordDriftCheck(summary.value, check, { nextCheckInMs: PAGE_CHECK_RESCHEDULE_MS });
  return ok(check);
}

/** A drift check as recorded in `role_drift` (by the background check or an earlier view). */
export interface RecordedDriftCheck {
  state: DriftState;
  differences: StoredDriftDifference[];
  /** Why the role could not be checked, for an `unknown` check. */
  reason: string | null;
  checkedAt: Date;
}

/**
 * What the role summary shows of a role's drift: a `live` check read from IAM now, or, when the
 * person has read roles live too often lately ({@link liveRoleReadsPerUser}), the `recorded` last
 * check (`null` if there is none) and when a live read is allowed again.
 */
export type RoleDriftView =
  | { source: 'live'; check: DriftCheck }
  | { source: 'recorded'; last: RecordedDriftCheck | null; retryAfterSeconds: number };

/** The live checks of the summary page in flight in this process, by account, role and record. */
const pageChecksInFlight = new Map<string, Promise<DriftCheck>>();

/**
 * The summary page's drift of a role the principal may see (`not_found` otherwise). Reading a
 * role live costs several IAM calls against the account's shared IAM limit, so: each person may
 * read roles live {@link liveRoleReadsPerUser} times a minute (past it, the last recorded check is
 * shown), and views of the same role at the same time share one check (and one record of it).
 */
export async function viewRoleDrift(
  principal: Principal,
  accountId: string,
  roleName: string,
  iamFor: IamFor = iamForAccount,
): Promise<Result<RoleDriftView>> {
  const summary = await getRoleSummary(principal, accountId, roleName);
  if (!summary.ok) return summary;
  const role = summary.value;
  const decision = await hitRateLimit(await authDb(), liveRoleReadsPerUser, principal.id);
  if (!decision.allowed) {
    const last = await selectLastDriftOutcome(await getDb(), role.accountId, role.roleName);
    return ok({ source: 'recorded', last, retryAfterSeconds: decision.retryAfterSeconds });
  }
  const key = [role.accountId, role.roleName.toLowerCase(), role.requestId].join('\n');
  let inFlight = pageChecksInFlight.get(key);
  if (!inFlight) {
    inFlight = (async () => {
      const check = await checkRecordedRole(role, iamFor);
      await recordDriftCheck(role, check, { nextCheckInMs: PAGE_CHECK_RESCHEDULE_MS });
      return check;
    })().finally(() => pageChecksInFlight.delete(key));
    pageChecksInFlight.set(key, inFlight);
  }
  return ok({ source: 'live', check: await inFlight });
}
