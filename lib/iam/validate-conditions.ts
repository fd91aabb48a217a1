/**
 * The validator's checks of Condition blocks: operators, value types, and (with the catalogue)
 * condition keys, their types and whether the statement's actions support them.
 */
import type { JsonNode } from '@/lib/iam/json-locate';
import { escapePointerToken } from '@/lib/iam/json-locate';
import {
  describeActions,
  type ExpandedAction,
  type ListElement,
  type StatementFacts,
  type ValidationContext,
} from '@/lib/iam/validate-context';
import { checkConditionValue, parseConditionOperator, type OperatorFamily } from '@/lib/iam/validate-values';

const KEY_TYPE_FAMILIES: Record<string, OperatorFamily[]> = {
  string: ['String', 'Arn'],
  arrayofstring: ['String', 'Arn'],
  arn: ['Arn', 'String'],
  arrayofarn: ['Arn', 'String'],
  bool: ['Bool', 'String'],
  arrayofbool: ['Bool', 'String'],
  numeric: ['Numeric', 'String'],
  arrayofnumeric: ['Numeric', 'String'],
  date: ['Date', 'String', 'Numeric'],
  ipaddress: ['IpAddress', 'String'],
  arrayofipaddress: ['IpAddress', 'String'],
  binary: ['Binary', 'String'],
};

/** Checks a statement's Condition block, recording its keys and signature in `facts`. */
export function checkConditions(
  context: ValidationContext,
  node: JsonNode,
  path: string,
  expanded: ExpandedAction[],
  actions: ListElement | null,
  facts: StatementFacts,
): void {
  if (node.type !== 'object') {
    context.add(
      'invalid_element_type',
      'Condition must be an object: {"Operator": {"key": "value"}}.',
      path,
      node.start,
    );
    return;
  }
  const signature: string[] = [];
  for (const operatorProp of node.properties) {
    const operatorPath = `${path}/${escapePointerToken(operatorProp.key)}`;
    const parsed = parseConditionOperator(operatorProp.key);
    if (!parsed) {
      context.add(
        'unknown_condition_operator',
        `"${operatorProp.key}" is not a condition operator: use e.g. StringEquals, StringLike, ArnLike, Bool, NumericLessThan, DateGreaterThan, IpAddress, Null (optionally with IfExists, ForAllValues: or ForAnyValue:).`,
        operatorPath,
        operatorProp.keyStart,
        // IAM accepts an unknown operator whose body is empty (it tests nothing).
        operatorProp.value.type === 'object' && operatorProp.value.properties.length === 0
          ? 'warning'
          : 'error',
      );
    }
    if (operatorProp.value.type !== 'object') {
      context.add(
        'invalid_element_type',
        `The body of ${operatorProp.key} must be an object of condition keys: {"key": "value"}.`,
        operatorPath,
        operatorProp.value.start,
      );
      continue;
    }
    for (const keyProp of operatorProp.value.properties) {
      const keyPath = `${operatorPath}/${escapePointerToken(keyProp.key)}`;
      facts.hasConditions = true;
      (facts.conditionKeys ??= new Set()).add(keyProp.key.toLowerCase());
      const values: { value: string | number | boolean; node: JsonNode; path: string }[] = [];
      const value = keyProp.value;
      if (value.type === 'array') {
        if (value.items.length === 0)
          context.add(
            'empty_value',
            `${keyProp.key} has an empty list of values: give at least one value.`,
            keyPath,
            value.start,
          );
        value.items.forEach((item, index) => {
          if (item.type === 'string' || item.type === 'number' || item.type === 'boolean')
            values.push({
              value: item.type === 'number' ? item.raw : (item.value as string | boolean),
              node: item,
              path: `${keyPath}/${index}`,
            });
          else
            context.add(
              'invalid_element_type',
              `Condition values must be strings, numbers or booleans.`,
              `${keyPath}/${index}`,
              item.start,
            );
        });
      } else if (value.type === 'string' || value.type === 'number' || value.type === 'boolean') {
        values.push({
          value: value.type === 'number' ? value.raw : (value.value as string | boolean),
          node: value,
          path: keyPath,
        });
      } else {
        context.add(
          'invalid_element_type',
          `The value of ${keyProp.key} must be a string, number, boolean or a list of them.`,
          keyPath,
          value.start,
        );
      }
      signature.push(
        `${operatorProp.key.toLowerCase()}|${keyProp.key.toLowerCase()}|${values
          .map((entry) => String(entry.value))
          .sort()
          .join(',')}`,
      );
      if (!parsed) continue;
      for (const entry of values) {
        const expected = checkConditionValue(
          parsed.family,
          typeof entry.value === 'string' && entry.node.type === 'number' ? Number(entry.value) : entry.value,
        );
        if (expected)
          context.add(
            'invalid_condition_value',
            `${operatorProp.key} needs ${expected}; got ${JSON.stringify(entry.value)}.`,
            entry.path,
            entry.node.start,
          );
      }
      checkConditionKey(context, keyProp.key, keyPath, keyProp.keyStart, parsed, expanded, actions);
    }
  }
  facts.conditionSignature = signature.sort().join('&');
}

function checkConditionKey(
  context: ValidationContext,
  key: string,
  path: string,
  offset: number,
  operator: NonNullable<ReturnType<typeof parseConditionOperator>>,
  expanded: ExpandedAction[],
  actions: ListElement | null,
): void {
  const catalogue = context.catalogue;
  if (!catalogue) return;
  const colon = key.indexOf(':');
  const prefix = colon === -1 ? '' : key.slice(0, colon);
  // Keys of OIDC identity providers are prefixed by the provider's host (token.actions.githubusercontent.com:sub).
  const isProviderKey = prefix.includes('.') || prefix.includes('/');
  const info = catalogue.getConditionKey(key);
  if (!info) {
    if (isProviderKey) return;
    context.add(
      'unknown_condition_key',
      colon === -1
        ? `"${key}" is not a condition key: keys are written service:key, e.g. aws:SourceIp or s3:prefix.`
        : `"${key}" is not a condition key that ${prefix.toLowerCase() === 'aws' ? 'AWS defines globally' : `the ${prefix} service defines`}: check the spelling and case-insensitive name in the service's list of condition keys.`,
      path,
      offset,
    );
    return;
  }
  const type = info.type.toLowerCase();
  const families = KEY_TYPE_FAMILIES[type];
  if (families && operator.family !== 'Null' && !families.includes(operator.family)) {
    context.add(
      'operator_type_mismatch',
      `${key} is of type ${info.type}, but ${operator.base} compares ${operator.family === 'IpAddress' ? 'IP addresses' : operator.family.toLowerCase()} values: use a ${families[0]} operator.`,
      path,
      offset,
    );
  }
  if (!isProviderKey && operator.family !== 'Null') {
    const isMulti = type.startsWith('arrayof');
    if (operator.setQualifier && !isMulti && families) {
      context.add(
        'set_operator_on_single_valued_key',
        `${key} has a single value, so ${operator.setQualifier}: does not apply: remove the qualifier (with ForAllValues, a missing key even matches).`,
        path,
        offset,
      );
    } else if (!operator.setQualifier && isMulti) {
      context.add(
        'missing_set_operator',
        `${key} can have several values: write ForAnyValue:${operator.base} (any value matches) or ForAllValues:${operator.base} (every value matches).`,
        path,
        offset,
      );
    }
  }
  if (info.isGlobal || !actions || actions.isNot) return;
  if (expanded.length === 0 || expanded.some((entry) => entry.actions === null)) return;
  for (const entry of expanded) {
    for (const action of entry.actions!) if (catalogue.actionSupportsConditionKey(action, key)) return;
  }
  context.add(
    'condition_key_not_supported',
    `None of ${describeActions(expanded)} supports the condition key ${info.key}: the condition cannot match as intended. Use a key the actions support, or a global key.`,
    path,
    offset,
  );
}
