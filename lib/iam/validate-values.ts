/**
 * Value-level rules of the IAM policy language: condition operators and the values they take,
 * ARN shapes, principal shapes. Pure helpers for `validatePolicy`.
 *
 * Sources: IAM User Guide, "IAM JSON policy elements: Condition operators"
 * (reference_policies_elements_condition_operators), "IAM identifiers", and
 * `../shared/reference/iam-api-facts.md` section 6.
 */

import { CONDITION_OPERATORS_BY_FAMILY, type OperatorFamily } from '@/lib/iam/condition-operators';
import { isIamDateValue } from '@/lib/iam/iam-date';

export type { OperatorFamily } from '@/lib/iam/condition-operators';

const OPERATORS: Record<string, { canonical: string; family: OperatorFamily }> = {};
for (const [family, names] of Object.entries(CONDITION_OPERATORS_BY_FAMILY) as [
  OperatorFamily,
  readonly string[],
][])
  for (const name of names) OPERATORS[name.toLowerCase()] = { canonical: name, family };

export interface ParsedOperator {
  /** The operator without qualifier or suffix, as AWS spells it (`StringEquals`). */
  base: string;
  family: OperatorFamily;
  setQualifier: 'ForAllValues' | 'ForAnyValue' | null;
  ifExists: boolean;
  /** True when the author's spelling differs from AWS's only by case. */
  isMiscased: boolean;
}

/**
 * Parses a condition operator such as `ForAnyValue:StringLikeIfExists`. Returns `null` for an
 * operator IAM does not know (including `NullIfExists` and qualifiers on `Null`).
 */
export function parseConditionOperator(operator: string): ParsedOperator | null {
  let rest = operator;
  let setQualifier: ParsedOperator['setQualifier'] = null;
  const lower = operator.toLowerCase();
  if (lower.startsWith('forallvalues:')) {
    setQualifier = 'ForAllValues';
    rest = operator.slice('ForAllValues:'.length);
  } else if (lower.startsWith('foranyvalue:')) {
    setQualifier = 'ForAnyValue';
    rest = operator.slice('ForAnyValue:'.length);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const known = OPERATORS[rest.toLowerCase()];
  if (!known) return null;
  if (known.family === 'Null' && (ifExists || setQualifier)) return null;
  const canonical = `${setQualifier ? `${setQualifier}:` : ''}${known.canonical}${ifExists ? 'IfExists' : ''}`;
  return {
    base: known.canonical,
    family: known.family,
    setQualifier,
    ifExists,
    isMiscased: canonical !== operator,
  };
}

const POLICY_VARIABLE = /^\$\{[^}]+\}$/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isIpv4Cidr(value: string): boolean {
  const [address, prefix, extra] = value.split('/');
  if (extra !== undefined || address === undefined) return false;
  const octets = address.split('.');
  if (octets.length !== 4 || !octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255))
    return false;
  return prefix === undefined || (/^\d{1,2}$/.test(prefix) && Number(prefix) <= 32);
}

function isIpv6Cidr(value: string): boolean {
  const [address, prefix, extra] = value.split('/');
  if (extra !== undefined || address === undefined || !address.includes(':')) return false;
  if (!/^[0-9A-Fa-f:.]+$/.test(address) || (address.match(/::/g) ?? []).length > 1) return false;
  const groups = address.split(':');
  if (groups.length > 8 || groups.some((group) => group.length > 4 && !group.includes('.'))) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= 128);
}

/**
 * Checks one condition value against its operator family. Returns `null` when it fits, or what
 * the value should look like. Policy variables (`${aws:username}`) are accepted everywhere.
 */
export function checkConditionValue(family: OperatorFamily, value: string | number | boolean): string | null {
  if (typeof value === 'string' && POLICY_VARIABLE.test(value)) return null;
  const text = String(value);
  switch (family) {
    case 'String':
      return null;
    case 'Numeric':
      return NUMBER.test(text) ? null : 'a number, e.g. 10 or "10"';
    case 'Date':
      return isIamDateValue(text)
        ? null
        : 'an ISO 8601 date such as "2026-01-31T12:00:00Z" or an epoch time in seconds';
    case 'Bool':
    case 'Null':
      return text.toLowerCase() === 'true' || text.toLowerCase() === 'false' ? null : 'true or false';
    case 'Binary':
      return typeof value === 'string' && BASE64.test(text) && text.length % 4 === 0
        ? null
        : 'a base64-encoded string';
    case 'IpAddress':
      return isIpv4Cidr(text) || isIpv6Cidr(text)
        ? null
        : 'an IP address or CIDR range, e.g. "203.0.113.0/24" or "2001:db8::/32"';
    case 'Arn':
      return typeof value === 'string' &&
        (text === '*' ||
          /^arn:[^:]*:[^:]*:[^:]*:[^:]*:.+/.test(text) ||
          (text.startsWith('arn:') && text.includes('*')))
        ? null
        : 'an ARN such as "arn:aws:iam::111122223333:role/name" (wildcards allowed with ArnLike)';
  }
}

/** The partitions IAM knows. */
export const PARTITIONS = new Set([
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
]);

/** IAM resource paths that IAM accepts (facts 6.1), plus newer resource types. */
const IAM_RESOURCE_PREFIXES = [
  'user/',
  'federated-user/',
  'role/',
  'group/',
  'instance-profile/',
  'mfa/',
  'server-certificate/',
  'policy/',
  'sms-mfa/',
  'saml-provider/',
  'oidc-provider/',
  'report/',
  'access-report/',
  'assumed-role/',
  'role-template/',
  'delegation-request/',
];

// Fast path without allocation: a well-formed ARN of a service with no special rules below.
const COMMON_ARN = /^arn:aws(?:-cn|-us-gov)?:(?!iam:|sts:|s3:)[a-z0-9-]+:[^:]*:[^:]*:./;

/**
 * Checks the shape of a resource ARN (`Resource`/`NotResource` entry). Returns `null` when IAM
 * would accept it, or a message saying what to change.
 */
export function checkResourceArn(resource: string): string | null {
  if (resource === '*' || COMMON_ARN.test(resource) || POLICY_VARIABLE.test(resource)) return null;
  if (!resource.startsWith('arn:')) {
    return `Resource "${resource}" must be an ARN (arn:partition:service:region:account:resource) or "*".`;
  }
  const parts = resource.split(':');
  const hasWild = resource.includes('*') || resource.includes('?');
  if (parts.length < 6) {
    if (hasWild && parts.length >= 3 && parts[2] !== '') return null;
    return `ARN "${resource}" is incomplete: write all six parts, arn:partition:service:region:account:resource (leave region or account empty, not missing).`;
  }
  const [, partition = '', service = '', region = '', account = ''] = parts;
  const resourcePart = parts.slice(5).join(':');
  if (
    !PARTITIONS.has(partition) &&
    !partition.includes('*') &&
    !partition.includes('?') &&
    !partition.includes('${')
  ) {
    return `Partition "${partition}" in "${resource}" is not valid: use aws, aws-cn or aws-us-gov (or \${aws:partition}).`;
  }
  if (service === '')
    return `ARN "${resource}" names no service: write the service prefix after the partition.`;
  if ((service === 'iam' || service === 'sts') && region !== '' && region !== '*') {
    return `IAM resource "${resource}" cannot contain a region: leave the fourth part empty (${service === 'iam' ? 'arn:aws:iam::account:…' : 'arn:aws:sts::account:…'}).`;
  }
  if (service === 's3' && region !== '' && account === '' && !hasWild) {
    return `S3 bucket and object ARNs cannot contain a region: write arn:aws:s3:::bucket.`;
  }
  if (service === 'iam' && resourcePart !== '' && resourcePart !== 'root' && !/^[*?$]/.test(resourcePart)) {
    if (!IAM_RESOURCE_PREFIXES.some((prefix) => resourcePart.startsWith(prefix))) {
      return `IAM resource path "${resourcePart}" is not valid: it must be "*", "root", or start with user/, role/, group/, policy/, instance-profile/, oidc-provider/, saml-provider/, …`;
    }
  }
  return null;
}

/**
 * A service principal: the service's name in lower case and the AWS domain, e.g.
 * `lambda.amazonaws.com`, `logs.eu-west-1.amazonaws.com`, `ec2.amazonaws.com.cn`,
 * `alexa-appkit.amazon.com`, and the ISO partitions' `ec2.c2s.ic.gov`, `ec2.sc2s.sgov.gov`
 * (reference_policies_elements_principal.html#principal-services;
 * Access Analyzer: Invalid service principal format).
 */
const SERVICE_PRINCIPAL =
  /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.(?:amazonaws\.com(?:\.cn)?|amazon\.com|c2s\.ic\.gov|sc2s\.sgov\.gov)$/;

/** True when `value` is a well-formed service principal (`lambda.amazonaws.com`). */
export function isServicePrincipal(value: string): boolean {
  return SERVICE_PRINCIPAL.test(value);
}

/** The kind of a principal in a trust policy, by which assume action it needs. */
export type PrincipalCategory = 'aws' | 'service' | 'saml' | 'oidc' | 'canonical';

/** Web identity providers that are named by host instead of a provider ARN. */
export const WEB_IDENTITY_HOSTS = new Set([
  'cognito-identity.amazonaws.com',
  'accounts.google.com',
  'www.amazon.com',
  'graph.facebook.com',
]);

/**
 * Checks one principal entry (`"AWS": "…"`, `"Service": "…"`, …). Returns `null` when it is
 * well formed, or a message saying what to change.
 */
export function checkPrincipal(type: string, value: string): string | null {
  const hasWild = value.includes('*') || value.includes('?');
  switch (type) {
    case 'AWS':
      if (value === '*') return null;
      if (/^\d{12}$/.test(value)) return null;
      // IAM shows a principal's unique id (AROA…, AIDA…) when the role or user it named was deleted.
      if (/^A[A-Z0-9]{15,127}$/.test(value)) return null;
      if (hasWild)
        return `Principal "${value}" contains a wildcard: name the account, role or user exactly and narrow with a condition such as aws:PrincipalArn (ArnLike).`;
      if (/^arn:[a-z-]+:iam::\d{12}:(root|(user|role)\/[\w+=,.@/-]+)$/.test(value)) return null;
      if (
        /^arn:[a-z-]+:sts::\d{12}:(assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+|federated-user\/[\w+=,.@-]+)$/.test(
          value,
        )
      )
        return null;
      return `AWS principal "${value}" is not valid: use a 12-digit account id, arn:aws:iam::ACCOUNT:root, or a role or user ARN.`;
    case 'Service':
      if (hasWild)
        return `Service principal "${value}" contains a wildcard: name the service exactly, e.g. ec2.amazonaws.com.`;
      return SERVICE_PRINCIPAL.test(value)
        ? null
        : `Service principal "${value}" is not valid: use the service's name in lower case followed by .amazonaws.com, e.g. lambda.amazonaws.com.`;
    case 'Federated':
      if (hasWild)
        return `Federated principal "${value}" contains a wildcard: name the identity provider exactly.`;
      if (WEB_IDENTITY_HOSTS.has(value)) return null;
      if (/^arn:[a-z-]+:iam::\d{12}:(oidc-provider\/[^\s]+|saml-provider\/[\w.-]+)$/.test(value)) return null;
      return `Federated principal "${value}" is not valid: use an oidc-provider or saml-provider ARN, or cognito-identity.amazonaws.com, accounts.google.com, www.amazon.com, graph.facebook.com.`;
    case 'CanonicalUser':
      return /^[0-9a-f]{64}$/.test(value)
        ? null
        : `Canonical user "${value}" is not valid: use the 64-character hexadecimal canonical user id.`;
    default:
      return `Principal type "${type}" is not valid: use AWS, Service, Federated or CanonicalUser.`;
  }
}

/** Which assume action a principal needs, from its type and value. */
export function principalCategory(type: string, value: string): PrincipalCategory {
  if (type === 'Service') return 'service';
  if (type === 'CanonicalUser') return 'canonical';
  if (type === 'Federated') return value.includes(':saml-provider/') ? 'saml' : 'oidc';
  return 'aws';
}

/**
 * The host that prefixes an OIDC provider's condition keys: `token.actions.githubusercontent.com`
 * for `arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com`.
 */
export function oidcKeyPrefix(federated: string): string {
  const marker = ':oidc-provider/';
  const at = federated.indexOf(marker);
  return at === -1 ? federated : federated.slice(at + marker.length);
}
