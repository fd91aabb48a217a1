import { guardReadRoute } from '@/lib/auth/read-route';
import { ok, resultResponse } from '@/lib/result';
import { getRequest } from '@/lib/requests/requests';

/**
 * `GET /api/requests/<id>/spec`: the stored `RoleSpec` of one request, as JSON — what the wizard
 * sent at Submit (or the latest edit), for a person to download or a script to compare. Only a
 * request the caller may see (its requester, the approvers of its account, admins); any other
 * id, or one that does not exist, is a 404.
 */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const guard = await guardReadRoute(request);
  if (!guard.ok) return guard.response;
  const detail = await getRequest(guard.principal, (await context.params).id);
  return resultResponse(detail.ok ? ok(detail.value.request.spec) : detail);
}
