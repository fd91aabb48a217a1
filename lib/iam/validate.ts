/**
 * The policy validator's entry point. The checks live in one module per concern, sharing one
 * context (validate-context.ts): elements and syntax (validate-elements.ts), actions, resources,
 * conditions, trust, and checks across statements (validate-redundancy.ts). The finding codes are
 * in finding-codes.ts, which the browser may import.
 */
import type { Finding } from '@/lib/iam/findings';
import type { ValidatedPolicyKind } from '@/lib/iam/policy-kind';
import { ValidationContext, type ValidatePolicyOptions } from '@/lib/iam/validate-context';
import { checkPolicyText } from '@/lib/iam/validate-elements';

export { FINDING_CODES, type FindingCode } from '@/lib/iam/finding-codes';
export { VALIDATED_POLICY_KINDS, type ValidatedPolicyKind } from '@/lib/iam/policy-kind';
export { policySize } from '@/lib/iam/policy-size';
export {
  DEFAULT_POLICY_QUOTAS,
  type PolicyQuotas,
  type ValidatePolicyOptions,
} from '@/lib/iam/validate-context';

/**
 * Validates a policy document's text for its kind: an identity policy (managed or inline), a
 * role's trust policy, or a permissions boundary. Returns every finding, ordered by position in
 * the text, each with the range of the token it is about; an empty list means IAM would accept
 * the policy and nothing looks wrong. Never throws on any input text. Pass the catalogue (from
 * `loadCatalogue`) for service, action, resource and condition-key checks; without it those
 * checks are skipped.
 */
export function validatePolicy(
  text: string,
  kind: ValidatedPolicyKind,
  options: ValidatePolicyOptions = {},
): Finding[] {
  const context = new ValidationContext(text, kind, options);
  checkPolicyText(context);
  return context.findings.sort((a, b) => a.line - b.line || a.column - b.column);
}
