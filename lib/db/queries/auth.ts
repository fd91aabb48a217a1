import 'server-only';
import { sql } from 'kysely';
import type { Db, Tx } from '@/lib/db/schema';

// Queries of sign-in and access control (`lib/auth`): users, portal-role assignments, rate-limit
// counters and server-side sessions. They return domain types; the rules live in `lib/auth`.

/** A person as recorded at their last sign-in (or seeded in sandbox mode). */
export interface UserRecord {
  id: string;
  /** Lower-case e-mail address. */
  email: string;
  /** The identity provider's `email_verified` claim was `true` (always for the demo people). */
  emailVerified: boolean;
  name: string;
  /** Identity-provider groups recorded at the last sign-in. */
  groups: string[];
}

/** A portal role granted to a person (by e-mail) or to an identity-provider group. */
export interface AssignmentRecord {
  id: string;
  subjectKind: 'person' | 'group';
  subject: string;
  role: 'approver' | 'admin';
  /** For approvers: the accounts they approve for, or `null` for every account. */
  accountIds: string[] | null;
  grantedBy: string;
  grantedAt: Date;
}

/** One server-side session (see the `sessions` table). */
export interface SessionRecord {
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/**
 * Creates the user or updates their e-mail (lower-cased), its verification, name, groups and
 * last sign-in time. Throws when another user already holds the same verified e-mail.
 */
export async function insertOrUpdateUser(db: Db, user: UserRecord, at: Date): Promise<void> {
  const email = user.email.toLowerCase();
  await db
    .insertInto('users')
    .values({
      id: user.id,
      email,
      email_verified: user.emailVerified,
      name: user.name,
      groups: user.groups,
      last_sign_in_at: at,
      created_at: at,
    })
    .onConflict((conflict) =>
      conflict.column('id').doUpdateSet({
        email,
        email_verified: user.emailVerified,
        name: user.name,
        groups: user.groups,
        last_sign_in_at: at,
      }),
    )
    .execute();
}

/** Creates the user unless one with the same id exists. Returns whether it was created. */
export async function insertUserIfMissing(db: Db, user: UserRecord): Promise<boolean> {
  const inserted = await db
    .insertInto('users')
    .values({
      id: user.id,
      email: user.email.toLowerCase(),
      email_verified: user.emailVerified,
      name: user.name,
      groups: user.groups,
      last_sign_in_at: null,
    })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The user with this id, or `null`. */
export async function getUser(db: Db, id: string): Promise<UserRecord | null> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'email', 'email_verified', 'name', 'groups'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row
    ? { id: row.id, email: row.email, emailVerified: row.email_verified, name: row.name, groups: row.groups }
    : null;
}

/**
 * The role and accounts of every assignment to the e-mail (when given: pass it only when
 * verified) or to one of the groups.
 */
export async function listAssignmentsForSubjects(
  db: Db,
  subjects: { email: string | null; groups: readonly string[] },
): Promise<Pick<AssignmentRecord, 'role' | 'accountIds'>[]> {
  const { email, groups } = subjects;
  if (email === null && groups.length === 0) return [];
  const rows = await db
    .selectFrom('portal_role_assignments')
    .select(['role', 'account_ids'])
    .where((eb) =>
      eb.or([
        ...(email !== null ? [eb.and([eb('subject_kind', '=', 'person'), eb('subject', '=', email)])] : []),
        ...(groups.length > 0
          ? [eb.and([eb('subject_kind', '=', 'group'), eb('subject', 'in', [...groups])])]
          : []),
      ]),
    )
    .execute();
  return rows.map((row) => ({ role: row.role, accountIds: row.account_ids }));
}

function toAssignment(row: {
  id: string;
  subject_kind: 'person' | 'group';
  subject: string;
  role: 'approver' | 'admin';
  account_ids: string[] | null;
  granted_by: string;
  granted_at: Date;
}): AssignmentRecord {
  return {
    id: row.id,
    subjectKind: row.subject_kind,
    subject: row.subject,
    role: row.role,
    accountIds: row.account_ids,
    grantedBy: row.granted_by,
    grantedAt: row.granted_at,
  };
}

/** Every portal-role assignment, newest first. */
export async function listPortalRoleAssignments(db: Db): Promise<AssignmentRecord[]> {
  const rows = await db
    .selectFrom('portal_role_assignments')
    .selectAll()
    .orderBy('granted_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toAssignment);
}

/** The account lists of the existing grants of one role to one subject. */
export async function listAssignmentAccountIds(
  db: Db,
  grant: Pick<AssignmentRecord, 'subjectKind' | 'subject' | 'role'>,
): Promise<(string[] | null)[]> {
  const rows = await db
    .selectFrom('portal_role_assignments')
    .select('account_ids')
    .where('subject_kind', '=', grant.subjectKind)
    .where('subject', '=', grant.subject)
    .where('role', '=', grant.role)
    .execute();
  return rows.map((row) => row.account_ids);
}

/** Records a grant. Returns the new assignment's id. */
export async function insertAssignment(
  db: Db,
  grant: Pick<AssignmentRecord, 'subjectKind' | 'subject' | 'role' | 'accountIds' | 'grantedBy'>,
): Promise<string> {
  const row = await db
    .insertInto('portal_role_assignments')
    .values({
      subject_kind: grant.subjectKind,
      subject: grant.subject,
      role: grant.role,
      account_ids: grant.accountIds,
      granted_by: grant.grantedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Locks every admin assignment (in id order, so that concurrent callers cannot deadlock) until
 * the transaction ends, and returns how many there are.
 */
export async function countAdminAssignmentsForUpdate(tx: Tx): Promise<number> {
  const rows = await tx
    .selectFrom('portal_role_assignments')
    .select('id')
    .where('role', '=', 'admin')
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.length;
}

/** The assignment with this id, locked until the transaction ends, or `null`. */
export async function getAssignmentForUpdate(tx: Tx, id: string): Promise<AssignmentRecord | null> {
  const row = await tx
    .selectFrom('portal_role_assignments')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row ? toAssignment(row) : null;
}

/** Removes one assignment. */
export async function deleteAssignment(db: Db, id: string): Promise<void> {
  await db.deleteFrom('portal_role_assignments').where('id', '=', id).execute();
}

/**
 * Adds one to the counter of `key` in the window starting at `windowStart` (one atomic upsert, so
 * concurrent requests never lose a count) and returns the new count.
 */
export async function updateRateLimitCounter(db: Db, key: string, windowStart: Date): Promise<number> {
  const row = await db
    .insertInto('rate_limit_counters')
    .values({ key, window_start: windowStart, count: 1 })
    .onConflict((conflict) =>
      conflict
        .columns(['key', 'window_start'])
        .doUpdateSet({ count: sql<number>`rate_limit_counters.count + 1` }),
    )
    .returning('count')
    .executeTakeFirstOrThrow();
  return row.count;
}

/** Removes the counters of `key` for windows that started before `windowStart`. */
export async function deleteRateLimitCountersBefore(db: Db, key: string, windowStart: Date): Promise<void> {
  await db
    .deleteFrom('rate_limit_counters')
    .where('key', '=', key)
    .where('window_start', '<', windowStart)
    .execute();
}

/**
 * Removes every counter whose window started before `before`, whatever its key: keys never hit
 * again (a one-off address, a made-up person id posted to the sign-in form) would otherwise stay
 * for ever. Returns how many went.
 */
export async function deleteRateLimitCountersStartedBefore(db: Db, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('rate_limit_counters')
    .where('window_start', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The counter of `key` in the window starting at `windowStart` (0 when none). */
export async function getRateLimitCount(db: Db, key: string, windowStart: Date): Promise<number> {
  const row = await db
    .selectFrom('rate_limit_counters')
    .select('count')
    .where('key', '=', key)
    .where('window_start', '=', windowStart)
    .executeTakeFirst();
  return row?.count ?? 0;
}

/** Records a new session of `userId` under the SHA-256 of its id. */
export async function insertSession(
  db: Db,
  session: { idHash: string; userId: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: session.idHash,
      user_id: session.userId,
      created_at: session.createdAt,
      last_seen_at: session.createdAt,
      expires_at: session.expiresAt,
    })
    .execute();
}

/** The session whose id hashes to `idHash`, or `null`. */
export async function getSession(db: Db, idHash: string): Promise<SessionRecord | null> {
  const row = await db
    .selectFrom('sessions')
    .select(['user_id', 'created_at', 'last_seen_at', 'expires_at', 'revoked_at'])
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
  return row
    ? {
        userId: row.user_id,
        createdAt: row.created_at,
        lastSeenAt: row.last_seen_at,
        expiresAt: row.expires_at,
        revokedAt: row.revoked_at,
      }
    : null;
}

/** Moves a session's last-seen time forward (never backward). */
export async function updateSessionLastSeen(db: Db, idHash: string, at: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: at })
    .where('id_hash', '=', idHash)
    .where('last_seen_at', '<', at)
    .execute();
}

/** Revokes one session (if not already). Returns whether it was valid until now. */
export async function updateSessionRevoked(db: Db, idHash: string, at: Date): Promise<boolean> {
  const rows = await db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('id_hash', '=', idHash)
    .where('revoked_at', 'is', null)
    .returning('id_hash')
    .execute();
  return rows.length > 0;
}

/** Revokes every session of a user that is not revoked yet. Returns how many were revoked. */
export async function updateUserSessionsRevoked(db: Db, userId: string, at: Date): Promise<number> {
  const rows = await db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .returning('id_hash')
    .execute();
  return rows.length;
}

/**
 * Revokes every session, not revoked yet, of the users with this (lower-case) e-mail. Returns how
 * many were revoked.
 */
export async function updateSessionsRevokedForEmail(db: Db, email: string, at: Date): Promise<number> {
  const rows = await db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('user_id', 'in', db.selectFrom('users').select('id').where('email', '=', email))
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .returning('id_hash')
    .execute();
  return rows.length;
}

/** Removes sessions that ended (expired or revoked) before `before`. Returns how many. */
export async function deleteEndedSessions(db: Db, before: Date): Promise<number> {
  const rows = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
    .returning('id_hash')
    .execute();
  return rows.length;
}
