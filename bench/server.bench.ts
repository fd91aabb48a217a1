/**
 * `server.cold_start_median_ms`: from spawning the production server (`next start`, as `npm start`
 * runs it once the build exists) to its first successful page, median of 5 starts, each with a
 * fresh data folder (so it includes creating the embedded database).
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

async function startOnce(): Promise<number> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'rolesmith-bench-start-'));
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
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export default async function run(): Promise<BenchResult[]> {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-if-needed.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the production build failed');
  const times: number[] = [];
  for (let i = 0; i < 5; i += 1) times.push(await startOnce());
  console.log(`cold starts (ms): ${times.map((t) => t.toFixed(0)).join(', ')}`);
  return [{ id: 'server.cold_start_median_ms', value: Math.round(median(times)), unit: 'ms', goal: null, runs: times.length }];
}
