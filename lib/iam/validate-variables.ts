/**
 * The validator's checks of policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`)
 * in Resource entries and condition values: their syntax, and whether the policy's Version
 * supports them at all.
 *
 * Sources: IAM User Guide, "IAM policy elements: Variables and tags"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html), and the
 * Access Analyzer policy check reference
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html):
 * Missing brace in variable, Missing quote in variable, Unsupported space in variable, Empty
 * variable, Unsupported symbol in variable, Variable unsupported in version, Variable unsupported in
 * element, Invalid variable for operator.
 */
import type { FindingCode } from '@/lib/iam/finding-codes';
import type { JsonString } from '@/lib/iam/json-locate';
import type { StringItem, ValidationContext } from '@/lib/iam/validate-context';

/** What is wrong with the first malformed variable of a text, or `null` when every variable is well formed. */
export interface VariableProblem {
  code: Extract<
    FindingCode,
    | 'variable_missing_brace'
    | 'variable_missing_quote'
    | 'variable_space'
    | 'variable_empty'
    | 'variable_unsupported_symbol'
  >;
  /** The variable as written (up to the end of the text when its brace is missing). */
  variable: string;
  /** The first symbol the name may not contain (variable_unsupported_symbol). */
  symbol?: string;
}

/**
 * What a variable's name may contain: a condition key (`aws:username`, `s3:prefix`) and, after a
 * slash, a tag key (letters, digits and `_ . : / = + - @`, as IAM's tag keys allow).
 */
const NAME_CHARACTER = /[\p{L}\p{N}:/_.=+\-@]/u;

// `${*}`, `${?}` and `${$}` stand for the literal characters.
const SPECIAL_CHARACTERS = new Set(['*', '?', '$']);

/** Checks the syntax of every `${…}` in `text`; returns the first problem. */
export function findVariableProblem(text: string): VariableProblem | null {
  let start = text.indexOf('${');
  while (start !== -1) {
    const close = text.indexOf('}', start + 2);
    const nextOpen = text.indexOf('${', start + 2);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      return {
        code: 'variable_missing_brace',
        variable: text.slice(start, nextOpen === -1 ? text.length : nextOpen),
      };
    }
    const variable = text.slice(start, close + 1);
    const body = text.slice(start + 2, close);
    if (!SPECIAL_CHARACTERS.has(body)) {
      const comma = body.indexOf(',');
      const name = comma === -1 ? body : body.slice(0, comma);
      if (name.trim() === '') return { code: 'variable_empty', variable };
      if (/\s/.test(name)) return { code: 'variable_space', variable };
      const symbol = [...name].find((character) => !NAME_CHARACTER.test(character));
      if (symbol !== undefined) return { code: 'variable_unsupported_symbol', variable, symbol };
      if (comma !== -1) {
        const fallback = body.slice(comma + 1).trim();
        if (fallback.length < 2 || !fallback.startsWith("'") || !fallback.endsWith("'"))
          return { code: 'variable_missing_quote', variable };
      }
    }
    start = nextOpen;
  }
  return null;
}

const MESSAGES: Record<VariableProblem['code'], (variable: string, symbol?: string) => string> = {
  variable_missing_brace: (variable) =>
    `The policy variable "${variable}" has no closing brace: add } after the variable's name.`,
  variable_missing_quote: (variable) =>
    `The default value in "${variable}" must be in single quotes: write \${name, 'default'}.`,
  variable_space: (variable) =>
    `The policy variable "${variable}" has a space in its name: remove it (only the default value may contain spaces).`,
  variable_empty: (variable) =>
    `"${variable}" names no variable: write a variable such as \${aws:username}, or remove the \${ }.`,
  variable_unsupported_symbol: (variable, symbol) =>
    `The symbol ${symbol} is not supported in the name of the policy variable "${variable}": remove it.`,
};

/**
 * Checks the variables of one string value (a Resource entry, a condition value) and remembers
 * that the policy uses variables, for the Version check. Fast when there is no `${`.
 */
export function checkVariables(context: ValidationContext, node: JsonString, path: string): void {
  const text = node.value;
  if (!text.includes('${')) return;
  context.variableUses.push({ node, path });
  const problem = findVariableProblem(text);
  if (problem)
    context.add(problem.code, MESSAGES[problem.code](problem.variable, problem.symbol), path, node.start);
}

/**
 * Variables need Version 2012-10-17: under 2008-10-17, or with no Version (which means
 * 2008-10-17), IAM reads `${aws:username}` as literal text. Reports each value using one.
 */
export function checkVariableVersion(context: ValidationContext, version: string | null): void {
  if (version === '2012-10-17') return;
  for (const use of context.variableUses) {
    context.add(
      'variable_unsupported_in_version',
      version === null
        ? `Policy variables need "Version": "2012-10-17": without a Version, IAM reads "${use.node.value}" as literal text.`
        : `Policy variables need "Version": "2012-10-17": under ${version}, IAM reads "${use.node.value}" as literal text.`,
      use.path,
      use.node.start,
    );
  }
}

/**
 * Policy variables work only in Resource and in string and ARN condition values: elsewhere (Action,
 * Principal) IAM reads `${…}` as literal text (Access Analyzer: Variable unsupported in element).
 */
export function reportVariableInElement(context: ValidationContext, element: string, item: StringItem): void {
  context.add(
    'variable_unsupported_in_element',
    `"${item.value}" has a policy variable, which ${element} does not support (only Resource and condition values do): name it literally.`,
    item.path,
    item.node.start,
  );
}

/**
 * A condition value with a policy variable under an operator that is not a String or Arn one
 * (Access Analyzer: Invalid variable for operator): Numeric, Date, Bool, Binary, IpAddress and
 * Null compare the text as written.
 */
export function reportVariableForOperator(
  context: ValidationContext,
  operator: string,
  node: JsonString,
  path: string,
): void {
  context.add(
    'variable_invalid_for_operator',
    `${operator} cannot use the policy variable in "${node.value}": variables work only with String and Arn operators.`,
    path,
    node.start,
  );
}
