/**
 * Set containment between policy statements, for the "grants no new access" verdict
 * (no-new-access.ts). Every check here is sound but incomplete: `true` means the containment holds
 * for every request the evaluator (evaluate.ts) could decide; `false` means it could not be shown.
 *
 * The matching rules mirrored from the evaluator: actions case-insensitively with `*` and `?`;
 * resources split at the first five colons (short ARNs padded with `*`), the first five parts
 * case-insensitively and the resource part case-sensitively, `*` spanning `/` and `:` there;
 * policy variables (`${aws:username}`) only in documents of Version 2012-10-17, where an
 * unresolvable variable matches nothing. A variable is compared as an opaque token: two patterns
 * holding the same variable resolve it the same way in one request. Conditions: the operator
 * families of evaluate-conditions.ts. Pure, no I/O.
 */
import { parseDate, parseOperator, knownConditionOperators } from '@/lib/iam/evaluate-conditions';
import { parseCidr, type Cidr } from '@/lib/iam/evaluate-ip';
import type { NormalizedCondition, NormalizedPrincipal, NormalizedStatement } from '@/lib/iam/policy';
import { globsIntersect } from '@/lib/iam/policy-glob';

type Token =
  { kind: 'char'; char: string } | { kind: 'star' } | { kind: 'one' } | { kind: 'var'; name: string };

interface PatternOptions {
  wildcards: boolean;
  variables: boolean;
  ignoreCase: boolean;
}

/** A pattern's tokens: characters, `*`, `?` and policy variables (opaque, compared by their text). */
const tokenCache = new Map<string, Token[]>();
const TOKEN_CACHE_LIMIT = 20_000;

/** {@link tokenizeText}, memoised: large managed policies compare the same patterns many times. */
function tokenize(pattern: string, options: PatternOptions): Token[] {
  const key = `${+options.wildcards}${+options.variables}${+options.ignoreCase}${pattern}`;
  let tokens = tokenCache.get(key);
  if (tokens === undefined) {
    if (tokenCache.size >= TOKEN_CACHE_LIMIT) tokenCache.clear();
    tokens = tokenizeText(pattern, options);
    tokenCache.set(key, tokens);
  }
  return tokens;
}

function tokenizeText(pattern: string, options: PatternOptions): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index]!;
    if (options.wildcards && char === '*') tokens.push({ kind: 'star' });
    else if (options.wildcards && char === '?') tokens.push({ kind: 'one' });
    else if (options.variables && char === '$' && pattern[index + 1] === '{') {
      const end = pattern.indexOf('}', index + 2);
      if (end !== -1) {
        const inner = pattern.slice(index + 2, end);
        // `${*}`, `${?}` and `${$}` stand for the literal characters.
        if (inner === '*' || inner === '?' || inner === '$') tokens.push({ kind: 'char', char: inner });
        else tokens.push({ kind: 'var', name: inner.replace(/\s+/g, '').toLowerCase() });
        index = end + 1;
        continue;
      }
      tokens.push({ kind: 'char', char });
    } else tokens.push({ kind: 'char', char: options.ignoreCase ? char.toLowerCase() : char });
    index += 1;
  }
  return tokens;
}

/**
 * True when every string `inner` can match is matched by `outer`: outer's `*` absorbs any run of
 * inner tokens, outer's `?` one character or `?`, a character itself, a variable the same variable.
 */
function tokensCover(outer: readonly Token[], inner: readonly Token[]): boolean {
  const n = outer.length;
  const m = inner.length;
  const memo = new Uint8Array((n + 1) * (m + 1));
  const visit = (i: number, j: number): boolean => {
    const slot = i * (m + 1) + j;
    if (memo[slot] !== 0) return memo[slot] === 1;
    let result: boolean;
    const o = outer[i];
    const x = inner[j];
    if (o === undefined) result = x === undefined;
    else if (o.kind === 'star') result = visit(i + 1, j) || (x !== undefined && visit(i, j + 1));
    else if (x === undefined) result = false;
    else if (o.kind === 'one') result = (x.kind === 'char' || x.kind === 'one') && visit(i + 1, j + 1);
    else if (o.kind === 'char') result = x.kind === 'char' && x.char === o.char && visit(i + 1, j + 1);
    else result = x.kind === 'var' && x.name === o.name && visit(i + 1, j + 1);
    memo[slot] = result ? 1 : 2;
    return result;
  };
  return visit(0, 0);
}

const hasVariable = (tokens: readonly Token[]) => tokens.some((token) => token.kind === 'var');

/** The pattern as text for `globsIntersect` (only without variables). */
function globText(tokens: readonly Token[]): string {
  return tokens
    .map((token) =>
      token.kind === 'star' ? '*' : token.kind === 'one' ? '?' : token.kind === 'char' ? token.char : '',
    )
    .join('');
}

/** True when some string may match both patterns (always true when either holds a variable). */
function tokensMayIntersect(a: readonly Token[], b: readonly Token[]): boolean {
  if (hasVariable(a) || hasVariable(b)) return true;
  return globsIntersect(globText(a), globText(b));
}

// ---------------------------------------------------------------------------------------------
// Actions and resources

const ACTION: PatternOptions = { wildcards: true, variables: false, ignoreCase: true };

/** One Action / NotAction / Resource / NotResource element, as a set of patterns. */
export interface PatternSet {
  negated: boolean;
  patterns: readonly string[];
}

/** True when every action `inner` matches is matched by `outer` (both patterns). */
export function actionCovers(outer: string, inner: string): boolean {
  if (outer === '*' || outer.toLowerCase() === inner.toLowerCase()) return true;
  return tokensCover(tokenize(outer, ACTION), tokenize(inner, ACTION));
}

export function actionsMayIntersect(a: string, b: string): boolean {
  return tokensMayIntersect(tokenize(a, ACTION), tokenize(b, ACTION));
}

/** A resource pattern split as the evaluator splits it: five parts and the rest, padded with `*`. */
function resourceParts(pattern: string, variables: boolean): Token[][] | 'all' {
  if (pattern === '*') return 'all';
  const parts = pattern.split(':');
  while (parts.length < 6) parts.push('*');
  const head = parts.slice(0, 5);
  const tail = parts.slice(5).join(':');
  return [
    ...head.map((part) => tokenize(part, { wildcards: true, variables, ignoreCase: true })),
    tokenize(tail, { wildcards: true, variables, ignoreCase: false }),
  ];
}

/** True when every resource `inner` matches is matched by `outer`. */
export function resourceCovers(
  outer: string,
  inner: string,
  variables: { outer: boolean; inner: boolean } = { outer: true, inner: true },
): boolean {
  const o = resourceParts(outer, variables.outer);
  if (o === 'all') return true;
  const i = resourceParts(inner, variables.inner);
  if (i === 'all') return false;
  return o.every((part, index) => tokensCover(part, i[index]!));
}

export function resourcesMayIntersect(a: string, b: string, variables = { a: true, b: true }): boolean {
  const x = resourceParts(a, variables.a);
  const y = resourceParts(b, variables.b);
  if (x === 'all' || y === 'all') return true;
  return x.every((part, index) => tokensMayIntersect(part, y[index]!));
}

function resourceHasVariable(pattern: string, variables: boolean): boolean {
  const parts = resourceParts(pattern, variables);
  return parts !== 'all' && parts.some(hasVariable);
}

type Cover = (outer: string, inner: string) => boolean;
type Meet = (a: string, b: string) => boolean;

/**
 * True when the set `inner` describes is within the set `outer` describes. A NotAction /
 * NotResource inner is bounded only by an outer `*` or an outer negation excluding less.
 */
function setCovers(outer: PatternSet, inner: PatternSet, cover: Cover, meet: Meet): boolean {
  if (!inner.negated) {
    if (!outer.negated) return inner.patterns.every((p) => outer.patterns.some((q) => cover(q, p)));
    return inner.patterns.every((p) => outer.patterns.every((q) => !meet(p, q)));
  }
  if (!outer.negated) return outer.patterns.includes('*');
  return outer.patterns.every((q) => inner.patterns.some((p) => cover(p, q)));
}

/** True when no value can be in both sets. */
function setsDisjoint(a: PatternSet, b: PatternSet, cover: Cover, meet: Meet): boolean {
  if (!a.negated && !b.negated) return a.patterns.every((p) => b.patterns.every((q) => !meet(p, q)));
  if (a.negated && b.negated) return false;
  const [positive, negative] = a.negated ? [b, a] : [a, b];
  return positive.patterns.every((p) => negative.patterns.some((q) => cover(q, p)));
}

// ---------------------------------------------------------------------------------------------
// Principals (trust policies)

/** One principal a trust statement names: `*`, or a type and a value (an account as its id). */
export interface PrincipalValue {
  type: 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' | '*';
  value: string;
}

const ACCOUNT_ID = /^\d{12}$/;
const ROOT_ARN = /^arn:[^:]+:iam::(\d{12}):root$/;

/** The account of an AWS principal value (id or root ARN gives the id), or null for other ARNs. */
function accountOf(value: string): string | null {
  if (ACCOUNT_ID.test(value)) return value;
  return ROOT_ARN.exec(value)?.[1] ?? null;
}

function arnAccount(value: string): string | undefined {
  return value.split(':')[4];
}

/** The principals of a `Principal` element, accounts as ids; `*` (also `"AWS": "*"`) as one `*`. */
export function principalValues(principal: NormalizedPrincipal): PrincipalValue[] {
  if (principal === '*' || principal.AWS.includes('*')) return [{ type: '*', value: '*' }];
  return [
    ...principal.AWS.map((value): PrincipalValue => ({ type: 'AWS', value: accountOf(value) ?? value })),
    ...principal.Service.map((value): PrincipalValue => ({ type: 'Service', value })),
    ...principal.Federated.map((value): PrincipalValue => ({ type: 'Federated', value })),
    ...principal.CanonicalUser.map((value): PrincipalValue => ({ type: 'CanonicalUser', value })),
  ];
}

/**
 * True when whoever `inner` names is named by `outer`. An account covers an ARN of that account,
 * except the role's own account (`ownAccountId`, for an Allow of a trust policy): naming a principal
 * of the same account directly lets it assume without an identity policy, naming the account does not.
 */
function principalCovers(outer: PrincipalValue, inner: PrincipalValue, ownAccountId: string | null): boolean {
  if (outer.type === '*') return true;
  if (inner.type === '*' || outer.type !== inner.type) return false;
  if (outer.value === inner.value) return true;
  return (
    outer.value !== ownAccountId &&
    outer.type === 'AWS' &&
    ACCOUNT_ID.test(outer.value) &&
    !ACCOUNT_ID.test(inner.value) &&
    arnAccount(inner.value) === outer.value
  );
}

function principalsMayMeet(a: PrincipalValue, b: PrincipalValue): boolean {
  if (a.type === '*' || b.type === '*') return true;
  if (a.type !== b.type) return false;
  if (a.value === b.value) return true;
  if (a.type !== 'AWS') return false;
  const accountA = ACCOUNT_ID.test(a.value) ? a.value : arnAccount(a.value);
  const accountB = ACCOUNT_ID.test(b.value) ? b.value : arnAccount(b.value);
  // An account meets every principal of that account; two different ARNs never meet.
  return accountA === accountB && (ACCOUNT_ID.test(a.value) || ACCOUNT_ID.test(b.value));
}

// ---------------------------------------------------------------------------------------------
// Conditions

interface ParsedCondition {
  set: 'none' | 'any' | 'all';
  base: string;
  ifExists: boolean;
  key: string;
  values: string[];
  variables: boolean;
}

const NEGATED = new Set([
  'stringnotequals',
  'stringnotequalsignorecase',
  'stringnotlike',
  'numericnotequals',
  'datenotequals',
  'notipaddress',
  'arnnotequals',
  'arnnotlike',
]);

const FAMILY: Record<string, 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn'> = {};
for (const name of knownConditionOperators) {
  FAMILY[name] = name.startsWith('string')
    ? 'string'
    : name.startsWith('numeric')
      ? 'numeric'
      : name.startsWith('date')
        ? 'date'
        : name === 'bool'
          ? 'bool'
          : name === 'binaryequals'
            ? 'binary'
            : name.endsWith('ipaddress')
              ? 'ip'
              : 'arn';
}

function parseCondition(condition: NormalizedCondition, variables: boolean): ParsedCondition {
  const { set, base, ifExists } = parseOperator(condition.operator);
  return { set, base, ifExists, key: condition.key.toLowerCase(), values: condition.values, variables };
}

/** Whether the condition holds when its key is absent from the request (evaluate-conditions.ts). */
function holdsWhenAbsent(condition: ParsedCondition): boolean {
  if (condition.base === 'null') return condition.values.some((value) => value.toLowerCase() === 'true');
  if (condition.ifExists || condition.set === 'all') return true;
  if (condition.set === 'any') return false;
  return NEGATED.has(condition.base);
}

/** For the positive string operators: every request value `a`'s value matches, `b`'s matches. */
function stringValueCovers(b: ParsedCondition, bValue: string, a: ParsedCondition, aValue: string): boolean {
  const bIgnore = b.base.includes('ignorecase');
  const aIgnore = a.base.includes('ignorecase');
  // A case-insensitive test is not within a case-sensitive one.
  if (aIgnore && !bIgnore) return false;
  const outer = tokenize(bValue, {
    wildcards: b.base.endsWith('like'),
    variables: b.variables,
    ignoreCase: bIgnore,
  });
  const inner = tokenize(aValue, {
    wildcards: a.base.endsWith('like'),
    variables: a.variables,
    ignoreCase: bIgnore,
  });
  return tokensCover(outer, inner);
}

type Comparison = 'lt' | 'lte' | 'gt' | 'gte' | 'eq';

function comparisonOf(base: string): Comparison {
  if (base.endsWith('lessthanequals')) return 'lte';
  if (base.endsWith('lessthan')) return 'lt';
  if (base.endsWith('greaterthanequals')) return 'gte';
  if (base.endsWith('greaterthan')) return 'gt';
  return 'eq';
}

/** True when `request OP_a x` implies `request OP_b y` for every request number. */
function comparisonImplies(opA: Comparison, x: number, opB: Comparison, y: number): boolean {
  switch (opB) {
    case 'eq':
      return opA === 'eq' && x === y;
    case 'lt':
      return opA === 'lt' ? x <= y : opA === 'lte' || opA === 'eq' ? x < y : false;
    case 'lte':
      return opA === 'lt' || opA === 'lte' || opA === 'eq' ? x <= y : false;
    case 'gt':
      return opA === 'gt' ? x >= y : opA === 'gte' || opA === 'eq' ? x > y : false;
    case 'gte':
      return opA === 'gt' || opA === 'gte' || opA === 'eq' ? x >= y : false;
  }
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const parseNumber = (text: string) => (NUMBER.test(text) ? Number(text) : null);

function cidrWithin(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  const bits = outer.family === 4 ? 32 : 128;
  const shift = BigInt(bits - outer.prefix);
  return outer.network >> shift === inner.network >> shift;
}

function arnValueCovers(
  outer: string,
  inner: string,
  variables: { outer: boolean; inner: boolean },
): boolean {
  const o = outer.split(':');
  const i = inner.split(':');
  if (o.length < 6 || i.length < 6 || o[0] !== 'arn') return false;
  const split = (parts: string[]) => [...parts.slice(0, 5), parts.slice(5).join(':')];
  const op = split(o);
  const ip = split(i);
  return op.every((part, index) =>
    tokensCover(
      tokenize(part, { wildcards: true, variables: variables.outer, ignoreCase: false }),
      tokenize(ip[index]!, { wildcards: true, variables: variables.inner, ignoreCase: false }),
    ),
  );
}

/**
 * For two operators of one family with the same polarity: every value of `inner` (the implying
 * condition when positive) is within some value of `outer`. For negated operators the roles swap.
 */
function valueCovers(
  family: string,
  outer: ParsedCondition,
  outerValue: string,
  inner: ParsedCondition,
  innerValue: string,
): boolean {
  switch (family) {
    case 'string':
      return stringValueCovers(outer, outerValue, inner, innerValue);
    case 'numeric':
    case 'date': {
      const parse = family === 'numeric' ? parseNumber : parseDate;
      const x = parse(innerValue);
      const y = parse(outerValue);
      if (x === null || y === null) return false;
      const opInner = comparisonOf(inner.base);
      const opOuter = comparisonOf(outer.base);
      // The negated operators (NotEquals) compare equality only.
      if (NEGATED.has(outer.base)) return x === y;
      return comparisonImplies(opInner, x, opOuter, y);
    }
    case 'bool':
      return innerValue.toLowerCase() === outerValue.toLowerCase();
    case 'binary':
      return innerValue === outerValue;
    case 'ip': {
      const o = parseCidr(outerValue);
      const i = parseCidr(innerValue);
      return o !== null && i !== null && cidrWithin(o, i);
    }
    case 'arn':
      return arnValueCovers(outerValue, innerValue, { outer: outer.variables, inner: inner.variables });
    default:
      return false;
  }
}

/** True when `a` holding implies `b` holding, for every request. */
function conditionImplies(a: ParsedCondition, b: ParsedCondition): boolean {
  if (a.key !== b.key) return false;
  if (a.base === 'null' || b.base === 'null') {
    if (a.base !== b.base) return false;
    const present = (c: ParsedCondition) => c.values.some((v) => v.toLowerCase() === 'false');
    const absent = (c: ParsedCondition) => c.values.some((v) => v.toLowerCase() === 'true');
    return (!present(a) || present(b)) && (!absent(a) || absent(b));
  }
  const familyA = FAMILY[a.base];
  const familyB = FAMILY[b.base];
  if (familyA === undefined || familyB === undefined || familyA !== familyB || a.set !== b.set) return false;
  const negated = NEGATED.has(b.base);
  if (NEGATED.has(a.base) !== negated) return false;
  if (holdsWhenAbsent(a) && !holdsWhenAbsent(b)) return false;
  if (familyA === 'numeric' || familyA === 'date') {
    // Different comparisons of one family may imply each other only for positive operators.
    if (negated && a.base !== b.base) return false;
  } else if (familyA !== 'string' && familyA !== 'arn' && a.base !== b.base) return false;
  // A single request value: a positive test holds when it matches one value; a negated one when
  // it matches none. So a positive `a` implies `b` when each of a's values is within one of b's;
  // a negated `a` implies `b` when each of b's values is within one of a's.
  if (!negated) return a.values.every((x) => b.values.some((y) => valueCovers(familyA, b, y, a, x)));
  return b.values.every((y) => a.values.some((x) => valueCovers(familyA, a, x, b, y)));
}

/** An operator this module cannot compare (unknown to the evaluator), for the reasons given. */
export function isComparableOperator(operator: string): boolean {
  const { base } = parseOperator(operator);
  return base === 'null' || knownConditionOperators.has(base);
}

// ---------------------------------------------------------------------------------------------
// Statements

/** A statement prepared for containment checks. */
export interface StatementShape {
  effect: 'Allow' | 'Deny';
  /** Trust policies: who; identity policies: null. */
  principals: { negated: boolean; values: PrincipalValue[] } | null;
  actions: PatternSet;
  resources: PatternSet;
  conditions: ParsedCondition[];
  /** Whether the document's Version enables policy variables. */
  variables: boolean;
}

export function statementShape(statement: NormalizedStatement, variables: boolean): StatementShape {
  const principal = statement.principal ?? statement.notPrincipal;
  return {
    effect: statement.effect,
    principals:
      principal === undefined
        ? null
        : { negated: statement.notPrincipal !== undefined, values: principalValues(principal) },
    actions: statement.action
      ? { negated: false, patterns: statement.action }
      : { negated: true, patterns: statement.notAction ?? [] },
    // A statement without Resource (a trust policy's) applies to the resource it is attached to.
    resources: statement.notResource
      ? { negated: true, patterns: statement.notResource }
      : { negated: false, patterns: statement.resource ?? ['*'] },
    conditions: statement.conditions.map((condition) => parseCondition(condition, variables)),
    variables,
  };
}

function actionSetCovers(outer: PatternSet, inner: PatternSet): boolean {
  return setCovers(outer, inner, actionCovers, actionsMayIntersect);
}

function resourceSetCovers(outer: StatementShape, inner: StatementShape): boolean {
  // An unresolvable variable makes a NotResource match nothing: no bound can rest on one.
  if (
    outer.resources.negated &&
    outer.resources.patterns.some((p) => resourceHasVariable(p, outer.variables))
  )
    return false;
  const variables = { outer: outer.variables, inner: inner.variables };
  return setCovers(
    outer.resources,
    inner.resources,
    (o, i) => resourceCovers(o, i, variables),
    (a, b) => resourcesMayIntersect(a, b),
  );
}

function principalSetCovers(
  outer: StatementShape['principals'],
  inner: StatementShape['principals'],
  ownAccountId: string | null,
): boolean {
  if (outer === null || inner === null) return outer === inner;
  if (!outer.negated && !inner.negated)
    return inner.values.every((p) => outer.values.some((q) => principalCovers(q, p, ownAccountId)));
  if (outer.negated && !inner.negated)
    return inner.values.every((p) => outer.values.every((q) => !principalsMayMeet(p, q)));
  // A NotPrincipal inner: bounded only by an outer `*`.
  return !outer.negated && outer.values.some((q) => q.type === '*');
}

/** Which part of a containment failed first, for the reasons shown to approvers. */
export type ContainmentGap = 'principal' | 'action' | 'resource' | 'condition' | null;

/**
 * Where `inner` escapes `outer` (null when every request `inner` matches, `outer` matches too).
 * `ownAccountId`: the role's account when comparing Allow statements of trust policies (see
 * {@link principalCovers}); null otherwise.
 */
export function containmentGap(
  outer: StatementShape,
  inner: StatementShape,
  ownAccountId: string | null = null,
): ContainmentGap {
  if (!principalSetCovers(outer.principals, inner.principals, ownAccountId)) return 'principal';
  if (!actionSetCovers(outer.actions, inner.actions)) return 'action';
  if (!resourceSetCovers(outer, inner)) return 'resource';
  // Every condition of `outer` must follow from some condition of `inner`.
  const implied = outer.conditions.every((b) => inner.conditions.some((a) => conditionImplies(a, b)));
  return implied ? null : 'condition';
}

/** True when no request can match both statements (on principal, action or resource alone). */
export function statementsDisjoint(a: StatementShape, b: StatementShape): boolean {
  if (setsDisjoint(a.actions, b.actions, actionCovers, actionsMayIntersect)) return true;
  const resourcesVariableFree =
    !a.resources.patterns.some((p) => resourceHasVariable(p, a.variables)) &&
    !b.resources.patterns.some((p) => resourceHasVariable(p, b.variables));
  if (
    resourcesVariableFree &&
    setsDisjoint(
      a.resources,
      b.resources,
      (o, i) => resourceCovers(o, i),
      (x, y) => resourcesMayIntersect(x, y),
    )
  )
    return true;
  if (a.principals && b.principals && !a.principals.negated && !b.principals.negated) {
    return a.principals.values.every((p) => b.principals!.values.every((q) => !principalsMayMeet(p, q)));
  }
  return false;
}

/**
 * The statement cut into pieces that may be covered one by one (each action pattern × each
 * resource pattern × each principal, with all the conditions): covering every piece covers the
 * statement, and a piece may be covered by a different statement than its neighbour.
 */
export function statementPieces(statement: StatementShape): StatementShape[] {
  const split = (set: PatternSet): PatternSet[] =>
    set.negated || set.patterns.length <= 1
      ? [set]
      : set.patterns.map((p) => ({ negated: false, patterns: [p] }));
  const principals =
    statement.principals === null || statement.principals.negated || statement.principals.values.length <= 1
      ? [statement.principals]
      : statement.principals.values.map((value) => ({ negated: false, values: [value] }));
  const pieces: StatementShape[] = [];
  for (const principal of principals)
    for (const actions of split(statement.actions))
      for (const resources of split(statement.resources))
        pieces.push({ ...statement, principals: principal, actions, resources });
  return pieces;
}
