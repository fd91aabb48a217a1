import 'server-only';
import { EnvError, getEnv } from '@/lib/env';

/**
 * Start-up work of a portal server process: validate the environment (exit with a clear message
 * when it is wrong). Later steps (migrations, sandbox seed, the provisioning worker) hang off this.
 */
export function startServer(): void {
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
}
