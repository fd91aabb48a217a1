import { getHealth } from '@/lib/health';

/**
 * `GET /api/health`: 200 when the database (and in sandbox mode the emulator) answers, 503 naming
 * what failed otherwise. Public by design: it reveals no secret and no data.
 */
export async function GET(): Promise<Response> {
  const health = await getHealth();
  return Response.json(health, {
    status: health.status === 'ok' ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
}
