/**
 * What a policy document is for. One list for the whole of `lib/iam`: the validator checks three
 * of the kinds, and evaluation distinguishes four (a role's trust policy is the role's resource
 * policy there).
 */
export const POLICY_KINDS = ['identity', 'trust', 'boundary', 'session', 'resource'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/** The kinds `validatePolicy` checks, each with its own rules and size quota. */
export const VALIDATED_POLICY_KINDS = [
  'identity',
  'trust',
  'boundary',
] as const satisfies readonly PolicyKind[];
export type ValidatedPolicyKind = (typeof VALIDATED_POLICY_KINDS)[number];

/** The kinds of policy a request is evaluated against; a trust policy is evaluated as the role's `resource` policy. */
export type EvaluatedPolicyKind = Exclude<PolicyKind, 'trust'>;
