/** A `rolesmith` subcommand. `run` returns the process exit status. */
export interface CliCommand {
  name: string;
  summary: string;
  run(args: string[]): Promise<number>;
}

/**
 * Every command, in the order `--help` lists them. Commands are loaded lazily so that
 * `rolesmith --help` stays fast.
 */
export const commands: CliCommand[] = [
  {
    name: 'sandbox',
    summary: 'run the sandbox IAM/STS emulator on its own port',
    run: async (args) => (await import('@/lib/cli/sandbox')).runSandbox(args),
  },
  {
    name: 'lint',
    summary: 'validate IAM policy files (identity, trust, boundary)',
    run: async (args) => (await import('@/lib/cli/lint')).runLint(args),
  },
];
