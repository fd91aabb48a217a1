import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { authDb } from '@/lib/auth/db';
import type { Principal } from '@/lib/auth/principal';
import type { AuthDb } from '@/lib/auth/users';
import {
  deleteEndedSessions,
  deleteRateLimitCountersStartedBefore,
  getSession,
  insertSession,
  updateSessionLastSeen,
  updateSessionRevoked,
  updateSessionsRevokedForEmail,
  updateUserSessionsRevoked,
} from '@/lib/db/queries/auth';
import { fail, invalidInput, ok, type Result } from '@/lib/result';

/** How long a session lasts after sign-in, whatever happens meanwhile. */
export const sessionMaxAgeSeconds = 8 * 60 * 60;

/**
 * A session unused for this long ends (the next request is signed out). Two hours: long enough
 * to review a request with a meeting in between, short enough that a forgotten browser does not
 * stay signed in all day.
 */
export const sessionIdleSeconds = 2 * 60 * 60;

/**
 * The last-seen time is written at most this often per session, so that a busy session costs one
 * write a minute, not one per request; the idle timeout is therefore exact to within a minute.
 */
const lastSeenResolutionSeconds = 60;

/** Sessions that ended longer ago than this are deleted when someone signs in. */
const endedSessionRetentionSeconds = 24 * 60 * 60;

/** The SHA-256 (hex) of a session id: only this is stored, never the id itself. */
export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

/**
 * Starts a server-side session for a user who just signed in and returns its random id (256 bits,
 * base64url), which goes into the session cookie. Also removes sessions that ended a day ago and
 * rate-limit counters of windows that started a day ago.
 */
export async function startSession(db: AuthDb, userId: string, now: Date = new Date()): Promise<string> {
  const sessionId = randomBytes(32).toString('base64url');
  await insertSession(db, {
    idHash: hashSessionId(sessionId),
    userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + sessionMaxAgeSeconds * 1000),
  });
  const dayAgo = new Date(now.getTime() - endedSessionRetentionSeconds * 1000);
  await deleteEndedSessions(db, dayAgo);
  // Housekeeping for the rate limits too (their longest window is far shorter than a day).
  await deleteRateLimitCountersStartedBefore(db, dayAgo);
  return sessionId;
}

/**
 * Whether a session id from a valid cookie still stands for `userId`: the session exists, belongs
 * to that user, was not revoked, has not reached its end, and was used within
 * {@link sessionIdleSeconds}. A valid session's last-seen time moves to `now` (at most once a
 * minute). Returns `false` otherwise; never throws for a bad id.
 */
export async function isSessionActive(
  db: AuthDb,
  sessionId: string,
  userId: string,
  now: Date = new Date(),
): Promise<boolean> {
  const idHash = hashSessionId(sessionId);
  const session = await getSession(db, idHash);
  if (!session || session.userId !== userId || session.revokedAt !== null) return false;
  if (session.expiresAt.getTime() <= now.getTime()) return false;
  const idleMs = now.getTime() - session.lastSeenAt.getTime();
  if (idleMs >= sessionIdleSeconds * 1000) return false;
  if (idleMs >= lastSeenResolutionSeconds * 1000) await updateSessionLastSeen(db, idHash, now);
  return true;
}

/** Ends one session (sign-out): its cookie, wherever it was copied, is refused from now on. */
export async function endSession(db: AuthDb, sessionId: string, now: Date = new Date()): Promise<void> {
  await updateSessionRevoked(db, hashSessionId(sessionId), now);
}

/**
 * Ends every session of a user ("sign out everywhere", or an admin cutting someone off). Returns
 * how many sessions were still valid.
 */
export async function endUserSessions(db: AuthDb, userId: string, now: Date = new Date()): Promise<number> {
  return updateUserSessionsRevoked(db, userId, now);
}

/**
 * "Sign out everywhere": ends every session of the signed-in person (this browser's included).
 * Anyone signed in may do it for themselves; returns how many sessions ended.
 */
export async function endOwnSessions(principal: Principal): Promise<Result<{ ended: number }>> {
  return ok({ ended: await endUserSessions(await authDb(), principal.id) });
}

export const endPersonSessionsSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[^@\s]+@[^@\s]+$/, 'Enter an e-mail address such as alice@example.com')
    .max(256, 'At most 256 characters'),
});
export type EndPersonSessionsInput = z.input<typeof endPersonSessionsSchema>;

/**
 * Signs a person out everywhere on an admin's behalf (a lost laptop, someone leaving): ends every
 * session of the users with that e-mail; their next request is signed out. Admins only
 * (`forbidden` otherwise); `invalid_input` with field errors for a bad e-mail. Returns how many
 * sessions ended (0 when the person has none, which is not an error).
 */
export async function endPersonSessions(
  principal: Principal,
  input: unknown,
): Promise<Result<{ ended: number }>> {
  if (!principal.roles.admin) return fail('forbidden', 'Only admins sign other people out.');
  const parsed = endPersonSessionsSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  return ok({ ended: await updateSessionsRevokedForEmail(await authDb(), parsed.data.email, new Date()) });
}
