/** How provisioning waits out failures that repeating the same call can cure. */
export interface RetryPolicy {
  /** Attempts of one step (after the SDK's own retries) on throttling, server faults, concurrent modification. */
  maxTransientAttempts: number;
  /** First backoff; doubles per attempt up to `maxDelayMs`, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * How long `MalformedPolicyDocument` "Invalid principal in policy" is retried: IAM may not see a
   * principal created moments ago yet (eventual consistency). AWS's own examples wait up to two minutes.
   */
  invalidPrincipalWindowMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxTransientAttempts: 10,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  invalidPrincipalWindowMs: 120_000,
};

/**
 * Backoff before attempt `attempt + 1` (attempt counts from 1): exponential with full jitter
 * (AWS Architecture Blog, "Exponential Backoff And Jitter"), so racing workers spread out.
 */
export function backoffDelayMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}
