import { readFileSync } from 'node:fs';
import { commands } from '@/lib/cli/commands';

/**
 * `rolesmith <command>`: dispatches to the commands registered in `lib/cli/commands.ts`.
 * Exit status: what the command returns; 2 for a usage error.
 */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    process.stdout.write(`rolesmith ${pkg.version}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    process.stderr.write(`rolesmith: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.run(rest);
}

function usage(): string {
  const width = Math.max(...commands.map((command) => command.name.length), 9);
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    'Usage: rolesmith <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    `  ${'--help'.padEnd(width)}  show this help`,
    `  ${'--version'.padEnd(width)}  print the version`,
    '',
    'Run `rolesmith <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`rolesmith: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
