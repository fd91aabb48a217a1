import 'server-only';

import { parseArgs } from 'node:util';

import { createAccountClients } from '@/lib/aws/account-clients';
import type { IamAccountClient } from '@/lib/aws/iam-client';
import { getDb, openPostgres } from '@/lib/db/client';
import type { Checkpoint } from '@/lib/provisioning/executor';
import { iamForAccount } from '@/lib/provisioning/account-iam';
import { defaultRetryPolicy } from '@/lib/provisioning/retry';
import { createWebhookSender } from '@/lib/notifications/sender';
import { createProvisioningWorker } from '@/lib/provisioning/worker';
import { requestBinding } from '@/lib/requests/provisioning-binding';

/**
 * A standalone provisioning worker process, which also sends the notifications webhook's outbox (`npx tsx --conditions=react-server
 * lib/worker-main.ts`), for running workers apart from the web server and for the
 * multi-process reliability tests. It sits above `lib/provisioning` and `lib/requests`, as
 * `lib/server-start.ts` does, because it joins them: the worker gets the request workflow's side
 * of provisioning from here. Options:
 *
 *   --database-url URL     PostgreSQL to use (default: the environment's database)
 *   --emulator-json JSON   reach accounts through this emulator: the line `rolesmith sandbox --json` prints
 *   --worker-id ID --lease-ms N --poll-ms N --concurrency N --retry-base-ms N
 *   --no-webhooks          do not drain the notifications outbox (by default this process sends webhooks too)
 *   --crash-at I:PHASE     SIGKILL this process at step I's checkpoint PHASE (intent_committed,
 *                          call_returned, before_finish) of the first job that reaches it
 *
 * Prints one JSON object per line: `{"event":"ready"}`, then `{"event":"job",...}` per job ended.
 * Stops on SIGTERM or SIGINT after the jobs in hand end.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'database-url': { type: 'string' },
      'emulator-json': { type: 'string' },
      'worker-id': { type: 'string' },
      'lease-ms': { type: 'string' },
      'poll-ms': { type: 'string' },
      concurrency: { type: 'string' },
      'retry-base-ms': { type: 'string' },
      'crash-at': { type: 'string' },
      'no-webhooks': { type: 'boolean' },
    },
  });
  const opened = values['database-url'] ? openPostgres(values['database-url'], 4) : null;
  const db = opened ? opened.db : await getDb();
  const iamFor = values['emulator-json'] ? emulatorClients(values['emulator-json']) : iamForAccount;
  const crashAt = values['crash-at'] ? parseCrashPoint(values['crash-at']) : null;
  const number = (text: string | undefined, fallback: number) =>
    text === undefined ? fallback : Number(text);
  const baseDelayMs = number(values['retry-base-ms'], defaultRetryPolicy.baseDelayMs);

  const worker = createProvisioningWorker({
    db,
    requests: requestBinding,
    iamFor,
    ...(values['worker-id'] ? { workerId: values['worker-id'] } : {}),
    leaseMs: number(values['lease-ms'], 30_000),
    pollMs: number(values['poll-ms'], 1000),
    concurrency: number(values.concurrency, 1),
    retry: {
      ...defaultRetryPolicy,
      baseDelayMs,
      maxDelayMs: Math.max(baseDelayMs, Math.min(defaultRetryPolicy.maxDelayMs, baseDelayMs * 16)),
    },
    ...(crashAt
      ? {
          onCheckpoint: (checkpoint: Checkpoint) => {
            if (checkpoint.stepIndex === crashAt.stepIndex && checkpoint.phase === crashAt.phase) {
              process.stdout.write(`${JSON.stringify({ event: 'crash', ...checkpoint })}\n`, () =>
                process.kill(process.pid, 'SIGKILL'),
              );
              return new Promise<void>(() => undefined);
            }
          },
        }
      : {}),
    onJobEnded: (job, outcome) => {
      // The next job claimed with this one's end is named, not printed whole (spec, plan, lease token).
      const logged =
        outcome.status === 'succeeded'
          ? { status: outcome.status, nextJobId: outcome.next?.id ?? null }
          : outcome;
      process.stdout.write(
        `${JSON.stringify({ event: 'job', jobId: job.id, requestId: job.requestId, ...logged })}\n`,
      );
    },
    onError: (error) => {
      console.error('provisioning worker error', error);
    },
  });
  worker.start();
  // The notifications outbox is drained by every worker too (unless --no-webhooks).
  const sender = values['no-webhooks']
    ? null
    : createWebhookSender({ db, onError: (error) => console.error('webhook sender error', error) });
  sender?.start();
  process.stdout.write(`${JSON.stringify({ event: 'ready', pid: process.pid })}\n`);
  const stop = () => {
    void Promise.all([worker.stop(), sender?.stop()]).then(async () => {
      await opened?.close();
      process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function parseCrashPoint(text: string): { stepIndex: number; phase: Checkpoint['phase'] } {
  const [index, phase] = text.split(':');
  if (phase !== 'intent_committed' && phase !== 'call_returned' && phase !== 'before_finish') {
    throw new Error(
      `--crash-at must be STEP:PHASE with PHASE intent_committed, call_returned or before_finish (got ${text})`,
    );
  }
  return { stepIndex: Number(index), phase };
}

function emulatorClients(json: string): (accountId: string) => Promise<IamAccountClient> {
  const description = JSON.parse(json) as {
    endpoint: string;
    region?: string;
    accounts: { id: string; provisioner: { accessKeyId: string; secretAccessKey: string } }[];
  };
  const cache = new Map<string, IamAccountClient>();
  return (accountId) => {
    const account = description.accounts.find((candidate) => candidate.id === accountId);
    if (!account) return Promise.reject(new Error(`The emulator has no account ${accountId}`));
    let iam = cache.get(accountId);
    if (!iam) {
      iam = createAccountClients(accountId, {
        endpoint: description.endpoint,
        region: description.region ?? 'us-east-1',
        credentials: account.provisioner,
      }).iam;
      cache.set(accountId, iam);
    }
    return Promise.resolve(iam);
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
