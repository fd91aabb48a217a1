/**
 * The `Condition` element, compiled once per statement (reference_policies_elements_condition,
 * reference_policies_elements_condition_operators, reference_policies_condition-single-vs-multi-valued-context-keys).
 * Pure: no I/O.
 *
 * Semantics implemented here:
 * - Several operators, and several keys under one operator, must all hold (AND); several values
 *   for one key are alternatives (OR). A negated operator (`StringNotEquals`, `NotIpAddress`, …)
 *   holds when the request value matches none of the policy values.
 * - Condition key names are case-insensitive; operator names are matched without regard to case.
 * - A key absent from the request: `…IfExists` and negated operators hold, `ForAllValues:` holds
 *   (vacuously), `ForAnyValue:` and every other operator do not; `Null` tests presence.
 * - A multi-valued request key needs `ForAnyValue:` / `ForAllValues:`; a plain operator applied
 *   to one does not hold.
 * - A policy value that cannot be read (an unresolvable variable, a malformed number, date, CIDR
 *   or ARN) matches nothing, for plain and negated operators alike.
 */

import { parseIamDate } from './iam-date';
import { cidrContains, parseCidr, parseIp, type Cidr } from './evaluate-ip';
import {
  compileStringMatcher,
  compileSubstitution,
  type NormalizedContext,
  type StringMatcher,
} from './evaluate-variables';

/** One compiled `Operator: { key: values }` entry. */
export interface CompiledCondition {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** The condition key, lower-cased. */
  readonly key: string;
  /** True for `Null`, which tests presence and so never reports the key as missing. */
  readonly isNull: boolean;
  /** Whether this condition holds for the request context. */
  evaluate(context: NormalizedContext): boolean;
}

/** A test of one request value against one policy value: true, false, or null (unreadable). */
type ValueTest = (value: string, context: NormalizedContext) => boolean | null;

type Family = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn';

interface BaseOperator {
  family: Family;
  negated: boolean;
  compile(policyValue: string, variables: boolean): ValueTest;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function parseNumber(text: string): number | null {
  return NUMBER.test(text) ? Number(text) : null;
}

/**
 * Dates are ISO 8601 text or epoch seconds (reference_policies_elements_condition_operators.html#Conditions_Date),
 * read exactly as IAM's policy parser reads them (lib/iam/iam-date.ts), not as `Date.parse` would.
 */
export function parseDate(text: string): number | null {
  return parseIamDate(text);
}

function stringTest(wildcards: boolean, ignoreCase: boolean) {
  return (policyValue: string, variables: boolean): ValueTest => {
    const matcher: StringMatcher = compileStringMatcher(policyValue, { wildcards, variables, ignoreCase });
    return (value, context) => matcher.test(value, context);
  };
}

function numericTest(compare: (request: number, policy: number) => boolean) {
  return (policyValue: string): ValueTest => {
    const policy = parseNumber(policyValue);
    if (policy === null) return () => null;
    return (value) => {
      const request = parseNumber(value);
      return request === null ? null : compare(request, policy);
    };
  };
}

function dateTest(compare: (request: number, policy: number) => boolean) {
  return (policyValue: string): ValueTest => {
    const policy = parseDate(policyValue);
    if (policy === null) return () => null;
    return (value) => {
      const request = parseDate(value);
      return request === null ? null : compare(request, policy);
    };
  };
}

function boolTest(policyValue: string, variables: boolean): ValueTest {
  const substitution = compileSubstitution(policyValue, variables);
  return (value, context) => {
    const resolved = substitution.resolve(context);
    if (resolved === null) return null;
    const policy = resolved.toLowerCase();
    const request = value.toLowerCase();
    if ((policy !== 'true' && policy !== 'false') || (request !== 'true' && request !== 'false')) return null;
    return policy === request;
  };
}

function binaryTest(policyValue: string): ValueTest {
  return (value) => value === policyValue;
}

function ipTest(policyValue: string): ValueTest {
  const cidr: Cidr | null = parseCidr(policyValue);
  if (cidr === null) return () => null;
  return (value) => {
    const ip = parseIp(value);
    return ip === null ? null : cidrContains(cidr, ip);
  };
}

/** Splits an ARN into its six parts (the last keeps its colons); `null` when it has fewer. */
export function splitArn(arn: string): string[] | null {
  const parts: string[] = [];
  let start = 0;
  for (let index = 0; index < 5; index += 1) {
    const colon = arn.indexOf(':', start);
    if (colon === -1) return null;
    parts.push(arn.slice(start, colon));
    start = colon + 1;
  }
  parts.push(arn.slice(start));
  return parts;
}

function arnTest(policyValue: string, variables: boolean): ValueTest {
  const policyParts = splitArn(policyValue);
  if (policyParts === null || policyParts[0] !== 'arn') return () => null;
  const matchers = policyParts.map((part) =>
    compileStringMatcher(part, { wildcards: true, variables, ignoreCase: false }),
  );
  return (value, context) => {
    const requestParts = splitArn(value);
    if (requestParts === null) return null;
    let unresolved = false;
    for (let index = 0; index < 6; index += 1) {
      const result = matchers[index]!.test(requestParts[index]!, context);
      if (result === null) unresolved = true;
      else if (!result && !unresolved) return false;
    }
    return unresolved ? null : true;
  };
}

const operators: Record<string, BaseOperator> = {};
function define(name: string, family: Family, negated: boolean, compile: BaseOperator['compile']) {
  operators[name.toLowerCase()] = { family, negated, compile };
}
define('StringEquals', 'string', false, stringTest(false, false));
define('StringNotEquals', 'string', true, stringTest(false, false));
define('StringEqualsIgnoreCase', 'string', false, stringTest(false, true));
define('StringNotEqualsIgnoreCase', 'string', true, stringTest(false, true));
define('StringLike', 'string', false, stringTest(true, false));
define('StringNotLike', 'string', true, stringTest(true, false));
define(
  'NumericEquals',
  'numeric',
  false,
  numericTest((r, p) => r === p),
);
define(
  'NumericNotEquals',
  'numeric',
  true,
  numericTest((r, p) => r === p),
);
define(
  'NumericLessThan',
  'numeric',
  false,
  numericTest((r, p) => r < p),
);
define(
  'NumericLessThanEquals',
  'numeric',
  false,
  numericTest((r, p) => r <= p),
);
define(
  'NumericGreaterThan',
  'numeric',
  false,
  numericTest((r, p) => r > p),
);
define(
  'NumericGreaterThanEquals',
  'numeric',
  false,
  numericTest((r, p) => r >= p),
);
define(
  'DateEquals',
  'date',
  false,
  dateTest((r, p) => r === p),
);
define(
  'DateNotEquals',
  'date',
  true,
  dateTest((r, p) => r === p),
);
define(
  'DateLessThan',
  'date',
  false,
  dateTest((r, p) => r < p),
);
define(
  'DateLessThanEquals',
  'date',
  false,
  dateTest((r, p) => r <= p),
);
define(
  'DateGreaterThan',
  'date',
  false,
  dateTest((r, p) => r > p),
);
define(
  'DateGreaterThanEquals',
  'date',
  false,
  dateTest((r, p) => r >= p),
);
define('Bool', 'bool', false, boolTest);
define('BinaryEquals', 'binary', false, binaryTest);
define('IpAddress', 'ip', false, ipTest);
define('NotIpAddress', 'ip', true, ipTest);
define('ArnEquals', 'arn', false, arnTest);
define('ArnLike', 'arn', false, arnTest);
define('ArnNotEquals', 'arn', true, arnTest);
define('ArnNotLike', 'arn', true, arnTest);

/** The base operator names this evaluator knows, lower-cased. */
export const knownConditionOperators: ReadonlySet<string> = new Set(Object.keys(operators));

type SetOperator = 'none' | 'any' | 'all';

interface ParsedOperator {
  set: SetOperator;
  base: string;
  ifExists: boolean;
}

/** Splits `ForAnyValue:StringLikeIfExists` into its set operator, base operator and IfExists. */
export function parseOperator(operator: string): ParsedOperator {
  let set: SetOperator = 'none';
  let rest = operator;
  const colon = operator.indexOf(':');
  if (colon !== -1) {
    const prefix = operator.slice(0, colon).toLowerCase();
    if (prefix === 'foranyvalue') set = 'any';
    else if (prefix === 'forallvalues') set = 'all';
    rest = operator.slice(colon + 1);
  }
  let base = rest.toLowerCase();
  let ifExists = false;
  if (base.endsWith('ifexists')) {
    ifExists = true;
    base = base.slice(0, -'ifexists'.length);
  }
  return { set, base, ifExists };
}

function toPolicyValues(raw: unknown): string[] {
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  return list.map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
}

const never = () => false;

/**
 * Compiles one condition entry. `variables` is true for documents whose Version allows policy
 * variables. An unknown operator compiles to a condition that never holds.
 */
export function compileCondition(
  operator: string,
  key: string,
  rawValues: unknown,
  variables: boolean,
): CompiledCondition {
  const lowerKey = key.toLowerCase();
  const policyValues = toPolicyValues(rawValues);
  const parsed = parseOperator(operator);

  if (parsed.base === 'null') {
    const wantsAbsent = policyValues.some((value) => value.toLowerCase() === 'true');
    const wantsPresent = policyValues.some((value) => value.toLowerCase() === 'false');
    return {
      operator,
      key: lowerKey,
      isNull: true,
      evaluate: (context) => (context.has(lowerKey) ? wantsPresent : wantsAbsent),
    };
  }

  const base = operators[parsed.base];
  if (base === undefined) return { operator, key: lowerKey, isNull: false, evaluate: never };

  const tests = policyValues.map((value) => base.compile(value, variables));
  const { negated } = base;
  /** The operator applied to one request value, across the policy values. */
  const single = (value: string, context: NormalizedContext): boolean => {
    if (negated) {
      for (const test of tests) if (test(value, context) !== false) return false;
      return true;
    }
    for (const test of tests) if (test(value, context) === true) return true;
    return false;
  };
  const { set, ifExists } = parsed;

  const evaluate = (context: NormalizedContext): boolean => {
    const value = context.get(lowerKey);
    if (value === undefined) {
      if (ifExists) return true;
      if (set === 'all') return true;
      if (set === 'any') return false;
      return negated;
    }
    if (set === 'none') return typeof value === 'string' ? single(value, context) : false;
    if (typeof value === 'string') return single(value, context);
    if (set === 'any') {
      for (const item of value) if (single(item, context)) return true;
      return false;
    }
    for (const item of value) if (!single(item, context)) return false;
    return true;
  };
  return { operator, key: lowerKey, isNull: false, evaluate };
}
