import { comparablePolicy } from '@/lib/iam/policy-equivalence';
import { GITHUB_AUDIENCE, GITHUB_OIDC_HOST, githubSubject } from '@/lib/iam/github-subject';
import type { PolicyDocument, PolicyStatement } from '@/lib/iam/policy';
import {
  SAML_ATTRIBUTE_KEYS,
  trustedEntitySchema,
  type Partition,
  type TrustedEntity,
} from '@/lib/iam/trust-entity';

/**
 * The trust policy builder: from the wizard's trusted-entity choice to the document the IAM
 * console's Create role wizard writes, and back.
 *
 * Documents follow the console's current output (IAM User Guide: id_roles_create_for-user,
 * id_roles_create_for-service, id_roles_create_for-idp_oidc, id_roles_create_for-idp_saml):
 * - another or this AWS account: `"AWS": "arn:aws:iam::ID:root"`, `"Action": "sts:AssumeRole"`,
 *   `"Condition": {}` unless an external ID (`StringEquals sts:ExternalId`) or MFA
 *   (`Bool aws:MultiFactorAuthPresent "true"`) is required;
 * - AWS service: `"Action": ["sts:AssumeRole"]` and `"Service": [...]`, both as lists;
 * - web identity: `Federated` with `<provider>:aud` / `:app_id` (`StringEquals`), Cognito adding
 *   `ForAnyValue:StringLike cognito-identity.amazonaws.com:amr`, an IAM OIDC provider with
 *   `<host>:aud` and optional `<host>:sub` (GitHub Actions: `StringLike` on `repo:org/repo:…`);
 * - SAML 2.0: `sts:AssumeRoleWithSAML`, plus `StringEquals SAML:aud
 *   https://signin.aws.amazon.com/saml` when console sign-in is allowed, and the attribute
 *   conditions (`StringEquals`, or `ForAnyValue:StringEquals` for a multi-valued attribute).
 */

export type BuiltEntity = Exclude<TrustedEntity, { type: 'custom' }>;

export interface TrustOptions {
  /** Partition of the account ARNs the builder writes and the recogniser accepts (default `aws`). */
  partition?: Partition;
}

export const SAML_SIGNIN_AUDIENCE = 'https://signin.aws.amazon.com/saml';
// Kept in a module without imports, so that the wizard's client can show the `sub` it writes.
export { GITHUB_AUDIENCE, GITHUB_OIDC_HOST, githubSubject };

const VERSION = '2012-10-17';

/** The issuer host and path of an OIDC provider ARN, which prefixes its condition keys. */
export function oidcProviderHost(providerArn: string): string {
  return providerArn.slice(providerArn.indexOf(':oidc-provider/') + ':oidc-provider/'.length);
}

const one = (values: readonly string[]): string | string[] =>
  values.length === 1 ? values[0]! : [...values];

/**
 * The trust policy the console writes for a trusted-entity choice. Deterministic: the same choice
 * always gives the same document (key order included). Never fails for a choice that passed
 * `trustedEntitySchema`.
 */
export function buildTrustPolicy(entity: BuiltEntity, options: TrustOptions = {}): PolicyDocument {
  const partition = options.partition ?? 'aws';
  let statement: PolicyStatement;
  switch (entity.type) {
    case 'aws_account': {
      const condition: Record<string, Record<string, string>> = {};
      if (entity.externalId !== undefined) condition.StringEquals = { 'sts:ExternalId': entity.externalId };
      if (entity.requireMfa) condition.Bool = { 'aws:MultiFactorAuthPresent': 'true' };
      statement = {
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${entity.accountId}:root` },
        Action: 'sts:AssumeRole',
        Condition: condition,
      };
      break;
    }
    case 'aws_service':
      statement = {
        Effect: 'Allow',
        Action: entity.tagSession ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'],
        Principal: { Service: [...entity.services] },
      };
      break;
    case 'saml': {
      const condition = samlCondition(entity);
      statement = {
        Effect: 'Allow',
        Principal: { Federated: entity.providerArn },
        Action: 'sts:AssumeRoleWithSAML',
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
      };
      break;
    }
    case 'web_identity':
      statement = webIdentityStatement(entity);
      break;
  }
  return { Version: VERSION, Statement: [statement] };
}

/**
 * A SAML trust's condition: `SAML:aud` for console access, then each attribute condition under
 * `StringEquals` (single-valued attributes) or `ForAnyValue:StringEquals` (multi-valued ones),
 * several values of one attribute as a list (any of them matches).
 */
function samlCondition(
  entity: Extract<BuiltEntity, { type: 'saml' }>,
): Record<string, Record<string, string | string[]>> {
  const blocks: Record<string, Record<string, string[]>> = {};
  if (entity.consoleAccess) blocks.StringEquals = { 'SAML:aud': [SAML_SIGNIN_AUDIENCE] };
  for (const { key, value } of entity.attributeConditions) {
    const operator = SAML_ATTRIBUTE_KEYS[key]?.multiValued ? 'ForAnyValue:StringEquals' : 'StringEquals';
    ((blocks[operator] ??= {})[key] ??= []).push(value);
  }
  return Object.fromEntries(
    Object.entries(blocks).map(([operator, keys]) => [
      operator,
      Object.fromEntries(Object.entries(keys).map(([key, values]) => [key, one(values)])),
    ]),
  );
}

function webIdentityStatement(entity: Extract<BuiltEntity, { type: 'web_identity' }>): PolicyStatement {
  const federated = (principal: string, condition: PolicyStatement['Condition']): PolicyStatement => ({
    Effect: 'Allow',
    Principal: { Federated: principal },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: condition,
  });
  switch (entity.provider) {
    case 'cognito':
      return federated('cognito-identity.amazonaws.com', {
        StringEquals: { 'cognito-identity.amazonaws.com:aud': entity.identityPoolId },
        'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': entity.amr },
      });
    case 'amazon':
      return federated('www.amazon.com', { StringEquals: { 'www.amazon.com:app_id': entity.appId } });
    case 'google':
      return federated('accounts.google.com', {
        StringEquals: { 'accounts.google.com:aud': entity.audience },
      });
    case 'facebook':
      return federated('graph.facebook.com', { StringEquals: { 'graph.facebook.com:app_id': entity.appId } });
    case 'github_actions':
      return federated(entity.providerArn, {
        StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_AUDIENCE },
        StringLike: {
          [`${GITHUB_OIDC_HOST}:sub`]: githubSubject(
            entity.organization,
            entity.repository,
            entity.branch,
            entity.environment,
          ),
        },
      });
    case 'oidc': {
      const host = oidcProviderHost(entity.providerArn);
      const condition: Record<string, Record<string, string | string[]>> = {
        StringEquals: { [`${host}:aud`]: one(entity.audiences) },
      };
      if (entity.subjects.length > 0) {
        // Exact subjects compare with StringEquals; any wildcard needs StringLike.
        const isPattern = entity.subjects.some((subject) => /[*?]/.test(subject));
        const operator = isPattern ? 'StringLike' : 'StringEquals';
        condition[operator] = { ...condition[operator], [`${host}:sub`]: one(entity.subjects) };
      }
      return federated(entity.providerArn, condition);
    }
  }
}

/** The trust policy text the console shows (4-space indented JSON); a custom document as written. */
export function trustPolicyText(entity: TrustedEntity, options: TrustOptions = {}): string {
  if (entity.type === 'custom') return entity.document;
  return JSON.stringify(buildTrustPolicy(entity, options), null, 4);
}

/**
 * The wizard choice that produces this trust policy, or `{ type: 'custom', document }` when no
 * choice produces it. A document matches when it equals the built one up to whitespace, key order,
 * a one-element list written as its element, an empty `Condition` and an empty `Sid`. Accepts the
 * document as text or as parsed JSON; never throws.
 */
export function recognizeTrustPolicy(document: unknown, options: TrustOptions = {}): TrustedEntity {
  const text = typeof document === 'string' ? document : JSON.stringify(document, null, 4);
  let json: unknown = document;
  if (typeof document === 'string') {
    try {
      json = JSON.parse(document);
    } catch {
      return { type: 'custom', document: text };
    }
  }
  const candidate = guessEntity(json, options.partition ?? 'aws');
  if (candidate === undefined) return { type: 'custom', document: text };
  const parsed = trustedEntitySchema.safeParse(candidate);
  if (!parsed.success || parsed.data.type === 'custom') return { type: 'custom', document: text };
  const rebuilt = buildTrustPolicy(parsed.data, options);
  return sameDocument(comparablePolicy(rebuilt), comparablePolicy(json))
    ? parsed.data
    : { type: 'custom', document: text };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  return undefined;
}

function single(value: unknown): string | undefined {
  const values = list(value);
  return values?.length === 1 ? values[0] : undefined;
}

/** A plausible choice for the document, to be rebuilt and compared; `undefined` when none fits. */
function guessEntity(json: unknown, partition: Partition): unknown {
  if (!isRecord(json)) return undefined;
  const statements = Array.isArray(json.Statement) ? json.Statement : [json.Statement];
  if (statements.length !== 1) return undefined;
  const statement: unknown = statements[0];
  if (!isRecord(statement) || !isRecord(statement.Principal)) return undefined;
  const principal = statement.Principal;
  const condition = isRecord(statement.Condition) ? statement.Condition : {};
  const conditionValue = (operator: string, key: string): unknown => {
    const block = condition[operator];
    return isRecord(block) ? block[key] : undefined;
  };

  const account = single(principal.AWS);
  if (account !== undefined) {
    const match = new RegExp(`^arn:${partition}:iam::(\\d{12}):root$`).exec(account);
    if (!match) return undefined;
    const externalId = single(conditionValue('StringEquals', 'sts:ExternalId'));
    return {
      type: 'aws_account',
      accountId: match[1],
      ...(externalId !== undefined ? { externalId } : {}),
      requireMfa: single(conditionValue('Bool', 'aws:MultiFactorAuthPresent')) === 'true',
    };
  }
  const services = list(principal.Service);
  if (services !== undefined) {
    return {
      type: 'aws_service',
      services,
      tagSession: (list(statement.Action) ?? []).includes('sts:TagSession'),
    };
  }
  const federated = single(principal.Federated);
  if (federated === undefined) return undefined;
  if (federated.includes(':saml-provider/')) {
    const attributeConditions: { key: string; value: unknown }[] = [];
    for (const operator of ['StringEquals', 'ForAnyValue:StringEquals']) {
      const block = condition[operator];
      if (!isRecord(block)) continue;
      for (const [key, values] of Object.entries(block)) {
        if (operator === 'StringEquals' && key === 'SAML:aud') continue;
        for (const value of list(values) ?? [values]) attributeConditions.push({ key, value });
      }
    }
    return {
      type: 'saml',
      providerArn: federated,
      consoleAccess: single(conditionValue('StringEquals', 'SAML:aud')) === SAML_SIGNIN_AUDIENCE,
      attributeConditions,
    };
  }
  switch (federated) {
    case 'cognito-identity.amazonaws.com':
      return {
        type: 'web_identity',
        provider: 'cognito',
        identityPoolId: single(conditionValue('StringEquals', 'cognito-identity.amazonaws.com:aud')),
        amr: single(conditionValue('ForAnyValue:StringLike', 'cognito-identity.amazonaws.com:amr')),
      };
    case 'www.amazon.com':
      return {
        type: 'web_identity',
        provider: 'amazon',
        appId: single(conditionValue('StringEquals', 'www.amazon.com:app_id')),
      };
    case 'accounts.google.com':
      return {
        type: 'web_identity',
        provider: 'google',
        audience: single(conditionValue('StringEquals', 'accounts.google.com:aud')),
      };
    case 'graph.facebook.com':
      return {
        type: 'web_identity',
        provider: 'facebook',
        appId: single(conditionValue('StringEquals', 'graph.facebook.com:app_id')),
      };
  }
  if (!federated.includes(':oidc-provider/')) return undefined;
  const host = oidcProviderHost(federated);
  if (host === GITHUB_OIDC_HOST) {
    const subject = single(conditionValue('StringLike', `${host}:sub`)) ?? '';
    const match = /^repo:([^/:]+)\/([^/:]+)(?::ref:refs\/heads\/(.+)|:environment:(.+)|:\*)?$/.exec(subject);
    if (match) {
      return {
        type: 'web_identity',
        provider: 'github_actions',
        providerArn: federated,
        organization: match[1],
        ...(match[2] !== '*' ? { repository: match[2] } : {}),
        ...(match[3] !== undefined ? { branch: match[3] } : {}),
        ...(match[4] !== undefined ? { environment: match[4] } : {}),
      };
    }
  }
  return {
    type: 'web_identity',
    provider: 'oidc',
    providerArn: federated,
    audiences: list(conditionValue('StringEquals', `${host}:aud`)),
    subjects:
      list(conditionValue('StringLike', `${host}:sub`) ?? conditionValue('StringEquals', `${host}:sub`)) ??
      [],
  };
}

function sameDocument(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
