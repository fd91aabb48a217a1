import 'server-only';
import { startStandaloneEmulator } from '@/lib/sandbox/node-server';
import { getEnv } from '@/lib/env';

const usage = `Usage: rolesmith sandbox [--port N] [--host H] [--data DIR] [--json]

Runs the sandbox IAM/STS emulator on its own HTTP port until interrupted.

Options:
  --port N    port to listen on (0 picks a free port; default 4599)
  --host H    address to listen on (default 127.0.0.1)
  --data DIR  data folder; the emulator keeps its state in DIR/sandbox-aws (default ROLESMITH_DATA_DIR or .data)
  --json      print one JSON line (endpoint, region, accounts with provisioner and admin keys and, for
              target accounts, the provisioner role and its external ID) once listening
`;

interface SandboxArgs {
  port: number;
  host: string;
  dataDir: string | undefined;
  json: boolean;
}

/** Parses the command's arguments; a string is a usage error. */
export function parseSandboxArgs(args: string[]): SandboxArgs | string {
  const parsed: SandboxArgs = { port: 4599, host: '127.0.0.1', dataDir: undefined, json: false };
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => {
      const next = inline ?? args[++index];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    try {
      switch (flag) {
        case '--port': {
          const port = Number(value());
          if (!Number.isInteger(port) || port < 0 || port > 65535)
            return '--port must be a whole number from 0 to 65535';
          parsed.port = port;
          break;
        }
        case '--host':
          parsed.host = value();
          break;
        case '--data':
          parsed.dataDir = value();
          break;
        case '--json':
          parsed.json = true;
          break;
        default:
          return `unknown option ${arg}`;
      }
    } catch (error) {
      return (error as Error).message;
    }
  }
  return parsed;
}

/** `rolesmith sandbox`: runs the standalone emulator until SIGINT or SIGTERM. */
export async function runSandbox(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(usage);
    return 0;
  }
  const parsed = parseSandboxArgs(args);
  if (typeof parsed === 'string') {
    process.stderr.write(`rolesmith sandbox: ${parsed}\n\n${usage}`);
    return 2;
  }
  const dataDir = parsed.dataDir ?? getEnv().ROLESMITH_DATA_DIR;
  const server = await startStandaloneEmulator({ port: parsed.port, host: parsed.host, dataDir });
  const description = server.emulator.describe();
  if (parsed.json) {
    process.stdout.write(
      `${JSON.stringify({
        endpoint: server.endpoint,
        region: description.region,
        accounts: description.accounts.map(({ id, alias, provisioner, admin, provisionerRole }) => ({
          id,
          alias,
          provisioner,
          admin,
          // Target accounts: the role `aws` mode assumes there (exactly the documented policy).
          ...(provisionerRole ? { provisionerRole } : {}),
        })),
      })}\n`,
    );
  } else {
    const lines = [
      `Sandbox IAM/STS emulator listening on ${server.endpoint} (region ${description.region}; state in ${dataDir}/sandbox-aws)`,
      `Fault injection and call counts: ${server.endpoint}/_sandbox/faults, /_sandbox/calls, /_sandbox/reset-calls`,
      '',
      'Accounts: provisioner access keys (the documented provisioner policy), then sandbox-admin keys (allowed everything):',
      ...description.accounts.map(
        (account) =>
          `  ${account.id}  ${account.alias.padEnd(22)}  ${account.provisioner.accessKeyId}  ${account.provisioner.secretAccessKey}` +
          `  ${account.admin.accessKeyId}  ${account.admin.secretAccessKey}`,
      ),
      '',
      'Demo people (IAM users with a virtual MFA device):',
      ...description.people.map(
        (person) =>
          `  ${person.accountId}  ${person.userName.padEnd(8)}  ${person.accessKeyId}  ${person.secretAccessKey}  ${person.mfaSerial}`,
      ),
      '',
      `Current MFA code of a person: ${server.endpoint}/_sandbox/mfa?account=<id>&user=<name>`,
      '',
      'Press Ctrl-C to stop.',
      '',
    ];
    process.stdout.write(lines.join('\n'));
  }
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.once('SIGHUP', stop);
    // bin/rolesmith.mjs runs this in a child process and does not pass signals on: when that
    // parent goes away (killed, or the terminal closed), stop too rather than linger holding the folder.
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) stop();
    }, 500).unref();
  });
  await server.close();
  return 0;
}
