import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinnedLookup, postWebhook } from '@/lib/notifications/deliver';

// One attempt against a real receiver on 127.0.0.1: the name is resolved once and the connection
// goes to the address checked; redirects are not followed; a silent receiver times out.

const seen: { host: string | undefined; path: string }[] = [];
let port = 0;
let onTrickleClosed = () => {};
const trickleClosed = new Promise<void>((resolve) => (onTrickleClosed = resolve));
const server = http.createServer((request, response) => {
  seen.push({ host: request.headers.host, path: request.url ?? '' });
  request.resume();
  if (request.url === '/redirect') {
    response.writeHead(302, { Location: `http://127.0.0.1:${port}/elsewhere` }).end();
    return;
  }
  if (request.url === '/silent') return; // never answers
  if (request.url === '/trickle') {
    // Answers at once, then sends its body a byte at a time, for ever.
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    const timer = setInterval(() => response.write('.'), 20);
    response.on('close', () => {
      clearInterval(timer);
      onTrickleClosed();
    });
    return;
  }
  response.end('ok');
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const post = (url: string, mode: 'sandbox' | 'aws' = 'sandbox', timeoutMs?: number) =>
  postWebhook({ url, allowedHosts: [], mode }, { 'Content-Type': 'application/json' }, '{}', timeoutMs);

describe('one delivery attempt', () => {
  it('resolves a name, connects to the address it checked, and keeps the name in Host', async () => {
    seen.length = 0;
    expect(await post(`http://localhost:${port}/hook`)).toMatchObject({
      outcome: 'delivered',
      statusCode: 200,
    });
    expect(seen).toEqual([{ host: `localhost:${port}`, path: '/hook' }]);
  });

  it('follows no redirect', async () => {
    seen.length = 0;
    expect(await post(`http://127.0.0.1:${port}/redirect`)).toMatchObject({
      outcome: 'http_error',
      statusCode: 302,
      error: 'redirect not followed (HTTP 302)',
    });
    expect(seen.map((request) => request.path)).toEqual(['/redirect']);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const result = await post(`http://127.0.0.1:${port}/silent`, 'sandbox', 300);
    expect(result).toMatchObject({ outcome: 'timeout', statusCode: null, error: 'no answer within 0.3 s' });
    // Correctness of the timeout, not a speed figure: the receiver never answers, so a delivery
    // that did not give up would hang; 2 s is several times the 0.3 s allowed.
    expect(result.durationMs).toBeLessThan(2_000);
  });

  it('lets go of the connection once the status is in (a receiver trickling its body holds nothing)', async () => {
    expect(await post(`http://127.0.0.1:${port}/trickle`, 'sandbox', 5_000)).toMatchObject({
      outcome: 'delivered',
      statusCode: 200,
    });
    const closed = await Promise.race([
      trickleClosed.then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still open'), 1_000)),
    ]);
    expect(closed).toBe('closed');
  });

  it('refuses in aws mode before connecting', async () => {
    seen.length = 0;
    expect(await post(`https://localhost:${port}/hook`, 'aws')).toMatchObject({ outcome: 'refused' });
    expect(seen).toEqual([]);
  });

  it('answers lookups with the checked addresses only (no second DNS query)', () => {
    const lookup = pinnedLookup([
      { address: '203.0.113.7', family: 4 },
      { address: '2001:db8::7', family: 6 },
    ]);
    const answers: unknown[] = [];
    lookup('rebinding.example', { all: true }, (_error, all) => answers.push(all));
    lookup('rebinding.example', {}, (_error, address, family) => answers.push([address, family]));
    expect(answers).toEqual([
      [
        { address: '203.0.113.7', family: 4 },
        { address: '2001:db8::7', family: 6 },
      ],
      ['203.0.113.7', 4],
    ]);
  });
});
