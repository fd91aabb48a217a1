/**
 * From spawning the production server (`next start`, as `npm start` runs it once the build exists)
 * to its first successful page, median of 5 starts each:
 * - `server.cold_start_median_ms`: a new process on a data folder that already exists (a restart);
 * - `server.first_start_median_ms`: a new process on an empty data folder (creating the embedded
 *   database, migrating and seeding the sandbox).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, type BenchResult } from './types';

const root = join(import.meta.dirname, '..');
const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startOnce(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [nextBin, 'start', '-p', String(port)], {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, PORT: String(port), ROLESMITH_DATA_DIR: dataDir, ROLESMITH_MODE: 'sandbox' },
  });
  try {
    const deadline = started + 60_000;
    while (performance.now() < deadline) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`);
        await response.arrayBuffer();
        if (response.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the server did not serve its first page within 60 s');
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

export default async function run(): Promise<BenchResult[]> {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-if-needed.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('the production build failed');
  const first: number[] = [];
  const restart: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const dataDir = mkdtempSync(join(tmpdir(), 'rolesmith-bench-start-'));
    try {
      first.push(await startOnce(dataDir));
      restart.push(await startOnce(dataDir));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  console.log(`first starts (ms): ${first.map((t) => t.toFixed(0)).join(', ')}`);
  console.log(`restarts (ms): ${restart.map((t) => t.toFixed(0)).join(', ')}`);
  return [
    {
      id: 'server.cold_start_median_ms',
      value: Math.round(median(restart)),
      unit: 'ms',
      goal: null,
      runs: restart.length,
    },
    {
      id: 'server.first_start_median_ms',
      value: Math.round(median(first)),
      unit: 'ms',
      goal: null,
      runs: first.length,
    },
  ];
}
