/**
 * The validator's checks of trust policies: principals, the assume actions each principal type
 * needs, public trust, web identity audiences and subjects, and third parties' external IDs.
 */
import { splitArn } from '@/lib/iam/catalogue';
import { escapePointerToken, type JsonNode, type JsonObject } from '@/lib/iam/json-locate';
import { globToRegExp, hasWildcard } from '@/lib/iam/policy-glob';
import { TRUST_POLICY_ACTIONS } from '@/lib/iam/trust-actions';
import {
  property,
  readStringList,
  type ListElement,
  type PrincipalEntry,
  type StatementFacts,
  type ValidationContext,
} from '@/lib/iam/validate-context';
import {
  type ParsedOperator,
  checkPrincipal,
  oidcKeyPrefix,
  principalCategory,
  type PrincipalCategory,
} from '@/lib/iam/validate-values';
import { reportVariableInElement } from '@/lib/iam/validate-variables';

const TRUST_ACTIONS = new Set(TRUST_POLICY_ACTIONS);
const ASSUME_ACTION_FOR: Record<PrincipalCategory, string> = {
  aws: 'sts:assumerole',
  service: 'sts:assumerole',
  canonical: 'sts:assumerole',
  saml: 'sts:assumerolewithsaml',
  oidc: 'sts:assumerolewithwebidentity',
};
const ASSUME_ACTION_NAMES: Record<string, string> = {
  'sts:assumerole': 'sts:AssumeRole',
  'sts:assumerolewithsaml': 'sts:AssumeRoleWithSAML',
  'sts:assumerolewithwebidentity': 'sts:AssumeRoleWithWebIdentity',
};

const ROLES_ANYWHERE_ACTIONS = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'];

/** Reads a trust statement's Principal: `*`, its entries, or null when it is malformed. */
export function readPrincipals(
  context: ValidationContext,
  node: JsonNode,
  path: string,
): PrincipalEntry[] | '*' | null {
  if (node.type === 'string') {
    if (node.value === '*') return '*';
    context.add(
      'invalid_principal',
      `Principal "${node.value}" is not valid: use "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}.`,
      path,
      node.start,
    );
    return null;
  }
  if (node.type !== 'object') {
    context.add(
      'invalid_element_type',
      'Principal must be "*" or an object such as {"AWS": "111122223333"}.',
      path,
      node.start,
    );
    return null;
  }
  if (node.properties.length === 0) {
    context.add('empty_value', 'Principal is empty: name at least one principal.', path, node.start);
    return [];
  }
  const entries: PrincipalEntry[] = [];
  for (let index = 0; index < node.properties.length; index += 1) {
    const prop = node.properties[index]!;
    const typePath = `${path}/${escapePointerToken(prop.key)}`;
    // JSON.parse keeps only the last of two "Service" keys: the document a person reads is not the one IAM stores.
    if (node.properties.some((other, before) => before < index && other.key === prop.key))
      context.add(
        'duplicate_key',
        `"${prop.key}" appears twice in Principal: IAM keeps only the last one. Put all its values in one list.`,
        typePath,
        prop.keyStart,
      );
    if (!['AWS', 'Service', 'Federated', 'CanonicalUser'].includes(prop.key)) {
      context.add(
        'invalid_principal',
        `Principal type "${prop.key}" is not valid: use AWS, Service, Federated or CanonicalUser.`,
        typePath,
        prop.keyStart,
      );
      continue;
    }
    const items = readStringList(context, prop.value, typePath, `Principal ${prop.key}`);
    for (const item of items ?? []) {
      entries.push({ type: prop.key, value: item.value, node: item.node, path: item.path });
      if (item.value.includes('${')) {
        reportVariableInElement(context, 'Principal', item);
        continue;
      }
      const problem = checkPrincipal(prop.key, item.value);
      if (problem)
        context.add(
          prop.key === 'Service' && !hasWildcard(item.value)
            ? 'invalid_service_principal'
            : 'invalid_principal',
          problem,
          item.path,
          item.node.start,
        );
    }
  }
  return entries;
}

/** Checks a trust statement's actions against its principals, and the conditions its principals need. */
export function checkTrustStatement(
  context: ValidationContext,
  facts: StatementFacts,
  principals: PrincipalEntry[] | '*',
  actions: ListElement | null,
  node: JsonObject,
): void {
  const path = facts.path;
  const actionNames = new Set<string>();
  if (actions && !actions.isNot) {
    for (const item of actions.items) {
      const lower = item.value.toLowerCase();
      if (hasWildcard(lower)) {
        const regex = globToRegExp(lower);
        for (const allowed of TRUST_ACTIONS) if (regex.test(allowed)) actionNames.add(allowed);
        context.add(
          'trust_action_wildcard',
          `"${item.value}" in a trust policy: list the assume actions explicitly, e.g. "sts:AssumeRole" and "sts:TagSession".`,
          item.path,
          item.node.start,
        );
      } else if (TRUST_ACTIONS.has(lower)) actionNames.add(lower);
      else {
        context.add(
          'trust_action_not_allowed',
          `"${item.value}" cannot be used in a trust policy: use sts:AssumeRole, sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity, sts:TagSession, sts:SetSourceIdentity or sts:SetContext.`,
          item.path,
          item.node.start,
        );
      }
    }
  } else if (actions?.isNot) {
    context.add(
      'trust_action_not_allowed',
      'NotAction cannot be used in a trust policy: list the assume actions in Action.',
      actions.path,
      actions.offset,
    );
  }
  const isAllow = facts.effect === 'Allow';

  if (principals === '*' || principals.some((entry) => entry.type === 'AWS' && entry.value === '*')) {
    if (isAllow && !facts.hasConditions) {
      context.add(
        'trust_public_principal',
        'Anyone with an AWS account can assume this role: name the accounts or principals that may, or add conditions such as aws:PrincipalOrgID.',
        `${path}/Principal`,
        principalOffset(node),
      );
    }
  }
  if (principals === '*') return;

  // Assume action ↔ principal type.
  const assumeActions = [...actionNames].filter((name) => name in ASSUME_ACTION_NAMES);
  if (actions && !actions.isNot && assumeActions.length > 0) {
    const needed = new Map<string, PrincipalEntry>();
    for (const entry of principals) {
      const action = ASSUME_ACTION_FOR[principalCategory(entry.type, entry.value)];
      if (!needed.has(action)) needed.set(action, entry);
    }
    for (const [action, entry] of needed) {
      if (!actionNames.has(action)) {
        context.add(
          'trust_federated_action_mismatch',
          `The principal ${entry.value} assumes roles with ${ASSUME_ACTION_NAMES[action]}: add it to Action${assumeActions.length > 0 ? ` (or put this principal in its own statement)` : ''}.`,
          entry.path,
          entry.node.start,
        );
      }
    }
    for (const action of assumeActions) {
      if (!needed.has(action) && principals.length > 0) {
        context.add(
          'trust_federated_action_mismatch',
          `${ASSUME_ACTION_NAMES[action]} does not fit the statement's principals (${principals.map((entry) => entry.value).join(', ')}): use ${[...new Set([...needed.keys()].map((name) => ASSUME_ACTION_NAMES[name]))].join(' or ')}.`,
          actions.path,
          actions.offset,
        );
      }
    }
  }

  if (!isAllow) return;
  // IAM Roles Anywhere assumes the role with all three actions (Access Analyzer: Missing action
  // for roles anywhere trust policy; Roles Anywhere User Guide, "Trust model").
  if (actions && !actions.isNot) {
    const rolesAnywhere = principals.find(
      (entry) => entry.type === 'Service' && entry.value === 'rolesanywhere.amazonaws.com',
    );
    const missing = ROLES_ANYWHERE_ACTIONS.filter((action) => !actionNames.has(action.toLowerCase()));
    if (rolesAnywhere && missing.length > 0)
      context.add(
        'trust_roles_anywhere_missing_action',
        `IAM Roles Anywhere needs sts:AssumeRole, sts:TagSession and sts:SetSourceIdentity to assume the role: add ${missing.join(' and ')} to Action.`,
        actions.path,
        actions.offset,
      );
  }
  // OIDC / web identity principals need audience and subject conditions.
  for (const entry of principals) {
    if (entry.type !== 'Federated' || principalCategory(entry.type, entry.value) !== 'oidc') continue;
    const host = oidcKeyPrefix(entry.value).toLowerCase();
    const audienceKeys =
      host === 'graph.facebook.com' || host === 'www.amazon.com'
        ? [`${host}:app_id`]
        : [`${host}:aud`, `${host}:azp`, `${host}:oaud`];
    if (!audienceKeys.some((key) => facts.conditionKeys?.has(key))) {
      context.add(
        'trust_oidc_missing_audience',
        `Add a condition on ${audienceKeys[0]} (StringEquals) so that only tokens issued for your application can assume the role.`,
        entry.path,
        entry.node.start,
      );
    }
    const isProviderArn = entry.value.includes(':oidc-provider/');
    if (isProviderArn && !facts.conditionKeys?.has(`${host}:sub`)) {
      context.add(
        'trust_oidc_missing_subject',
        `Add a condition on ${host}:sub naming the identities allowed (e.g. repo:ORG/REPO:ref:refs/heads/main for GitHub Actions); otherwise any identity of this provider can assume the role.`,
        entry.path,
        entry.node.start,
      );
    }
  }
  // Third parties need an external ID.
  if (
    context.options.isForThirdParty &&
    actionNames.has('sts:assumerole') &&
    !facts.conditionKeys?.has('sts:externalid')
  ) {
    const own = context.options.accountId;
    const external = principals.find((entry) => {
      if (entry.type !== 'AWS' || entry.value === '*') return false;
      const account = /^\d{12}$/.test(entry.value) ? entry.value : (splitArn(entry.value)?.[4] ?? '');
      return account !== '' && account !== own;
    });
    if (external) {
      context.add(
        'trust_third_party_missing_external_id',
        `Account of ${external.value} is a third party: add "Condition": {"StringEquals": {"sts:ExternalId": "<the ID they give you>"}} to prevent the confused-deputy problem.`,
        external.path,
        external.node.start,
      );
    }
  }
}

function principalOffset(node: JsonObject): number {
  return property(node, 'Principal')?.keyStart ?? node.start;
}

/**
 * What `AssumeRole` accepts as ExternalId: 2 to 1,224 characters of letters, digits, `_` and
 * `+=,.@:/-` (STS API Reference, AssumeRole, ExternalId). A condition that only such a value can
 * satisfy never matches another, so the role cannot be assumed.
 */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/**
 * Checks the values of an sts:ExternalId condition with a positive string operator (StringEquals,
 * StringLike, …): each must be a value AssumeRole can send. Wildcards of StringLike and policy
 * variables stand for characters, so only the literal characters are checked there.
 */
export function checkExternalIdValues(
  context: ValidationContext,
  operator: ParsedOperator,
  values: readonly { value: string | number | boolean; node: JsonNode; path: string }[],
): void {
  if (operator.base.includes('Not')) return;
  const isLike = operator.base === 'StringLike';
  for (const entry of values) {
    const text = String(entry.value);
    if (text.includes('${')) continue;
    const literal = isLike ? text.replace(/[*?]/g, '') : text;
    const hasWild = literal.length !== text.length;
    const badCharacter = /[^\w+=,.@:/-]/.exec(literal);
    let problem: string | null = null;
    if (badCharacter)
      problem = `has the character "${badCharacter[0]}", which AssumeRole does not accept in an external ID (only letters, digits and _+=,.@:/-)`;
    else if (!hasWild && !EXTERNAL_ID.test(literal))
      problem = `has ${literal.length} characters; AssumeRole accepts external IDs of 2 to 1,224 characters`;
    else if (hasWild && literal.length > 1224)
      problem = 'is longer than the 1,224 characters AssumeRole accepts';
    if (problem)
      context.add(
        'invalid_external_id',
        `The external ID ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)} ${problem}, so no caller can assume the role with it: use the ID the third party gives you.`,
        entry.path,
        entry.node.start,
      );
  }
}
