import { guardReadRoute, searchParamsObject } from '@/lib/auth/read-route';
import { resultResponse } from '@/lib/result';
import { checkRoleNameAvailability } from '@/lib/wizard/account-reads';

/** `GET /api/accounts/<id>/role-name?name=`: whether the role name is free in the target account. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const guard = await guardReadRoute(request);
  if (!guard.ok) return guard.response;
  return resultResponse(
    await checkRoleNameAvailability((await context.params).id, searchParamsObject(request)),
  );
}
