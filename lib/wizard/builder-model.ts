/**
 * The visual policy builder's model: which statements of a policy document the builder can show
 * as blocks (service → actions → resources → conditions, Allow or Deny), and how an edited block
 * is written back into the JSON text.
 *
 * The JSON text is always the source of truth. Writing back splices only the edited statement's
 * text (found with the positioned parser), so every other statement, and everything around the
 * statements, keeps its exact characters; a statement the builder cannot show is never rewritten.
 *
 * Client-safe: no zod, no catalogue (the positioned JSON parser, the operator list, the new-policy text).
 */
import { CONDITION_OPERATORS } from '@/lib/iam/condition-operators';
import { LineIndex, nodeAtPointer, parseJsonWithPositions, toPlainValue } from '@/lib/iam/json-locate';
import { NEW_POLICY_DOCUMENT } from '@/lib/wizard/permissions';
import type { JsonNode, JsonObject } from '@/lib/iam/json-locate';

export type BuilderEffect = 'Allow' | 'Deny';

/** One condition of a block: `operator` → `key` → `values` (ORed); separate conditions are ANDed. */
export interface BuilderCondition {
  operator: string;
  key: string;
  values: string[];
}

/** A statement as the builder shows it. */
export interface BuilderBlock {
  /** `''` when the statement has none. */
  sid: string;
  effect: BuilderEffect;
  /** Service prefix in lower case (`lambda`); `''` until chosen. */
  service: string;
  /** Action names without the prefix, as written (`ListFunctions`, `List*`, `*`). */
  actions: string[];
  /** `['*']` for all resources, else ARNs (empty until chosen). */
  resources: string[];
  conditions: BuilderCondition[];
}

/** Where a statement starts in the text (1-based), for "Edit in JSON". */
export interface StatementPosition {
  line: number;
  column: number;
}

export type BuilderStatement =
  | { kind: 'block'; block: BuilderBlock; text: string; position: StatementPosition }
  | { kind: 'json'; text: string; reason: string; position: StatementPosition };

export type BuilderDocument =
  { ok: true; statements: BuilderStatement[] } | { ok: false; message: string; position: StatementPosition };

const operatorPattern = new RegExp(
  `^(?:ForAnyValue:|ForAllValues:)?(?:${CONDITION_OPERATORS.join('|')})(?:IfExists)?$`,
);

const blockKeys = new Set(['Sid', 'Effect', 'Action', 'Resource', 'Condition']);
const actionPattern = /^([A-Za-z0-9-]+):([A-Za-z0-9*?]+)$/;

/** A new, empty block (Allow, no service yet). */
export function emptyBlock(): BuilderBlock {
  return { sid: '', effect: 'Allow', service: '', actions: [], resources: [], conditions: [] };
}

function stringList(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) return value;
  return null;
}

function hasDuplicateKeys(node: JsonNode): boolean {
  if (node.type === 'array') return node.items.some(hasDuplicateKeys);
  if (node.type !== 'object') return false;
  const keys = new Set<string>();
  for (const property of node.properties) {
    if (keys.has(property.key)) return true;
    keys.add(property.key);
    if (hasDuplicateKeys(property.value)) return true;
  }
  return false;
}

function readConditions(value: unknown): BuilderCondition[] | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'its Condition is not an object of operators';
  const conditions: BuilderCondition[] = [];
  for (const [operator, keys] of Object.entries(value)) {
    if (!operatorPattern.test(operator)) return `it uses the condition operator ${operator}`;
    if (typeof keys !== 'object' || keys === null || Array.isArray(keys))
      return `its ${operator} condition is not an object of keys`;
    for (const [key, raw] of Object.entries(keys as Record<string, unknown>)) {
      const items = Array.isArray(raw) ? (raw as unknown[]) : [raw];
      if (items.length === 0 || !items.every((item) => ['string', 'number', 'boolean'].includes(typeof item)))
        return `its condition on ${key} has values the builder cannot show`;
      conditions.push({ operator, key, values: items.map(String) });
    }
  }
  return conditions;
}

/**
 * The block a statement can be shown as, or why it cannot: the builder shows `Sid`, `Effect`
 * (Allow or Deny), `Action` (one service's actions, wildcards allowed), `Resource` (`*` alone or
 * ARNs) and `Condition` (string, number and boolean values) — nothing else.
 */
export function blockOfStatement(node: JsonNode): { block: BuilderBlock } | { reason: string } {
  if (node.type !== 'object') return { reason: 'it is not a JSON object' };
  if (hasDuplicateKeys(node)) return { reason: 'it repeats a key' };
  const statement = toPlainValue(node) as Record<string, unknown>;
  for (const key of Object.keys(statement)) {
    if (!blockKeys.has(key)) return { reason: `it uses ${key}` };
  }
  const { Sid: sid, Effect: effect, Action: action, Resource: resource, Condition: condition } = statement;
  if (sid !== undefined && typeof sid !== 'string') return { reason: 'its Sid is not a string' };
  if (effect !== 'Allow' && effect !== 'Deny') return { reason: 'its Effect is neither Allow nor Deny' };
  const actions = stringList(action);
  if (actions === null) return { reason: 'it has no Action list' };
  let service = '';
  const names: string[] = [];
  for (const item of actions) {
    const match = actionPattern.exec(item);
    if (!match) return { reason: `its action ${item} is not service:name` };
    const prefix = match[1]!.toLowerCase();
    if (service && prefix !== service) return { reason: 'its actions belong to more than one service' };
    service = prefix;
    names.push(match[2]!);
  }
  const resources = stringList(resource);
  if (resources === null) return { reason: 'it has no Resource list' };
  if (resources.includes('*') && resources.length > 1) return { reason: 'it lists * beside other resources' };
  const conditions = condition === undefined ? [] : readConditions(condition);
  if (typeof conditions === 'string') return { reason: conditions };
  return {
    block: {
      sid: typeof sid === 'string' ? sid : '',
      effect,
      service,
      actions: names,
      resources,
      conditions,
    },
  };
}

function statementNodes(root: JsonNode): { container: JsonNode | null; items: JsonNode[] } {
  const statement = root.type === 'object' ? nodeAtPointer(root, '/Statement') : null;
  if (statement?.type === 'array') return { container: statement, items: statement.items };
  if (statement?.type === 'object') return { container: statement, items: [statement] };
  return { container: statement, items: [] };
}

/**
 * Reads a policy document's text for the builder: each statement as a block, or as read-only JSON
 * with the reason. Empty text reads as a document without statements. Fails (with JSON.parse's
 * words) when the text is not JSON, or when it is not an object whose `Statement` is a list or one
 * statement.
 */
export function readBuilderDocument(text: string): BuilderDocument {
  if (text.trim() === '') return { ok: true, statements: [] };
  const parsed = parseJsonWithPositions(text);
  const lines = new LineIndex(text);
  if (!parsed.ok) return { ok: false, message: parsed.message, position: lines.position(parsed.offset) };
  if (parsed.root.type !== 'object')
    return {
      ok: false,
      message: 'The policy is not a JSON object.',
      position: lines.position(parsed.root.start),
    };
  const { container, items } = statementNodes(parsed.root);
  if (container !== null && container.type !== 'array' && container.type !== 'object')
    return {
      ok: false,
      message: 'Statement is neither a list nor one statement.',
      position: lines.position(container.start),
    };
  return {
    ok: true,
    statements: items.map((node): BuilderStatement => {
      const source = text.slice(node.start, node.end);
      const position = lines.position(node.start);
      const result = blockOfStatement(node);
      return 'block' in result
        ? { kind: 'block', block: result.block, text: source, position }
        : { kind: 'json', text: source, reason: result.reason, position };
    }),
  };
}

/** One value or a list, as the console writes them: a single item as a string. */
function oneOrMany(values: readonly string[]): string | string[] {
  return values.length === 1 ? values[0]! : [...values];
}

/**
 * Orders a block's actions as the console does: by their place in `order` (the service's actions
 * listed by access level), those not in it (wildcards, unknown names) after them as written.
 */
export function orderActions(actions: readonly string[], order: readonly string[] = []): string[] {
  const rank = new Map(order.map((name, index) => [name.toLowerCase(), index]));
  return actions
    .map((name, index) => ({ name, index, rank: rank.get(name.toLowerCase()) ?? order.length + index }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ name }) => name);
}

/** The conditions as IAM's `Condition` object (operators, then keys, in first-seen order; same operator and key merged). */
export function conditionObject(
  conditions: readonly BuilderCondition[],
): Record<string, Record<string, string | string[]>> {
  const grouped = new Map<string, Map<string, string[]>>();
  for (const { operator, key, values } of conditions) {
    const keys = grouped.get(operator) ?? new Map<string, string[]>();
    grouped.set(operator, keys);
    keys.set(key, [...(keys.get(key) ?? []), ...values]);
  }
  return Object.fromEntries(
    [...grouped].map(([operator, keys]) => [
      operator,
      Object.fromEntries([...keys].map(([key, values]) => [key, oneOrMany(values)])),
    ]),
  );
}

/** The statement a block stands for, keys in the console's order: Sid, Effect, Action, Resource, Condition. */
export function statementOfBlock(
  block: BuilderBlock,
  actionOrder: readonly string[] = [],
): Record<string, unknown> {
  const actions = orderActions(block.actions, actionOrder).map((name) => `${block.service}:${name}`);
  return {
    ...(block.sid ? { Sid: block.sid } : {}),
    Effect: block.effect,
    Action: actions.length === 1 ? actions[0] : actions,
    Resource: block.resources.length === 1 ? block.resources[0] : block.resources,
    ...(block.conditions.length > 0 ? { Condition: conditionObject(block.conditions) } : {}),
  };
}

/** 4-space JSON whose lines after the first are indented by `indent` (to sit where the statement sits). */
function formatAt(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 4).replace(/\n/g, `\n${indent}`);
}

/** The white space before `offset` on its line, when only white space precedes it there. */
function indentBefore(text: string, offset: number): string | null {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : null;
}

function parseObjectRoot(text: string): JsonObject {
  const parsed = parseJsonWithPositions(text);
  if (!parsed.ok || parsed.root.type !== 'object')
    throw new Error('The builder edits only a document that reads as a JSON object', {
      cause: parsed.ok ? parsed.root.type : parsed.message,
    });
  return parsed.root;
}

/**
 * Replaces statement `index` with the block's statement, formatted as the console does, and
 * leaves every other character of the text as it was. Throws when the text has no such statement
 * (the builder only offers blocks it read from this text).
 */
export function replaceStatement(
  text: string,
  index: number,
  block: BuilderBlock,
  actionOrder: readonly string[] = [],
): string {
  const { items } = statementNodes(parseObjectRoot(text));
  const node = items[index];
  if (!node) throw new Error(`The document has no statement ${index}`);
  const indent = indentBefore(text, node.start) ?? '        ';
  return (
    text.slice(0, node.start) + formatAt(statementOfBlock(block, actionOrder), indent) + text.slice(node.end)
  );
}

/**
 * Adds the block's statement after the last one (a fresh document for empty text). A single
 * statement object becomes a list holding its exact text and the new one; a document without
 * `Statement` gains one before its closing brace.
 */
export function appendStatement(
  text: string,
  block: BuilderBlock,
  actionOrder: readonly string[] = [],
): string {
  const source = text.trim() === '' ? NEW_POLICY_DOCUMENT : text;
  const root = parseObjectRoot(source);
  const statement = root.properties.findLast((property) => property.key === 'Statement');
  const keyIndent = statement ? (indentBefore(source, statement.keyStart) ?? '    ') : '    ';
  const itemIndent = `${keyIndent}    `;
  const written = formatAt(statementOfBlock(block, actionOrder), itemIndent);
  if (!statement) {
    const last = root.properties.at(-1);
    const insertAt = last ? last.value.end : root.start + 1;
    const entry = `${last ? ',' : ''}\n${keyIndent}"Statement": [\n${itemIndent}${written}\n${keyIndent}]`;
    return source.slice(0, insertAt) + entry + source.slice(insertAt);
  }
  const value = statement.value;
  if (value.type === 'array') {
    const last = value.items.at(-1);
    if (last) return `${source.slice(0, last.end)},\n${itemIndent}${written}${source.slice(last.end)}`;
    return `${source.slice(0, value.start)}[\n${itemIndent}${written}\n${keyIndent}]${source.slice(value.end)}`;
  }
  const existing = source.slice(value.start, value.end);
  return `${source.slice(0, value.start)}[\n${itemIndent}${existing},\n${itemIndent}${written}\n${keyIndent}]${source.slice(value.end)}`;
}

/** Removes statement `index` (with its separating comma), leaving every other character as it was. */
export function removeStatement(text: string, index: number): string {
  const root = parseObjectRoot(text);
  const { container, items } = statementNodes(root);
  const node = items[index];
  if (!node || container === null) throw new Error(`The document has no statement ${index}`);
  if (container.type !== 'array' || items.length === 1)
    return `${text.slice(0, container.start)}[]${text.slice(container.end)}`;
  const next = container.items[index + 1];
  if (next) {
    // From the statement's line start (when alone on it) to the next statement's start.
    const indent = indentBefore(text, node.start);
    const from = indent === null ? node.start : node.start - indent.length;
    const nextIndent = indentBefore(text, next.start);
    const to = nextIndent === null ? next.start : next.start - nextIndent.length;
    return text.slice(0, from) + text.slice(to);
  }
  const previous = container.items[index - 1]!;
  return text.slice(0, previous.end) + text.slice(node.end);
}

/** The variables of an ARN template other than `Partition` (`Region`, `Account`, `FunctionName`). */
export function arnTemplateFields(template: string): string[] {
  const fields: string[] = [];
  for (const match of template.matchAll(/\$\{([A-Za-z0-9]+)\}/g)) {
    const name = match[1]!;
    if (name !== 'Partition' && !fields.includes(name)) fields.push(name);
  }
  return fields;
}

/**
 * An ARN from a resource type's template: each field's value as typed (trimmed), `*` for a field
 * left empty ("Any"), the partition `aws` unless given.
 */
export function buildArn(
  template: string,
  values: Readonly<Record<string, string>>,
  partition = 'aws',
): string {
  return template.replace(/\$\{([A-Za-z0-9]+)\}/g, (_whole, name: string) =>
    name === 'Partition' ? partition : values[name]?.trim() || '*',
  );
}

/** The request conditions one click away, as the console offers them. */
export const CONDITION_PRESETS = [
  {
    id: 'mfa',
    label: 'MFA present',
    conditions: [{ operator: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['true'] }],
  },
  {
    id: 'source_ip',
    label: 'Source IP',
    conditions: [{ operator: 'IpAddress', key: 'aws:SourceIp', values: [''] }],
  },
  {
    id: 'time_window',
    label: 'Time window',
    conditions: [
      { operator: 'DateGreaterThan', key: 'aws:CurrentTime', values: [''] },
      { operator: 'DateLessThan', key: 'aws:CurrentTime', values: [''] },
    ],
  },
  {
    id: 'region',
    label: 'Requested region',
    conditions: [{ operator: 'StringEquals', key: 'aws:RequestedRegion', values: [''] }],
  },
  {
    id: 'resource_tag',
    label: 'Resource tag',
    conditions: [{ operator: 'StringEquals', key: 'aws:ResourceTag/', values: [''] }],
  },
] as const satisfies readonly { id: string; label: string; conditions: readonly BuilderCondition[] }[];

/** Splits a condition's values as typed (commas or new lines) into a list, dropping empty ones but keeping one. */
export function splitValues(typed: string): string[] {
  const values = typed
    .split(/[,\n]/)
    .map((value) => value.trim())
    .filter(Boolean);
  return values.length > 0 ? values : [''];
}
