import 'server-only';
import type { Caller, SandboxState } from '@/lib/sandbox/state';
import type { RoleRecord } from '@/lib/sandbox/store';

/**
 * The one place where the emulator asks for policy decisions: authorisation of calls by the
 * caller's identity policies (+ permissions boundary + session policies) and AssumeRole trust.
 * The decisions themselves come from the policy evaluation engine.
 */

export type ContextValue = string | string[];
export type RequestContext = Record<string, ContextValue>;
export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/** Why a call was refused, worded as the tail of AWS's AccessDenied message. */
export type DenyReason =
  | 'explicit-identity'
  | 'no-identity'
  | 'no-boundary'
  | 'no-session'
  | 'explicit-boundary'
  | 'explicit-session';

interface PrincipalInfo {
  arn: string;
  accountId: string;
  kind: 'user' | 'assumed-role' | 'federated' | 'anonymous';
  /** For an assumed-role session, the role's ARN (trust and resource policies name the role). */
  roleArn?: string;
  federatedProvider?: string;
}

interface EvaluationInput {
  principal: PrincipalInfo;
  action: string;
  resource: string;
  context: RequestContext;
}

// ---------------------------------------------------------------------------------------------
// Evaluation engine (interim, minimal). Replaced by lib/iam/evaluate once that lands.
// ---------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Statement = Record<string, Json>;

const list = (value: Json | undefined): string[] =>
  value === undefined || value === null ? [] : (Array.isArray(value) ? value : [value]).map(String);

function globToRegex(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
}

function contextValue(context: RequestContext, key: string): ContextValue | undefined {
  const lower = key.toLowerCase();
  for (const [name, value] of Object.entries(context)) if (name.toLowerCase() === lower) return value;
  return undefined;
}

function substitute(text: string, context: RequestContext): string {
  return text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    if (name === '*') return '*';
    if (name === '?') return '?';
    if (name === '$') return '$';
    const value = contextValue(context, name);
    return typeof value === 'string' ? value : whole;
  });
}

function matchesCondition(
  operator: string,
  key: string,
  expected: string[],
  context: RequestContext,
): boolean {
  let op = operator;
  let setMode: 'any' | 'all' | null = null;
  if (op.startsWith('ForAnyValue:')) {
    setMode = 'any';
    op = op.slice(12);
  } else if (op.startsWith('ForAllValues:')) {
    setMode = 'all';
    op = op.slice(13);
  }
  const ifExists = op.endsWith('IfExists');
  if (ifExists) op = op.slice(0, -8);
  const raw = contextValue(context, key);
  if (op === 'Null') return (raw === undefined) === (expected[0]?.toLowerCase() === 'true');
  if (raw === undefined) return ifExists || setMode === 'all';
  const actual = Array.isArray(raw) ? raw : [raw];
  const negated = /Not/.test(op);
  const base = op.replace('Not', '');
  const one = (value: string, pattern: string): boolean => {
    const want = substitute(pattern, context);
    switch (base) {
      case 'StringEquals':
      case 'ArnEquals':
        return base === 'ArnEquals' ? globToRegex(want, false).test(value) : value === want;
      case 'StringEqualsIgnoreCase':
        return value.toLowerCase() === want.toLowerCase();
      case 'StringLike':
      case 'ArnLike':
        return globToRegex(want, false).test(value);
      case 'Bool':
        return value.toLowerCase() === want.toLowerCase();
      case 'NumericEquals':
        return Number(value) === Number(want);
      case 'NumericLessThan':
        return Number(value) < Number(want);
      case 'NumericLessThanEquals':
        return Number(value) <= Number(want);
      case 'NumericGreaterThan':
        return Number(value) > Number(want);
      case 'NumericGreaterThanEquals':
        return Number(value) >= Number(want);
      case 'DateEquals':
        return Date.parse(value) === Date.parse(want);
      case 'DateLessThan':
        return Date.parse(value) < Date.parse(want);
      case 'DateLessThanEquals':
        return Date.parse(value) <= Date.parse(want);
      case 'DateGreaterThan':
        return Date.parse(value) > Date.parse(want);
      case 'DateGreaterThanEquals':
        return Date.parse(value) >= Date.parse(want);
      default:
        return false;
    }
  };
  const matchesValue = (value: string) => expected.some((pattern) => one(value, pattern));
  if (setMode === 'all')
    return actual.every((value) => (negated ? !matchesValue(value) : matchesValue(value)));
  if (setMode === 'any')
    return actual.some((value) => (negated ? !matchesValue(value) : matchesValue(value)));
  const hit = actual.some(matchesValue);
  return negated ? !hit : hit;
}

function principalMatches(principal: Json | undefined, who: PrincipalInfo): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) return false;
  for (const [type, values] of Object.entries(principal)) {
    for (const value of list(values)) {
      if (type === 'AWS') {
        if (value === '*') return true;
        if (value === who.accountId || value === `arn:aws:iam::${who.accountId}:root`)
          return who.kind !== 'federated';
        if (value === who.arn || (who.roleArn !== undefined && value === who.roleArn)) return true;
      } else if (
        type === 'Federated' &&
        who.federatedProvider !== undefined &&
        value === who.federatedProvider
      )
        return true;
    }
  }
  return false;
}

function statementMatches(statement: Statement, input: EvaluationInput, withPrincipal: boolean): boolean {
  if (withPrincipal) {
    if ('Principal' in statement && !principalMatches(statement.Principal, input.principal)) return false;
    if ('NotPrincipal' in statement && principalMatches(statement.NotPrincipal, input.principal))
      return false;
  }
  const actionHit = (patterns: string[]) =>
    patterns.some((pattern) => globToRegex(pattern, true).test(input.action));
  if ('Action' in statement && !actionHit(list(statement.Action))) return false;
  if ('NotAction' in statement && actionHit(list(statement.NotAction))) return false;
  const resourceHit = (patterns: string[]) =>
    patterns.some((pattern) => globToRegex(substitute(pattern, input.context), false).test(input.resource));
  if ('Resource' in statement && !resourceHit(list(statement.Resource))) return false;
  if ('NotResource' in statement && resourceHit(list(statement.NotResource))) return false;
  const condition = statement.Condition;
  if (condition && typeof condition === 'object' && !Array.isArray(condition)) {
    for (const [operator, body] of Object.entries(condition)) {
      if (!body || typeof body !== 'object' || Array.isArray(body)) continue;
      for (const [key, values] of Object.entries(body)) {
        if (!matchesCondition(operator, key, list(values), input.context)) return false;
      }
    }
  }
  return true;
}

function decide(documents: readonly string[], input: EvaluationInput, withPrincipal: boolean): Decision {
  let allowed = false;
  for (const text of documents) {
    let parsed: { Statement?: Json };
    try {
      parsed = JSON.parse(text) as { Statement?: Json };
    } catch {
      continue;
    }
    const statements = (
      Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]
    ) as Statement[];
    for (const statement of statements) {
      if (!statement || typeof statement !== 'object' || !statementMatches(statement, input, withPrincipal))
        continue;
      if (statement.Effect === 'Deny') return 'explicitDeny';
      if (statement.Effect === 'Allow') allowed = true;
    }
  }
  return allowed ? 'allowed' : 'implicitDeny';
}

/** Decision of a set of identity-style policies (no principal) for one request. */
export function evaluateDocuments(documents: readonly string[], input: EvaluationInput): Decision {
  return decide(documents, input, false);
}

// ---------------------------------------------------------------------------------------------
// What the emulator uses.
// ---------------------------------------------------------------------------------------------

/** The policies that apply to a caller's own calls. */
export interface CallerPolicies {
  identity: string[];
  boundary?: string;
  /** Session policies (inline + managed ARNs) of an assumed-role session; undefined when none. */
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
    const identity = role && role.roleId === session.roleId ? roleIdentityPolicies(state, role) : [];
    const sessionDocs = [
      ...(session.sessionPolicy ? [session.sessionPolicy] : []),
      ...session.sessionPolicyArns.flatMap(
        (arn) => state.managedPolicyDocument(session.accountId, arn) ?? [],
      ),
    ];
    return {
      identity,
      boundary: role?.boundaryArn ? state.managedPolicyDocument(role.accountId, role.boundaryArn) : undefined,
      session: sessionDocs.length > 0 || session.sessionPolicyArns.length > 0 ? sessionDocs : undefined,
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

export function principalInfo(caller: Caller): PrincipalInfo {
  if (caller.kind === 'assumed-role') {
    return {
      arn: caller.arn,
      accountId: caller.accountId,
      kind: 'assumed-role',
      roleArn: caller.session.roleArn,
    };
  }
  return { arn: caller.arn, accountId: caller.accountId, kind: caller.kind };
}

/** Identity-side decision for a caller's request: identity policies, boundary and session policies. */
export function authorizeIdentity(
  policies: CallerPolicies,
  input: EvaluationInput,
): { decision: Decision; reason?: DenyReason } {
  const identity = evaluateDocuments(policies.identity, input);
  if (identity === 'explicitDeny') return { decision: 'explicitDeny', reason: 'explicit-identity' };
  const boundary =
    policies.boundary === undefined ? undefined : evaluateDocuments([policies.boundary], input);
  if (boundary === 'explicitDeny') return { decision: 'explicitDeny', reason: 'explicit-boundary' };
  const session = policies.session === undefined ? undefined : evaluateDocuments(policies.session, input);
  if (session === 'explicitDeny') return { decision: 'explicitDeny', reason: 'explicit-session' };
  if (identity !== 'allowed') return { decision: 'implicitDeny', reason: 'no-identity' };
  if (boundary !== undefined && boundary !== 'allowed')
    return { decision: 'implicitDeny', reason: 'no-boundary' };
  if (session !== undefined && session !== 'allowed')
    return { decision: 'implicitDeny', reason: 'no-session' };
  return { decision: 'allowed' };
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
 * Trust decision for `sts:AssumeRole*`: the role's trust policy is the resource policy. Same
 * account: a trust statement naming the caller (or its role) directly suffices; one naming the
 * account needs the caller's identity policy too. Cross-account: both must allow. An explicit
 * deny anywhere refuses.
 */
export function authorizeAssumeRole(
  caller: PrincipalInfo,
  policies: CallerPolicies | null,
  role: RoleRecord,
  action: string,
  context: RequestContext,
): boolean {
  const input: EvaluationInput = { principal: caller, action, resource: role.arn, context };
  const trust = decide([role.trustPolicy], input, true);
  if (trust !== 'allowed') return false;
  if (policies === null) return true;
  const identity = authorizeIdentity(policies, input);
  if (identity.decision === 'explicitDeny') return false;
  if (identity.decision === 'allowed') return true;
  if (caller.accountId !== role.accountId) return false;
  // Same account: allowed without identity permission only when the trust policy names the principal itself.
  return trustNamesPrincipalDirectly(role.trustPolicy, caller);
}

function trustNamesPrincipalDirectly(trustPolicy: string, who: PrincipalInfo): boolean {
  let parsed: { Statement?: Json };
  try {
    parsed = JSON.parse(trustPolicy) as { Statement?: Json };
  } catch {
    return false;
  }
  const statements = (Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]) as Statement[];
  return statements.some((statement) => {
    if (!statement || statement.Effect !== 'Allow') return false;
    const principal = statement.Principal;
    if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) return false;
    return list(principal.AWS).some((value) => value === who.arn || value === who.roleArn);
  });
}
