import { guardReadRoute } from '@/lib/auth/read-route';
import { resultResponse } from '@/lib/result';
import { getManagedPolicyDetails } from '@/lib/wizard/account-reads';

/**
 * `GET /api/accounts/<id>/policies/<arn-or-name>`: one managed policy's document and access
 * summary. An ARN may be sent encoded as one segment or with its slashes as they are.
 */
export async function GET(
  request: Request,
  context: { params: Promise<{ id: string; policy: string[] }> },
): Promise<Response> {
  const guard = await guardReadRoute(request);
  if (!guard.ok) return guard.response;
  const { id, policy } = await context.params;
  return resultResponse(await getManagedPolicyDetails(id, policy.join('/')));
}
