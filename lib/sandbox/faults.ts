import 'server-only';
import { AwsError, statusForCode } from '@/lib/sandbox/protocol';

// Fault injection for tests and demonstrations (`POST <endpoint>/_sandbox/faults`): throttling at
// random or by rate, latency, and a chosen failure of the Nth call of an action.

/** Fault injection settings (`POST <endpoint>/_sandbox/faults`). */
export interface Faults {
  /** Throttles each call with this probability (0 to 1), whatever the rate. */
  throttleRate?: number;
  /**
   * Throttles by rate, as IAM does: a token bucket per account holding up to N tokens (the burst),
   * refilled at N per second; a call finding no token is answered `Throttling` / "Rate exceeded".
   */
  throttleAbovePerSecond?: number;
  latencyMs?: number;
  failNth?: { action: string; n: number; code: string };
}

/** The fault settings in force, and what they need to remember between calls. */
export class FaultInjector {
  private faults: Faults = {};
  private failNthSeen = 0;
  /** Per account, the `throttleAbovePerSecond` token bucket: tokens left and when last refilled. */
  private rateBuckets = new Map<string, { tokens: number; refilledAt: number }>();

  /** The settings in force. */
  get current(): Faults {
    return this.faults;
  }

  /** Replaces the settings (`{}` clears them; the Nth-call count restarts and buckets start full). */
  set(faults: Faults): void {
    this.faults = faults;
    this.failNthSeen = 0;
    this.rateBuckets.clear();
  }

  /** Whether any fault is set (most of the time none is: {@link apply} need not be awaited then). */
  get active(): boolean {
    const { latencyMs, throttleRate, throttleAbovePerSecond, failNth } = this.faults;
    return Boolean(latencyMs || throttleRate || throttleAbovePerSecond !== undefined || failNth);
  }

  /** Waits the latency, then throws the AWS error a fault calls for, if any, for one call. */
  async apply(action: string, account: string): Promise<void> {
    const { latencyMs, throttleRate, throttleAbovePerSecond, failNth } = this.faults;
    if (latencyMs && latencyMs > 0) await new Promise((done) => setTimeout(done, latencyMs));
    if (throttleRate && Math.random() < throttleRate) throw new AwsError('Throttling', 'Rate exceeded', 400);
    if (throttleAbovePerSecond !== undefined && !this.takeRateToken(account, throttleAbovePerSecond))
      throw new AwsError('Throttling', 'Rate exceeded', 400);
    if (failNth && failNth.action === action) {
      this.failNthSeen += 1;
      if (this.failNthSeen === failNth.n) {
        throw new AwsError(
          failNth.code,
          `Injected failure of call ${failNth.n} of ${action}.`,
          statusForCode(failNth.code),
        );
      }
    }
  }

  /** Takes one token from the account's bucket (burst and refill `perSecond`); false when empty. */
  private takeRateToken(account: string, perSecond: number): boolean {
    const now = performance.now();
    const bucket = this.rateBuckets.get(account) ?? { tokens: perSecond, refilledAt: now };
    bucket.tokens = Math.min(perSecond, bucket.tokens + ((now - bucket.refilledAt) / 1000) * perSecond);
    bucket.refilledAt = now;
    this.rateBuckets.set(account, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

const faultFields = ['throttleRate', 'throttleAbovePerSecond', 'latencyMs', 'failNth'];

/** Parses fault settings; returns an error message when invalid. */
export function parseFaults(text: string): Faults | string {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return 'The body must be a JSON object.';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'The body must be a JSON object.';
  const input = value as Record<string, unknown>;
  const faults: Faults = {};
  for (const key of Object.keys(input)) {
    if (!faultFields.includes(key)) return `Unknown field ${key}. Known fields: ${faultFields.join(', ')}.`;
  }
  if (input.throttleRate !== undefined) {
    if (typeof input.throttleRate !== 'number' || input.throttleRate < 0 || input.throttleRate > 1)
      return 'throttleRate must be a number from 0 to 1.';
    faults.throttleRate = input.throttleRate;
  }
  if (input.throttleAbovePerSecond !== undefined) {
    const perSecond = input.throttleAbovePerSecond;
    if (typeof perSecond !== 'number' || !Number.isFinite(perSecond) || perSecond < 1 || perSecond > 10_000)
      return 'throttleAbovePerSecond must be a number of calls per second (per account, burst the same) from 1 to 10000.';
    faults.throttleAbovePerSecond = perSecond;
  }
  if (input.latencyMs !== undefined) {
    if (typeof input.latencyMs !== 'number' || input.latencyMs < 0 || input.latencyMs > 60_000)
      return 'latencyMs must be a number of milliseconds from 0 to 60000.';
    faults.latencyMs = input.latencyMs;
  }
  if (input.failNth !== undefined) {
    const failNth = input.failNth as Record<string, unknown> | null;
    if (
      typeof failNth !== 'object' ||
      failNth === null ||
      typeof failNth.action !== 'string' ||
      typeof failNth.n !== 'number' ||
      !Number.isInteger(failNth.n) ||
      failNth.n < 1
    ) {
      return 'failNth must be { "action": "<Action>", "n": <positive integer>, "code": "<AWS error code>" }.';
    }
    faults.failNth = {
      action: failNth.action,
      n: failNth.n,
      code: typeof failNth.code === 'string' ? failNth.code : 'ServiceFailure',
    };
  }
  return faults;
}
