import { guardReadRoute } from '@/lib/auth/read-route';
import { getRoleDownload, roleDownloadResponse } from '@/lib/requests/role-downloads';

/**
 * `GET /api/roles/<account>/terraform/<path segments>/<name>`: the role as a Terraform configuration (HCL), as an
 * attachment. Only for whoever may see the role's summary; a 404 for anyone else and for a role
 * that does not exist.
 */
export async function GET(
  request: Request,
  context: { params: Promise<{ account: string; name: string[] }> },
): Promise<Response> {
  const guard = await guardReadRoute(request);
  if (!guard.ok) return guard.response;
  const { account, name } = await context.params;
  return roleDownloadResponse(
    await getRoleDownload(guard.principal, { accountId: account, segments: name }, 'terraform'),
  );
}
