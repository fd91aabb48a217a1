import { guardReadRoute } from '@/lib/auth/read-route';
import { fail, resultResponse } from '@/lib/result';
import { readJsonBody } from '@/lib/wizard/json-body';
import { previewWizard } from '@/lib/wizard/preview';

/**
 * `POST /api/wizard/preview` with `{ state }` (the wizard's state): the `WizardPreview` of
 * `lib/wizard/preview-types.ts` (trust policy and who can assume it, field errors per wizard
 * field, findings per document, risks to justify, access summary, quota meters, guardrails and
 * the access kit). A read (the read limit, not the mutation limit); POST only for the body, which
 * is size-limited.
 */
export async function POST(request: Request): Promise<Response> {
  const guard = await guardReadRoute(request);
  if (!guard.ok) return guard.response;
  const body = await readJsonBody(request);
  if (!body.ok) return resultResponse(fail('invalid_input', body.message, { _form: [body.message] }));
  return resultResponse(await previewWizard(body.value));
}
