/**
 * Matching one request against compiled statements: action, resource (with policy variables),
 * principal (how directly a resource policy names the caller) and conditions.
 */
import type { CompiledCondition } from '@/lib/iam/evaluate-conditions';
import type {
  ActionMatcher,
  EvaluationRequest,
  MatchedStatement,
  PrincipalMatcher,
  RequestPrincipal,
  ResourceMatcher,
  ResourcePattern,
} from '@/lib/iam/evaluate-types';
import type { NormalizedContext } from '@/lib/iam/evaluate-variables';

export type PrincipalLevel = 0 | 1 | 2 | 3;
/** How a resource-policy statement's principal matched the caller. */
export const NO_MATCH = 0;
/** Through the caller's account only (delegation to the account's identity policies). */
export const ACCOUNT = 1;
/** Through the role's ARN, for a session of that role. */
export const SESSION_ROLE = 2;
/** Directly: the caller's own ARN, `*`, its service or federated provider. */
export const DIRECT = 3;

export interface PreparedRequest {
  request: EvaluationRequest;
  /** The lower-cased action and its service prefix. */
  action: string;
  service: string;
  resourceParts: string[] | null;
  context: NormalizedContext;
  missing: Set<string> | null;
  matched: MatchedStatement[];
}

export function actionMatches(matcher: ActionMatcher | null, action: string): boolean {
  if (matcher === null) return false;
  let hit = matcher.all || matcher.exact.has(action);
  if (!hit) {
    for (const pattern of matcher.patterns) {
      if (pattern.test(action)) {
        hit = true;
        break;
      }
    }
  }
  return matcher.negated ? !hit : hit;
}

export function splitResource(resource: string): string[] | null {
  const parts = resource.split(':');
  if (parts.length < 6) return null;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** true / false, or null when a policy variable could not be resolved. */
export function patternMatches(pattern: ResourcePattern, prepared: PreparedRequest): boolean | null {
  if (pattern.all) return true;
  const parts = prepared.resourceParts;
  if (parts === null) return false;
  for (let index = 0; index < 6; index += 1) {
    const result = pattern.segments[index]!.test(parts[index]!, prepared.context);
    if (result !== true) return result;
  }
  return true;
}

export function resourceMatches(matcher: ResourceMatcher | null, prepared: PreparedRequest): boolean {
  // A statement without Resource (a trust policy) applies to the resource it is attached to.
  if (matcher === null) return true;
  let hit = false;
  for (const pattern of matcher.patterns) {
    const result = patternMatches(pattern, prepared);
    // An unresolvable variable matches nothing, for Resource and NotResource alike.
    if (result === null && matcher.negated) return false;
    if (result === true) {
      hit = true;
      break;
    }
  }
  return matcher.negated ? !hit : hit;
}

export function sessionRoleOf(principal: RequestPrincipal): { account: string; name: string } | null {
  if (principal.kind !== 'assumed-role') return null;
  const parts = splitResource(principal.arn);
  if (parts === null) return null;
  const resource = parts[5]!;
  const slash = resource.indexOf('/');
  const second = resource.indexOf('/', slash + 1);
  if (slash === -1 || second === -1) return null;
  return { account: parts[4]!, name: resource.slice(slash + 1, second).toLowerCase() };
}

export function principalLevel(matcher: PrincipalMatcher, principal: RequestPrincipal): PrincipalLevel {
  let level: PrincipalLevel = NO_MATCH;
  if (matcher.wildcard) level = DIRECT;
  else if (principal.kind === 'anonymous') level = NO_MATCH;
  else if (principal.kind === 'service') {
    if (principal.service !== undefined && matcher.services.includes(principal.service)) level = DIRECT;
  } else if (principal.kind === 'federated') {
    if (
      principal.federatedProvider !== undefined &&
      matcher.federated.includes(principal.federatedProvider)
    ) {
      level = DIRECT;
    }
  } else {
    if (principal.canonicalUser !== undefined && matcher.canonicalUsers.includes(principal.canonicalUser)) {
      level = DIRECT;
    } else if (matcher.arns.includes(principal.arn)) level = DIRECT;
    else {
      const session = sessionRoleOf(principal);
      if (
        session &&
        matcher.roles.some((role) => role.account === session.account && role.name === session.name)
      ) {
        level = SESSION_ROLE;
      } else if (principal.accountId !== '' && matcher.accounts.includes(principal.accountId))
        level = ACCOUNT;
    }
  }
  if (!matcher.negated) return level;
  return level === NO_MATCH ? DIRECT : NO_MATCH;
}

export function conditionsHold(conditions: readonly CompiledCondition[], prepared: PreparedRequest): boolean {
  let holds = true;
  for (const condition of conditions) {
    if (!condition.isNull && !prepared.context.has(condition.key)) {
      (prepared.missing ??= new Set()).add(condition.key);
    }
    // Keep going after a failure to collect every missing key, as the simulator reports them.
    if (holds && !condition.evaluate(prepared.context)) holds = false;
  }
  return holds;
}
