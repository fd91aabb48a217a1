import { guardReadRoute } from '@/lib/auth/read-route';
import { resultResponse, ok } from '@/lib/result';
import { listWizardDrafts } from '@/lib/wizard/drafts';

/** `GET /api/wizard/drafts`: the caller's own wizard drafts (without their state), most recent first. */
export async function GET(request: Request): Promise<Response> {
  const guard = await guardReadRoute(request);
  if (!guard.ok) return guard.response;
  return resultResponse(ok({ drafts: await listWizardDrafts(guard.principal) }));
}
