import 'server-only';
import { getEnv, type Mode } from '@/lib/env';

export type CheckState = 'ok' | 'failing' | 'not_applicable';

export interface Health {
  status: 'ok' | 'degraded';
  mode: Mode;
  database: CheckState;
  iam: CheckState;
  /** Names of the failing checks, without internal error details. */
  failing: string[];
}

/**
 * Checks the parts the portal cannot work without. Each check has a deadline so that a hung
 * dependency answers 503 instead of hanging the health probe.
 */
export async function getHealth(): Promise<Health> {
  const env = getEnv();
  const [database, iam] = await Promise.all([
    runCheck('database', checkDatabase),
    env.ROLESMITH_MODE === 'sandbox'
      ? runCheck('iam', checkSandboxIam)
      : Promise.resolve<CheckState>('not_applicable'),
  ]);
  const failing = [database === 'failing' ? 'database' : null, iam === 'failing' ? 'iam' : null].filter(
    (name): name is string => name !== null,
  );
  return {
    status: failing.length === 0 ? 'ok' : 'degraded',
    mode: env.ROLESMITH_MODE,
    database,
    iam,
    failing,
  };
}

async function runCheck(name: string, check: () => Promise<void>): Promise<CheckState> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${name} check timed out`)), 5_000);
      }),
    ]);
    return 'ok';
  } catch (error) {
    console.error(`rolesmith: health check "${name}" failed:`, error);
    return 'failing';
  } finally {
    clearTimeout(timer);
  }
}

async function checkDatabase(): Promise<void> {
  const { pingDatabase } = await import('@/lib/db/client');
  await pingDatabase();
}

async function checkSandboxIam(): Promise<void> {
  const { getSandboxEmulator } = await import('@/lib/sandbox/emulator');
  const emulator = await getSandboxEmulator();
  if (!emulator.isHealthy()) throw new Error('the sandbox emulator is closed');
}
