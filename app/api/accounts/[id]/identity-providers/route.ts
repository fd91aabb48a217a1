import { guardReadRoute } from '@/lib/auth/read-route';
import { resultResponse } from '@/lib/result';
import { listIdentityProviders } from '@/lib/wizard/account-reads';

/** `GET /api/accounts/<id>/identity-providers`: the target account's OIDC and SAML providers. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const guard = await guardReadRoute(request);
  if (!guard.ok) return guard.response;
  return resultResponse(await listIdentityProviders((await context.params).id));
}
