import { CONDITION_OPERATORS } from '@/lib/iam/condition-operators';
import { isIamDateValue } from '@/lib/iam/iam-date';
import { globToRegExp } from '@/lib/iam/policy-glob';
import { policySize } from '@/lib/iam/policy-size';
import { TRUST_POLICY_ACTIONS } from '@/lib/iam/trust-actions';
import { AwsError } from '@/lib/sandbox/protocol';

/**
 * IAM's own server-side checks of policy documents, with IAM's `MalformedPolicyDocument` messages
 * (reference 6.1–6.3). These are not the portal's linter (`lib/iam`): they reproduce what IAM
 * accepts and rejects, including the legacy quirks.
 */

const malformed = (message: string) => new AwsError('MalformedPolicyDocument', message);

/** Size of a policy as IAM counts it against its quotas (reference 5, "Whitespace is not counted"). */
export { policySize };

const topLevelKeys = new Set(['Version', 'Id', 'Statement']);
const statementKeys = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
  'Principal',
  'NotPrincipal',
]);
const operatorBases = CONDITION_OPERATORS;

/** The base operator of a condition operator (`ForAnyValue:StringLikeIfExists` → `StringLike`), or null if unknown. */
export function conditionOperatorBase(operator: string): string | null {
  let name = operator;
  if (name.startsWith('ForAnyValue:')) name = name.slice('ForAnyValue:'.length);
  else if (name.startsWith('ForAllValues:')) name = name.slice('ForAllValues:'.length);
  if (name.endsWith('IfExists') && name !== 'IfExists') name = name.slice(0, -'IfExists'.length);
  return operatorBases.includes(name) ? name : null;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Statement = Record<string, Json>;

const isObject = (value: unknown): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asList = (value: Json | undefined): Json[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function parseJson(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** Syntax stage shared by identity and trust policies (a Principal is allowed here; identity policies reject it later with its own message); returns the statements, or null if the syntax is wrong. */
function checkSyntax(document: Json): Statement[] | null {
  if (!isObject(document)) return null;
  for (const key of Object.keys(document)) if (!topLevelKeys.has(key)) return null;
  if ('Version' in document && document.Version !== '2012-10-17' && document.Version !== '2008-10-17')
    return null;
  if ('Id' in document && typeof document.Id !== 'string') return null;
  const raw = document.Statement;
  if (raw === undefined) return null;
  const statements = Array.isArray(raw) ? raw : [raw];
  if (statements.length === 0) return null;
  const result: Statement[] = [];
  for (const statement of statements) {
    if (!isObject(statement)) return null;
    for (const key of Object.keys(statement)) if (!statementKeys.has(key)) return null;
    if ('Action' in statement && 'NotAction' in statement) return null;
    if ('Resource' in statement && 'NotResource' in statement) return null;
    if ('Principal' in statement && 'NotPrincipal' in statement) return null;
    if (typeof statement.Effect !== 'string' || !['allow', 'deny'].includes(statement.Effect.toLowerCase()))
      return null;
    if ('Sid' in statement && typeof statement.Sid !== 'string') return null;
    for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
      if (!(key in statement)) continue;
      const value = statement[key];
      if (
        typeof value !== 'string' &&
        !(Array.isArray(value) && value.every((item) => typeof item === 'string'))
      )
        return null;
    }
    if ('Condition' in statement) {
      const condition = statement.Condition;
      if (!isObject(condition)) return null;
      for (const [operator, body] of Object.entries(condition)) {
        if (!isObject(body)) return null;
        if (conditionOperatorBase(operator) === null && Object.keys(body).length > 0) return null;
        for (const value of Object.values(body)) {
          const items = asList(value);
          if (items.some((item) => isObject(item) || Array.isArray(item) || item === null)) return null;
        }
      }
    }
    result.push(statement);
  }
  return result;
}

/** Legacy-parser checks shared by both kinds: Effect case, dates and numbers in conditions. */
function failsLegacyParsing(statements: Statement[]): boolean {
  for (const statement of statements) {
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') return true;
    const condition = statement.Condition;
    if (!isObject(condition)) continue;
    for (const [operator, body] of Object.entries(condition)) {
      const base = conditionOperatorBase(operator);
      if (!base || !isObject(body)) continue;
      for (const value of Object.values(body)) {
        for (const item of asList(value)) {
          const text = typeof item === 'string' ? item : JSON.stringify(item);
          if (base.startsWith('Numeric') && !/^-?\d+(\.\d+)?$/.test(text.trim())) return true;
          if (base.startsWith('Date') && !isIamDateValue(text)) return true;
        }
      }
    }
  }
  return false;
}

const iamResourcePrefixes = [
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
];

/** IAM's resource-format message for one resource, or null when acceptable. */
function resourceFormatError(resource: string): string | null {
  if (resource === '*') return null;
  const firstColon = resource.indexOf(':');
  if (firstColon < 0) return `Resource ${resource} must be in ARN format or "*".`;
  const afterArn = resource.slice(firstColon + 1);
  const partitionEnd = afterArn.indexOf(':');
  const partition = partitionEnd < 0 ? afterArn : afterArn.slice(0, partitionEnd);
  if (!['aws', '*', 'aws-cn', 'aws-us-gov'].includes(partition)) {
    const rest = partitionEnd < 0 ? [] : afterArn.slice(partitionEnd + 1).split(':');
    const part = (index: number) =>
      rest[index] !== undefined && (rest[index] !== '' || rest.length > 1) ? rest[index] : '*';
    const last = rest.length > 3 ? rest.slice(3).join(':') : '*';
    return `Partition "${partition}" is not valid for resource "arn:${partition}:${part(0)}:${part(1)}:${part(2)}:${last}".`;
  }
  if (partitionEnd < 0) return 'Resource vendor must be fully qualified and cannot contain regexes.';
  const parts = afterArn.slice(partitionEnd + 1).split(':');
  const service = parts[0] ?? '';
  const region = parts[1] ?? '';
  if (service === 'iam' && region !== '')
    return `IAM resource ${resource} cannot contain region information.`;
  if (service === 's3' && region !== '' && !parts.slice(3).join(':').startsWith('accesspoint')) {
    return `Resource ${resource} can not contain region information.`;
  }
  if (service === 'iam') {
    const path = parts.slice(3).join(':');
    if (
      parts.length >= 4 &&
      path !== '*' &&
      path !== 'root' &&
      !iamResourcePrefixes.some((prefix) => path.startsWith(prefix))
    ) {
      return `IAM resource path must either be "*", root, or start with ${iamResourcePrefixes.join(', ')}.`;
    }
  }
  return null;
}

function failsLegacyResource(resource: string): boolean {
  if (resource === '*') return false;
  const colons = resource.split(':').length - 1;
  if (colons < 5 && resource.includes('::')) return true;
  return resource.split(':')[2] === '';
}

/**
 * Checks an identity policy (CreatePolicy, CreatePolicyVersion, PutRolePolicy, session and
 * simulator policies) as IAM does. `managed` enforces the 2012-10-17 version rule. Throws
 * {@link AwsError} `MalformedPolicyDocument` with IAM's message.
 */
export function checkIdentityPolicy(text: string, options: { managed: boolean }): void {
  const document = parseJson(text);
  const statements = document === undefined ? null : checkSyntax(document);
  if (!statements || !isObject(document)) throw malformed('Syntax errors in policy.');
  if (options.managed && document.Version !== '2012-10-17') {
    throw malformed('Policy document must be version 2012-10-17 or greater.');
  }
  if (statements.some((statement) => 'Principal' in statement || 'NotPrincipal' in statement)) {
    throw malformed('Policy document should not specify a principal.');
  }
  let resourceError: string | null = null;
  let legacy = failsLegacyParsing(statements);
  for (const statement of statements) {
    for (const key of ['Resource', 'NotResource'] as const) {
      const resources = asList(statement[key]).map(String);
      for (const resource of [...resources].sort().reverse()) {
        const error = resourceFormatError(resource);
        if (error && !resourceError) resourceError = error;
      }
      if (!resourceError && resources.some(failsLegacyResource)) legacy = true;
    }
  }
  if (legacy) throw malformed('The policy failed legacy parsing');
  const sids = statements
    .map((statement) => statement.Sid)
    .filter((sid): sid is string => typeof sid === 'string' && sid !== '');
  if (new Set(sids).size !== sids.length)
    throw malformed('Statement IDs (SID) in a single policy must be unique.');
  for (const statement of statements) {
    if (asList(statement.Action ?? statement.NotAction).length === 0)
      throw malformed('Policy statement must contain actions.');
  }
  if (resourceError) throw malformed(resourceError);
  for (const statement of statements) {
    if (asList(statement.Resource ?? statement.NotResource).length === 0)
      throw malformed('Policy statement must contain resources.');
  }
  for (const statement of statements) {
    for (const action of asList(statement.Action ?? statement.NotAction).map(String)) {
      const parts = action.split(':');
      if (parts.length === 1 && parts[0] !== '*') {
        throw malformed('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
      }
      if (parts.length > 2) throw malformed('Actions/Condition can contain only one colon.');
      const vendor = parts[0]!;
      if (vendor !== '*' && /[^a-zA-Z0-9\-.]/.test(vendor)) throw malformed(`Vendor ${vendor} is not valid`);
    }
  }
}

/** How a trust policy's principal ARNs are resolved: does this role/user exist (for accounts the sandbox holds)? */
export type PrincipalExists = (arn: string) => boolean;

/**
 * Checks a role trust policy (CreateRole, UpdateAssumeRolePolicy) as IAM does, including that
 * role and user principals exist. Throws {@link AwsError} `MalformedPolicyDocument`.
 */
export function checkTrustPolicy(text: string, principalExists: PrincipalExists): void {
  const document = parseJson(text);
  if (document === undefined) throw malformed('This policy contains invalid Json');
  const statements = checkSyntax(document);
  if (!statements) throw malformed('Syntax errors in policy.');
  if (failsLegacyParsing(statements)) throw malformed('The policy failed legacy parsing');
  for (const statement of statements) {
    if ('Resource' in statement) throw malformed('Has prohibited field Resource');
    if ('NotResource' in statement) throw malformed('Has prohibited field NotResource');
  }
  for (const statement of statements) {
    const actions = asList(statement.Action ?? statement.NotAction).map(String);
    if (actions.length === 0) throw malformed('Policy statement must contain actions.');
    if ('Action' in statement) {
      for (const action of actions) {
        if (!TRUST_POLICY_ACTIONS.some((allowed) => globToRegExp(action, 'i').test(allowed))) {
          throw malformed('AssumeRole policy may only specify STS AssumeRole actions.');
        }
      }
    }
  }
  for (const statement of statements) {
    const principal = statement.Principal ?? statement.NotPrincipal;
    if (principal === undefined) {
      throw malformed(
        'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!',
      );
    }
    if (principal === '*') continue;
    if (!isObject(principal)) throw malformed('Syntax errors in policy.');
    for (const [type, values] of Object.entries(principal)) {
      const list = asList(values);
      for (const value of list) {
        if (typeof value !== 'string') throw malformed('Syntax errors in policy.');
        if (!isValidPrincipal(type, value, principalExists)) {
          throw malformed(
            `Invalid principal in policy: "${type === 'AWS' ? 'AWS' : type.toUpperCase()}":"${value}"`,
          );
        }
      }
    }
  }
}

function isValidPrincipal(type: string, value: string, principalExists: PrincipalExists): boolean {
  switch (type) {
    case 'AWS': {
      if (value === '*' || /^\d{12}$/.test(value)) return true;
      const match = /^arn:aws:(iam|sts)::(\d{12}):(.+)$/.exec(value);
      if (!match) return false;
      const [, service, , resource] = match as unknown as [string, string, string, string];
      if (resource.includes('*') || resource.includes('?')) return false;
      if (service === 'sts')
        return /^(assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+|federated-user\/[\w+=,.@-]+)$/.test(resource);
      if (resource === 'root') return true;
      if (!/^(role|user)\/([\u0021-\u007E]*\/)?[\w+=,.@-]+$/.test(resource)) return false;
      return principalExists(value);
    }
    case 'Service':
      return /^[a-z0-9.-]+$/i.test(value);
    case 'Federated':
      return (
        /^arn:aws:iam::\d{12}:(oidc-provider|saml-provider)\/.+$/.test(value) ||
        [
          'cognito-identity.amazonaws.com',
          'accounts.google.com',
          'www.amazon.com',
          'graph.facebook.com',
        ].includes(value)
      );
    case 'CanonicalUser':
      return /^[0-9a-f]{64}$/.test(value);
    default:
      return false;
  }
}
