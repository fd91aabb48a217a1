import 'server-only';

import { randomUUID } from 'node:crypto';

import { getDb } from '@/lib/db/client';
import { updateClaimDueDriftChecks } from '@/lib/db/queries/role-drift';
import type { RootDb } from '@/lib/db/schema';
import { iamForAccount } from '@/lib/provisioning/account-iam';
import { checkRecordedRole, postponeDriftCheck, recordDriftCheck, type IamFor } from '@/lib/requests/drift';

/** What one round of background drift checks did. */
export interface DriftRound {
  /** Roles checked and recorded (a throttled one included; the rest of a throttled round is postponed). */
  checked: number;
  /** Whether IAM throttled a check: the round stopped there and the next one waits longer. */
  throttled: boolean;
}

export interface DriftCheckerOptions {
  db: RootDb;
  /** Seconds between two checks of one role (each role's next check is spread ±10% around it). */
  intervalSeconds: number;
  iamFor?: IamFor;
  /** Roles claimed per round (default 5). */
  batchSize?: number;
  /** Milliseconds between rounds while there is nothing to back off from (default 15 s). */
  pollMs?: number;
  /** How long a claimed role stays this checker's (default 2 minutes). */
  leaseMs?: number;
  /** After a throttled check, how long that role waits (default 5 minutes). */
  throttledRetryMs?: number;
  onError?: (error: unknown) => void;
}

export interface DriftChecker {
  /** Claims the roles due, checks them one after another and records each; stops at throttling. */
  runOnce(): Promise<DriftRound>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The background drift check: every few seconds it claims a few portal-managed roles whose check
 * is due (a lease in `role_drift`, `FOR UPDATE SKIP LOCKED`: one instance at a time per role, any
 * number of instances), reads each from IAM, and records the outcome with the next check
 * scheduled an interval later (spread at random so that roles provisioned together do not stay
 * together). Throttling ends the round, keeps the role's last outcome, and doubles the pause
 * before the next round (up to 16 times `pollMs`); a round without throttling resets it.
 */
export function createDriftChecker(options: DriftCheckerOptions): DriftChecker {
  const leaseOwner = `drift-${randomUUID()}`;
  const iamFor = options.iamFor ?? iamForAccount;
  const batchSize = options.batchSize ?? 5;
  const pollMs = options.pollMs ?? 15_000;
  const leaseMs = options.leaseMs ?? 120_000;
  const throttledRetryMs = options.throttledRetryMs ?? 5 * 60_000;
  const intervalMs = options.intervalSeconds * 1000;
  const spread = () => Math.round(intervalMs * (0.9 + Math.random() * 0.2));

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;
  let pause = pollMs;

  async function runOnce(): Promise<DriftRound> {
    const claimed = await updateClaimDueDriftChecks(options.db, leaseOwner, leaseMs, batchSize);
    let checked = 0;
    let throttled = false;
    for (const role of claimed) {
      if (throttled) {
        // The rest of the round waits as long as the throttled role, its lease released.
        await postponeDriftCheck(role, throttledRetryMs, { leaseOwner, db: options.db });
        continue;
      }
      const check = await checkRecordedRole(role, iamFor);
      throttled = check.state === 'unknown' && check.isTransient;
      await recordDriftCheck(role, check, {
        nextCheckInMs: throttled ? throttledRetryMs : spread(),
        leaseOwner,
        db: options.db,
      });
      checked += 1;
    }
    return { checked, throttled };
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .then((round) => {
          pause = round.throttled ? Math.min(pause * 2, pollMs * 16) : pollMs;
        })
        .catch((error: unknown) => options.onError?.(error))
        .finally(() => {
          running = null;
          schedule();
        });
    }, pause);
    timer.unref();
  }

  return {
    runOnce,
    start() {
      if (!stopped || intervalMs === 0) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

const checkerKey = Symbol.for('rolesmith.driftChecker');
type Holder = { [checkerKey]?: DriftChecker };

/**
 * Starts this process's background drift check (once), on the process's database, reaching each
 * account as the mode says; nothing runs when the interval is 0.
 */
export async function startDriftChecker(intervalSeconds: number): Promise<void> {
  const holder = globalThis as Holder;
  if (holder[checkerKey]) return;
  holder[checkerKey] = createDriftChecker({
    db: await getDb(),
    intervalSeconds,
    onError: (error) => console.error('rolesmith: drift check error', error),
  });
  holder[checkerKey].start();
}

/** Stops this process's background drift check, waiting for the round in hand. */
export async function stopDriftChecker(): Promise<void> {
  const holder = globalThis as Holder;
  const checker = holder[checkerKey];
  delete holder[checkerKey];
  await checker?.stop();
}
