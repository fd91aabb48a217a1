import 'server-only';
import { EnvError, getEnv, type Env } from '@/lib/env';

/**
 * Start-up work of a portal server process, run once from `instrumentation.ts` before the first
 * request: validate the environment, open and migrate the database and, in sandbox mode, open the
 * emulator and seed the example organisation, then start the provisioning worker, the webhook sender
 * and the background drift check. Any failure stops the
 * process with a message that says what to fix, instead of serving errors.
 */
export async function startServer(): Promise<void> {
  let env: Env;
  try {
    env = getEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      for (const problem of error.problems) console.error(`rolesmith: ${problem}`);
      console.error('rolesmith: fix the environment and start again (see README.md, "Running against AWS").');
      process.exit(1);
    }
    throw error;
  }

  // Before anything slow, so that the per-IP rate limits see each connection's real address.
  const { installClientAddressHook } = await import('@/lib/auth/client-address');
  installClientAddressHook(env.ROLESMITH_TRUSTED_PROXIES);

  await step('the database could not be opened', async () => {
    const { getDb } = await import('@/lib/db/client');
    await getDb();
  });

  if (env.ROLESMITH_MODE === 'sandbox') {
    await step('the sandbox could not be prepared', async () => {
      const [{ getSandboxEmulator }, { seedSandboxData }, { seedSandboxPeople }] = await Promise.all([
        import('@/lib/sandbox/emulator'),
        import('@/lib/accounts/seed'),
        import('@/lib/auth/seed'),
      ]);
      // The emulator loads every AWS managed policy (about a second): it opens in the background so
      // that the first page does not wait; its first caller awaits the same promise, and a failure to
      // open shows in /api/health and in the log.
      getSandboxEmulator().catch((error: unknown) => {
        console.error(
          `rolesmith: the sandbox emulator could not open: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
      await seedSandboxData();
      await seedSandboxPeople();
    });
  }

  await step('the provisioning worker could not start', async () => {
    const [{ startProvisioningWorker, stopProvisioningWorker }, { requestBinding }] = await Promise.all([
      import('@/lib/provisioning/service'),
      import('@/lib/requests/provisioning-binding'),
    ]);
    // Provisioning is the lower layer: the request workflow's side of it is supplied here.
    await startProvisioningWorker({ requests: requestBinding });
    // Notifications go out from the outbox that request transitions fill (lib/notifications).
    const { startWebhookSender, stopWebhookSender } = await import('@/lib/notifications/service');
    await startWebhookSender();
    // The background drift check: compares the roles Rolesmith provisioned with IAM, a few at a time.
    const { startDriftChecker, stopDriftChecker } = await import('@/lib/requests/drift-checker');
    await startDriftChecker(env.ROLESMITH_DRIFT_CHECK_INTERVAL_SECONDS);
    // Let jobs in hand finish (their leases would otherwise have to expire) before the process exits.
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        void Promise.all([stopProvisioningWorker(), stopWebhookSender(), stopDriftChecker()]).finally(() =>
          process.exit(0),
        );
      });
    }
  });
}

async function step(failure: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    console.error(`rolesmith: ${failure}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
