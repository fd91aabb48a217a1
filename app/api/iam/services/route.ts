import { guardReadRoute, searchParamsObject } from '@/lib/auth/read-route';
import { resultResponse } from '@/lib/result';
import { searchServices } from '@/lib/wizard/catalogue-reads';

/** `GET /api/iam/services?q=&limit=`: AWS services matching the query (prefix and name). */
export async function GET(request: Request): Promise<Response> {
  const guard = await guardReadRoute(request);
  if (!guard.ok) return guard.response;
  return resultResponse(await searchServices(searchParamsObject(request)));
}
