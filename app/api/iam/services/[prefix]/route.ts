import { guardReadRoute } from '@/lib/auth/read-route';
import { resultResponse } from '@/lib/result';
import { getServiceDetails } from '@/lib/wizard/catalogue-reads';

/** `GET /api/iam/services/<prefix>`: one service's actions by access level, resource types and condition keys. */
export async function GET(
  request: Request,
  context: { params: Promise<{ prefix: string }> },
): Promise<Response> {
  const guard = await guardReadRoute(request);
  if (!guard.ok) return guard.response;
  return resultResponse(await getServiceDetails((await context.params).prefix));
}
