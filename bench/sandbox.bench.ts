/**
 * `sandbox.create_role_sequences_per_s`: throughput of the emulator for the portal's create-role
 * sequence (bench/sandbox-sequence.ts: 6 calls), made one call after another over HTTP through the
 * real `@aws-sdk/client-iam` against a standalone emulator in this process (durable journal, fsync
 * before each acknowledged write) in a temporary folder. Each run makes 40 sequences after a
 * warm-up of 10; the figure is the median of 5 runs. The same measurement without fsync is printed
 * beside it, to show what durability costs, and so is the CPU time this process spent per sequence
 * (user + system of all its threads: client, emulator, and the kernel's work for its fsyncs), which
 * judges the figure on a loaded machine.
 *
 * `sandbox.create_role_sequences_8_clients_per_s`: the emulator as a process of its own
 * (`rolesmith sandbox --port 0 --json`, same durability: a write is acknowledged once fsync'd),
 * eight SDK clients at once in this process, each making its sequences one call after another.
 * Each run makes 8 × 10 sequences after a warm-up of 8 × 3; the figure is the median of 5 runs.
 * The emulator process's CPU time per sequence (user + system, all threads) is printed beside it,
 * and so is the client process's: on 2 cores the eight SDK clients share the cores with the
 * emulator, and they use more CPU per sequence than it does (measured: about 4.6 ms against 3.3).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStandaloneEmulator } from '../lib/sandbox/node-server';
import { benchAccount, benchClient, createRoleSequence } from './sandbox-sequence';
import { startSandboxProcess } from './sandbox-process';
import { median, type BenchResult } from './types';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function rates(fsync: boolean, runs: number): Promise<{ rates: number[]; cpuMsPerSequence: number[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rolesmith-bench-sandbox-'));
  const server = await startStandaloneEmulator({ port: 0, dataDir, fsync });
  try {
    const provisioner = server.emulator
      .describe()
      .accounts.find((item) => item.id === benchAccount)!.provisioner;
    const iam = benchClient(server.endpoint, provisioner);
    for (let index = 0; index < 10; index += 1) await createRoleSequence(iam, `warm-${index}`);
    const perRun = 40;
    const measured: number[] = [];
    const cpu: number[] = [];
    for (let runIndex = 0; runIndex < runs; runIndex += 1) {
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      for (let index = 0; index < perRun; index += 1)
        await createRoleSequence(iam, `run${runIndex}-${index}`);
      const used = process.cpuUsage(cpuBefore);
      measured.push(perRun / ((performance.now() - started) / 1000));
      cpu.push((used.user + used.system) / 1000 / perRun);
    }
    return { rates: measured, cpuMsPerSequence: cpu };
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Eight clients at once against `rolesmith sandbox` in a process of its own. */
export async function eightClientRates(
  runs: number,
  nodeArgs: string[] = [],
): Promise<{ rates: number[]; emulatorCpuMsPerSequence: number[]; clientCpuMsPerSequence: number[] }> {
  const clients = 8;
  const perClient = 10;
  const dataDir = mkdtempSync(join(tmpdir(), 'rolesmith-bench-sandbox-8-'));
  const sandbox = await startSandboxProcess(root, dataDir, benchAccount, nodeArgs);
  try {
    const iams = Array.from({ length: clients }, () => benchClient(sandbox.endpoint, sandbox.provisioner));
    const round = (label: string, count: number) =>
      Promise.all(
        iams.map(async (iam, client) => {
          for (let index = 0; index < count; index += 1)
            await createRoleSequence(iam, `${label}-${client}-${index}`);
        }),
      );
    await round('warm', 3);
    const measured: number[] = [];
    const cpu: number[] = [];
    const clientCpu: number[] = [];
    for (let runIndex = 0; runIndex < runs; runIndex += 1) {
      const cpuBefore = sandbox.cpuMs();
      const clientBefore = process.cpuUsage();
      const started = performance.now();
      await round(`run${runIndex}`, perClient);
      measured.push((clients * perClient) / ((performance.now() - started) / 1000));
      const clientUsed = process.cpuUsage(clientBefore);
      const cpuAfter = sandbox.cpuMs();
      if (cpuBefore !== null && cpuAfter !== null) cpu.push((cpuAfter - cpuBefore) / (clients * perClient));
      clientCpu.push((clientUsed.user + clientUsed.system) / 1000 / (clients * perClient));
    }
    return { rates: measured, emulatorCpuMsPerSequence: cpu, clientCpuMsPerSequence: clientCpu };
  } finally {
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const list = (values: number[]) => values.map((value) => value.toFixed(1)).join(', ');

export default async function run(): Promise<BenchResult[]> {
  const durable = await rates(true, 5);
  console.log(`sandbox.create_role_sequences_per_s runs: ${list(durable.rates)}`);
  console.log(
    `  CPU of this process (client + emulator, user + system) per sequence: ${list(durable.cpuMsPerSequence)} ms, median ${median(durable.cpuMsPerSequence).toFixed(1)} ms`,
  );
  // For the record only: the same without fsync, to show what durability costs here.
  const volatile = await rates(false, 5);
  console.log(
    `  without fsync (not a mode the emulator runs in): ${list(volatile.rates)}, median ${median(volatile.rates).toFixed(1)}`,
  );
  const eight = await eightClientRates(5);
  console.log(`sandbox.create_role_sequences_8_clients_per_s runs: ${list(eight.rates)}`);
  if (eight.emulatorCpuMsPerSequence.length > 0) {
    console.log(
      `  CPU of the emulator process (user + system) per sequence: ${list(eight.emulatorCpuMsPerSequence)} ms, median ${median(eight.emulatorCpuMsPerSequence).toFixed(1)} ms`,
    );
  }
  console.log(
    `  CPU of the client process (8 SDK clients, user + system) per sequence: ${list(eight.clientCpuMsPerSequence)} ms, median ${median(eight.clientCpuMsPerSequence).toFixed(1)} ms`,
  );
  return [
    {
      id: 'sandbox.create_role_sequences_per_s',
      value: median(durable.rates),
      unit: 'per_s',
      goal: null,
      runs: durable.rates.length,
    },
    {
      id: 'sandbox.create_role_sequences_8_clients_per_s',
      value: median(eight.rates),
      unit: 'per_s',
      goal: '>= 200',
      runs: eight.rates.length,
    },
  ];
}
