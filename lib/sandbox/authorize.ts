import 'server-only';
import {
  compilePolicy,
  evaluate,
  evaluateAssumeRole,
  type ContextValue,
  type Decision,
  type EvaluationResult,
  type ParsedPolicy,
  type PolicySet,
  type RequestPrincipal,
} from '@/lib/iam/evaluate';
import type { Caller, SandboxState } from '@/lib/sandbox/state';
import type { RoleRecord } from '@/lib/sandbox/store';

/**
 * The one place where the emulator asks the policy evaluation engine (`lib/iam/evaluate`) for
 * decisions: authorisation of calls by the caller's identity policies (+ permissions boundary +
 * session policies), AssumeRole trust, and the Simulate operations. Documents are compiled once
 * and cached by their text.
 */

export type { Decision };
export type RequestContext = Record<string, ContextValue>;

/** Why a call was refused, as the tail of AWS's AccessDenied message says it. */
export type DenyReason =
  | 'explicit-identity'
  | 'no-identity'
  | 'no-boundary'
  | 'no-session'
  | 'explicit-boundary'
  | 'explicit-session';

const cacheLimit = 5000;
const compiled = new Map<string, ParsedPolicy | null>();

/** A compiled policy, from the cache; null when the engine cannot read the document. */
export function compileCached(text: string): ParsedPolicy | null {
  const hit = compiled.get(text);
  if (hit !== undefined) return hit;
  const result = compilePolicy(text);
  if (compiled.size >= cacheLimit) compiled.clear();
  const value = result.ok ? result.value : null;
  compiled.set(text, value);
  return value;
}

/** Session policies (inline + managed ARNs) act as one policy: the union of their statements. */
function mergeSessionPolicies(documents: string[]): string {
  if (documents.length === 1) return documents[0]!;
  const statements = documents.flatMap((text) => {
    try {
      const parsed = JSON.parse(text) as { Statement?: unknown };
      return Array.isArray(parsed.Statement) ? (parsed.Statement as unknown[]) : [parsed.Statement];
    } catch {
      return [];
    }
  });
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** The policies that apply to a caller's own calls, as document texts. */
export interface CallerPolicies {
  identity: string[];
  boundary?: string;
  /** Session policies (inline + managed ARNs) of an assumed-role session; undefined when none were passed. */
  session?: string[];
}

/** Collects the identity policies, boundary and session policies of a caller. */
export function callerPolicies(state: SandboxState, caller: Caller): CallerPolicies {
  if (caller.kind === 'user') {
    const user = state.getUser(caller.accountId, caller.user.userName) ?? caller.user;
    return {
      identity: [
        ...user.inlinePolicies.map((policy) => policy.document),
        ...user.attachedPolicies.flatMap((arn) => state.managedPolicyDocument(user.accountId, arn) ?? []),
      ],
      boundary: user.boundaryArn ? state.managedPolicyDocument(user.accountId, user.boundaryArn) : undefined,
    };
  }
  if (caller.kind === 'assumed-role') {
    const session = caller.session;
    const role = state.getRole(session.accountId, session.roleName);
    // A session outlives its role only as an empty shell: a re-created role with the same name is another role.
    const current = role && role.roleId === session.roleId ? role : undefined;
    const hasSessionPolicy = session.sessionPolicy !== undefined || session.sessionPolicyArns.length > 0;
    return {
      identity: current ? roleIdentityPolicies(state, current) : [],
      boundary: current?.boundaryArn
        ? state.managedPolicyDocument(current.accountId, current.boundaryArn)
        : undefined,
      session: hasSessionPolicy
        ? [
            ...(session.sessionPolicy ? [session.sessionPolicy] : []),
            ...session.sessionPolicyArns.flatMap(
              (arn) => state.managedPolicyDocument(session.accountId, arn) ?? [],
            ),
          ]
        : undefined,
    };
  }
  return { identity: [] };
}

/** A role's inline and attached policy documents. */
export function roleIdentityPolicies(state: SandboxState, role: RoleRecord): string[] {
  return [
    ...role.inlinePolicies.map((policy) => policy.document),
    ...role.attachedPolicies.flatMap((arn) => state.managedPolicyDocument(role.accountId, arn) ?? []),
  ];
}

function policySet(policies: CallerPolicies): Omit<PolicySet, 'resourcePolicy'> {
  const session =
    policies.session === undefined ? undefined : compileCached(mergeSessionPolicies(policies.session));
  return {
    identityPolicies: policies.identity
      .map(compileCached)
      .filter((policy): policy is ParsedPolicy => policy !== null),
    permissionsBoundary:
      policies.boundary === undefined ? undefined : (compileCached(policies.boundary) ?? undefined),
    // A session policy that names nothing still limits the session to nothing.
    sessionPolicies:
      policies.session === undefined
        ? undefined
        : [session ?? compileCached('{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}')!],
  };
}

/** The engine's view of a caller. */
export function principalInfo(caller: Caller): RequestPrincipal {
  if (caller.kind === 'anonymous') return { arn: '', accountId: '', kind: 'anonymous' };
  return { arn: caller.arn, accountId: caller.accountId, kind: caller.kind, userId: caller.userId };
}

export interface IdentityCheck {
  principal: RequestPrincipal;
  action: string;
  resource: string;
  context: RequestContext;
}

/**
 * Decides a caller's own call (no resource policy): identity policies, boundary and session
 * policies. On refusal, `reason` says which policy type refused, for AWS's message.
 */
export function authorizeIdentity(
  policies: CallerPolicies,
  check: IdentityCheck,
): { decision: Decision; reason?: DenyReason } {
  const set = policySet(policies);
  const result = evaluate(
    {
      principal: check.principal,
      action: check.action,
      resource: check.resource,
      resourceAccount: check.principal.accountId,
      context: check.context,
    },
    set,
  );
  if (result.decision === 'allowed') return { decision: 'allowed' };
  return { decision: result.decision, reason: denyReason(result, set) };
}

function denyReason(result: EvaluationResult, set: Omit<PolicySet, 'resourcePolicy'>): DenyReason {
  const matched = result.matchedStatements;
  if (result.decision === 'explicitDeny') {
    const deny = matched.find((statement) => statement.effect === 'Deny');
    if (deny?.policy === 'boundary') return 'explicit-boundary';
    if (deny?.policy === 'session') return 'explicit-session';
    return 'explicit-identity';
  }
  const allows = (kind: string) =>
    matched.some((statement) => statement.policy === kind && statement.effect === 'Allow');
  if (!allows('identity')) return 'no-identity';
  if (set.permissionsBoundary && !allows('boundary')) return 'no-boundary';
  if (set.sessionPolicies && !allows('session')) return 'no-session';
  return 'no-identity';
}

/** The tail of AWS's AccessDenied message for a refusal. */
export function denyMessageTail(reason: DenyReason, action: string): string {
  switch (reason) {
    case 'explicit-identity':
      return 'with an explicit deny in an identity-based policy';
    case 'explicit-boundary':
      return 'with an explicit deny in a permissions boundary';
    case 'explicit-session':
      return 'with an explicit deny in a session policy';
    case 'no-identity':
      return `because no identity-based policy allows the ${action} action`;
    case 'no-boundary':
      return `because no permissions boundary allows the ${action} action`;
    case 'no-session':
      return `because no session policy allows the ${action} action`;
  }
}

/**
 * Trust decision for `sts:AssumeRole*` (and `sts:TagSession`, `sts:SetSourceIdentity`): the
 * role's trust policy is the resource policy; same-account and cross-account rules as the engine
 * implements them. `policies` is null for callers without identity policies (web identity).
 */
export function authorizeAssumeRole(
  caller: RequestPrincipal,
  policies: CallerPolicies | null,
  role: RoleRecord,
  action:
    | 'sts:AssumeRole'
    | 'sts:AssumeRoleWithWebIdentity'
    | 'sts:AssumeRoleWithSAML'
    | 'sts:TagSession'
    | 'sts:SetSourceIdentity',
  context: RequestContext,
): boolean {
  const trustPolicy = compileCached(role.trustPolicy);
  if (!trustPolicy) return false;
  const result = evaluateAssumeRole({
    caller,
    callerPolicies: policies ? policySet(policies) : { identityPolicies: [] },
    roleArn: role.arn,
    roleAccount: role.accountId,
    trustPolicy,
    action,
    context,
  });
  return result.decision === 'allowed';
}

/** A simulation of identity policies (+ boundary) for one action and resource, as IAM's simulator reports it. */
export function simulateDecision(
  principal: RequestPrincipal,
  identity: string[],
  boundary: string | undefined,
  check: { action: string; resource: string; context: RequestContext },
): {
  decision: Decision;
  matchedIdentity: { policyIndex: number; statementIndex: number }[];
  allowedByBoundary: boolean | undefined;
  missing: string[];
} {
  const set = policySet({ identity, boundary });
  const result = evaluate(
    {
      principal,
      action: check.action,
      resource: check.resource,
      resourceAccount: principal.accountId,
      context: check.context,
    },
    set,
  );
  const boundaryAllows =
    boundary === undefined
      ? undefined
      : result.matchedStatements.some(
          (statement) => statement.policy === 'boundary' && statement.effect === 'Allow',
        );
  return {
    decision: result.decision,
    matchedIdentity: result.matchedStatements
      .filter((statement) => statement.policy === 'identity')
      .map((statement) => ({ policyIndex: statement.policyIndex, statementIndex: statement.statementIndex })),
    allowedByBoundary: boundaryAllows,
    missing: result.missingContextKeys,
  };
}
