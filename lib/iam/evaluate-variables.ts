/**
 * Wildcards and policy variables in policy strings (Resource elements, string and ARN conditions),
 * compiled once into matchers. Pure: no I/O.
 *
 * IAM rules (reference_policies_variables, reference_policies_elements_resource):
 * - `*` matches any run of characters (also empty) and `?` exactly one character, where the
 *   element allows wildcards.
 * - `${key}` is replaced by the request's value for `key` (key names are case-insensitive);
 *   `${key, 'default'}` falls back to `default` when the key is absent; `${*}`, `${?}` and
 *   `${$}` stand for the literal characters. A variable whose key is absent (and has no default)
 *   or multi-valued cannot be resolved, and the string then matches nothing.
 * - Variables are only recognised in documents with `"Version": "2012-10-17"`; in older
 *   documents `${…}` is literal text.
 */

/** The request context as the evaluator reads it: lower-cased key → value. */
export type NormalizedContext = ReadonlyMap<string, string | readonly string[]>;

/** A string matcher that may need the request context (when it holds policy variables). */
export interface StringMatcher {
  /** True when the pattern has policy variables, so it depends on the request context. */
  readonly hasVariables: boolean;
  /**
   * Tests `value` against the pattern. Returns `null` when a policy variable cannot be resolved
   * from `context` (IAM then treats the comparison as not matching).
   */
  test(value: string, context: NormalizedContext): boolean | null;
}

type Part =
  | { kind: 'literal'; text: string }
  | { kind: 'star' }
  | { kind: 'any-one' }
  | { kind: 'variable'; key: string; fallback: string | undefined };

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

function escapeRegex(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}

/** Splits a policy string into literal text, wildcards and variables. */
function parseParts(pattern: string, wildcards: boolean, variables: boolean): Part[] {
  const plain =
    (!wildcards || (!pattern.includes('*') && !pattern.includes('?'))) &&
    (!variables || !pattern.includes('${'));
  if (plain) return pattern.length === 0 ? [] : [{ kind: 'literal', text: pattern }];
  const parts: Part[] = [];
  let literal = '';
  let index = 0;
  const flush = () => {
    if (literal.length > 0) parts.push({ kind: 'literal', text: literal });
    literal = '';
  };
  while (index < pattern.length) {
    const character = pattern[index]!;
    if (wildcards && (character === '*' || character === '?')) {
      flush();
      parts.push(character === '*' ? { kind: 'star' } : { kind: 'any-one' });
      index += 1;
      continue;
    }
    if (variables && character === '$' && pattern[index + 1] === '{') {
      const end = pattern.indexOf('}', index + 2);
      if (end !== -1) {
        const inner = pattern.slice(index + 2, end);
        if (inner === '*' || inner === '?' || inner === '$') {
          literal += inner;
        } else {
          flush();
          parts.push(parseVariable(inner));
        }
        index = end + 1;
        continue;
      }
    }
    literal += character;
    index += 1;
  }
  flush();
  return parts;
}

function parseVariable(inner: string): Part {
  const comma = inner.indexOf(',');
  if (comma === -1) return { kind: 'variable', key: inner.trim().toLowerCase(), fallback: undefined };
  const key = inner.slice(0, comma).trim().toLowerCase();
  const rest = inner.slice(comma + 1).trim();
  const fallback =
    rest.length >= 2 && rest.startsWith("'") && rest.endsWith("'") ? rest.slice(1, -1) : undefined;
  return { kind: 'variable', key, fallback };
}

/**
 * Resolves one variable against the context: its single string value, else its default, else
 * `null`. An empty string counts as absent, as a multi-valued key does.
 */
export function resolveVariable(
  key: string,
  fallback: string | undefined,
  context: NormalizedContext,
): string | null {
  const value = context.get(key);
  if (typeof value === 'string' && value.length > 0) return value;
  if (fallback !== undefined && fallback.length > 0) return fallback;
  return null;
}

function partsToRegexSource(parts: readonly Part[], context: NormalizedContext | null): string | null {
  let source = '^';
  for (const part of parts) {
    switch (part.kind) {
      case 'literal':
        source += escapeRegex(part.text);
        break;
      case 'star':
        source += '.*';
        break;
      case 'any-one':
        source += '.';
        break;
      case 'variable': {
        if (context === null) return null;
        const value = resolveVariable(part.key, part.fallback, context);
        if (value === null) return null;
        source += escapeRegex(value);
        break;
      }
    }
  }
  return `${source}$`;
}

const regexCache = new Map<string, RegExp>();
const REGEX_CACHE_LIMIT = 2048;

function cachedRegex(source: string, flags: string): RegExp {
  const cacheKey = `${flags}/${source}`;
  let regex = regexCache.get(cacheKey);
  if (regex === undefined) {
    if (regexCache.size >= REGEX_CACHE_LIMIT) regexCache.clear();
    regex = new RegExp(source, flags);
    regexCache.set(cacheKey, regex);
  }
  return regex;
}

/** Options for {@link compileStringMatcher}. */
export interface StringMatcherOptions {
  /** `*` and `?` are wildcards (StringLike, ArnLike, Resource); otherwise literal. */
  wildcards: boolean;
  /** `${…}` policy variables are substituted (policy Version 2012-10-17). */
  variables: boolean;
  /** Compare without regard to case. */
  ignoreCase: boolean;
}

// Matchers are small classes rather than closures: a policy compiles into hundreds of them.
class AnyMatcher implements StringMatcher {
  readonly hasVariables = false;
  test(): boolean {
    return true;
  }
}

class ExactMatcher implements StringMatcher {
  readonly hasVariables = false;
  constructor(private readonly text: string) {}
  test(value: string): boolean {
    return value === this.text;
  }
}

class ExactIgnoreCaseMatcher implements StringMatcher {
  readonly hasVariables = false;
  private readonly lower: string;
  constructor(text: string) {
    this.lower = text.toLowerCase();
  }
  test(value: string): boolean {
    return value.toLowerCase() === this.lower;
  }
}

class RegexMatcher implements StringMatcher {
  readonly hasVariables = false;
  constructor(private readonly regex: RegExp) {}
  test(value: string): boolean {
    return this.regex.test(value);
  }
}

class VariableMatcher implements StringMatcher {
  readonly hasVariables = true;
  constructor(
    private readonly parts: readonly Part[],
    private readonly flags: string,
  ) {}
  test(value: string, context: NormalizedContext): boolean | null {
    const source = partsToRegexSource(this.parts, context);
    if (source === null) return null;
    return cachedRegex(source, this.flags).test(value);
  }
}

const anyMatcher = new AnyMatcher();

/**
 * Compiles a policy string into a matcher. Static patterns become an equality test or one
 * regular expression built here; patterns with variables build theirs per request, from a
 * bounded cache.
 */
export function compileStringMatcher(pattern: string, options: StringMatcherOptions): StringMatcher {
  // Matchers hold no state, so equal patterns (ARN parts, common condition values) share one.
  const memoKey = `${options.wildcards ? 'w' : '-'}${options.variables ? 'v' : '-'}${options.ignoreCase ? 'i' : '-'}${pattern}`;
  const memoised = matcherMemo.get(memoKey);
  if (memoised !== undefined) return memoised;
  const matcher = buildStringMatcher(pattern, options);
  if (matcherMemo.size >= MATCHER_MEMO_LIMIT) matcherMemo.clear();
  matcherMemo.set(memoKey, matcher);
  return matcher;
}

const matcherMemo = new Map<string, StringMatcher>();
const MATCHER_MEMO_LIMIT = 20_000;

function buildStringMatcher(pattern: string, options: StringMatcherOptions): StringMatcher {
  const parts = parseParts(pattern, options.wildcards, options.variables);
  const flags = options.ignoreCase ? 'is' : 's';
  if (parts.some((part) => part.kind === 'variable')) return new VariableMatcher(parts, flags);
  if (parts.length === 1 && parts[0]!.kind === 'star') return anyMatcher;
  if (parts.every((part) => part.kind === 'literal')) {
    const text = parts.map((part) => (part.kind === 'literal' ? part.text : '')).join('');
    return options.ignoreCase ? new ExactIgnoreCaseMatcher(text) : new ExactMatcher(text);
  }
  return new RegexMatcher(new RegExp(partsToRegexSource(parts, null)!, flags));
}

/**
 * Substitutes the policy variables of `pattern` (no wildcard handling), returning `null` when one
 * cannot be resolved. Used for values compared after conversion, such as `Bool`.
 */
export function compileSubstitution(
  pattern: string,
  variables: boolean,
): { hasVariables: boolean; resolve(context: NormalizedContext): string | null } {
  const parts = parseParts(pattern, false, variables);
  const hasVariables = parts.some((part) => part.kind === 'variable');
  if (!hasVariables) {
    const text = parts.map((part) => (part.kind === 'literal' ? part.text : '')).join('');
    return { hasVariables, resolve: () => text };
  }
  return {
    hasVariables,
    resolve(context) {
      let text = '';
      for (const part of parts) {
        if (part.kind === 'literal') text += part.text;
        else if (part.kind === 'variable') {
          const value = resolveVariable(part.key, part.fallback, context);
          if (value === null) return null;
          text += value;
        }
      }
      return text;
    },
  };
}
