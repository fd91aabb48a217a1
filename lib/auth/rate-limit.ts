import 'server-only';
import type { AuthDb } from '@/lib/auth/users';
import { deleteRateLimitCountersBefore, updateRateLimitCounter } from '@/lib/db/queries/auth';

export interface RateLimitRule {
  /** What is limited, e.g. `sign-in` or `mutation`. */
  name: string;
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
}

/** Sign-in attempts per IP address and per person. */
export const signInPerIp: RateLimitRule = { name: 'sign-in:ip', limit: 60, windowSeconds: 60 };
export const signInPerPerson: RateLimitRule = { name: 'sign-in:person', limit: 10, windowSeconds: 60 };
/** State-changing requests (server actions, POST route handlers) per user and per IP address. */
export const mutationsPerUser: RateLimitRule = { name: 'mutation:user', limit: 60, windowSeconds: 60 };
export const mutationsPerIp: RateLimitRule = { name: 'mutation:ip', limit: 300, windowSeconds: 60 };
/**
 * Reads the UI makes while someone types (search, validation, name availability, policy lists),
 * per user: sized for typing, and apart from the mutation limit.
 */
export const readsPerUser: RateLimitRule = { name: 'read:user', limit: 600, windowSeconds: 60 };

/**
 * Live reads of a role from IAM (the role summary's drift check), per person: each costs several
 * IAM calls, and IAM throttles per account, so one person reloading in a loop must not slow
 * everyone's provisioning. Past it the page shows the last recorded check.
 */
export const liveRoleReadsPerUser: RateLimitRule = {
  name: 'live-role-read:user',
  limit: 20,
  windowSeconds: 60,
};

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts one request against a fixed-window limit in the database, so that the limit holds across
 * every instance sharing it. The increment is one atomic upsert: concurrent requests never lose a
 * count. Returns whether the request is allowed and, if not, how many seconds until the window ends.
 */
export async function hitRateLimit(
  db: AuthDb,
  rule: RateLimitRule,
  subject: string,
  now: Date = new Date(),
): Promise<RateLimitDecision> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const key = `${rule.name}:${subject}`;
  const count = await updateRateLimitCounter(db, key, windowStart);
  // Old windows of this key are of no further use; deleting them keeps the table small.
  await deleteRateLimitCountersBefore(db, key, windowStart);
  if (count <= rule.limit) return { allowed: true };
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
  return { allowed: false, retryAfterSeconds };
}

/** Applies several limits in turn; the first one exceeded decides. */
export async function hitRateLimits(
  db: AuthDb,
  checks: readonly { rule: RateLimitRule; subject: string }[],
  now: Date = new Date(),
): Promise<RateLimitDecision> {
  for (const check of checks) {
    const decision = await hitRateLimit(db, check.rule, check.subject, now);
    if (!decision.allowed) return decision;
  }
  return { allowed: true };
}
