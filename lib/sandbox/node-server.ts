import 'server-only';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxEmulator, basePathDefault } from '@/lib/sandbox/emulator';
import type { Quotas } from '@/lib/sandbox/state';

// The emulator on a Node HTTP server of its own (`rolesmith sandbox`, tests, benchmarks); the portal
// serves the same emulator through its Next.js route instead (app/sandbox/aws).

export interface StandaloneEmulator {
  /** e.g. `http://127.0.0.1:41234/sandbox/aws`: the SDK endpoint for IAM and STS; `/_sandbox/…` beside it. */
  endpoint: string;
  port: number;
  emulator: SandboxEmulator;
  close(): Promise<void>;
}

/**
 * Starts the emulator on its own HTTP server (port 0 picks a free port), with state in
 * `<dataDir>/sandbox-aws`. Independent of the process singleton, so tests may start several.
 */
export async function startStandaloneEmulator(options: {
  port?: number;
  host?: string;
  dataDir: string;
  quotas?: Partial<Quotas>;
  /** Only for measuring what durability costs: acknowledge writes without fsync. */
  fsync?: boolean;
}): Promise<StandaloneEmulator> {
  const emulator = await SandboxEmulator.open({
    dataDir: options.dataDir,
    quotas: options.quotas,
    fsync: options.fsync,
  });
  const host = options.host ?? '127.0.0.1';
  const server = createServer((incoming, outgoing) => {
    void serveNode(emulator, incoming, outgoing);
  });
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(options.port ?? 0, host, () => done());
    });
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    endpoint: `http://${shownHost}:${port}${basePathDefault}`,
    port,
    emulator,
    async close() {
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      await emulator.close();
    },
  };
}

async function serveNode(
  emulator: SandboxEmulator,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (
        value === undefined ||
        name === 'connection' ||
        name === 'transfer-encoding' ||
        name === 'keep-alive'
      )
        continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = `http://${incoming.headers.host ?? 'localhost'}${incoming.url ?? '/'}`;
    const method = incoming.method ?? 'GET';
    const request = new Request(url, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks),
    });
    const response = await emulator.handle(request, {
      basePath: basePathDefault,
      sourceIp: incoming.socket.remoteAddress?.replace(/^::ffff:/, ''),
    });
    const body = Buffer.from(await response.arrayBuffer());
    const outHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      outHeaders[name] = value;
    });
    outHeaders['content-length'] = String(body.length);
    outgoing.writeHead(response.status, outHeaders);
    outgoing.end(body);
  } catch (error) {
    console.error('sandbox emulator: could not answer a request', error);
    if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'text/plain' });
    outgoing.end('Internal error');
  }
}
