/**
 * Compiling policy documents for evaluation: each statement's Principal, Action, Resource and
 * Condition become matchers once, and statements are indexed by the service their actions name.
 */
import { compileCondition, type CompiledCondition } from '@/lib/iam/evaluate-conditions';
import type {
  ActionMatcher,
  CompiledStatement,
  ParsedPolicy,
  PrincipalMatcher,
  ResourceMatcher,
  ResourcePattern,
} from '@/lib/iam/evaluate-types';
import { compileStringMatcher } from '@/lib/iam/evaluate-variables';
import { globToRegExp, hasWildcard } from '@/lib/iam/policy-glob';
import { fail, ok, type Result } from '@/lib/result';

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

function compileAction(raw: unknown, negated: boolean, what: string): ActionMatcher {
  const exact = new Set<string>();
  const wildcards: string[] = [];
  let all = false;
  for (const value of asStrings(raw, what)) {
    const lower = value.toLowerCase();
    if (lower === '*') all = true;
    else if (hasWildcard(lower)) wildcards.push(lower);
    else exact.add(lower);
  }
  return { negated, exact, wildcards, patterns: wildcards.map((text) => globToRegExp(text, 's')), all };
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
  for (const pattern of action.wildcards) {
    const colon = pattern.indexOf(':');
    const service = colon === -1 ? '' : pattern.slice(0, colon);
    if (service === '' || /[.*?]/.test(service)) return null;
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
