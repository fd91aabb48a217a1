/**
 * What the validator's checks share: the options, one validation's context (the text, its kind,
 * the findings so far, the facts gathered about each statement) and the readers of list elements.
 * Each concern's checks (validate-elements, -actions, -resources, -conditions, -trust,
 * -redundancy) take the context as their first argument.
 */
import type { ActionInfo, Catalogue } from '@/lib/iam/catalogue';
import { FINDING_CODES, type FindingCode, type FindingSeverity } from '@/lib/iam/finding-codes';
import type { Finding } from '@/lib/iam/findings';
import {
  LineIndex,
  tokenEndAt,
  type JsonNode,
  type JsonObject,
  type JsonString,
} from '@/lib/iam/json-locate';
import type { ValidatedPolicyKind } from '@/lib/iam/policy-kind';

/** Size quotas in characters, whitespace outside strings not counted (IAM's defaults). */
export interface PolicyQuotas {
  managedPolicySize: number;
  inlinePolicySize: number;
  trustPolicySize: number;
}
export const DEFAULT_POLICY_QUOTAS: PolicyQuotas = {
  managedPolicySize: 6144,
  inlinePolicySize: 10240,
  trustPolicySize: 2048,
};

export interface ValidatePolicyOptions {
  /** The IAM catalogue; without it, checks of services, actions, resource types and condition keys are skipped. */
  catalogue?: Catalogue | null;
  quotas?: Partial<PolicyQuotas>;
  /** Whether an identity policy becomes a managed policy (6,144) or an inline one (10,240 aggregate). Default `managed`. */
  identityPolicyType?: 'managed' | 'inline';
  /** Size of the role's other inline policies, counted towards the inline aggregate quota. */
  otherInlinePoliciesSize?: number;
  /** The trust policy lets a third party (another organisation's account) assume the role: require sts:ExternalId. */
  isForThirdParty?: boolean;
  /** The role's own account; principals of other accounts count as third parties. */
  accountId?: string;
}

/** A string in a list element; its JSON pointer is built only when a finding needs it. */
export class StringItem {
  constructor(
    readonly value: string,
    readonly node: JsonString,
    private readonly parent: string,
    private readonly index: number,
  ) {}

  get path(): string {
    return this.index < 0 ? this.parent : `${this.parent}/${this.index}`;
  }
}

/** An Action/NotAction or Resource/NotResource element of a statement, read as a list of strings. */
export interface ListElement {
  key: string;
  path: string;
  offset: number;
  items: StringItem[];
  isNot: boolean;
}

/** A wildcard entry of a list, compiled. */
export interface ListPattern {
  regex: RegExp;
  item: StringItem;
}

export interface ExpandedAction {
  item: StringItem;
  /** The actions the item grants; `null` when it is `*`, unknown or not checked. */
  actions: readonly ActionInfo[] | null;
}

/** What the checks across statements (duplicate Sids, redundancy) need to know of each statement. */
export interface StatementFacts {
  index: number;
  path: string;
  offset: number;
  sid: StringItem | null;
  effect: 'Allow' | 'Deny' | null;
  actions: ListElement | null;
  resources: ListElement | null;
  principalSignature: string;
  conditionSignature: string;
  conditionKeys: Set<string> | null;
  hasConditions: boolean;
}

export interface PrincipalEntry {
  type: string;
  value: string;
  node: JsonString;
  path: string;
}

/** One validation: the text and its kind, the findings so far and the facts of each statement checked. */
export class ValidationContext {
  readonly findings: Finding[] = [];
  readonly statements: StatementFacts[] = [];
  /** Every string value with a policy variable, for the Version check. */
  readonly variableUses: { node: JsonString; path: string }[] = [];
  readonly catalogue: Catalogue | null;
  /** The parsed document, once parsed: findings then end at the end of the token they point at. */
  root: JsonNode | null = null;
  private readonly lines: LineIndex;

  constructor(
    readonly text: string,
    readonly kind: ValidatedPolicyKind,
    readonly options: ValidatePolicyOptions,
  ) {
    this.lines = new LineIndex(text);
    this.catalogue = options.catalogue ?? null;
  }

  /** Whether the policy is a managed one (a boundary, or an identity policy not inline): stricter rules apply. */
  get isManaged(): boolean {
    return (
      this.kind === 'boundary' ||
      (this.kind === 'identity' && (this.options.identityPolicyType ?? 'managed') === 'managed')
    );
  }

  /**
   * Records a finding at the value or key starting at `offset`; it ends where that token ends
   * (one character when no token starts there, e.g. at a syntax error).
   */
  add(
    code: FindingCode,
    message: string,
    path: string,
    offset: number,
    severity: FindingSeverity = FINDING_CODES[code].severity,
    suggestions?: string[],
  ): void {
    const { line, column } = this.lines.position(offset);
    const end = this.endOf(offset);
    const { line: endLine, column: endColumn } = this.lines.position(end);
    const finding: Finding = { severity, code, message, path, line, column, endLine, endColumn };
    if (suggestions && suggestions.length > 0) finding.suggestions = suggestions;
    this.findings.push(finding);
  }

  private endOf(offset: number): number {
    const end = this.root === null ? null : tokenEndAt(this.root, offset);
    if (end !== null) return end;
    const c = this.text.codePointAt(offset);
    return c === undefined ? offset : offset + (c > 0xffff ? 2 : 1);
  }
}

/** A property of an object; the last occurrence wins, as with `JSON.parse`. */
export function property(
  node: JsonObject,
  key: string,
): { key: string; keyStart: number; value: JsonNode } | undefined {
  let found: { key: string; keyStart: number; value: JsonNode } | undefined;
  for (const prop of node.properties) if (prop.key === key) found = prop;
  return found;
}

/** The first actions of a statement, for messages: `s3:GetObject, s3:PutObject and 2 more`. */
export function describeActions(expanded: ExpandedAction[]): string {
  const names = expanded.map((entry) => entry.item.value);
  if (names.length <= 3) return names.join(', ');
  return `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/** Reads a string or a list of strings, reporting empty and non-string entries; null when it is neither. */
export function readStringList(
  context: ValidationContext,
  node: JsonNode,
  path: string,
  key: string,
): StringItem[] | null {
  if (node.type === 'string') {
    if (node.value === '') {
      context.add('empty_value', `${key} is an empty string: give a value.`, path, node.start);
      return [];
    }
    return [new StringItem(node.value, node, path, -1)];
  }
  if (node.type !== 'array') {
    context.add('invalid_element_type', `${key} must be a string or a list of strings.`, path, node.start);
    return null;
  }
  if (node.items.length === 0) {
    context.add('empty_value', `${key} is an empty list: give at least one value.`, path, node.start);
    return [];
  }
  const items: StringItem[] = [];
  node.items.forEach((item, index) => {
    if (item.type !== 'string')
      context.add(
        'invalid_element_type',
        `Each ${key} entry must be a string.`,
        `${path}/${index}`,
        item.start,
      );
    else if (item.value === '')
      context.add(
        'empty_value',
        `${key} has an empty string: remove it or give a value.`,
        `${path}/${index}`,
        item.start,
      );
    else items.push(new StringItem(item.value, item, path, index));
  });
  return items;
}

/** Reports an entry listed a second time in the same list. */
export function reportRepeatedEntry(
  context: ValidationContext,
  code: 'redundant_action' | 'redundant_resource',
  key: string,
  item: StringItem,
): void {
  context.add(code, `"${item.value}" is listed twice in ${key}: remove one.`, item.path, item.node.start);
}

/**
 * Reports each entry of a list that a wildcard entry of the same list already covers. `values`
 * are the entries as compared (lower-cased for actions), in the order of `items`.
 */
export function reportCoveredEntries(
  context: ValidationContext,
  code: 'redundant_action' | 'redundant_resource',
  key: string,
  items: readonly StringItem[],
  values: readonly string[],
  patterns: readonly ListPattern[],
): void {
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index]!;
    const value = values[index]!;
    const cover = patterns.find((pattern) => pattern.item !== item && pattern.regex.test(value));
    if (cover)
      context.add(
        code,
        `"${item.value}" is already covered by "${cover.item.value}" in ${key}: remove it.`,
        item.path,
        item.node.start,
      );
  }
}
