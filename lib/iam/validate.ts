import type { ActionInfo, Catalogue } from '@/lib/iam/catalogue';
import { splitArn } from '@/lib/iam/catalogue';
import type { Finding, FindingSeverity } from '@/lib/iam/findings';
import {
  escapePointerToken,
  LineIndex,
  parseJsonWithPositions,
  type JsonNode,
  type JsonObject,
  type JsonString,
} from '@/lib/iam/json-locate';
import { globToRegExp, hasWildcard } from '@/lib/iam/policy-glob';
import { POLICY_VERSIONS } from '@/lib/iam/policy';
import {
  checkConditionValue,
  checkPrincipal,
  checkResourceArn,
  oidcKeyPrefix,
  parseConditionOperator,
  principalCategory,
  type OperatorFamily,
  type PrincipalCategory,
} from '@/lib/iam/validate-values';

/** What a policy document is for; each kind has its own rules and size quota. */
export type PolicyKind = 'identity' | 'trust' | 'boundary';
export const POLICY_KINDS: readonly PolicyKind[] = ['identity', 'trust', 'boundary'];

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

/**
 * Every finding code with its usual severity and one line on what it means. A few codes are
 * raised with a lower severity where IAM is lenient (noted in the summary).
 */
export const FINDING_CODES = {
  json_syntax: {
    severity: 'error',
    summary: 'The text is not valid JSON; the position of the first syntax error is given.',
  },
  invalid_character: {
    severity: 'error',
    summary: 'A character outside the set IAM accepts (tab, CR, LF, U+0020–U+00FF).',
  },
  document_not_object: { severity: 'error', summary: 'The document is not a JSON object.' },
  unknown_element: {
    severity: 'error',
    summary:
      'An element IAM does not know (top level: Version, Id, Statement; statement: Sid, Effect, Principal, Action, Resource, Condition and their Not forms).',
  },
  invalid_element_type: {
    severity: 'error',
    summary: 'An element has the wrong JSON type (e.g. a number where a string or list of strings belongs).',
  },
  empty_value: { severity: 'error', summary: 'An empty string or empty list where IAM needs a value.' },
  duplicate_key: {
    severity: 'error',
    summary: 'The same key appears twice in one JSON object; IAM would use only one of them.',
  },
  unknown_version: { severity: 'error', summary: 'Version is neither 2012-10-17 nor 2008-10-17.' },
  missing_version: {
    severity: 'error',
    summary:
      'No Version: IAM refuses managed policies without 2012-10-17 (a warning for inline and trust policies).',
  },
  legacy_version: {
    severity: 'error',
    summary:
      'Version 2008-10-17: refused for managed policies, no policy variables (a warning for inline and trust policies).',
  },
  missing_statement: { severity: 'error', summary: 'No Statement, or an empty list of statements.' },
  missing_effect: { severity: 'error', summary: 'A statement without Effect.' },
  invalid_effect: {
    severity: 'error',
    summary: 'Effect is not exactly Allow or Deny (IAM is case-sensitive here).',
  },
  missing_action: { severity: 'error', summary: 'A statement without Action or NotAction.' },
  missing_resource: {
    severity: 'error',
    summary: 'An identity or boundary statement without Resource or NotResource.',
  },
  conflicting_elements: {
    severity: 'error',
    summary:
      'Both Action and NotAction (or Resource and NotResource, Principal and NotPrincipal) in one statement.',
  },
  invalid_sid: {
    severity: 'error',
    summary: 'Sid has characters other than letters and digits (a warning in trust policies).',
  },
  duplicate_sid: { severity: 'error', summary: 'Two statements share a Sid.' },
  principal_not_allowed: {
    severity: 'error',
    summary: 'Principal or NotPrincipal in an identity or boundary policy.',
  },
  policy_too_large: {
    severity: 'error',
    summary:
      'The policy exceeds its size quota (managed 6,144, inline aggregate 10,240, trust 2,048; whitespace not counted).',
  },
  invalid_action_format: {
    severity: 'error',
    summary:
      'An action without a service prefix, with two colons, or with characters a service prefix cannot have.',
  },
  unknown_service: {
    severity: 'error',
    summary: 'The service prefix of an action is not in the IAM catalogue.',
  },
  unknown_action: {
    severity: 'error',
    summary: 'The action does not exist in its service (names are case-insensitive).',
  },
  action_wildcard_matches_nothing: {
    severity: 'error',
    summary: 'An action pattern with a wildcard matches no action of the service.',
  },
  action_matches_no_resource: {
    severity: 'warning',
    summary:
      'An action applies to none of the statement\'s resources (e.g. it supports only "*"), so the statement does not apply to it.',
  },
  redundant_action: {
    severity: 'suggestion',
    summary: 'An action listed twice or already covered by a wildcard in the same statement.',
  },
  invalid_arn: {
    severity: 'error',
    summary:
      'A malformed resource ARN (too few parts, bad partition, region in an IAM or S3 ARN, unknown IAM resource path).',
  },
  resource_matches_no_action: {
    severity: 'warning',
    summary:
      "A resource fits no resource type of the services of the statement's actions (wrong service or malformed path), so it has no effect.",
  },
  resource_type_mismatch: {
    severity: 'warning',
    summary:
      "A resource is of a type the service has, but none of the statement's actions take it (e.g. a bucket ARN with s3:GetObject).",
  },
  redundant_resource: {
    severity: 'suggestion',
    summary: 'A resource listed twice or already covered by a wildcard in the same statement.',
  },
  unknown_condition_operator: {
    severity: 'error',
    summary: 'A condition operator IAM does not know (a warning when its body is empty, which IAM accepts).',
  },
  unknown_condition_key: {
    severity: 'error',
    summary: 'A condition key that is neither global nor defined by its service.',
  },
  condition_key_not_supported: {
    severity: 'warning',
    summary:
      "A service condition key that none of the statement's actions support, so the condition never matches as intended.",
  },
  invalid_condition_value: {
    severity: 'error',
    summary:
      'A condition value of the wrong type for its operator (Bool, Numeric, Date, IpAddress, Arn, Binary, Null).',
  },
  operator_type_mismatch: {
    severity: 'warning',
    summary: "The operator does not fit the condition key's type (e.g. NumericEquals on an IP address key).",
  },
  set_operator_on_single_valued_key: {
    severity: 'warning',
    summary: 'ForAllValues/ForAnyValue used with a single-valued condition key.',
  },
  missing_set_operator: {
    severity: 'warning',
    summary: 'A multivalued condition key used without ForAllValues/ForAnyValue.',
  },
  allow_with_not_action: {
    severity: 'security_warning',
    summary: 'Allow with NotAction grants every other action, including those added to AWS later.',
  },
  allow_with_not_resource: {
    severity: 'security_warning',
    summary: 'Allow with NotResource grants every other resource, including new ones.',
  },
  redundant_statement: {
    severity: 'warning',
    summary: 'A statement whose access another statement already grants or denies in full.',
  },
  boundary_no_allow: {
    severity: 'warning',
    summary: 'A permissions boundary without an Allow statement lets the role do nothing.',
  },
  invalid_principal: {
    severity: 'error',
    summary: 'A malformed principal (bad account id or ARN, wildcard inside an ARN, unknown principal type).',
  },
  trust_missing_principal: { severity: 'error', summary: 'A trust-policy statement without Principal.' },
  trust_not_principal: {
    severity: 'error',
    summary: 'NotPrincipal in a trust policy (IAM does not support it there).',
  },
  trust_resource_not_allowed: { severity: 'error', summary: 'Resource or NotResource in a trust policy.' },
  trust_action_not_allowed: {
    severity: 'error',
    summary:
      'A trust-policy action other than sts:AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity, TagSession, SetSourceIdentity, SetContext.',
  },
  trust_action_wildcard: {
    severity: 'warning',
    summary: 'A wildcard action in a trust policy; list the assume actions explicitly.',
  },
  trust_federated_action_mismatch: {
    severity: 'error',
    summary:
      'The assume action does not fit the principal (SAML needs AssumeRoleWithSAML, OIDC AssumeRoleWithWebIdentity, accounts and services AssumeRole).',
  },
  trust_oidc_missing_audience: {
    severity: 'security_warning',
    summary: 'An OIDC or web identity principal without a condition on its audience (aud, or app_id).',
  },
  trust_oidc_missing_subject: {
    severity: 'security_warning',
    summary:
      'An OIDC provider principal without a condition on the subject (sub), so any identity of that provider may assume the role.',
  },
  trust_public_principal: {
    severity: 'security_warning',
    summary: 'Principal "*" (or AWS "*") without conditions: anyone can assume the role.',
  },
  trust_third_party_missing_external_id: {
    severity: 'security_warning',
    summary:
      "A third party's account may assume the role without an sts:ExternalId condition (confused deputy).",
  },
} as const satisfies Record<string, { severity: FindingSeverity; summary: string }>;

export type FindingCode = keyof typeof FINDING_CODES;

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
const TRUST_ACTIONS = new Set([
  'sts:assumerole',
  'sts:assumerolewithsaml',
  'sts:assumerolewithwebidentity',
  'sts:tagsession',
  'sts:setsourceidentity',
  'sts:setcontext',
]);
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

/** A string in a list element; its JSON pointer is built only when a finding needs it. */
class StringItem {
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

interface ListElement {
  key: string;
  path: string;
  offset: number;
  items: StringItem[];
  isNot: boolean;
}

interface ExpandedAction {
  item: StringItem;
  /** The actions the item grants; `null` when it is `*`, unknown or not checked. */
  actions: readonly ActionInfo[] | null;
}

interface StatementFacts {
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

interface PrincipalEntry {
  type: string;
  value: string;
  node: JsonString;
  path: string;
}

/**
 * Counts a policy's size as IAM does: every character except whitespace outside string literals.
 */
export function policySize(text: string): number {
  let size = 0;
  let inString = false;
  for (let k = 0; k < text.length; k += 1) {
    const c = text.charCodeAt(k);
    if (inString) {
      size += 1;
      if (c === 92) {
        size += 1;
        k += 1;
      } else if (c === 34) inString = false;
    } else if (c !== 32 && c !== 10 && c !== 13 && c !== 9) {
      size += 1;
      if (c === 34) inString = true;
    }
  }
  return size;
}

class Validator {
  readonly findings: Finding[] = [];
  private readonly lines: LineIndex;
  private readonly catalogue: Catalogue | null;
  private readonly statements: StatementFacts[] = [];

  constructor(
    private readonly text: string,
    private readonly kind: PolicyKind,
    private readonly options: ValidatePolicyOptions,
  ) {
    this.lines = new LineIndex(text);
    this.catalogue = options.catalogue ?? null;
  }

  private get isManaged(): boolean {
    return (
      this.kind === 'boundary' ||
      (this.kind === 'identity' && (this.options.identityPolicyType ?? 'managed') === 'managed')
    );
  }

  add(
    code: FindingCode,
    message: string,
    path: string,
    offset: number,
    severity: FindingSeverity = FINDING_CODES[code].severity,
  ): void {
    const { line, column } = this.lines.position(offset);
    this.findings.push({ severity, code, message, path, line, column });
  }

  run(): void {
    const parsed = parseJsonWithPositions(this.text);
    // The parser counts the whitespace between tokens, which is what IAM leaves out of the size.
    this.checkCharactersAndSize(parsed.ok ? this.text.length - parsed.whitespace : policySize(this.text));
    if (!parsed.ok) {
      this.add('json_syntax', `The policy is not valid JSON: ${parsed.message}.`, '', parsed.offset);
      return;
    }
    this.checkDocument(parsed.root);
  }

  private checkCharactersAndSize(size: number): void {
    const text = this.text;
    const k = text.search(/[^\t\n\r\x20-\xff]/);
    if (k !== -1) {
      const c = text.charCodeAt(k);
      const shown =
        c < 0x20
          ? `U+${c.toString(16).toUpperCase().padStart(4, '0')}`
          : `"${String.fromCodePoint(text.codePointAt(k) ?? c)}"`;
      this.add(
        'invalid_character',
        `The character ${shown} is not allowed in IAM policies: use only printable Latin-1 characters (escape others as \\uXXXX).`,
        '',
        k,
      );
    }
    const quotas = { ...DEFAULT_POLICY_QUOTAS, ...this.options.quotas };
    if (this.kind === 'trust') {
      if (size > quotas.trustPolicySize) {
        this.add(
          'policy_too_large',
          `The trust policy has ${size} characters (whitespace not counted); the quota is ${quotas.trustPolicySize}. Merge statements or shorten lists.`,
          '',
          0,
        );
      }
    } else if (this.isManaged) {
      if (size > quotas.managedPolicySize) {
        this.add(
          'policy_too_large',
          `The policy has ${size} characters (whitespace not counted); a managed policy may have ${quotas.managedPolicySize}. Use wildcards, merge statements, or split it into several policies.`,
          '',
          0,
        );
      }
    } else {
      const total = size + (this.options.otherInlinePoliciesSize ?? 0);
      if (total > quotas.inlinePolicySize) {
        this.add(
          'policy_too_large',
          `The role's inline policies would have ${total} characters together (this one ${size}, whitespace not counted); the quota is ${quotas.inlinePolicySize}. Move permissions into managed policies.`,
          '',
          0,
        );
      }
    }
  }

  private checkKeys(node: JsonObject, path: string, allowed: Set<string>, where: string): void {
    const properties = node.properties;
    for (let index = 0; index < properties.length; index += 1) {
      const property = properties[index]!;
      // Objects here have a handful of keys, so a nested scan beats allocating a set.
      for (let before = 0; before < index; before += 1) {
        if (properties[before]!.key === property.key) {
          this.add(
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
        this.add(
          'unknown_element',
          `"${property.key}" is not a valid element of ${where}.${hint}`,
          `${path}/${escapePointerToken(property.key)}`,
          property.keyStart,
        );
      }
    }
  }

  private checkDocument(root: JsonNode): void {
    if (root.type !== 'object') {
      this.add(
        'document_not_object',
        'A policy must be a JSON object with Version and Statement, e.g. {"Version": "2012-10-17", "Statement": [...]}.',
        '',
        root.start,
      );
      return;
    }
    this.checkKeys(root, '', TOP_LEVEL_KEYS, 'a policy');
    const version = property(root, 'Version');
    const strictVersion = this.isManaged;
    if (!version) {
      this.add(
        'missing_version',
        strictVersion
          ? 'Add "Version": "2012-10-17": IAM refuses managed policies without it.'
          : 'Add "Version": "2012-10-17" so that policy variables work.',
        '',
        root.start,
        strictVersion ? 'error' : 'warning',
      );
    } else if (version.value.type !== 'string') {
      this.add(
        'invalid_element_type',
        'Version must be the string "2012-10-17".',
        '/Version',
        version.value.start,
      );
    } else if (!(POLICY_VERSIONS as readonly string[]).includes(version.value.value)) {
      this.add(
        'unknown_version',
        `Version "${version.value.value}" is not valid: use "2012-10-17".`,
        '/Version',
        version.value.start,
      );
    } else if (version.value.value === '2008-10-17') {
      this.add(
        'legacy_version',
        strictVersion
          ? 'Change Version to "2012-10-17": IAM refuses managed policies with 2008-10-17.'
          : 'Change Version to "2012-10-17": 2008-10-17 does not support policy variables.',
        '/Version',
        version.value.start,
        strictVersion ? 'error' : 'warning',
      );
    }
    const id = property(root, 'Id');
    if (id && id.value.type !== 'string')
      this.add('invalid_element_type', 'Id must be a string.', '/Id', id.value.start);

    const statement = property(root, 'Statement');
    if (!statement) {
      this.add('missing_statement', 'Add a Statement list with at least one statement.', '', root.start);
      return;
    }
    if (statement.value.type === 'object') {
      this.checkStatement(statement.value, '/Statement', 0);
    } else if (statement.value.type === 'array') {
      if (statement.value.items.length === 0)
        this.add(
          'missing_statement',
          'Statement is empty: add at least one statement.',
          '/Statement',
          statement.value.start,
        );
      statement.value.items.forEach((item, index) => {
        const path = `/Statement/${index}`;
        if (item.type === 'object') this.checkStatement(item, path, index);
        else
          this.add(
            'invalid_element_type',
            'Each statement must be a JSON object with Effect, Action and Resource.',
            path,
            item.start,
          );
      });
    } else {
      this.add(
        'invalid_element_type',
        'Statement must be a statement object or a list of them.',
        '/Statement',
        statement.value.start,
      );
    }
    this.checkAcrossStatements();
  }

  private readStringList(node: JsonNode, path: string, key: string): StringItem[] | null {
    if (node.type === 'string') {
      if (node.value === '') {
        this.add('empty_value', `${key} is an empty string: give a value.`, path, node.start);
        return [];
      }
      return [new StringItem(node.value, node, path, -1)];
    }
    if (node.type !== 'array') {
      this.add('invalid_element_type', `${key} must be a string or a list of strings.`, path, node.start);
      return null;
    }
    if (node.items.length === 0) {
      this.add('empty_value', `${key} is an empty list: give at least one value.`, path, node.start);
      return [];
    }
    const items: StringItem[] = [];
    node.items.forEach((item, index) => {
      if (item.type !== 'string')
        this.add(
          'invalid_element_type',
          `Each ${key} entry must be a string.`,
          `${path}/${index}`,
          item.start,
        );
      else if (item.value === '')
        this.add(
          'empty_value',
          `${key} has an empty string: remove it or give a value.`,
          `${path}/${index}`,
          item.start,
        );
      else items.push(new StringItem(item.value, item, path, index));
    });
    return items;
  }

  private readListElement(
    statement: JsonObject,
    path: string,
    key: string,
    notKey: string,
  ): ListElement | null {
    const positive = property(statement, key);
    const negative = property(statement, notKey);
    if (positive && negative) {
      this.add(
        'conflicting_elements',
        `Use either ${key} or ${notKey} in a statement, not both.`,
        `${path}/${notKey}`,
        negative.keyStart,
      );
    }
    const chosen = positive ?? negative;
    if (!chosen) return null;
    const elementPath = `${path}/${chosen.key}`;
    const items = this.readStringList(chosen.value, elementPath, chosen.key);
    if (items === null) return null;
    return { key: chosen.key, path: elementPath, offset: chosen.keyStart, items, isNot: chosen === negative };
  }

  private checkStatement(node: JsonObject, path: string, index: number): void {
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
    this.checkKeys(node, path, STATEMENT_KEYS, 'a statement');
    const isTrust = this.kind === 'trust';

    const sid = property(node, 'Sid');
    if (sid) {
      if (sid.value.type !== 'string')
        this.add('invalid_element_type', 'Sid must be a string.', `${path}/Sid`, sid.value.start);
      else {
        facts.sid = new StringItem(sid.value.value, sid.value, `${path}/Sid`, -1);
        if (!/^[A-Za-z0-9]*$/.test(sid.value.value)) {
          this.add(
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
      this.add(
        'missing_effect',
        'Add "Effect": "Allow" or "Effect": "Deny" to the statement.',
        path,
        node.start,
      );
    else if (effect.value.type !== 'string')
      this.add('invalid_effect', 'Effect must be "Allow" or "Deny".', `${path}/Effect`, effect.value.start);
    else if (effect.value.value === 'Allow' || effect.value.value === 'Deny')
      facts.effect = effect.value.value;
    else {
      const lower = effect.value.value.toLowerCase();
      const fix =
        lower === 'allow'
          ? 'Write "Allow" exactly (IAM is case-sensitive here).'
          : lower === 'deny'
            ? 'Write "Deny" exactly (IAM is case-sensitive here).'
            : 'Use "Allow" or "Deny".';
      this.add(
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
      this.add(
        'conflicting_elements',
        'Use either Principal or NotPrincipal in a statement, not both.',
        `${path}/NotPrincipal`,
        notPrincipal.keyStart,
      );
    }
    let principals: PrincipalEntry[] | '*' | null = null;
    if (this.kind !== 'trust') {
      for (const element of [principal, notPrincipal]) {
        if (element) {
          this.add(
            'principal_not_allowed',
            `Remove ${element.key}: ${this.kind === 'boundary' ? 'a permissions boundary' : 'an identity policy'} applies to the role it is attached to and names no principal.`,
            `${path}/${element.key}`,
            element.keyStart,
          );
        }
      }
    } else {
      if (notPrincipal)
        this.add(
          'trust_not_principal',
          'Trust policies do not support NotPrincipal: name the allowed principals in Principal instead.',
          `${path}/NotPrincipal`,
          notPrincipal.keyStart,
        );
      if (!principal && !notPrincipal)
        this.add(
          'trust_missing_principal',
          'Add a Principal naming who may assume the role (an account, service, or identity provider).',
          path,
          node.start,
        );
      if (principal) principals = this.readPrincipals(principal.value, `${path}/Principal`);
    }
    if (principals === '*') facts.principalSignature = '*';
    else if (principals)
      facts.principalSignature = principals
        .map((entry) => `${entry.type}=${entry.value}`)
        .sort()
        .join('|');

    // Actions
    const actions = this.readListElement(node, path, 'Action', 'NotAction');
    facts.actions = actions;
    if (!actions && !property(node, 'Action') && !property(node, 'NotAction')) {
      this.add('missing_action', 'Add an Action (or NotAction) list to the statement.', path, node.start);
    }
    const expanded = actions ? this.checkActions(actions) : [];

    // Resources
    const hasResource = property(node, 'Resource') ?? property(node, 'NotResource');
    if (isTrust) {
      if (hasResource)
        this.add(
          'trust_resource_not_allowed',
          `Remove ${hasResource.key}: a trust policy applies to the role itself and takes no resource.`,
          `${path}/${hasResource.key}`,
          hasResource.keyStart,
        );
    } else {
      const resources = this.readListElement(node, path, 'Resource', 'NotResource');
      facts.resources = resources;
      if (!hasResource)
        this.add(
          'missing_resource',
          'Add a Resource (or NotResource) list to the statement, e.g. "Resource": "*" or the ARNs it applies to.',
          path,
          node.start,
        );
      if (resources) this.checkResources(resources, actions, expanded);
    }

    if (facts.effect === 'Allow' && actions?.isNot && !isTrust) {
      this.add(
        'allow_with_not_action',
        'Allow with NotAction grants every other action, including ones AWS adds later: list the allowed actions in Action instead.',
        `${path}/NotAction`,
        actions.offset,
      );
    }
    if (facts.effect === 'Allow' && facts.resources?.isNot) {
      this.add(
        'allow_with_not_resource',
        'Allow with NotResource grants every other resource, including new ones: list the allowed resources in Resource instead.',
        `${path}/NotResource`,
        facts.resources.offset,
      );
    }

    const condition = property(node, 'Condition');
    if (condition) this.checkConditions(condition.value, `${path}/Condition`, expanded, actions, facts);

    if (isTrust && principals !== null) this.checkTrustStatement(facts, principals, actions, node);
    this.statements.push(facts);
  }

  private readPrincipals(node: JsonNode, path: string): PrincipalEntry[] | '*' | null {
    if (node.type === 'string') {
      if (node.value === '*') return '*';
      this.add(
        'invalid_principal',
        `Principal "${node.value}" is not valid: use "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}.`,
        path,
        node.start,
      );
      return null;
    }
    if (node.type !== 'object') {
      this.add(
        'invalid_element_type',
        'Principal must be "*" or an object such as {"AWS": "111122223333"}.',
        path,
        node.start,
      );
      return null;
    }
    if (node.properties.length === 0) {
      this.add('empty_value', 'Principal is empty: name at least one principal.', path, node.start);
      return [];
    }
    const entries: PrincipalEntry[] = [];
    for (const prop of node.properties) {
      const typePath = `${path}/${escapePointerToken(prop.key)}`;
      if (!['AWS', 'Service', 'Federated', 'CanonicalUser'].includes(prop.key)) {
        this.add(
          'invalid_principal',
          `Principal type "${prop.key}" is not valid: use AWS, Service, Federated or CanonicalUser.`,
          typePath,
          prop.keyStart,
        );
        continue;
      }
      const items = this.readStringList(prop.value, typePath, `Principal ${prop.key}`);
      for (const item of items ?? []) {
        const problem = checkPrincipal(prop.key, item.value);
        if (problem) this.add('invalid_principal', problem, item.path, item.node.start);
        entries.push({ type: prop.key, value: item.value, node: item.node, path: item.path });
      }
    }
    return entries;
  }

  private checkActions(actions: ListElement): ExpandedAction[] {
    const catalogue = this.catalogue;
    const expanded: ExpandedAction[] = [];
    // Lists are short: arrays are cheaper than sets here.
    const seenLower: string[] = [];
    const seenItems: StringItem[] = [];
    const patterns: { regex: RegExp; item: StringItem }[] = [];
    for (const item of actions.items) {
      const value = item.value;
      const lower = value.toLowerCase();
      if (seenLower.includes(lower)) {
        this.add(
          'redundant_action',
          `"${value}" is listed twice in ${actions.key}: remove one.`,
          item.path,
          item.node.start,
        );
        continue;
      }
      seenLower.push(lower);
      seenItems.push(item);
      if (hasWildcard(value) && lower !== '*') patterns.push({ regex: globToRegExp(lower), item });
      if (value === '*') {
        expanded.push({ item, actions: null });
        continue;
      }
      const colon = value.indexOf(':');
      if (colon === -1) {
        this.add(
          'invalid_action_format',
          `Action "${value}" has no service prefix: write it as service:Action, e.g. s3:GetObject.`,
          item.path,
          item.node.start,
        );
        expanded.push({ item, actions: null });
        continue;
      }
      if (value.indexOf(':', colon + 1) !== -1) {
        this.add(
          'invalid_action_format',
          `Action "${value}" has more than one colon: write it as service:Action.`,
          item.path,
          item.node.start,
        );
        expanded.push({ item, actions: null });
        continue;
      }
      const service = value.slice(0, colon);
      if (!/^[A-Za-z0-9.*?-]+$/.test(service)) {
        this.add(
          'invalid_action_format',
          `"${service}" is not a valid service prefix in "${value}": use the service's prefix, e.g. s3, ec2, iam.`,
          item.path,
          item.node.start,
        );
        expanded.push({ item, actions: null });
        continue;
      }
      if (!catalogue) {
        expanded.push({ item, actions: null });
        continue;
      }
      const matched = catalogue.expandAction(value);
      if (matched.length === 0) {
        if (!hasWildcard(service) && catalogue.getService(service) === null) {
          this.add(
            'unknown_service',
            `"${service}" is not a known AWS service prefix in "${value}": check the spelling (e.g. s3, ec2, iam, lambda).`,
            item.path,
            item.node.start,
          );
        } else if (hasWildcard(value)) {
          this.add(
            'action_wildcard_matches_nothing',
            `"${value}" matches no action: check the spelling, or pick actions from the list of ${service} actions.`,
            item.path,
            item.node.start,
          );
        } else {
          const close = catalogue.searchActions(value.slice(colon + 1), { service, limit: 1 }).actions[0];
          this.add(
            'unknown_action',
            `"${value}" is not an action of ${service}.${close ? ` Did you mean "${close.fullName}"?` : ' Check the spelling.'}`,
            item.path,
            item.node.start,
          );
        }
        expanded.push({ item, actions: null });
        continue;
      }
      expanded.push({ item, actions: matched });
    }
    // An action already covered by a wildcard pattern in the same list.
    if (patterns.length > 0) {
      for (let index = 0; index < seenItems.length; index += 1) {
        const item = seenItems[index]!;
        const lower = seenLower[index]!;
        const cover = patterns.find((pattern) => pattern.item !== item && pattern.regex.test(lower));
        if (cover)
          this.add(
            'redundant_action',
            `"${item.value}" is already covered by "${cover.item.value}" in ${actions.key}: remove it.`,
            item.path,
            item.node.start,
          );
      }
    }
    return expanded;
  }

  private checkResources(
    resources: ListElement,
    actions: ListElement | null,
    expanded: ExpandedAction[],
  ): void {
    const patterns: { regex: RegExp; item: StringItem }[] = [];
    const valid: StringItem[] = [];
    for (const item of resources.items) {
      if (valid.some((other) => other.value === item.value)) {
        this.add(
          'redundant_resource',
          `"${item.value}" is listed twice in ${resources.key}: remove one.`,
          item.path,
          item.node.start,
        );
        continue;
      }
      const problem = checkResourceArn(item.value);
      if (problem) {
        this.add('invalid_arn', problem, item.path, item.node.start);
        continue;
      }
      valid.push(item);
      if (hasWildcard(item.value)) patterns.push({ regex: globToRegExp(item.value), item });
    }
    if (patterns.length > 0) {
      for (const item of valid) {
        const cover = patterns.find((pattern) => pattern.item !== item && pattern.regex.test(item.value));
        if (cover)
          this.add(
            'redundant_resource',
            `"${item.value}" is already covered by "${cover.item.value}" in ${resources.key}: remove it.`,
            item.path,
            item.node.start,
          );
      }
    }
    const catalogue = this.catalogue;
    if (!catalogue || !actions || actions.isNot || resources.isNot || valid.length === 0) return;
    // Only check when every action was resolved: "*" or an unknown action could apply to anything.
    if (expanded.length === 0 || expanded.some((entry) => entry.actions === null)) return;
    if (expanded.some((entry) => hasWildcard(entry.item.value.slice(0, entry.item.value.indexOf(':')))))
      return;
    const hasStar = valid.some((item) => item.value === '*');

    // Resources matching no resource type of any action.
    const matchedByAction = expanded.map(() => hasStar);
    const onlyStar = expanded.every((entry) => entry.actions!.every((action) => action.isWildcardOnly));
    for (const item of valid) {
      if (item.value === '*') continue;
      let isMatched = false;
      let fitsService = false;
      for (let at = 0; at < expanded.length; at += 1) {
        const entry = expanded[at]!;
        const list = entry.actions!;
        const service = list[0]?.service;
        if (service === undefined) continue;
        const types = catalogue.matchResourceTypes(service, item.value);
        if (types.size === 0) continue;
        fitsService = true;
        for (const action of list) {
          if (action.resourceTypes.some((type) => types.has(type.name.toLowerCase()))) {
            isMatched = true;
            matchedByAction[at] = true;
            break;
          }
        }
      }
      // Actions that support only "*" get their own finding (action_matches_no_resource) below.
      if (isMatched || (onlyStar && fitsService)) continue;
      if (!fitsService) {
        this.add(
          'resource_matches_no_action',
          `"${item.value}" matches no resource type of the services of ${describeActions(expanded)}: check the ARN's service and format against the resource types the actions support.`,
          item.path,
          item.node.start,
        );
      } else {
        this.add(
          'resource_type_mismatch',
          `"${item.value}" is a ${[...new Set(expanded.flatMap((entry) => [...catalogue.matchResourceTypes(entry.actions![0]!.service, item.value)]))].join(' or ')} ARN, but ${describeActions(expanded)} ${expanded.length === 1 ? 'takes' : 'take'} other resource types: use the ARN form the actions take (e.g. arn:aws:s3:::bucket/* for objects), or move it to a statement with matching actions.`,
          item.path,
          item.node.start,
        );
      }
    }
    // Explicitly named actions that none of the resources apply to.
    for (let at = 0; at < expanded.length; at += 1) {
      const entry = expanded[at]!;
      if (matchedByAction[at] || hasWildcard(entry.item.value)) continue;
      const action = entry.actions![0]!;
      const message = action.isWildcardOnly
        ? `${action.fullName} supports only "Resource": "*", so this statement does not apply to it: move it to a statement with "Resource": "*".`
        : `${action.fullName} applies to none of this statement's resources (it takes ${action.resourceTypes.map((type) => type.name).join(', ')}): add a matching ARN or move the action.`;
      this.add('action_matches_no_resource', message, entry.item.path, entry.item.node.start);
    }
  }

  private checkConditions(
    node: JsonNode,
    path: string,
    expanded: ExpandedAction[],
    actions: ListElement | null,
    facts: StatementFacts,
  ): void {
    if (node.type !== 'object') {
      this.add(
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
        this.add(
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
        this.add(
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
            this.add(
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
              this.add(
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
          this.add(
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
            typeof entry.value === 'string' && entry.node.type === 'number'
              ? Number(entry.value)
              : entry.value,
          );
          if (expected)
            this.add(
              'invalid_condition_value',
              `${operatorProp.key} needs ${expected}; got ${JSON.stringify(entry.value)}.`,
              entry.path,
              entry.node.start,
            );
        }
        this.checkConditionKey(keyProp.key, keyPath, keyProp.keyStart, parsed, expanded, actions);
      }
    }
    facts.conditionSignature = signature.sort().join('&');
  }

  private checkConditionKey(
    key: string,
    path: string,
    offset: number,
    operator: NonNullable<ReturnType<typeof parseConditionOperator>>,
    expanded: ExpandedAction[],
    actions: ListElement | null,
  ): void {
    const catalogue = this.catalogue;
    if (!catalogue) return;
    const colon = key.indexOf(':');
    const prefix = colon === -1 ? '' : key.slice(0, colon);
    // Keys of OIDC identity providers are prefixed by the provider's host (token.actions.githubusercontent.com:sub).
    const isProviderKey = prefix.includes('.') || prefix.includes('/');
    const info = catalogue.getConditionKey(key);
    if (!info) {
      if (isProviderKey) return;
      this.add(
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
      this.add(
        'operator_type_mismatch',
        `${key} is of type ${info.type}, but ${operator.base} compares ${operator.family === 'IpAddress' ? 'IP addresses' : operator.family.toLowerCase()} values: use a ${families[0]} operator.`,
        path,
        offset,
      );
    }
    if (!isProviderKey && operator.family !== 'Null') {
      const isMulti = type.startsWith('arrayof');
      if (operator.setQualifier && !isMulti && families) {
        this.add(
          'set_operator_on_single_valued_key',
          `${key} has a single value, so ${operator.setQualifier}: does not apply: remove the qualifier (with ForAllValues, a missing key even matches).`,
          path,
          offset,
        );
      } else if (!operator.setQualifier && isMulti) {
        this.add(
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
    this.add(
      'condition_key_not_supported',
      `None of ${describeActions(expanded)} supports the condition key ${info.key}: the condition cannot match as intended. Use a key the actions support, or a global key.`,
      path,
      offset,
    );
  }

  private checkTrustStatement(
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
          this.add(
            'trust_action_wildcard',
            `"${item.value}" in a trust policy: list the assume actions explicitly, e.g. "sts:AssumeRole" and "sts:TagSession".`,
            item.path,
            item.node.start,
          );
        } else if (TRUST_ACTIONS.has(lower)) actionNames.add(lower);
        else {
          this.add(
            'trust_action_not_allowed',
            `"${item.value}" cannot be used in a trust policy: use sts:AssumeRole, sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity, sts:TagSession, sts:SetSourceIdentity or sts:SetContext.`,
            item.path,
            item.node.start,
          );
        }
      }
    } else if (actions?.isNot) {
      this.add(
        'trust_action_not_allowed',
        'NotAction cannot be used in a trust policy: list the assume actions in Action.',
        actions.path,
        actions.offset,
      );
    }
    const isAllow = facts.effect === 'Allow';

    if (principals === '*' || principals.some((entry) => entry.type === 'AWS' && entry.value === '*')) {
      if (isAllow && !facts.hasConditions) {
        this.add(
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
          this.add(
            'trust_federated_action_mismatch',
            `The principal ${entry.value} assumes roles with ${ASSUME_ACTION_NAMES[action]}: add it to Action${assumeActions.length > 0 ? ` (or put this principal in its own statement)` : ''}.`,
            entry.path,
            entry.node.start,
          );
        }
      }
      for (const action of assumeActions) {
        if (!needed.has(action) && principals.length > 0) {
          this.add(
            'trust_federated_action_mismatch',
            `${ASSUME_ACTION_NAMES[action]} does not fit the statement's principals (${principals.map((entry) => entry.value).join(', ')}): use ${[...new Set([...needed.keys()].map((name) => ASSUME_ACTION_NAMES[name]))].join(' or ')}.`,
            actions.path,
            actions.offset,
          );
        }
      }
    }

    if (!isAllow) return;
    // OIDC / web identity principals need audience and subject conditions.
    for (const entry of principals) {
      if (entry.type !== 'Federated' || principalCategory(entry.type, entry.value) !== 'oidc') continue;
      const host = oidcKeyPrefix(entry.value).toLowerCase();
      const audienceKeys =
        host === 'graph.facebook.com' || host === 'www.amazon.com'
          ? [`${host}:app_id`]
          : [`${host}:aud`, `${host}:azp`, `${host}:oaud`];
      if (!audienceKeys.some((key) => facts.conditionKeys?.has(key))) {
        this.add(
          'trust_oidc_missing_audience',
          `Add a condition on ${audienceKeys[0]} (StringEquals) so that only tokens issued for your application can assume the role.`,
          entry.path,
          entry.node.start,
        );
      }
      const isProviderArn = entry.value.includes(':oidc-provider/');
      if (isProviderArn && !facts.conditionKeys?.has(`${host}:sub`)) {
        this.add(
          'trust_oidc_missing_subject',
          `Add a condition on ${host}:sub naming the identities allowed (e.g. repo:ORG/REPO:ref:refs/heads/main for GitHub Actions); otherwise any identity of this provider can assume the role.`,
          entry.path,
          entry.node.start,
        );
      }
    }
    // Third parties need an external ID.
    if (
      this.options.isForThirdParty &&
      actionNames.has('sts:assumerole') &&
      !facts.conditionKeys?.has('sts:externalid')
    ) {
      const own = this.options.accountId;
      const external = principals.find((entry) => {
        if (entry.type !== 'AWS' || entry.value === '*') return false;
        const account = /^\d{12}$/.test(entry.value) ? entry.value : (splitArn(entry.value)?.[4] ?? '');
        return account !== '' && account !== own;
      });
      if (external) {
        this.add(
          'trust_third_party_missing_external_id',
          `Account of ${external.value} is a third party: add "Condition": {"StringEquals": {"sts:ExternalId": "<the ID they give you>"}} to prevent the confused-deputy problem.`,
          external.path,
          external.node.start,
        );
      }
    }
  }

  private checkAcrossStatements(): void {
    const sids = new Map<string, StatementFacts>();
    for (const facts of this.statements) {
      if (!facts.sid || facts.sid.value === '') continue;
      const first = sids.get(facts.sid.value);
      if (first)
        this.add(
          'duplicate_sid',
          `Sid "${facts.sid.value}" is already used by statement ${first.index}: give each statement a unique Sid.`,
          facts.sid.path,
          facts.sid.node.start,
        );
      else sids.set(facts.sid.value, facts);
    }
    if (
      this.kind === 'boundary' &&
      this.statements.length > 0 &&
      !this.statements.some((facts) => facts.effect === 'Allow')
    ) {
      this.add(
        'boundary_no_allow',
        'A permissions boundary with only Deny statements allows nothing, so the role could do nothing: add an Allow statement with the maximum permissions.',
        '/Statement',
        this.statements[0]!.offset,
      );
    }
    this.checkRedundantStatements();
  }

  private checkRedundantStatements(): void {
    // Statements are compared only within groups of the same effect, principals and conditions.
    const groups = new Map<
      string,
      { facts: StatementFacts; actions: Matcher; resources: Matcher | null }[]
    >();
    for (const facts of this.statements) {
      if (!facts.effect || !facts.actions || facts.actions.items.length === 0) continue;
      if (this.kind !== 'trust' && (!facts.resources || facts.resources.items.length === 0)) continue;
      const key = `${facts.effect}#${facts.actions.isNot ? 'N' : 'A'}#${facts.resources?.isNot ? 'N' : 'R'}#${facts.principalSignature}#${facts.conditionSignature}`;
      const group = groups.get(key) ?? [];
      group.push({
        facts,
        actions: new Matcher(facts.actions.items, true),
        resources: facts.resources ? new Matcher(facts.resources.items, false) : null,
      });
      groups.set(key, group);
    }
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      // Index the group so that each statement is compared only with those that could cover it:
      // the ones listing its first action exactly, and the ones with wildcard patterns.
      const byAction = new Map<string, typeof group>();
      const withPatterns: typeof group = [];
      for (const entry of group) {
        if (entry.actions.hasPatterns) withPatterns.push(entry);
        for (const value of entry.actions.values) {
          const list = byAction.get(value);
          if (list) list.push(entry);
          else byAction.set(value, [entry]);
        }
      }
      for (const candidate of group) {
        const others = candidate.facts.actions!.isNot
          ? [group]
          : [byAction.get(candidate.actions.values[0]!) ?? [], withPatterns];
        for (const other of others.flat()) {
          if (other === candidate) continue;
          const isNot = candidate.facts.actions!.isNot;
          // For NotAction, a statement excluding fewer actions covers one excluding more.
          const actionsCovered = isNot
            ? candidate.actions.coversAll(other.actions)
            : other.actions.coversAll(candidate.actions);
          if (!actionsCovered) continue;
          const resourcesCovered =
            candidate.resources === null ||
            other.resources === null ||
            (candidate.facts.resources!.isNot
              ? candidate.resources.coversAll(other.resources)
              : other.resources.coversAll(candidate.resources));
          if (!resourcesCovered) continue;
          // Two identical statements cover each other: report only the later one.
          const isMutual = isNot
            ? other.actions.coversAll(candidate.actions)
            : candidate.actions.coversAll(other.actions);
          const resourcesMutual =
            candidate.resources === null ||
            other.resources === null ||
            (candidate.resources.coversAll(other.resources) &&
              other.resources.coversAll(candidate.resources));
          if (isMutual && resourcesMutual && candidate.facts.index < other.facts.index) continue;
          const what = candidate.facts.effect === 'Allow' ? 'grants' : 'denies';
          this.add(
            'redundant_statement',
            `Statement ${candidate.facts.index}${candidate.facts.sid?.value ? ` (${candidate.facts.sid.value})` : ''} is redundant: statement ${other.facts.index}${other.facts.sid?.value ? ` (${other.facts.sid.value})` : ''} already ${what} all of it. Remove it or merge the two.`,
            candidate.facts.path,
            candidate.facts.offset,
          );
          break;
        }
      }
    }
  }
}

/** A list of action or resource patterns, for "covers all of" tests between statements. */
class Matcher {
  private readonly patterns: RegExp[] = [];
  readonly values: string[] = [];

  get hasPatterns(): boolean {
    return this.patterns.length > 0;
  }

  constructor(items: StringItem[], caseInsensitive: boolean) {
    for (const item of items) {
      const value = caseInsensitive ? item.value.toLowerCase() : item.value;
      this.values.push(value);
      if (hasWildcard(value)) this.patterns.push(globToRegExp(value));
    }
  }

  /** True when every value of `other` (read literally) is matched by one of ours. */
  coversAll(other: Matcher): boolean {
    for (const value of other.values) {
      // Lists are short, so a linear search is cheaper than building a set.
      if (this.values.includes(value)) continue;
      if (this.patterns.length === 0 || !this.patterns.some((pattern) => pattern.test(value))) return false;
    }
    return true;
  }
}

function property(
  node: JsonObject,
  key: string,
): { key: string; keyStart: number; value: JsonNode } | undefined {
  let found: { key: string; keyStart: number; value: JsonNode } | undefined;
  // The last occurrence wins, as with JSON.parse.
  for (const prop of node.properties) if (prop.key === key) found = prop;
  return found;
}

function principalOffset(node: JsonObject): number {
  return property(node, 'Principal')?.keyStart ?? node.start;
}

function describeActions(expanded: ExpandedAction[]): string {
  const names = expanded.map((entry) => entry.item.value);
  if (names.length <= 3) return names.join(', ');
  return `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/**
 * Validates a policy document's text for its kind: an identity policy (managed or inline), a
 * role's trust policy, or a permissions boundary. Returns every finding, ordered by position in
 * the text; an empty list means IAM would accept the policy and nothing looks wrong. Never throws
 * on any input text. Pass the catalogue (from `loadCatalogue`) for service, action, resource and
 * condition-key checks; without it those checks are skipped.
 */
export function validatePolicy(
  text: string,
  kind: PolicyKind,
  options: ValidatePolicyOptions = {},
): Finding[] {
  const validator = new Validator(text, kind, options);
  validator.run();
  return validator.findings.sort((a, b) => a.line - b.line || a.column - b.column);
}
