import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';

import type { Principal } from '@/lib/auth/principal';
import { closeDb } from '@/lib/db/client';
import { startProvisioningWorker } from '@/lib/provisioning/service';
import { approveRequest } from '@/lib/requests/approve';
import { requestBinding } from '@/lib/requests/provisioning-binding';
import { connectToEmulator, emulatorPreflight, type EmulatorDescription } from '@/lib/testing/provisioning';

/**
 * A portal instance for the approval race test (`lib/provisioning/multi-process.test.ts`), run as
 * its own process: `node --conditions=react-server --import tsx/esm lib/testing/provisioning-racer.ts
 * --emulator-json JSON --approver-id ID --worker-id ID`, with `DATABASE_URL` naming the shared
 * PostgreSQL. It runs a provisioning worker and, for each line `{"requestId", "specSha256",
 * "acknowledged"}` on stdin, approves that request as approver `ID` through the real
 * `approveRequest` (preflight against the emulator, job queued in the approval's transaction, the
 * worker woken after commit).
 *
 * Prints one JSON object per line: `{"event":"ready"}`; per approval `{"event":"approval",
 * "requestId", "ok", "code", "isFinal", "preflightRan"}`; per job ended `{"event":"job", ...}`.
 * Stops on SIGTERM after the jobs in hand end.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'emulator-json': { type: 'string' },
      'approver-id': { type: 'string' },
      'worker-id': { type: 'string' },
      'poll-ms': { type: 'string' },
    },
  });
  if (!values['emulator-json'] || !values['approver-id'] || !values['worker-id'])
    throw new Error('--emulator-json, --approver-id and --worker-id are required');
  const emulator = connectToEmulator(JSON.parse(values['emulator-json']) as EmulatorDescription, () =>
    Promise.resolve(),
  );
  const approver: Principal = {
    id: values['approver-id'],
    email: `${values['approver-id']}@acme.example`,
    name: values['approver-id'],
    groups: [],
    roles: { requester: true, approver: 'all', admin: false },
    sandboxIdentity: null,
  };
  const print = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
  // The process's worker (`lib/provisioning/service`), which `approveRequest` wakes after its commit.
  const worker = await startProvisioningWorker({
    requests: requestBinding,
    iamFor: (accountId) => Promise.resolve(emulator.iam(accountId)),
    workerId: values['worker-id'],
    pollMs: Number(values['poll-ms'] ?? 1000),
    concurrency: 1,
    onJobEnded: (job, outcome) =>
      print({ event: 'job', jobId: job.id, requestId: job.requestId, ...outcome }),
    onError: (error) => console.error('provisioning worker error', error),
  });
  const preflight = emulatorPreflight(emulator);

  createInterface({ input: process.stdin }).on('line', (line) => {
    const input = JSON.parse(line) as { requestId: string; specSha256: string; acknowledged: string[] };
    let preflightRan = false;
    void approveRequest(approver, input, (request) => {
      preflightRan = true;
      return preflight(request);
    }).then(
      (result) =>
        print({
          event: 'approval',
          requestId: input.requestId,
          ok: result.ok,
          code: result.ok ? null : result.code,
          message: result.ok ? null : result.message,
          isFinal: result.ok ? result.value.isFinal : null,
          preflightRan,
        }),
      (error: unknown) => {
        console.error('approval threw', error);
        print({ event: 'approval', requestId: input.requestId, ok: false, code: 'threw', preflightRan });
      },
    );
  });

  print({ event: 'ready', pid: process.pid });
  process.once('SIGTERM', () => {
    void worker.stop().then(async () => {
      await closeDb();
      process.exit(0);
    });
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
