/**
 * IAM policy evaluation: compile policy documents once, then decide requests against them.
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

import { fail, ok, type Result } from '@/lib/result';
import { compileCondition, type CompiledCondition } from './evaluate-conditions';
import { compileStringMatcher, type NormalizedContext, type StringMatcher } from './evaluate-variables';

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

/** A compiled policy document. Compile once with {@link compilePolicy}, reuse across requests. */
export interface ParsedPolicy {
  readonly version: string | undefined;
  readonly statements: readonly CompiledStatement[];
  /** Statements whose Action names a single service, by lower-cased service prefix. */
  readonly byService: ReadonlyMap<string, readonly CompiledStatement[]>;
  /** Statements that may match any service (`*`, wildcard service, NotAction). */
  readonly anyService: readonly CompiledStatement[];
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

export type PolicyKind = 'identity' | 'boundary' | 'session' | 'resource';

/** A statement whose Action, Resource, Principal and Condition all matched the request. */
export interface MatchedStatement {
  policy: PolicyKind;
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

type PrincipalLevel = 0 | 1 | 2 | 3;
/** How a resource-policy statement's principal matched the caller. */
const NO_MATCH = 0;
/** Through the caller's account only (delegation to the account's identity policies). */
const ACCOUNT = 1;
/** Through the role's ARN, for a session of that role. */
const SESSION_ROLE = 2;
/** Directly: the caller's own ARN, `*`, its service or federated provider. */
const DIRECT = 3;

interface PrincipalMatcher {
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

interface ActionMatcher {
  negated: boolean;
  /** Lower-cased patterns; exact ones tested with a Set. */
  exact: ReadonlySet<string>;
  patterns: readonly RegExp[];
  all: boolean;
}

interface ResourcePattern {
  all: boolean;
  /** partition, service, region, account (case-insensitive), then the resource part. */
  segments: readonly StringMatcher[];
}

interface ResourceMatcher {
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

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? (value as unknown[]) : [value];
}

function asStrings(value: unknown, what: string): string[] {
  const list = asList(value);
  for (const item of list) {
    if (typeof item !== 'string') throw new TypeError(`${what} must be a string or a list of strings`);
  }
  return list as string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ACCOUNT_ID = /^\d{12}$/;
const ROOT_ARN = /^arn:[^:]+:iam::(\d{12}):root$/;
const ROLE_ARN = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

function compilePrincipal(raw: unknown, negated: boolean): PrincipalMatcher {
  const matcher = {
    negated,
    wildcard: false,
    accounts: [] as string[],
    arns: [] as string[],
    roles: [] as { account: string; name: string }[],
    services: [] as string[],
    federated: [] as string[],
    canonicalUsers: [] as string[],
  };
  if (raw === '*') {
    matcher.wildcard = true;
    return matcher;
  }
  if (!isRecord(raw)) throw new TypeError('Principal must be "*" or an object');
  for (const [type, values] of Object.entries(raw)) {
    const list = asStrings(values, `Principal.${type}`);
    switch (type) {
      case 'AWS':
        for (const value of list) {
          const root = ROOT_ARN.exec(value);
          const role = ROLE_ARN.exec(value);
          if (value === '*') matcher.wildcard = true;
          else if (ACCOUNT_ID.test(value)) matcher.accounts.push(value);
          else if (root) matcher.accounts.push(root[1]!);
          else {
            matcher.arns.push(value);
            if (role) matcher.roles.push({ account: role[1]!, name: role[2]!.toLowerCase() });
          }
        }
        break;
      case 'Service':
        matcher.services.push(...list);
        break;
      case 'Federated':
        matcher.federated.push(...list);
        break;
      case 'CanonicalUser':
        matcher.canonicalUsers.push(...list);
        break;
      default:
        throw new TypeError(`Unknown principal type ${type}`);
    }
  }
  return matcher;
}

const ACTION_SPECIAL = /[.+^${}()|[\]\\]/g;

function compileAction(raw: unknown, negated: boolean, what: string): ActionMatcher {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  let all = false;
  for (const value of asStrings(raw, what)) {
    const lower = value.toLowerCase();
    if (lower === '*') all = true;
    else if (lower.includes('*') || lower.includes('?')) {
      const source = lower.replace(ACTION_SPECIAL, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
      patterns.push(new RegExp(`^${source}$`, 's'));
    } else exact.add(lower);
  }
  return { negated, exact, patterns, all };
}

function compileResourcePattern(value: string, variables: boolean): ResourcePattern {
  if (value === '*') return { all: true, segments: [] };
  const parts = value.split(':');
  // A short ARN (fewer than six parts) is padded with `*` parts, as IAM reads e.g. `arn:aws:s3`.
  while (parts.length < 6) parts.push('*');
  const head = parts.slice(0, 5);
  const tail = parts.slice(5).join(':');
  const segments = [
    ...head.map((part) => compileStringMatcher(part, { wildcards: true, variables, ignoreCase: true })),
    compileStringMatcher(tail, { wildcards: true, variables, ignoreCase: false }),
  ];
  return { all: false, segments };
}

function compileResource(raw: unknown, negated: boolean, variables: boolean, what: string): ResourceMatcher {
  return { negated, patterns: asStrings(raw, what).map((value) => compileResourcePattern(value, variables)) };
}

function compileStatement(raw: unknown, index: number, variables: boolean): CompiledStatement {
  if (!isRecord(raw)) throw new TypeError(`Statement ${index} must be an object`);
  const effect = raw.Effect;
  if (effect !== 'Allow' && effect !== 'Deny')
    throw new TypeError(`Statement ${index}: Effect must be Allow or Deny`);
  if (raw.Action !== undefined && raw.NotAction !== undefined) {
    throw new TypeError(`Statement ${index} has both Action and NotAction`);
  }
  if (raw.Resource !== undefined && raw.NotResource !== undefined) {
    throw new TypeError(`Statement ${index} has both Resource and NotResource`);
  }
  if (raw.Principal !== undefined && raw.NotPrincipal !== undefined) {
    throw new TypeError(`Statement ${index} has both Principal and NotPrincipal`);
  }
  const principal =
    raw.Principal !== undefined
      ? compilePrincipal(raw.Principal, false)
      : raw.NotPrincipal !== undefined
        ? compilePrincipal(raw.NotPrincipal, true)
        : null;
  const action =
    raw.Action !== undefined
      ? compileAction(raw.Action, false, 'Action')
      : raw.NotAction !== undefined
        ? compileAction(raw.NotAction, true, 'NotAction')
        : null;
  const resource =
    raw.Resource !== undefined
      ? compileResource(raw.Resource, false, variables, 'Resource')
      : raw.NotResource !== undefined
        ? compileResource(raw.NotResource, true, variables, 'NotResource')
        : null;
  const conditions: CompiledCondition[] = [];
  if (raw.Condition !== undefined) {
    if (!isRecord(raw.Condition)) throw new TypeError(`Statement ${index}: Condition must be an object`);
    for (const [operator, entries] of Object.entries(raw.Condition)) {
      if (!isRecord(entries))
        throw new TypeError(`Statement ${index}: Condition ${operator} must be an object`);
      for (const [key, values] of Object.entries(entries)) {
        conditions.push(compileCondition(operator, key, values, variables));
      }
    }
  }
  const sid = typeof raw.Sid === 'string' ? raw.Sid : undefined;
  return { index, sid, effect, principal, action, resource, conditions };
}

/** The service prefixes a statement can match, or null when it may match any service. */
function servicesOf(statement: CompiledStatement): string[] | null {
  const action = statement.action;
  if (action === null || action.negated || action.all) return null;
  const services = new Set<string>();
  for (const value of action.exact) {
    const colon = value.indexOf(':');
    if (colon === -1) return null;
    services.add(value.slice(0, colon));
  }
  for (const pattern of action.patterns) {
    const source = pattern.source.slice(1);
    const colon = source.indexOf(':');
    const service = colon === -1 ? '' : source.slice(0, colon);
    if (service === '' || /[.*\\]/.test(service)) return null;
    services.add(service);
  }
  return [...services];
}

/**
 * Compiles a policy document (JSON text or an already parsed object) for evaluation.
 * Returns `invalid_input` when the text is not JSON or the document's shape cannot be evaluated
 * (no Statement, a statement without a valid Effect, both Action and NotAction, …). It does not
 * enforce IAM's authoring rules (sizes, required Version, …): the validator does.
 */
export function compilePolicy(document: unknown): Result<ParsedPolicy> {
  let parsed: unknown = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch (error) {
      return fail('invalid_input', `Policy document is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!isRecord(parsed)) return fail('invalid_input', 'Policy document must be a JSON object');
  const version = typeof parsed.Version === 'string' ? parsed.Version : undefined;
  // Policy variables exist only in Version 2012-10-17 (reference_policies_elements_version).
  const variables = version === '2012-10-17';
  const rawStatements = asList(parsed.Statement);
  if (rawStatements.length === 0) return fail('invalid_input', 'Policy document must have a Statement');
  try {
    const statements = rawStatements.map((raw, index) => compileStatement(raw, index, variables));
    const byService = new Map<string, CompiledStatement[]>();
    const anyService: CompiledStatement[] = [];
    for (const statement of statements) {
      const services = servicesOf(statement);
      if (services === null) anyService.push(statement);
      else
        for (const service of services) {
          const list = byService.get(service);
          if (list) list.push(statement);
          else byService.set(service, [statement]);
        }
    }
    return ok({ version, statements, byService, anyService });
  } catch (error) {
    if (error instanceof TypeError) return fail('invalid_input', error.message);
    throw error;
  }
}

/** Like {@link compilePolicy}, but throws for an invalid document (for trusted, stored documents). */
export function compilePolicyOrThrow(document: unknown): ParsedPolicy {
  const result = compilePolicy(document);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

const compiledCache = new Map<string, Result<ParsedPolicy>>();
const COMPILED_CACHE_LIMIT = 4096;

/**
 * {@link compilePolicy} for stored document text, memoised by the text (at most 4,096 documents,
 * oldest dropped first), so that callers holding documents as strings compile each one once.
 * The returned policy is shared: treat it as read-only.
 */
export function compilePolicyCached(text: string): Result<ParsedPolicy> {
  const cached = compiledCache.get(text);
  if (cached !== undefined) return cached;
  const result = compilePolicy(text);
  if (compiledCache.size >= COMPILED_CACHE_LIMIT) {
    const oldest = compiledCache.keys().next();
    if (!oldest.done) compiledCache.delete(oldest.value);
  }
  compiledCache.set(text, result);
  return result;
}

interface PreparedRequest {
  request: EvaluationRequest;
  /** The lower-cased action and its service prefix. */
  action: string;
  service: string;
  resourceParts: string[] | null;
  context: NormalizedContext;
  missing: Set<string> | null;
  matched: MatchedStatement[];
}

function actionMatches(matcher: ActionMatcher | null, action: string): boolean {
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

function splitResource(resource: string): string[] | null {
  const parts = resource.split(':');
  if (parts.length < 6) return null;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** true / false, or null when a policy variable could not be resolved. */
function patternMatches(pattern: ResourcePattern, prepared: PreparedRequest): boolean | null {
  if (pattern.all) return true;
  const parts = prepared.resourceParts;
  if (parts === null) return false;
  for (let index = 0; index < 6; index += 1) {
    const result = pattern.segments[index]!.test(parts[index]!, prepared.context);
    if (result !== true) return result;
  }
  return true;
}

function resourceMatches(matcher: ResourceMatcher | null, prepared: PreparedRequest): boolean {
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

function sessionRoleOf(principal: RequestPrincipal): { account: string; name: string } | null {
  if (principal.kind !== 'assumed-role') return null;
  const parts = splitResource(principal.arn);
  if (parts === null) return null;
  const resource = parts[5]!;
  const slash = resource.indexOf('/');
  const second = resource.indexOf('/', slash + 1);
  if (slash === -1 || second === -1) return null;
  return { account: parts[4]!, name: resource.slice(slash + 1, second).toLowerCase() };
}

function principalLevel(matcher: PrincipalMatcher, principal: RequestPrincipal): PrincipalLevel {
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

function conditionsHold(conditions: readonly CompiledCondition[], prepared: PreparedRequest): boolean {
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
  kind: PolicyKind,
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
  kind: PolicyKind,
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
