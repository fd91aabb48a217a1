import { guardReadRoute } from '@/lib/auth/read-route';
import { fail, resultResponse } from '@/lib/result';
import { readJsonBody } from '@/lib/wizard/json-body';
import { validateWizardDocument } from '@/lib/wizard/validate-document';

/**
 * `POST /api/iam/validate` with `{ kind, document, accountId?, identityPolicyType?,
 * otherInlinePoliciesSize? }`: the validator's findings, risk flags and, for a trust policy, who
 * can assume the role. A read (the read limit, not the mutation limit); POST only for the body.
 */
export async function POST(request: Request): Promise<Response> {
  const guard = await guardReadRoute(request);
  if (!guard.ok) return guard.response;
  const body = await readJsonBody(request);
  if (!body.ok) return resultResponse(fail('invalid_input', body.message, { _form: [body.message] }));
  return resultResponse(await validateWizardDocument(body.value));
}
