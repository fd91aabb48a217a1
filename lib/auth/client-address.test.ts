import { execFile } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forwardedForFromConnection,
  installClientAddressHook,
  trustedProxiesFromEnvironment,
} from '@/lib/auth/client-address';
import { clientIp } from '@/lib/auth/origin';
import { parseEnv } from '@/lib/env';

describe('forwardedForFromConnection', () => {
  it.each([
    [undefined, 0, '127.0.0.1'],
    ['6.6.6.6', 0, '127.0.0.1'],
    ['6.6.6.6, 7.7.7.7', 0, '127.0.0.1'],
    [undefined, 1, '127.0.0.1'],
    ['6.6.6.6, 203.0.113.5', 1, '203.0.113.5, 127.0.0.1'],
    [['6.6.6.6', '203.0.113.5, 10.0.0.1'], 2, '203.0.113.5, 10.0.0.1, 127.0.0.1'],
  ] as const)('%j with %i trusted proxies → %s', (received, hops, expected) => {
    expect(
      forwardedForFromConnection(received as string | string[] | undefined, '::ffff:127.0.0.1', hops),
    ).toBe(expected);
  });
});

// A real HTTP server in this process, with the hook installed as the portal installs it at start:
// the handler sees what Next's proxy and route handlers see, and applies `clientIp` to it.
describe('installClientAddressHook on a real server', () => {
  let server: http.Server;
  let url = '';
  beforeAll(async () => {
    installClientAddressHook(0);
    server = http.createServer((request, response) => {
      response.end(String(request.headers['x-forwarded-for']));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  async function seenClient(hops: number, forwardedFor?: string): Promise<string> {
    installClientAddressHook(hops);
    const response = await fetch(url, { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });
    const header = await response.text();
    const env = parseEnv({ ROLESMITH_MODE: 'sandbox', ROLESMITH_TRUSTED_PROXIES: String(hops) });
    return clientIp(env, new Headers({ 'x-forwarded-for': header }));
  }

  it('with no trusted proxy, a spoofed X-Forwarded-For never changes the client address', async () => {
    const seen = new Set<string>();
    for (const spoof of [undefined, '198.51.100.1', '198.51.100.2, 198.51.100.3', 'garbage'])
      seen.add(await seenClient(0, spoof));
    expect([...seen]).toEqual(['127.0.0.1']);
  });

  it('behind one trusted proxy, the address that proxy appended is the client, not what the client wrote', async () => {
    // The proxy appends the address it saw (203.0.113.5) to whatever the client sent.
    expect(await seenClient(1, '6.6.6.6, 203.0.113.5')).toBe('203.0.113.5');
    expect(await seenClient(1, '203.0.113.5')).toBe('203.0.113.5');
    // A request reaching the portal directly (no proxy) is its own connection address.
    expect(await seenClient(1)).toBe('127.0.0.1');
  });
});

describe('trustedProxiesFromEnvironment (the preload, before lib/env validates)', () => {
  it.each([
    [undefined, 0],
    ['', 0],
    ['0', 0],
    ['1', 1],
    ['10', 10],
    ['11', 0],
    ['-1', 0],
    ['1.5', 0],
    ['one', 0],
  ] as const)('%j → %i', (value, expected) => {
    expect(trustedProxiesFromEnvironment(value)).toBe(expected);
  });
});

describe('scripts/client-address-preload.mjs', () => {
  it('installs the hook in a fresh process before any server listens (as npm start runs Next)', async () => {
    const preload = pathToFileURL(join(process.cwd(), 'scripts', 'client-address-preload.mjs')).href;
    // A server created after the preload, as Next's is: the handler prints what it sees.
    const script = `
      const http = require('node:http');
      const server = http.createServer((req, res) => { console.log(req.headers['x-forwarded-for']); res.end(); server.close(); });
      server.listen(0, '127.0.0.1', () => {
        http.get({ port: server.address().port, host: '127.0.0.1', headers: { 'x-forwarded-for': '6.6.6.6' } }, (r) => r.resume());
      });`;
    const seen = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', preload, '-e', script],
        { env: { ...process.env, ROLESMITH_TRUSTED_PROXIES: '0' } },
        (error, stdout) =>
          error ? reject(new Error('the child failed', { cause: error })) : resolve(stdout.trim()),
      );
    });
    expect(seen).toBe('127.0.0.1');
  });
});
