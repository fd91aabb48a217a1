/**
 * The types of IAM policy evaluation: a request and its result (evaluate.ts), and a compiled
 * policy (evaluate-compile.ts) with its matchers (evaluate-match.ts).
 */
import type { CompiledCondition } from '@/lib/iam/evaluate-conditions';
import type { StringMatcher } from '@/lib/iam/evaluate-variables';
import type { EvaluatedPolicyKind } from '@/lib/iam/policy-kind';

/** A request context value. IAM context values are strings: booleans "true"/"false", numbers and dates as text. */
export type ContextValue = string | readonly string[];

/** Who makes the request. */
export interface RequestPrincipal {
  /**
   * The caller's ARN: `arn:aws:iam::ACCT:user/…`, `arn:aws:iam::ACCT:role/…`,
   * `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`, `arn:aws:iam::ACCT:root`. For a service, its
   * principal name; for a web-identity or SAML caller, the provider.
   */
  arn: string;
  /** The caller's account id ('' for services, anonymous and non-ARN federated callers). */
  accountId: string;
  kind: 'root' | 'user' | 'role' | 'assumed-role' | 'service' | 'federated' | 'anonymous';
  userId?: string;
  /** For `kind: 'service'`: e.g. `ec2.amazonaws.com`. */
  service?: string;
  /** For `kind: 'federated'`: the provider ARN or name, e.g. `arn:aws:iam::ACCT:oidc-provider/…`, `accounts.google.com`. */
  federatedProvider?: string;
  /** For an S3 canonical-user caller. */
  canonicalUser?: string;
}

/** One request to decide. */
export interface EvaluationRequest {
  principal: RequestPrincipal;
  /** `service:Action`, e.g. `sts:AssumeRole`, `iam:CreateRole`. */
  action: string;
  /** The resource ARN (`*` for actions without a resource). */
  resource: string;
  /** The account owning the resource. */
  resourceAccount: string;
  /** Context keys (case-insensitive): `aws:MultiFactorAuthPresent`, `sts:ExternalId`, `aws:PrincipalTag/team`, … */
  context: Readonly<Record<string, ContextValue>>;
}
/** The policies that apply to one request. */
export interface PolicySet {
  /** The caller's identity-based policies (inline and attached). */
  identityPolicies: readonly ParsedPolicy[];
  permissionsBoundary?: ParsedPolicy;
  /**
   * The session policies of a role session (the inline `Policy` and the `PolicyArns` passed to
   * AssumeRole). When present, they must also allow; an empty list allows nothing.
   */
  sessionPolicies?: readonly ParsedPolicy[];
  /** The resource-based policy; for `sts:AssumeRole*` the role's trust policy. */
  resourcePolicy?: ParsedPolicy;
}

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/** A statement whose Action, Resource, Principal and Condition all matched the request. */
export interface MatchedStatement {
  policy: EvaluatedPolicyKind;
  /** Index in `identityPolicies` / `sessionPolicies`, else 0. */
  policyIndex: number;
  statementIndex: number;
  sid: string | undefined;
  effect: 'Allow' | 'Deny';
}

/**
 * Why a request was refused, for AccessDenied messages: an explicit deny in which kind of policy,
 * or which kind of policy failed to allow.
 */
export type DenyReason =
  | 'explicit-identity'
  | 'explicit-boundary'
  | 'explicit-session'
  | 'explicit-resource'
  | 'no-identity'
  | 'no-boundary'
  | 'no-session'
  | 'no-resource';

export interface EvaluationResult {
  decision: Decision;
  /** Set when the decision is not `allowed`. */
  reason?: DenyReason;
  /** Whether the permissions boundary allows the request (only when a boundary applies). */
  allowedByBoundary?: boolean;
  matchedStatements: MatchedStatement[];
  /**
   * Condition keys that statements matching on action and resource referenced but the request
   * context lacked (IAM's `MissingContextValues`), lower-cased, without duplicates.
   */
  missingContextKeys: string[];
}

/** A compiled policy document. Compile once with {@link compilePolicy}, reuse across requests. */
export interface ParsedPolicy {
  readonly version: string | undefined;
  readonly statements: readonly CompiledStatement[];
  /** Statements whose Action names a single service, by lower-cased service prefix. */
  readonly byService: ReadonlyMap<string, readonly CompiledStatement[]>;
  /** Statements that may match any service (`*`, wildcard service, NotAction). */
  readonly anyService: readonly CompiledStatement[];
}

export interface PrincipalMatcher {
  negated: boolean;
  wildcard: boolean;
  accounts: readonly string[];
  arns: readonly string[];
  /** Role ARNs named, as `account` + lower-cased role name, for session matching. */
  roles: readonly { account: string; name: string }[];
  services: readonly string[];
  federated: readonly string[];
  canonicalUsers: readonly string[];
}

export interface ActionMatcher {
  negated: boolean;
  /** Lower-cased patterns; exact ones tested with a Set. */
  exact: ReadonlySet<string>;
  /** The lower-cased wildcard patterns as written, and compiled (same order). */
  wildcards: readonly string[];
  patterns: readonly RegExp[];
  all: boolean;
}

export interface ResourcePattern {
  all: boolean;
  /** partition, service, region, account (case-insensitive), then the resource part. */
  segments: readonly StringMatcher[];
}

export interface ResourceMatcher {
  negated: boolean;
  patterns: readonly ResourcePattern[];
}

/** One compiled statement. */
export interface CompiledStatement {
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: 'Allow' | 'Deny';
  readonly principal: PrincipalMatcher | null;
  readonly action: ActionMatcher | null;
  readonly resource: ResourceMatcher | null;
  readonly conditions: readonly CompiledCondition[];
}
