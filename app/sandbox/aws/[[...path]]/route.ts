import 'server-only';
import { getEnv } from '@/lib/env';
import { basePathDefault, getSandboxEmulator } from '@/lib/sandbox/emulator';

/**
 * The sandbox IAM/STS endpoint (`/sandbox/aws`), served inside the portal's own process in sandbox
 * mode. In `aws` mode it does not exist: a plain 404, whatever the request.
 */
export const dynamic = 'force-dynamic';
// The emulator uses node:crypto, node:fs and a process-wide singleton.
export const runtime = 'nodejs';

async function handle(request: Request): Promise<Response> {
  const env = getEnv();
  if (env.ROLESMITH_MODE !== 'sandbox') return new Response('Not Found', { status: 404 });
  const emulator = await getSandboxEmulator();
  return emulator.handle(request, { basePath: basePathDefault, publicUrl: env.ROLESMITH_PUBLIC_URL });
}

export const GET = handle;
export const POST = handle;
