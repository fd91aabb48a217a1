/**
 * The validator's checks of a document's elements and syntax: characters and size, JSON syntax,
 * the top-level and statement elements (keys, Version, Id, Sid, Effect, Principal placement, the
 * presence of Action and Resource). Each statement's actions, resources, conditions and trust are
 * handed to their own modules; the checks across statements run last.
 */
import {
  escapePointerToken,
  parseJsonWithPositions,
  type JsonNode,
  type JsonObject,
} from '@/lib/iam/json-locate';
import { POLICY_VERSIONS } from '@/lib/iam/policy';
import { policySize } from '@/lib/iam/policy-size';
import { checkActions } from '@/lib/iam/validate-actions';
import { checkConditions } from '@/lib/iam/validate-conditions';
import {
  DEFAULT_POLICY_QUOTAS,
  property,
  readStringList,
  StringItem,
  type ListElement,
  type PrincipalEntry,
  type StatementFacts,
  type ValidationContext,
} from '@/lib/iam/validate-context';
import { checkAcrossStatements } from '@/lib/iam/validate-redundancy';
import { checkResources } from '@/lib/iam/validate-resources';
import { checkTrustStatement, readPrincipals } from '@/lib/iam/validate-trust';
import { checkVariables, checkVariableVersion } from '@/lib/iam/validate-variables';

/** Parses the text and runs every check on it, recording findings in the context. */
export function checkPolicyText(context: ValidationContext): void {
  const parsed = parseJsonWithPositions(context.text);
  if (parsed.ok) context.root = parsed.root;
  // The parser counts the whitespace between tokens, which is what IAM leaves out of the size:
  // the same count as policySize, without a second pass over the text.
  checkCharactersAndSize(
    context,
    parsed.ok ? context.text.length - parsed.whitespace : policySize(context.text),
  );
  if (!parsed.ok) {
    context.add('json_syntax', `The policy is not valid JSON: ${parsed.message}.`, '', parsed.offset);
    return;
  }
  checkDocument(context, parsed.root);
}

const TOP_LEVEL_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);

const SUGGESTED_KEYS: Record<string, string> = {
  actions: 'Action',
  resources: 'Resource',
  effects: 'Effect',
  principals: 'Principal',
  conditions: 'Condition',
  statements: 'Statement',
  notactions: 'NotAction',
  notresources: 'NotResource',
};

function checkCharactersAndSize(context: ValidationContext, size: number): void {
  const text = context.text;
  const k = text.search(/[^\t\n\r\x20-\xff]/);
  if (k !== -1) {
    const c = text.charCodeAt(k);
    const shown =
      c < 0x20
        ? `U+${c.toString(16).toUpperCase().padStart(4, '0')}`
        : `"${String.fromCodePoint(text.codePointAt(k) ?? c)}"`;
    context.add(
      'invalid_character',
      `The character ${shown} is not allowed in IAM policies: use only printable Latin-1 characters (escape others as \\uXXXX).`,
      '',
      k,
    );
  }
  const quotas = { ...DEFAULT_POLICY_QUOTAS, ...context.options.quotas };
  if (context.kind === 'trust') {
    if (size > quotas.trustPolicySize) {
      context.add(
        'policy_too_large',
        `The trust policy has ${size} characters (whitespace not counted); the quota is ${quotas.trustPolicySize}. Merge statements or shorten lists.`,
        '',
        0,
      );
    }
  } else if (context.isManaged) {
    if (size > quotas.managedPolicySize) {
      context.add(
        'policy_too_large',
        `The policy has ${size} characters (whitespace not counted); a managed policy may have ${quotas.managedPolicySize}. Use wildcards, merge statements, or split it into several policies.`,
        '',
        0,
      );
    }
  } else {
    const total = size + (context.options.otherInlinePoliciesSize ?? 0);
    if (total > quotas.inlinePolicySize) {
      context.add(
        'policy_too_large',
        `The role's inline policies would have ${total} characters together (this one ${size}, whitespace not counted); the quota is ${quotas.inlinePolicySize}. Move permissions into managed policies.`,
        '',
        0,
      );
    }
  }
}

function checkKeys(
  context: ValidationContext,
  node: JsonObject,
  path: string,
  allowed: Set<string>,
  where: string,
): void {
  const properties = node.properties;
  for (let index = 0; index < properties.length; index += 1) {
    const property = properties[index]!;
    // Objects here have a handful of keys, so a nested scan beats allocating a set.
    for (let before = 0; before < index; before += 1) {
      if (properties[before]!.key === property.key) {
        context.add(
          'duplicate_key',
          `"${property.key}" appears twice in ${where}: keep one.`,
          `${path}/${escapePointerToken(property.key)}`,
          property.keyStart,
        );
        break;
      }
    }
    if (!allowed.has(property.key)) {
      const suggestion =
        SUGGESTED_KEYS[property.key.toLowerCase()] ??
        [...allowed].find((key) => key.toLowerCase() === property.key.toLowerCase());
      const hint = suggestion ? ` Did you mean "${suggestion}"?` : ` Use only ${[...allowed].join(', ')}.`;
      context.add(
        'unknown_element',
        `"${property.key}" is not a valid element of ${where}.${hint}`,
        `${path}/${escapePointerToken(property.key)}`,
        property.keyStart,
      );
    }
  }
}

function checkDocument(context: ValidationContext, root: JsonNode): void {
  if (root.type !== 'object') {
    context.add(
      'document_not_object',
      'A policy must be a JSON object with Version and Statement, e.g. {"Version": "2012-10-17", "Statement": [...]}.',
      '',
      root.start,
    );
    return;
  }
  checkKeys(context, root, '', TOP_LEVEL_KEYS, 'a policy');
  const version = property(root, 'Version');
  // The Version in force: a missing one means 2008-10-17 (reference_policies_elements_version).
  let versionValue: string | null = null;
  if (!version) {
    context.add(
      'missing_version',
      'Add "Version": "2012-10-17": without it, IAM reads the policy under the old 2008-10-17 rules, without policy variables.',
      '',
      root.start,
    );
  } else if (version.value.type !== 'string') {
    context.add(
      'invalid_element_type',
      'Version must be the string "2012-10-17".',
      '/Version',
      version.value.start,
    );
  } else if (!(POLICY_VERSIONS as readonly string[]).includes(version.value.value)) {
    context.add(
      'unknown_version',
      `Version "${version.value.value}" is not valid: use "2012-10-17".`,
      '/Version',
      version.value.start,
    );
  } else {
    versionValue = version.value.value;
    if (versionValue === '2008-10-17')
      context.add(
        'legacy_version',
        'Version 2008-10-17 is an old version of the policy language: prefer "2012-10-17", which also supports policy variables.',
        '/Version',
        version.value.start,
      );
  }
  const id = property(root, 'Id');
  if (id && id.value.type !== 'string')
    context.add('invalid_element_type', 'Id must be a string.', '/Id', id.value.start);

  const statement = property(root, 'Statement');
  if (!statement) {
    context.add('missing_statement', 'Add a Statement list with at least one statement.', '', root.start);
    return;
  }
  if (statement.value.type === 'object') {
    checkStatement(context, statement.value, '/Statement', 0);
  } else if (statement.value.type === 'array') {
    if (statement.value.items.length === 0)
      context.add(
        'missing_statement',
        'Statement is empty: add at least one statement.',
        '/Statement',
        statement.value.start,
      );
    statement.value.items.forEach((item, index) => {
      const path = `/Statement/${index}`;
      if (item.type === 'object') checkStatement(context, item, path, index);
      else
        context.add(
          'invalid_element_type',
          'Each statement must be a JSON object with Effect, Action and Resource.',
          path,
          item.start,
        );
    });
  } else {
    context.add(
      'invalid_element_type',
      'Statement must be a statement object or a list of them.',
      '/Statement',
      statement.value.start,
    );
  }
  // A Version that is present but not valid has its own finding already.
  if (!version || versionValue !== null) checkVariableVersion(context, versionValue);
  checkAcrossStatements(context);
}

function readListElement(
  context: ValidationContext,
  statement: JsonObject,
  path: string,
  key: string,
  notKey: string,
): ListElement | null {
  const positive = property(statement, key);
  const negative = property(statement, notKey);
  if (positive && negative) {
    context.add(
      'conflicting_elements',
      `Use either ${key} or ${notKey} in a statement, not both.`,
      `${path}/${notKey}`,
      negative.keyStart,
    );
  }
  const chosen = positive ?? negative;
  if (!chosen) return null;
  const elementPath = `${path}/${chosen.key}`;
  const items = readStringList(context, chosen.value, elementPath, chosen.key);
  if (items === null) return null;
  return { key: chosen.key, path: elementPath, offset: chosen.keyStart, items, isNot: chosen === negative };
}

function checkStatement(context: ValidationContext, node: JsonObject, path: string, index: number): void {
  const facts: StatementFacts = {
    index,
    path,
    offset: node.start,
    sid: null,
    effect: null,
    actions: null,
    resources: null,
    principalSignature: '',
    conditionSignature: '',
    conditionKeys: null,
    hasConditions: false,
  };
  checkKeys(context, node, path, STATEMENT_KEYS, 'a statement');
  const isTrust = context.kind === 'trust';

  const sid = property(node, 'Sid');
  if (sid) {
    if (sid.value.type !== 'string')
      context.add('invalid_element_type', 'Sid must be a string.', `${path}/Sid`, sid.value.start);
    else {
      facts.sid = new StringItem(sid.value.value, sid.value, `${path}/Sid`, -1);
      if (!/^[A-Za-z0-9]*$/.test(sid.value.value)) {
        context.add(
          'invalid_sid',
          `Sid "${sid.value.value}" may contain only letters and digits (A–Z, a–z, 0–9): remove spaces, hyphens and other characters.`,
          `${path}/Sid`,
          sid.value.start,
          isTrust ? 'warning' : 'error',
        );
      }
    }
  }

  const effect = property(node, 'Effect');
  if (!effect)
    context.add(
      'missing_effect',
      'Add "Effect": "Allow" or "Effect": "Deny" to the statement.',
      path,
      node.start,
    );
  else if (effect.value.type !== 'string')
    context.add('invalid_effect', 'Effect must be "Allow" or "Deny".', `${path}/Effect`, effect.value.start);
  else if (effect.value.value === 'Allow' || effect.value.value === 'Deny') facts.effect = effect.value.value;
  else {
    const lower = effect.value.value.toLowerCase();
    const fix =
      lower === 'allow'
        ? 'Write "Allow" exactly (IAM is case-sensitive here).'
        : lower === 'deny'
          ? 'Write "Deny" exactly (IAM is case-sensitive here).'
          : 'Use "Allow" or "Deny".';
    context.add(
      'invalid_effect',
      `Effect "${effect.value.value}" is not valid. ${fix}`,
      `${path}/Effect`,
      effect.value.start,
    );
  }

  // Principals
  const principal = property(node, 'Principal');
  const notPrincipal = property(node, 'NotPrincipal');
  if (principal && notPrincipal) {
    context.add(
      'conflicting_elements',
      'Use either Principal or NotPrincipal in a statement, not both.',
      `${path}/NotPrincipal`,
      notPrincipal.keyStart,
    );
  }
  let principals: PrincipalEntry[] | '*' | null = null;
  if (context.kind !== 'trust') {
    for (const element of [principal, notPrincipal]) {
      if (element) {
        context.add(
          'principal_not_allowed',
          `Remove ${element.key}: ${context.kind === 'boundary' ? 'a permissions boundary' : 'an identity policy'} applies to the role it is attached to and names no principal.`,
          `${path}/${element.key}`,
          element.keyStart,
        );
      }
    }
  } else {
    if (notPrincipal)
      context.add(
        'trust_not_principal',
        'Trust policies do not support NotPrincipal: name the allowed principals in Principal instead.',
        `${path}/NotPrincipal`,
        notPrincipal.keyStart,
      );
    if (!principal && !notPrincipal)
      context.add(
        'trust_missing_principal',
        'Add a Principal naming who may assume the role (an account, service, or identity provider).',
        path,
        node.start,
      );
    if (principal) principals = readPrincipals(context, principal.value, `${path}/Principal`);
  }
  if (principals === '*') facts.principalSignature = '*';
  else if (principals)
    facts.principalSignature = principals
      .map((entry) => `${entry.type}=${entry.value}`)
      .sort()
      .join('|');

  // Actions
  const actions = readListElement(context, node, path, 'Action', 'NotAction');
  facts.actions = actions;
  if (!actions && !property(node, 'Action') && !property(node, 'NotAction')) {
    context.add('missing_action', 'Add an Action (or NotAction) list to the statement.', path, node.start);
  }
  const expanded = actions ? checkActions(context, actions) : [];

  // Resources
  const hasResource = property(node, 'Resource') ?? property(node, 'NotResource');
  if (isTrust) {
    if (hasResource)
      context.add(
        'trust_resource_not_allowed',
        `Remove ${hasResource.key}: a trust policy applies to the role itself and takes no resource.`,
        `${path}/${hasResource.key}`,
        hasResource.keyStart,
      );
  } else {
    const resources = readListElement(context, node, path, 'Resource', 'NotResource');
    facts.resources = resources;
    if (!hasResource)
      context.add(
        'missing_resource',
        'Add a Resource (or NotResource) list to the statement, e.g. "Resource": "*" or the ARNs it applies to.',
        path,
        node.start,
      );
    if (resources) {
      for (const item of resources.items)
        if (item.value.includes('${')) checkVariables(context, item.node, item.path);
      checkResources(context, resources, actions, expanded);
    }
  }

  if (facts.effect === 'Allow' && actions?.isNot && !isTrust) {
    context.add(
      'allow_with_not_action',
      'Allow with NotAction grants every other action, including ones AWS adds later: list the allowed actions in Action instead.',
      `${path}/NotAction`,
      actions.offset,
    );
  }
  if (facts.effect === 'Allow' && facts.resources?.isNot) {
    context.add(
      'allow_with_not_resource',
      'Allow with NotResource grants every other resource, including new ones: list the allowed resources in Resource instead.',
      `${path}/NotResource`,
      facts.resources.offset,
    );
  }

  const condition = property(node, 'Condition');
  if (condition) checkConditions(context, condition.value, `${path}/Condition`, expanded, actions, facts);

  if (isTrust && principals !== null) checkTrustStatement(context, facts, principals, actions, node);
  context.statements.push(facts);
}
