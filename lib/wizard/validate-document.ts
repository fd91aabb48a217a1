import 'server-only';
import { z } from 'zod';
import { listTargetAccounts } from '@/lib/accounts/accounts';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { sortFindings, type Finding } from '@/lib/iam/findings';
import { normalizePolicy, parsePolicyDocument } from '@/lib/iam/policy';
import { assessPermissionsRisk, assessTrustRisk, type RiskFlag } from '@/lib/iam/risk';
import { recognizeTrustPolicy } from '@/lib/iam/trust-builder';
import type { TrustedEntity } from '@/lib/iam/trust-entity';
import { accountIdSchema } from '@/lib/iam/trust-entity';
import { validatePolicy } from '@/lib/iam/validate';
import { describeWhoCanAssume } from '@/lib/iam/who-can-assume';
import { invalidInput, ok, type Result } from '@/lib/result';

/**
 * Validation as the person types: one policy document of the wizard through the validator the
 * approval uses, with its risk flags and, for a trust policy, the "who can assume" sentence and
 * the wizard card that builds it (if any).
 */

/**
 * The longest document text accepted. IAM's largest quota is 10,240 characters without
 * whitespace (inline policies together); formatted text of such a policy is longer.
 */
export const maxValidatedDocumentLength = 32_768;
/** At most this many findings are returned (the rest are counted in `omittedFindings`). */
export const maxReturnedFindings = 200;

export const validateDocumentSchema = z.object({
  kind: z.enum(['identity', 'trust', 'boundary'], { error: 'Kind must be identity, trust or boundary' }),
  document: z
    .string({ error: 'Enter the policy document' })
    .max(maxValidatedDocumentLength, `The document must be at most ${maxValidatedDocumentLength} characters`),
  /** The target account the role will be created in (third-party and own-account checks). */
  accountId: accountIdSchema.optional(),
  /** An identity policy saved as a new managed policy (6,144) or inline (10,240 with the others). */
  identityPolicyType: z.enum(['managed', 'inline']).default('inline'),
  /** Size of the role's other inline policies (towards the inline aggregate quota). */
  otherInlinePoliciesSize: z.number().int().min(0).max(1_000_000).default(0),
});
export type ValidateDocumentInput = z.input<typeof validateDocumentSchema>;

export interface DocumentValidation {
  /** Ordered by severity, then position (at most {@link maxReturnedFindings}). */
  findings: Finding[];
  omittedFindings: number;
  /** Risk flags of the document (none while it does not parse). */
  risks: RiskFlag[];
  /** Trust policies only. */
  trust?: { whoCanAssume: string; recognized: TrustedEntity };
}

/** Validates one document; `invalid_input` only for a malformed request (never for the document's content). */
export async function validateWizardDocument(input: unknown): Promise<Result<DocumentValidation>> {
  const parsed = validateDocumentSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const { kind, document, accountId, identityPolicyType, otherInlinePoliciesSize } = parsed.data;
  const catalogue = await loadCatalogue();
  const findings = sortFindings(
    validatePolicy(document, kind, {
      catalogue,
      identityPolicyType,
      otherInlinePoliciesSize,
      ...(accountId ? { accountId } : {}),
    }),
  );
  const policy = parsePolicyDocument(document);
  let risks: RiskFlag[] = [];
  if (policy.ok) {
    const normalized = normalizePolicy(policy.value);
    risks =
      kind === 'trust'
        ? assessTrustRisk(normalized, {
            ...(accountId ? { ownAccountId: accountId } : {}),
            organizationAccountIds: (await listTargetAccounts()).map((account) => account.id),
          })
        : assessPermissionsRisk(normalized);
  }
  return ok({
    findings: findings.slice(0, maxReturnedFindings),
    omittedFindings: Math.max(0, findings.length - maxReturnedFindings),
    risks,
    ...(kind === 'trust'
      ? {
          trust: {
            whoCanAssume: describeWhoCanAssume(document, accountId ? { ownAccountId: accountId } : {}),
            recognized: recognizeTrustPolicy(document),
          },
        }
      : {}),
  });
}
