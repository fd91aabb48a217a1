import { guardReadRoute } from '@/lib/auth/read-route';
import { resultResponse } from '@/lib/result';
import { getWizardDraft } from '@/lib/wizard/drafts';

/** `GET /api/wizard/drafts/<id>`: one of the caller's drafts with its state (another person's: 404), e.g. to reload after a conflict. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const guard = await guardReadRoute(request);
  if (!guard.ok) return guard.response;
  return resultResponse(await getWizardDraft(guard.principal, (await context.params).id));
}
