import { guardReadRoute, searchParamsObject } from '@/lib/auth/read-route';
import { resultResponse } from '@/lib/result';
import { searchManagedPolicies } from '@/lib/wizard/account-reads';

/** `GET /api/accounts/<id>/policies?q=&type=aws|customer&cursor=`: managed policies the role may attach, a page at a time. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const guard = await guardReadRoute(request);
  if (!guard.ok) return guard.response;
  return resultResponse(await searchManagedPolicies((await context.params).id, searchParamsObject(request)));
}
