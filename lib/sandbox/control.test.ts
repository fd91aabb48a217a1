import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxEmulator, basePathDefault } from '@/lib/sandbox/emulator';

// The control endpoints as the portal serves them: Next.js hands the route a request whose URL
// names the address it listens on (`http://localhost:PORT`, or `http://127.0.0.1:PORT` when it
// listens on the loopback address), whatever address the browser used; the Host header is the one
// the browser used.

let emulator: SandboxEmulator;
const dataDir = mkdtempSync(join(tmpdir(), 'rolesmith-sandbox-control-'));

beforeAll(async () => {
  emulator = await SandboxEmulator.open({ dataDir });
});

afterAll(async () => {
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const served = (url: string) => `${url}${basePathDefault}/_sandbox/faults`;

async function postFaults(
  url: string,
  headers: Record<string, string>,
  publicUrl?: string,
): Promise<{ status: number; body: { error?: string } }> {
  const response = await emulator.handle(
    new Request(served(url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{}',
    }),
    { basePath: basePathDefault, publicUrl },
  );
  return { status: response.status, body: (await response.json()) as { error?: string } };
}

describe('control endpoints and the Origin of the portal’s own pages', () => {
  it.each([
    { page: 'http://localhost:3000', listening: 'http://localhost:3000' },
    { page: 'http://127.0.0.1:3000', listening: 'http://localhost:3000' },
    { page: 'http://localhost:3000', listening: 'http://127.0.0.1:3000' },
    { page: 'http://127.0.0.1:3000', listening: 'http://127.0.0.1:3000' },
    { page: 'http://[::1]:3000', listening: 'http://localhost:3000' },
    { page: 'http://192.168.1.20:3000', listening: 'http://0.0.0.0:3000' },
  ])('accepts a page opened at $page (server listening as $listening)', async ({ page, listening }) => {
    const host = new URL(page).host;
    expect(await postFaults(listening, { host, origin: page })).toEqual({ status: 200, body: {} });
  });

  it.each([
    { what: 'a foreign site', origin: 'https://evil.example', host: 'localhost:3000' },
    { what: 'a foreign site at the loopback address', origin: 'http://evil.example', host: '127.0.0.1:3000' },
    { what: 'another port of the same host', origin: 'http://localhost:8080', host: 'localhost:3000' },
    { what: 'an opaque origin', origin: 'null', host: 'localhost:3000' },
    { what: 'a non-http scheme', origin: 'ftp://localhost:3000', host: 'localhost:3000' },
    // DNS rebinding: a foreign name resolved to this machine. The browser sends that name as Host
    // and as Origin, so the Host header of a request under a foreign name proves nothing.
    { what: 'a rebound foreign name', origin: 'http://evil.example:3000', host: 'evil.example:3000' },
  ])('refuses $what', async ({ origin, host }) => {
    const answer = await postFaults('http://localhost:3000', { host, origin });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatch(/cross-origin/i);
  });

  it('accepts the configured public URL, and only it among names', async () => {
    const publicUrl = 'https://rolesmith.example.com';
    const origin = { origin: publicUrl, host: 'rolesmith.example.com' };
    expect((await postFaults('http://localhost:3000', origin, publicUrl)).status).toBe(200);
    expect((await postFaults('http://localhost:3000', origin)).status).toBe(403);
    const other = { origin: 'https://other.example.com', host: 'other.example.com' };
    expect((await postFaults('http://localhost:3000', other, publicUrl)).status).toBe(403);
  });

  it('accepts a request without Origin (tools, not browsers) and still wants a JSON body', async () => {
    expect((await postFaults('http://localhost:3000', { host: 'localhost:3000' })).status).toBe(200);
    const form = await postFaults('http://localhost:3000', {
      host: '127.0.0.1:3000',
      origin: 'http://127.0.0.1:3000',
      'content-type': 'text/plain',
    });
    expect(form.status).toBe(403);
    expect(form.body.error).toMatch(/content-type/);
  });
});
