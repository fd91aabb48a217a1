/**
 * IAM policy evaluation: compile policy documents once (evaluate-compile.ts), then decide requests
 * against them (here, with the matchers of evaluate-match.ts; the types are in evaluate-types.ts).
 * Pure: no I/O, no environment. Serves the sandbox emulator's AssumeRole trust checks, the
 * authorisation of every emulator call, and SimulateCustomPolicy / SimulatePrincipalPolicy.
 *
 * Decision logic follows AWS's "Policy evaluation logic" (reference_policies_evaluation-logic.html,
 * reference_policies_evaluation-logic-cross-account.html, access_policies_boundaries.html):
 * 1. An explicit Deny in any policy (identity, boundary, session, resource) wins.
 * 2. Same account: allowed when an identity policy allows, or when the resource policy allows
 *    the principal directly. A resource policy that names only the principal's account
 *    (`"AWS": "ACCT"` / `arn:aws:iam::ACCT:root`) delegates to the account, so the identity
 *    policy must allow too. For `sts:*` actions with a resource policy (a role's trust policy),
 *    the trust policy must allow the caller: directly, or through its account plus the caller's
 *    identity policy.
 * 3. Cross account: both the resource policy and the caller's identity policy must allow.
 * 4. A permissions boundary must also allow, except (same account) when the resource policy
 *    names the user or role-session ARN itself (or `*`): then the boundary's implicit deny does
 *    not limit it. A resource policy naming the role's ARN is limited by the boundary.
 * 5. Session policies, when present, must allow too, except (same account) for a resource policy
 *    naming the session's own ARN.
 * 6. Services, web-identity / SAML callers and anonymous callers have no identity policies: only
 *    the resource policy can allow them. The root user may do anything in its own account but
 *    what a resource policy explicitly denies. `sts:GetCallerIdentity` needs no permission. AWS
 *    managed policies and `aws-reserved/` roles cannot be changed, whatever the policies say.
 *
 * Matching: Action / NotAction case-insensitively with `*` and `?`; Resource / NotResource per
 * ARN part (the first five parts case-insensitively, the resource part case-sensitively, `*`
 * spanning `/` and `:` there) with policy variables; Principal / NotPrincipal by `*`, account,
 * user, role (a session matches its role's ARN), session, Service, Federated and CanonicalUser.
 * Conditions: see evaluate-conditions.ts.
 */

import {
  ACCOUNT,
  actionMatches,
  conditionsHold,
  DIRECT,
  NO_MATCH,
  principalLevel,
  resourceMatches,
  SESSION_ROLE,
  splitResource,
  type PreparedRequest,
  type PrincipalLevel,
} from '@/lib/iam/evaluate-match';
import type {
  CompiledStatement,
  ContextValue,
  Decision,
  EvaluationRequest,
  EvaluationResult,
  DenyReason,
  ParsedPolicy,
  PolicySet,
  RequestPrincipal,
} from '@/lib/iam/evaluate-types';
import type { NormalizedContext } from '@/lib/iam/evaluate-variables';
import type { EvaluatedPolicyKind } from '@/lib/iam/policy-kind';

export { compilePolicy, compilePolicyCached, compilePolicyOrThrow } from '@/lib/iam/evaluate-compile';
export type {
  CompiledStatement,
  ContextValue,
  Decision,
  DenyReason,
  EvaluationRequest,
  EvaluationResult,
  MatchedStatement,
  ParsedPolicy,
  PolicySet,
  RequestPrincipal,
} from '@/lib/iam/evaluate-types';

interface PolicyOutcome {
  deny: boolean;
  allow: boolean;
  /** Resource policies: the best principal level among matching Allow / Deny statements. */
  allowLevel: PrincipalLevel;
  /** Resource policies: whether a matching Allow statement names the caller's exact ARN (or NotPrincipal). */
  allowExact: boolean;
  /** Resource policies: whether a matching Allow statement names `*`. */
  allowWildcard: boolean;
}

function evaluateStatement(
  statement: CompiledStatement,
  kind: EvaluatedPolicyKind,
  policyIndex: number,
  prepared: PreparedRequest,
  outcome: PolicyOutcome,
  hasBoundary: boolean,
): void {
  if (!actionMatches(statement.action, prepared.action)) return;
  if (!resourceMatches(statement.resource, prepared)) return;
  let level: PrincipalLevel = DIRECT;
  if (kind === 'resource') {
    if (statement.principal === null) return;
    level = principalLevel(statement.principal, prepared.request.principal);
    // A Deny with NotPrincipal applies to every principal with a permissions boundary
    // (reference_policies_elements_notprincipal.html).
    if (statement.effect === 'Deny' && statement.principal.negated && hasBoundary) level = DIRECT;
    if (level === NO_MATCH) return;
  }
  if (!conditionsHold(statement.conditions, prepared)) return;
  prepared.matched.push({
    policy: kind,
    policyIndex,
    statementIndex: statement.index,
    sid: statement.sid,
    effect: statement.effect,
  });
  if (statement.effect === 'Deny') {
    outcome.deny = true;
    return;
  }
  outcome.allow = true;
  if (level > outcome.allowLevel) outcome.allowLevel = level;
  if (level === DIRECT && statement.principal !== null) {
    const principal = statement.principal;
    if (principal.wildcard) outcome.allowWildcard = true;
    else if (principal.negated || principal.arns.includes(prepared.request.principal.arn))
      outcome.allowExact = true;
  }
}

function evaluatePolicy(
  policy: ParsedPolicy,
  kind: EvaluatedPolicyKind,
  policyIndex: number,
  prepared: PreparedRequest,
  hasBoundary: boolean,
): PolicyOutcome {
  const outcome: PolicyOutcome = {
    deny: false,
    allow: false,
    allowLevel: NO_MATCH,
    allowExact: false,
    allowWildcard: false,
  };
  const forService = policy.byService.get(prepared.service);
  if (forService)
    for (const statement of forService)
      evaluateStatement(statement, kind, policyIndex, prepared, outcome, hasBoundary);
  for (const statement of policy.anyService)
    evaluateStatement(statement, kind, policyIndex, prepared, outcome, hasBoundary);
  return outcome;
}

function normalizeContext(context: Readonly<Record<string, ContextValue>>): NormalizedContext {
  const map = new Map<string, string | readonly string[]>();
  for (const key in context) map.set(key.toLowerCase(), context[key]!);
  return map;
}

// Real IAM refuses changes to AWS managed policies and to roles under `aws-reserved/`,
// whatever the caller's policies say.
const managedPolicyWrites = new Set([
  'iam:createpolicy',
  'iam:createpolicyversion',
  'iam:deletepolicy',
  'iam:deletepolicyversion',
  'iam:setdefaultpolicyversion',
  'iam:tagpolicy',
  'iam:untagpolicy',
]);
const reservedRoleWrites = new Set([
  'iam:attachrolepolicy',
  'iam:createrole',
  'iam:createservicelinkedrole',
  'iam:deleterole',
  'iam:deleterolepermissionsboundary',
  'iam:deleterolepolicy',
  'iam:deleteservicelinkedrole',
  'iam:detachrolepolicy',
  'iam:passrole',
  'iam:putrolepermissionsboundary',
  'iam:putrolepolicy',
  'iam:tagrole',
  'iam:untagrole',
  'iam:updateassumerolepolicy',
  'iam:updaterole',
  'iam:updateroledescription',
]);

function isProtectedIamResource(action: string, resourceParts: string[] | null): boolean {
  if (resourceParts === null) return false;
  const resource = resourceParts[5]!.toLowerCase();
  if (managedPolicyWrites.has(action) && resourceParts[4] === 'aws' && resource.startsWith('policy/'))
    return true;
  return reservedRoleWrites.has(action) && resource.startsWith('role/aws-reserved/');
}

/**
 * Decides one request against its policies (see the module comment for the rules). Never
 * throws for a well-formed request; an unknown operator or unreadable value in a policy simply
 * does not match. `matchedStatements` lists every statement that matched, Allow and Deny.
 */
export function evaluate(request: EvaluationRequest, policies: PolicySet): EvaluationResult {
  const action = request.action.toLowerCase();
  const colon = action.indexOf(':');
  const prepared: PreparedRequest = {
    request,
    action,
    service: colon === -1 ? action : action.slice(0, colon),
    resourceParts: splitResource(request.resource),
    context: normalizeContext(request.context),
    missing: null,
    matched: [],
  };
  const outcome = decide(prepared, policies);
  return {
    ...outcome,
    matchedStatements: prepared.matched,
    missingContextKeys: prepared.missing ? [...prepared.missing] : [],
  };
}

const NOTHING: PolicyOutcome = {
  deny: false,
  allow: false,
  allowLevel: NO_MATCH,
  allowExact: false,
  allowWildcard: false,
};

interface Outcome {
  decision: Decision;
  reason?: DenyReason;
  allowedByBoundary?: boolean;
}

function refusal(reason: DenyReason, allowedByBoundary: boolean | undefined): Outcome {
  return {
    decision: reason.startsWith('explicit') ? 'explicitDeny' : 'implicitDeny',
    reason,
    allowedByBoundary,
  };
}

function decide(prepared: PreparedRequest, policies: PolicySet): Outcome {
  const { principal } = prepared.request;
  const hasBoundary = policies.permissionsBoundary !== undefined;
  const isAnonymous = principal.kind === 'anonymous';
  const hasIdentity =
    principal.kind !== 'anonymous' && principal.kind !== 'service' && principal.kind !== 'federated';

  // GetCallerIdentity needs no permission, and an explicit deny does not stop it
  // (API_GetCallerIdentity: "No permissions are required to perform this operation").
  if (prepared.action === 'sts:getcalleridentity' && !isAnonymous) return { decision: 'allowed' };

  let identityAllow = false;
  let identityDeny = false;
  if (hasIdentity) {
    for (let index = 0; index < policies.identityPolicies.length; index += 1) {
      const outcome = evaluatePolicy(
        policies.identityPolicies[index]!,
        'identity',
        index,
        prepared,
        hasBoundary,
      );
      identityAllow ||= outcome.allow;
      identityDeny ||= outcome.deny;
    }
  }
  const boundary =
    hasIdentity && policies.permissionsBoundary
      ? evaluatePolicy(policies.permissionsBoundary, 'boundary', 0, prepared, hasBoundary)
      : null;
  let session: { allow: boolean; deny: boolean } | null = null;
  if (hasIdentity && policies.sessionPolicies) {
    session = { allow: false, deny: false };
    for (let index = 0; index < policies.sessionPolicies.length; index += 1) {
      const outcome = evaluatePolicy(
        policies.sessionPolicies[index]!,
        'session',
        index,
        prepared,
        hasBoundary,
      );
      session.allow ||= outcome.allow;
      session.deny ||= outcome.deny;
    }
  }
  const resource = policies.resourcePolicy
    ? evaluatePolicy(policies.resourcePolicy, 'resource', 0, prepared, hasBoundary)
    : NOTHING;
  const allowedByBoundary = boundary ? boundary.allow && !boundary.deny : undefined;

  if (identityDeny) return refusal('explicit-identity', allowedByBoundary);
  if (boundary?.deny) return refusal('explicit-boundary', allowedByBoundary);
  if (session?.deny) return refusal('explicit-session', allowedByBoundary);
  if (resource.deny) return refusal('explicit-resource', allowedByBoundary);
  if (isProtectedIamResource(prepared.action, prepared.resourceParts))
    return refusal('no-identity', allowedByBoundary);

  const resourceDirect = resource.allow && resource.allowLevel >= SESSION_ROLE;
  if (!hasIdentity)
    return resourceDirect ? { decision: 'allowed' } : refusal('no-resource', allowedByBoundary);

  const sameAccount = principal.accountId !== '' && principal.accountId === prepared.request.resourceAccount;
  if (principal.kind === 'root' && sameAccount) {
    // The root user is not subject to identity policies in its own account.
  } else if (sameAccount) {
    // For STS, a trust policy must name the caller or its account; identity permission alone is not enough.
    const trustRequired = prepared.service === 'sts' && policies.resourcePolicy !== undefined;
    const trusted = !trustRequired || (resource.allow && resource.allowLevel >= ACCOUNT);
    if (!resourceDirect && !(identityAllow && trusted))
      return refusal(trusted ? 'no-identity' : 'no-resource', allowedByBoundary);
  } else {
    if (!(resource.allow && resource.allowLevel >= ACCOUNT)) return refusal('no-resource', allowedByBoundary);
    if (principal.kind !== 'root' && !identityAllow) return refusal('no-identity', allowedByBoundary);
  }

  if (boundary && !boundary.allow) {
    if (!sameAccount) return refusal('no-boundary', allowedByBoundary);
    // Same account: a resource policy naming the user or session ARN itself (or `*`) is not
    // limited by the boundary's implicit deny; one naming the role ARN is (access_policies_boundaries.html).
    const namesCaller = principal.kind === 'assumed-role' || principal.kind === 'user';
    const bypass = resourceDirect && (resource.allowWildcard || (namesCaller && resource.allowExact));
    if (!bypass) return refusal('no-boundary', allowedByBoundary);
  }
  if (session && !session.allow) {
    // A same-account resource policy naming the session's own ARN is not limited by the session
    // policy; one naming the role's ARN is (access_policies.html#policies_session).
    const namesSession =
      sameAccount && resourceDirect && principal.kind === 'assumed-role' && resource.allowExact;
    if (!namesSession) return refusal('no-session', allowedByBoundary);
  }
  return { decision: 'allowed', allowedByBoundary };
}

/** Input of {@link evaluateAssumeRole}. */
export interface AssumeRoleCheck {
  caller: RequestPrincipal;
  /** The caller's identity policies, boundary and (for a role session) session policy. */
  callerPolicies: Omit<PolicySet, 'resourcePolicy'>;
  roleArn: string;
  /** The role's account (the resource account). */
  roleAccount: string;
  trustPolicy: ParsedPolicy;
  action:
    | 'sts:AssumeRole'
    | 'sts:AssumeRoleWithWebIdentity'
    | 'sts:AssumeRoleWithSAML'
    | 'sts:TagSession'
    | 'sts:SetSourceIdentity';
  context: Readonly<Record<string, ContextValue>>;
}

/**
 * Decides whether `caller` may assume the role: the trust policy is the resource policy. In the
 * same account the trust policy must allow the caller directly (its ARN, its role's ARN for a
 * session, a service or federated provider, `*`), or name the account and the caller's identity
 * policy must allow `sts:AssumeRole` on the role. Across accounts both must allow.
 */
export function evaluateAssumeRole(check: AssumeRoleCheck): EvaluationResult {
  return evaluate(
    {
      principal: check.caller,
      action: check.action,
      resource: check.roleArn,
      resourceAccount: check.roleAccount,
      context: check.context,
    },
    { ...check.callerPolicies, resourcePolicy: check.trustPolicy },
  );
}

/**
 * The standard context keys describing a caller (`aws:PrincipalArn`, `aws:PrincipalAccount`,
 * `aws:userid`, `aws:username` for IAM users, `aws:PrincipalType`), for callers to merge into a
 * request's context. For a role session, `roleArn` is the role's ARN (with its path).
 */
export function principalContext(principal: RequestPrincipal, roleArn?: string): Record<string, string> {
  const context: Record<string, string> = {};
  if (principal.kind === 'anonymous' || principal.kind === 'service') return context;
  if (principal.kind === 'federated') return context;
  context['aws:PrincipalArn'] = principal.kind === 'assumed-role' && roleArn ? roleArn : principal.arn;
  context['aws:PrincipalAccount'] = principal.accountId;
  if (principal.userId !== undefined) context['aws:userid'] = principal.userId;
  if (principal.kind === 'user') {
    const resource = principal.arn.slice(principal.arn.indexOf(':user/') + ':user/'.length);
    context['aws:username'] = resource.slice(resource.lastIndexOf('/') + 1);
  }
  context['aws:PrincipalType'] =
    principal.kind === 'root'
      ? 'Account'
      : principal.kind === 'user'
        ? 'User'
        : principal.kind === 'role'
          ? 'Role'
          : 'AssumedRole';
  return context;
}
