import 'server-only';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxEmulator, basePathDefault } from '@/lib/sandbox/emulator';
import type { SandboxRequest } from '@/lib/sandbox/protocol';
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

/** Headers the Fetch API leaves out of a `Request`: the connection's own. */
const hopByHop = new Set(['connection', 'transfer-encoding', 'keep-alive']);

/**
 * The emulator's view of a Node request whose body has been read: what a Fetch `Request` built
 * from it would show (header values of repeated headers joined by ", "), without building one.
 */
function sandboxRequest(incoming: IncomingMessage, body: Buffer): SandboxRequest {
  const method = incoming.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return {
    url: `http://${incoming.headers.host ?? 'localhost'}${incoming.url ?? '/'}`,
    method,
    headers: {
      get(name: string): string | null {
        const lower = name.toLowerCase();
        if (hopByHop.has(lower)) return null;
        const value = incoming.headers[lower];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
    },
    arrayBuffer: () => {
      const copy = new ArrayBuffer(hasBody ? body.byteLength : 0);
      if (hasBody) new Uint8Array(copy).set(body);
      return Promise.resolve(copy);
    },
    text: () => Promise.resolve(hasBody ? body.toString('utf8') : ''),
    bodyBytes: () => (hasBody ? body : emptyBody),
  };
}

const emptyBody = new Uint8Array(0);

/** The whole body of a request, by its events (lighter than an async iterator, once per call). */
function readBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.once('end', () => done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    incoming.once('error', fail);
  });
}

async function serveNode(
  emulator: SandboxEmulator,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  try {
    const answer = await emulator.answer(sandboxRequest(incoming, await readBody(incoming)), {
      basePath: basePathDefault,
      sourceIp: incoming.socket.remoteAddress?.replace(/^::ffff:/, ''),
    });
    let status: number;
    let body: Buffer;
    const outHeaders: Record<string, string> = {};
    if (answer instanceof Response) {
      status = answer.status;
      body = Buffer.from(await answer.arrayBuffer());
      answer.headers.forEach((value, name) => {
        outHeaders[name] = value;
      });
    } else {
      status = answer.status;
      body = Buffer.from(answer.body, 'utf8');
      Object.assign(outHeaders, answer.headers);
    }
    outHeaders['content-length'] = String(body.length);
    outgoing.writeHead(status, outHeaders);
    outgoing.end(body);
  } catch (error) {
    console.error('sandbox emulator: could not answer a request', error);
    if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'text/plain' });
    outgoing.end('Internal error');
  }
}
