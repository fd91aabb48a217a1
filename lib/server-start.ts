import 'server-only';
import { EnvError, getEnv } from '@/lib/env';

/**
 * Start-up work of a portal server process, run once from `instrumentation.ts` before the first
 * request: validate the environment, then open and migrate the database. Any failure stops the
 * process with a message that says what to fix, instead of serving errors.
 */
export async function startServer(): Promise<void> {
  try {
    getEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      for (const problem of error.problems) console.error(`rolesmith: ${problem}`);
      console.error('rolesmith: fix the environment and start again (see README.md, "Running against AWS").');
      process.exit(1);
    }
    throw error;
  }

  try {
    const { getDb } = await import('@/lib/db/client');
    await getDb();
  } catch (error) {
    console.error(`rolesmith: the database could not be opened: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
