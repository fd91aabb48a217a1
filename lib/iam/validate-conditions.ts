/**
 * The validator's checks of Condition blocks: operators, value types, and (with the catalogue)
 * condition keys, their types and whether the statement's actions support them.
 */
import { cidrContains, parseCidr, type Cidr } from '@/lib/iam/evaluate-ip';
import type { JsonNode, JsonProperty } from '@/lib/iam/json-locate';
import { escapePointerToken } from '@/lib/iam/json-locate';
import { didYouMean, suggestConditionKeys } from '@/lib/iam/did-you-mean';
import { hasWildcard } from '@/lib/iam/policy-glob';
import {
  type ExpandedAction,
  type ListElement,
  type StatementFacts,
  type ValidationContext,
} from '@/lib/iam/validate-context';
import { checkExternalIdValues } from '@/lib/iam/validate-trust';
import {
  checkConditionValue,
  isServicePrincipal,
  parseConditionOperator,
  type OperatorFamily,
  type ParsedOperator,
} from '@/lib/iam/validate-values';
import { checkVariables, reportVariableForOperator } from '@/lib/iam/validate-variables';

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
  reportDuplicateKeys(context, node.properties, path, 'Condition', false);
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
    reportDuplicateKeys(context, operatorProp.value.properties, operatorPath, operatorProp.key, true);
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
      for (const entry of values)
        if (entry.node.type === 'string' && entry.node.value.includes('${'))
          checkVariables(context, entry.node, entry.path);
      if (!parsed) continue;
      const takesVariables = parsed.family === 'String' || parsed.family === 'Arn';
      for (const entry of values) {
        if (!takesVariables && entry.node.type === 'string' && entry.node.value.includes('${')) {
          reportVariableForOperator(context, operatorProp.key, entry.node, entry.path);
          continue;
        }
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
            // Access Analyzer's "Type mismatch number" is a general warning: IAM accepts the policy.
            parsed.family === 'Numeric' ? 'warning' : undefined,
          );
      }
      if (parsed.family === 'Bool' && values.length > 1)
        context.add(
          'multiple_bool_values',
          `${keyProp.key} takes one Boolean value under ${operatorProp.key}: keep only "true" or "false".`,
          keyPath,
          keyProp.value.start,
        );
      const lowerKey = keyProp.key.toLowerCase();
      if (parsed.family === 'IpAddress' && lowerKey === 'aws:sourceip')
        checkPrivateSourceIp(context, parsed.base, values, keyPath, keyProp.keyStart);
      if (SERVICE_PRINCIPAL_KEYS.has(lowerKey) && parsed.family === 'String')
        checkServicePrincipalValues(context, parsed, values);
      if (lowerKey === 'sts:externalid' && context.kind === 'trust' && parsed.family === 'String')
        checkExternalIdValues(context, parsed, values);
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
    const suggestions = suggestConditionKeys(catalogue, key);
    context.add(
      'unknown_condition_key',
      colon === -1
        ? `"${key}" is not a condition key: keys are written service:key, e.g. aws:SourceIp or s3:prefix.`
        : `"${key}" is not a condition key that ${prefix.toLowerCase() === 'aws' ? 'AWS defines globally' : `the ${prefix} service defines`}.${didYouMean(
            suggestions,
            " Check the spelling in the service's list of condition keys.",
          )}`,
      path,
      offset,
      undefined,
      suggestions,
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
      // Access Analyzer's "Missing qualifier" is an error. It is raised for the global multivalued
      // keys; for a service's ArrayOf keys we warn, because AWS's own current managed policies use
      // some of them (events:detail-type) with plain operators and Access Analyzer's reference
      // lists none of those policies under this error.
      context.add(
        info.isGlobal ? 'missing_qualifier' : 'missing_set_operator',
        `${key} can have several values: write ForAnyValue:${operator.base} (any value matches) or ForAllValues:${operator.base} (every value matches).`,
        path,
        offset,
      );
    }
  }
  if (info.isGlobal || !actions || actions.isNot) return;
  // Access Analyzer's "Unsupported action for condition key" (an error) names every action that
  // does not support the key; it leaves out actions written with wildcards, and so do we.
  const unsupported: string[] = [];
  let named = 0;
  let sameService = false;
  const keyService = info.key.slice(0, info.key.indexOf(':')).toLowerCase();
  for (const entry of expanded) {
    if (entry.actions === null || hasWildcard(entry.item.value)) continue;
    const action = entry.actions[0];
    // In a trust policy these are authorized within the AssumeRole* request, whose keys they see.
    if (!action || (context.kind === 'trust' && SESSION_RIDERS.has(action.fullName))) continue;
    named += 1;
    if (action.service === keyService) sameService = true;
    if (!catalogue.actionSupportsConditionKey(action, key)) unsupported.push(action.fullName);
  }
  if (unsupported.length === 0) return;
  // The reference rates this an error. We raise it as one where it is certain: no named action
  // supports the key and none is of the key's service, whose keys never reach other services'
  // requests. Otherwise a warning, because the catalogue lags the services: AWS's own managed
  // policies use same-service keys it does not list for the action (aws-marketplace:ProductId
  // with aws-marketplace:Subscribe), and the allow-list of their errors does not grow.
  const severity = unsupported.length === named && !sameService ? 'error' : 'warning';
  const shown =
    unsupported.length <= 3
      ? unsupported.join(', ')
      : `${unsupported.slice(0, 3).join(', ')} and ${unsupported.length - 3} more`;
  context.add(
    'condition_key_not_supported',
    `${shown} ${unsupported.length === 1 ? 'does' : 'do'} not support the condition key ${info.key}, so the condition is not evaluated for ${unsupported.length === 1 ? 'it' : 'them'}: move ${unsupported.length === 1 ? 'it' : 'them'} to a statement without this key, or use a key ${unsupported.length === 1 ? 'it supports' : 'they support'}.`,
    path,
    offset,
    severity,
  );
}

/** Trust-policy actions that ride on an assume request: sts:TagSession, SetSourceIdentity, SetContext. */
const SESSION_RIDERS = new Set(['sts:TagSession', 'sts:SetSourceIdentity', 'sts:SetContext']);

/**
 * Condition keys whose values are service principals (reference_policies_condition-keys.html,
 * list_identityandaccessmanagementiam.html, list_awskeymanagementservice.html).
 */
const SERVICE_PRINCIPAL_KEYS = new Set([
  'iam:passedtoservice',
  'aws:principalservicename',
  'aws:principalservicenameslist',
  'kms:viaservice',
]);

/**
 * A value of a service-principal key compared exactly must be a well-formed service principal,
 * or it never matches (Access Analyzer: Invalid service principal format). Negated operators and
 * StringLike patterns are left alone.
 */
function checkServicePrincipalValues(
  context: ValidationContext,
  operator: ParsedOperator,
  values: readonly { value: string | number | boolean; node: JsonNode; path: string }[],
): void {
  const ignoreCase = operator.base === 'StringEqualsIgnoreCase';
  if (operator.base !== 'StringEquals' && !ignoreCase) return;
  for (const entry of values) {
    if (typeof entry.value !== 'string' || entry.value.includes('${')) continue;
    if (isServicePrincipal(ignoreCase ? entry.value.toLowerCase() : entry.value)) continue;
    context.add(
      'invalid_service_principal',
      `"${entry.value}" is not a service principal, so it never matches: write the service's name in lower case followed by .amazonaws.com, e.g. ec2.amazonaws.com.`,
      entry.path,
      entry.node.start,
    );
  }
}

/**
 * Reports a key written twice in one object of a Condition block (JSON.parse would keep only the
 * last), and, among condition keys, the same key twice with different capitalisation (Access
 * Analyzer: Duplicate keys with different case; key names are case-insensitive, so the two
 * conditions are about one key).
 */
function reportDuplicateKeys(
  context: ValidationContext,
  properties: readonly JsonProperty[],
  path: string,
  where: string,
  areConditionKeys: boolean,
): void {
  if (properties.length < 2) return;
  for (let index = 1; index < properties.length; index += 1) {
    const property = properties[index]!;
    const lower = property.key.toLowerCase();
    for (let before = 0; before < index; before += 1) {
      const earlier = properties[before]!.key;
      if (earlier === property.key) {
        context.add(
          'duplicate_key',
          `"${property.key}" appears twice in ${where}: IAM would keep only the last one. Merge them.`,
          `${path}/${escapePointerToken(property.key)}`,
          property.keyStart,
        );
        break;
      }
      if (areConditionKeys && earlier.toLowerCase() === lower) {
        context.add(
          'duplicate_condition_key_case',
          `"${property.key}" and "${earlier}" are the same condition key (names are not case-sensitive) in ${where}: keep one, with all its values.`,
          `${path}/${escapePointerToken(property.key)}`,
          property.keyStart,
        );
        break;
      }
    }
  }
}

/**
 * Ranges that are never the public source address aws:SourceIp sees: RFC 1918 private networks,
 * loopback, link-local, shared address space (RFC 6598), and IPv6 unique-local, link-local and
 * loopback addresses.
 */
const PRIVATE_RANGES: Cidr[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '100.64.0.0/10',
  'fc00::/7',
  'fe80::/10',
  '::1/128',
].map((text) => parseCidr(text)!);

function isPrivateRange(range: Cidr): boolean {
  return PRIVATE_RANGES.some(
    (block) =>
      block.family === range.family &&
      block.prefix <= range.prefix &&
      cidrContains(block, { family: range.family, bits: range.network }),
  );
}

/**
 * aws:SourceIp holds only public addresses (requests through a VPC endpoint carry
 * aws:VpcSourceIp instead), so private ranges never match. Access Analyzer: Private IP address
 * and Private NotIpAddress (errors) when every range is private, Private IP address subset and
 * Private NotIpAddress subset (suggestions) when some are.
 */
function checkPrivateSourceIp(
  context: ValidationContext,
  operator: string,
  values: readonly { value: string | number | boolean; node: JsonNode; path: string }[],
  path: string,
  offset: number,
): void {
  let privateCount = 0;
  let publicCount = 0;
  for (const entry of values) {
    const range = typeof entry.value === 'string' ? parseCidr(entry.value) : null;
    if (range === null) continue;
    if (isPrivateRange(range)) privateCount += 1;
    else publicCount += 1;
  }
  if (privateCount === 0) return;
  if (operator === 'NotIpAddress') {
    if (publicCount === 0)
      context.add(
        'private_not_ip_address',
        'aws:SourceIp holds only public addresses, so NotIpAddress with only private ranges always matches and has no effect: list public ranges, or use aws:VpcSourceIp for addresses inside a VPC.',
        path,
        offset,
      );
    else
      context.add(
        'private_not_ip_address_subset',
        'Some of these ranges are private, and aws:SourceIp holds only public addresses, so excluding them has no effect: remove them, or exclude them in a condition on aws:VpcSourceIp.',
        path,
        offset,
      );
  } else if (publicCount === 0)
    context.add(
      'private_ip_address',
      'aws:SourceIp holds only public addresses, so these private ranges never match: list public ranges, or use aws:VpcSourceIp for addresses inside a VPC.',
      path,
      offset,
    );
  else
    context.add(
      'private_ip_address_subset',
      'Some of these ranges are private, and aws:SourceIp holds only public addresses, so they never match: remove them, or put them in a condition on aws:VpcSourceIp.',
      path,
      offset,
    );
}
