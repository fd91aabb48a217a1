import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';

// A server that runs but never says it is ready, waited for without a deadline of its own: the
// shape of issue 11's embedded PostgreSQL as root, whose start hung until the hook timed out.
let server: ChildProcess | undefined;

beforeAll(async () => {
  server = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'pipe' });
  await new Promise<void>((resolve) => {
    server?.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
  });
});

afterAll(() => {
  server?.kill();
});

it('queries the server', () => {
  expect(server).toBeDefined();
});

it('queries it again', () => {
  expect(server).toBeDefined();
});
