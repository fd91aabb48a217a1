import { guardReadRoute } from '@/lib/auth/read-route';
import { getProvisioningProgress } from '@/lib/requests/progress';
import { resultResponse } from '@/lib/result';

/**
 * `GET /api/requests/<id>/progress`: the request's provisioning as it runs (every job, newest
 * first, with each step's status, IAM call and outcome; see `ProvisioningProgress`), which the
 * request page polls while `isLive`. Only a request the caller may see (its requester, the
 * approvers of its account, admins); any other id is a 404. Never cached (`no-store`).
 */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const guard = await guardReadRoute(request);
  if (!guard.ok) return guard.response;
  return resultResponse(await getProvisioningProgress(guard.principal, (await context.params).id));
}
