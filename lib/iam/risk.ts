import {
  normalizePolicy,
  parsePolicyDocument,
  type NormalizedPolicy,
  type NormalizedStatement,
} from '@/lib/iam/policy';
import { globCovers, globsIntersect, globToRegExp, hasWildcard } from '@/lib/iam/policy-glob';
import type { RoleSpec } from '@/lib/iam/role-spec';
import { accountOfPrincipal } from '@/lib/iam/trust-analysis';
import {
  ACTION_RISK_RULES,
  PASSROLE_COMPUTE_ACTIONS,
  SENSITIVE_SERVICES,
  type RiskCode,
  type RiskSeverity,
} from '@/lib/iam/risk-rules';
import { trustPolicyText } from '@/lib/iam/trust-builder';

export { PASSROLE_COMPUTE_ACTIONS, type RiskCode, type RiskSeverity } from '@/lib/iam/risk-rules';

/**
 * Risk flags for the approver: what a role's permissions and trust make possible, with the
 * statements responsible. This module applies the rules; the rule table on granted actions is
 * data in risk-rules.ts. An action counts as granted when an Allow statement's
 * `Action` pattern can match it (or its `NotAction` does not cover it) and no unconditional Deny
 * on all resources covers it. Conditions do not remove a flag: the approver should read them.
 */

export interface RiskFlag {
  code: RiskCode;
  severity: RiskSeverity;
  title: string;
  explanation: string;
  /** Indexes of the statements responsible, in the policy's `Statement` list. */
  statements: number[];
  /** The same statements as JSON pointers (`/Statement/2`). */
  pointers: string[];
}

/** Which of the role's policies a flag comes from. */
export interface PolicyRef {
  kind: 'trust' | 'inline' | 'managed' | 'new_managed' | 'boundary';
  /** Inline or new policy name, or managed policy ARN; empty for the trust policy. */
  name: string;
}

export type RoleRiskFlag = RiskFlag & { policy: PolicyRef };

const severityRank: Record<RiskSeverity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

function splitAction(action: string): [string, string] {
  const colon = action.indexOf(':');
  return colon < 0 ? [action, ''] : [action.slice(0, colon), action.slice(colon + 1)];
}

/** True when `pattern` matches every action `action` stands for. */
function patternCovers(pattern: string, action: string): boolean {
  return hasWildcard(action) ? globCovers(pattern, action, true) : globToRegExp(pattern, 'i').test(action);
}

/** True for `*`, `arn:aws:s3:::*`, `arn:aws:iam::*:role/*` and other patterns covering every resource of a type. */
function isBroadResource(resource: string): boolean {
  return (
    resource === '*' ||
    /^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$/.test(resource) ||
    /^arn:[^:]*:[^:]*:[^:]*:(\*|\d{12}):[\w-]+\/\*$/.test(resource)
  );
}

function onBroadResources(statement: NormalizedStatement): boolean {
  return statement.notResource !== undefined || (statement.resource ?? []).some(isBroadResource);
}

function isUnconditionalDenyEverywhere(statement: NormalizedStatement): boolean {
  return (
    statement.effect === 'Deny' &&
    statement.conditions.length === 0 &&
    (statement.resource ?? []).includes('*')
  );
}

/** True when an unconditional Deny on all resources covers the action everywhere. */
function deniedEverywhere(statements: readonly NormalizedStatement[], action: string): boolean {
  return statements.some(
    (s) =>
      isUnconditionalDenyEverywhere(s) && (s.action ?? []).some((pattern) => patternCovers(pattern, action)),
  );
}

/** An action the rules look for; `*:PutResourcePolicy` stands for that action in every service. */
interface Candidate {
  action: string;
  service: string;
  name: string;
  isPattern: boolean;
}

interface CandidateUniverse {
  all: Candidate[];
  byService: Map<string, Candidate[]>;
  anyService: Candidate[];
}

let universe: CandidateUniverse | undefined;
// Candidates each action pattern may match, shared across calls; emptied when large.
const matchCache = new Map<string, Candidate[]>();

function candidateUniverse(): CandidateUniverse {
  if (universe) return universe;
  const names = new Set([
    'iam:PassRole',
    ...PASSROLE_COMPUTE_ACTIONS,
    ...ACTION_RISK_RULES.flatMap((rule) => rule.actions),
  ]);
  const all = [...names].map((action): Candidate => {
    const [service, name] = splitAction(action.toLowerCase());
    return { action, service, name, isPattern: hasWildcard(action) };
  });
  const byService = new Map<string, Candidate[]>();
  for (const candidate of all)
    byService.set(candidate.service, [...(byService.get(candidate.service) ?? []), candidate]);
  universe = { all, byService, anyService: all.filter((c) => hasWildcard(c.service)) };
  return universe;
}

/** The candidates an action pattern may match. Service and name are compared apart, so `s3:Get*` never meets `*:PutResourcePolicy` through a colon. */
function candidatesMatching(pattern: string): Candidate[] {
  const cached = matchCache.get(pattern);
  if (cached) return cached;
  const { all, byService, anyService } = candidateUniverse();
  const [service, name] = splitAction(pattern.toLowerCase());
  let result: Candidate[];
  if (pattern === '*') result = all;
  else if (!pattern.includes(':')) result = [];
  else {
    const pool = hasWildcard(service)
      ? all.filter((c) => globsIntersect(service, c.service))
      : [...(byService.get(service) ?? []), ...anyService];
    const nameMatches = hasWildcard(name)
      ? (candidate: string) => globToRegExp(name, 'i').test(candidate)
      : (candidate: string) => candidate === name;
    result = pool.filter((c) => (hasWildcard(c.name) ? globsIntersect(name, c.name) : nameMatches(c.name)));
  }
  if (matchCache.size >= 10_000) matchCache.clear();
  matchCache.set(pattern, result);
  return result;
}

/** The candidates an action pattern matches entirely (for NotAction and Deny). */
function candidatesCovered(pattern: string): Candidate[] {
  return candidatesMatching(pattern).filter((c) => !c.isPattern || globCovers(pattern, c.action, true));
}

/** Which statements grant each candidate action, on any or on all resources, after unconditional denies. */
class GrantIndex {
  private readonly granted = new Map<string, Set<number>>();
  private readonly grantedBroadly = new Map<string, Set<number>>();

  constructor(policy: NormalizedPolicy) {
    const denied = new Set<string>();
    for (const statement of policy.statements) {
      if (!isUnconditionalDenyEverywhere(statement)) continue;
      for (const pattern of statement.action ?? [])
        for (const c of candidatesCovered(pattern)) denied.add(c.action);
    }
    for (const statement of policy.statements) {
      if (statement.effect !== 'Allow') continue;
      const broad = onBroadResources(statement);
      const grant = (candidate: Candidate) => {
        if (denied.has(candidate.action)) return;
        GrantIndex.add(this.granted, candidate.action, statement.index);
        if (broad) GrantIndex.add(this.grantedBroadly, candidate.action, statement.index);
      };
      if (statement.action) {
        for (const pattern of statement.action) candidatesMatching(pattern).forEach(grant);
      } else if (statement.notAction) {
        const excluded = new Set(statement.notAction.flatMap((pattern) => candidatesCovered(pattern)));
        candidateUniverse()
          .all.filter((c) => !excluded.has(c))
          .forEach(grant);
      }
    }
  }

  private static add(map: Map<string, Set<number>>, action: string, index: number): void {
    map.set(action, (map.get(action) ?? new Set<number>()).add(index));
  }

  /** The granted ones among `actions`, and the statements granting them. */
  find(actions: readonly string[], broadOnly: boolean): Grant {
    const map = broadOnly ? this.grantedBroadly : this.granted;
    const found = actions.filter((action) => map.has(action));
    const statements = new Set(found.flatMap((action) => [...map.get(action)!]));
    return { actions: found, statements: [...statements].sort((a, b) => a - b) };
  }
}

interface Grant {
  actions: string[];
  statements: number[];
}

function flag(
  code: RiskCode,
  severity: RiskSeverity,
  title: string,
  explanation: string,
  statements: number[],
): RiskFlag {
  return {
    code,
    severity,
    title,
    explanation,
    statements,
    pointers: statements.map((index) => `/Statement/${index}`),
  };
}

const list = (actions: readonly string[]) =>
  actions.slice(0, 6).join(', ') + (actions.length > 6 ? ` and ${actions.length - 6} more` : '');

/**
 * Risk flags for an identity policy (inline, managed or boundary), most severe first. Pure and
 * catalogue-free: actions are matched by name and wildcard, so it also works in the browser.
 */
export function assessPermissionsRisk(policy: NormalizedPolicy): RiskFlag[] {
  const flags: RiskFlag[] = [];
  const allows = policy.statements.filter((s) => s.effect === 'Allow');

  const admin = allows.filter(
    (s) => (s.action ?? []).includes('*') && onBroadResources(s) && !deniedEverywhere(policy.statements, '*'),
  );
  if (admin.length > 0) {
    flags.push(
      flag(
        'full_admin',
        'critical',
        'Full administrator access',
        'Allows every action on every resource ("Action": "*", "Resource": "*"): the role can do anything in the account, including granting itself more.',
        admin.map((s) => s.index),
      ),
    );
  }
  const notAction = deniedEverywhere(policy.statements, '*')
    ? []
    : allows.filter((s) => s.notAction !== undefined);
  if (notAction.length > 0) {
    flags.push(
      flag(
        'allow_not_action',
        'high',
        'Allows everything except a list',
        `"Allow" with "NotAction" grants every action not listed (${list(notAction.flatMap((s) => s.notAction ?? []))}), including actions AWS adds later.`,
        notAction.map((s) => s.index),
      ),
    );
  }
  const byService = new Map<string, Set<number>>();
  for (const statement of allows) {
    for (const action of statement.action ?? []) {
      const match = /^([a-z0-9-]+):\*$/i.exec(action);
      if (match) {
        const service = match[1]!.toLowerCase();
        byService.set(service, (byService.get(service) ?? new Set<number>()).add(statement.index));
      }
    }
  }
  for (const [service, indexes] of byService) {
    if (deniedEverywhere(policy.statements, `${service}:*`)) continue;
    flags.push(
      flag(
        'service_wildcard',
        SENSITIVE_SERVICES.has(service) ? 'high' : 'medium',
        `All actions of ${service}`,
        `"${service}:*" grants every ${service} action, present and future, including its permissions-management and delete actions; list the actions needed instead.`,
        [...indexes].sort((a, b) => a - b),
      ),
    );
  }

  const grants = new GrantIndex(policy);
  const passRole = grants.find(['iam:PassRole'], false);
  if (passRole.actions.length > 0) {
    const compute = grants.find(PASSROLE_COMPUTE_ACTIONS, false);
    const broadPassRole = grants.find(['iam:PassRole'], true);
    if (compute.actions.length > 0) {
      const statements = [...new Set([...passRole.statements, ...compute.statements])].sort((a, b) => a - b);
      flags.push(
        flag(
          'privesc_passrole_compute',
          broadPassRole.actions.length > 0 ? 'critical' : 'high',
          'Can pass roles to services that run code',
          `iam:PassRole together with ${list(compute.actions)} lets the role start code that runs with another role's permissions${broadPassRole.actions.length > 0 ? ' — any role, since PassRole is granted on all roles' : ''}.`,
          statements,
        ),
      );
    } else if (broadPassRole.actions.length > 0) {
      flags.push(
        flag(
          'privesc_passrole_any_role',
          'medium',
          'Can pass any role',
          'iam:PassRole on all roles lets the role hand any role to a service; restrict it to the roles needed and add an iam:PassedToService condition.',
          broadPassRole.statements,
        ),
      );
    }
  }
  for (const rule of ACTION_RISK_RULES) {
    const grant = grants.find(rule.actions, rule.broadOnly);
    if (grant.actions.length > 0)
      flags.push(
        flag(rule.code, rule.severity, rule.title, rule.explain(list(grant.actions)), grant.statements),
      );
  }
  // Full admin already says everything the specific flags would; keep only it and the wildcard flags' context.
  const result =
    admin.length > 0
      ? flags.filter(
          (f) => f.code === 'full_admin' || !f.statements.every((i) => admin.some((s) => s.index === i)),
        )
      : flags;
  return result.sort((a, b) => severityRank[a.severity] - severityRank[b.severity]);
}

export interface TrustRiskOptions {
  /** The role's own account. */
  ownAccountId?: string;
  /** Accounts of the same organisation; AWS principals from any other account count as third parties. */
  organizationAccountIds?: readonly string[];
}

const hasConditionKey = (statement: NormalizedStatement, test: (key: string) => boolean) =>
  statement.conditions.some((c) => test(c.key.toLowerCase()));

/** Risk flags for a trust policy: who may assume the role too broadly. Most severe first. */
export function assessTrustRisk(trust: NormalizedPolicy, options: TrustRiskOptions = {}): RiskFlag[] {
  const flags: RiskFlag[] = [];
  const ours = new Set([
    ...(options.organizationAccountIds ?? []),
    ...(options.ownAccountId ? [options.ownAccountId] : []),
  ]);
  const allows = trust.statements.filter((s) => s.effect === 'Allow' && s.principal !== undefined);

  const anyone = allows.filter((s) => s.principal === '*' || s.principal?.AWS.includes('*') === true);
  for (const statement of anyone) {
    const conditional = statement.conditions.length > 0;
    flags.push(
      flag(
        'trust_any_principal',
        conditional ? 'high' : 'critical',
        'Anyone can assume this role',
        conditional
          ? 'The trust names every AWS principal ("*"); only its conditions keep outsiders out. Name the accounts or roles instead.'
          : 'The trust names every AWS principal ("*") with no condition: anyone with an AWS account can assume the role.',
        [statement.index],
      ),
    );
  }
  const thirdParty = new Map<number, Set<string>>();
  for (const statement of allows) {
    if (statement.principal === '*' || statement.principal === undefined) continue;
    if (hasConditionKey(statement, (key) => key === 'sts:externalid')) continue;
    for (const principal of statement.principal.AWS) {
      const account = accountOfPrincipal(principal);
      if (account !== undefined && !ours.has(account))
        thirdParty.set(statement.index, (thirdParty.get(statement.index) ?? new Set()).add(account));
    }
  }
  if (thirdParty.size > 0) {
    const accounts = [...new Set([...thirdParty.values()].flatMap((set) => [...set]))];
    flags.push(
      flag(
        'trust_third_party_without_external_id',
        'high',
        'Another account without an external ID',
        `Account ${list(accounts)} can assume the role without an sts:ExternalId condition. If it is a third party acting for several customers, require an external ID to prevent the confused-deputy problem.`,
        [...thirdParty.keys()],
      ),
    );
  }
  for (const statement of allows) {
    if (statement.principal === '*' || statement.principal === undefined) continue;
    for (const federated of statement.principal.Federated) {
      if (federated.includes(':saml-provider/')) continue;
      const prefix = (
        federated.includes(':oidc-provider/')
          ? federated.slice(federated.indexOf(':oidc-provider/') + 15)
          : federated
      ).toLowerCase();
      const audienceKeys =
        federated === 'www.amazon.com' || federated === 'graph.facebook.com'
          ? [`${prefix}:app_id`]
          : [`${prefix}:aud`, `${prefix}:azp`];
      if (!hasConditionKey(statement, (key) => audienceKeys.includes(key))) {
        flags.push(
          flag(
            'trust_web_identity_without_audience',
            'critical',
            'Any application of the identity provider',
            `No ${audienceKeys[0]} condition: a token that ${federated} issued to any application, someone else's included, can assume the role.`,
            [statement.index],
          ),
        );
      }
      if (federated.includes(':oidc-provider/')) {
        const subjects = statement.conditions.filter((c) => c.key.toLowerCase() === `${prefix}:sub`);
        if (subjects.length === 0) {
          flags.push(
            flag(
              'trust_web_identity_without_sub',
              prefix === 'token.actions.githubusercontent.com' ? 'critical' : 'high',
              'Any identity of the OIDC provider',
              `No ${prefix}:sub condition: every identity the provider issues tokens to (${prefix === 'token.actions.githubusercontent.com' ? 'every GitHub repository in the world' : 'every subject'}) can assume the role.`,
              [statement.index],
            ),
          );
        } else if (
          subjects.some((c) =>
            c.values.some((v) => v === '*' || /^repo:[^/]*\*/.test(v) || /^repo:[^/]+\/\*/.test(v)),
          )
        ) {
          flags.push(
            flag(
              'trust_web_identity_broad_sub',
              'medium',
              'Broad OIDC subject',
              `The ${prefix}:sub condition matches many identities (for GitHub, every repository of an organisation); name the repository and branch or environment.`,
              [statement.index],
            ),
          );
        }
      }
    }
  }
  return flags.sort((a, b) => severityRank[a.severity] - severityRank[b.severity]);
}

export interface RoleRiskOptions extends Omit<TrustRiskOptions, 'ownAccountId'> {
  /** The document of an attached managed policy, when known (e.g. AWS managed policies); `undefined` skips it. */
  resolveManagedPolicy?: (arn: string) => string | undefined;
}

function parsed(text: string): NormalizedPolicy | undefined {
  const result = parsePolicyDocument(text);
  return result.ok ? normalizePolicy(result.value) : undefined;
}

/**
 * Every risk flag of a role specification: trust, inline policies, new and attached managed
 * policies (when `resolveManagedPolicy` knows them). The permissions boundary is not assessed (it
 * only limits). Documents that do not parse are skipped: the validator reports them.
 */
export function assessRoleRisk(spec: RoleSpec, options: RoleRiskOptions = {}): RoleRiskFlag[] {
  const flags: RoleRiskFlag[] = [];
  const add = (policy: PolicyRef, found: RiskFlag[]) => flags.push(...found.map((f) => ({ ...f, policy })));
  const trust = parsed(trustPolicyText(spec.trustedEntity));
  if (trust)
    add({ kind: 'trust', name: '' }, assessTrustRisk(trust, { ...options, ownAccountId: spec.accountId }));
  for (const policy of spec.inlinePolicies) {
    const document = parsed(policy.document);
    if (document) add({ kind: 'inline', name: policy.name }, assessPermissionsRisk(document));
  }
  for (const policy of spec.newManagedPolicies) {
    const document = parsed(policy.document);
    if (document) add({ kind: 'new_managed', name: policy.name }, assessPermissionsRisk(document));
  }
  for (const arn of spec.managedPolicyArns) {
    const text = options.resolveManagedPolicy?.(arn);
    const document = text === undefined ? undefined : parsed(text);
    if (document) add({ kind: 'managed', name: arn }, assessPermissionsRisk(document));
  }
  return flags.sort((a, b) => severityRank[a.severity] - severityRank[b.severity]);
}
