/**
 * Starts `rolesmith sandbox --port 0 --json` (bin/rolesmith.mjs) as a process of its own, for the
 * benchmarks that drive the standalone emulator from another process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface SandboxProcess {
  endpoint: string;
  provisioner: { accessKeyId: string; secretAccessKey: string };
  /** CPU time (user + system, ms) the emulator's process has used so far; null where /proc is missing. */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

interface Described {
  endpoint: string;
  accounts: { id: string; provisioner: { accessKeyId: string; secretAccessKey: string } }[];
}

/**
 * Starts the emulator with state in `dataDir`. With `nodeArgs` (e.g. `--cpu-prof`, which Node
 * refuses in NODE_OPTIONS) the command runs in a Node started with them, as bin/rolesmith.mjs would
 * run it, instead of through the launcher.
 */
export async function startSandboxProcess(
  root: string,
  dataDir: string,
  account: string,
  nodeArgs: string[] = [],
): Promise<SandboxProcess> {
  const commandArgs = ['sandbox', '--port', '0', '--json', '--data', dataDir];
  const child = spawn(
    process.execPath,
    nodeArgs.length === 0
      ? [join(root, 'bin/rolesmith.mjs'), ...commandArgs]
      : [
          ...nodeArgs,
          '--conditions=react-server',
          '--import',
          'tsx/esm',
          join(root, 'lib/cli/main.ts'),
          ...commandArgs,
        ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') },
    },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const firstLine = await new Promise<string>((done, fail) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => done(line));
    child.once('exit', (code) => fail(new Error(`rolesmith sandbox exited (${code}) before listening`)));
  });
  const described = JSON.parse(firstLine) as Described;
  const provisioner = described.accounts.find((item) => item.id === account)?.provisioner;
  if (!provisioner) throw new Error(`rolesmith sandbox has no account ${account}`);
  // bin/rolesmith.mjs runs the command in a child of its own: that child is the emulator.
  const emulatorPid = (nodeArgs.length === 0 ? childOf(child) : null) ?? child.pid!;
  return {
    endpoint: described.endpoint,
    provisioner,
    cpuMs: () => processCpuMs(emulatorPid),
    async stop() {
      // The launcher passes SIGTERM on; the emulator then flushes, releases its folder and exits.
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function childOf(parent: ChildProcess): number | null {
  try {
    const children = readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').trim();
    const first = Number(children.split(/\s+/)[0]);
    return Number.isInteger(first) && first > 0 ? first : null;
  } catch {
    return null;
  }
}

/** utime + stime of a Linux process, in ms (clock ticks are 100 a second on Linux). */
function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command name start at field 3 (state): utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
