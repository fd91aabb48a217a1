/**
 * When the webhook sender tries a notification again: exponential backoff with jitter, for a day.
 * Pure (the random source is passed in), so the schedule is tested as data.
 */

export interface BackoffPolicy {
  /** The delay after the first failed attempt, before jitter. */
  baseMs: number;
  /** No delay grows past this. */
  capMs: number;
  /** A notification not delivered this long after it was queued is given up. */
  giveUpAfterMs: number;
}

export const defaultBackoff: BackoffPolicy = {
  baseMs: 30_000,
  capMs: 60 * 60_000,
  giveUpAfterMs: 24 * 60 * 60_000,
};

/**
 * The wait after failed attempt number `attempt` (1 for the first): `baseMs · 2^(attempt-1)`,
 * capped at `capMs`, then drawn uniformly from its upper half ("equal jitter"), so that senders
 * retrying together spread out while the wait still grows. `random` returns a number in [0, 1).
 */
export function retryDelayMs(attempt: number, random: () => number, policy = defaultBackoff): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * After failed attempt `attempt` at `now` of a notification queued at `queuedAt`: when to try
 * again, or `null` to give up (the next try would fall after the day is over).
 */
export function nextAttemptAt(
  queuedAt: Date,
  now: Date,
  attempt: number,
  random: () => number,
  policy = defaultBackoff,
): Date | null {
  const next = now.getTime() + retryDelayMs(attempt, random, policy);
  return next > queuedAt.getTime() + policy.giveUpAfterMs ? null : new Date(next);
}
