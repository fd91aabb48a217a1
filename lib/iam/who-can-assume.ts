import {
  normalizePolicy,
  policyDocumentSchema,
  type NormalizedPrincipal,
  type NormalizedStatement,
} from '@/lib/iam/policy';
import { serviceDisplayNames } from '@/lib/iam/service-presets';
import { accountOfPrincipal } from '@/lib/iam/trust-analysis';
import { oidcProviderHost, recognizeTrustPolicy } from '@/lib/iam/trust-builder';
import type { TrustedEntity } from '@/lib/iam/trust-entity';

/**
 * One plain-English sentence saying who can assume a role, for requesters and approvers:
 * "Users and roles in account 111122223333 who signed in with MFA",
 * "GitHub Actions workflows of acme/app on branch main", "GitHub Actions workflows of acme/app running
 * in environment production", "Amazon EC2 instances".
 */

export interface WhoCanAssumeOptions {
  /** The role's own account, to say "this account" rather than repeating its id. */
  ownAccountId?: string;
}

const joinAnd = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

function accountPhrase(accountId: string, options: WhoCanAssumeOptions): string {
  return accountId === options.ownAccountId ? `this account (${accountId})` : `account ${accountId}`;
}

function describeService(principal: string): string {
  return serviceDisplayNames[principal] ?? `the AWS service ${principal}`;
}

function describeEntity(
  entity: Exclude<TrustedEntity, { type: 'custom' }>,
  options: WhoCanAssumeOptions,
): string {
  switch (entity.type) {
    case 'aws_account': {
      const demands = [
        ...(entity.requireMfa ? ['who signed in with MFA'] : []),
        ...(entity.externalId !== undefined ? ['who pass the agreed external ID'] : []),
      ];
      return [`Users and roles in ${accountPhrase(entity.accountId, options)}`, joinAnd(demands)]
        .filter(Boolean)
        .join(' ');
    }
    case 'aws_service':
      return joinAnd(entity.services.map(describeService));
    case 'saml': {
      const provider = entity.providerArn.slice(entity.providerArn.indexOf(':saml-provider/') + 15);
      const byKey = new Map<string, string[]>();
      for (const { key, value } of entity.attributeConditions)
        byKey.set(key, [...(byKey.get(key) ?? []), value]);
      const attributes = [...byKey].map(([key, values]) => `${key} is ${values.join(' or ')}`);
      return `Users federated through the SAML provider ${provider}${attributes.length > 0 ? ` whose ${joinAnd(attributes)}` : ''}${entity.consoleAccess ? ', in the console and programmatically' : ', programmatically'}`;
    }
    case 'web_identity':
      switch (entity.provider) {
        case 'cognito':
          return `${entity.amr === 'authenticated' ? 'Signed-in' : 'Guest (unauthenticated)'} users of the Amazon Cognito identity pool ${entity.identityPoolId}`;
        case 'amazon':
          return `Users signed in with Login with Amazon to the application ${entity.appId}`;
        case 'google':
          return `Users signed in with Google to the client ${entity.audience}`;
        case 'facebook':
          return `Users signed in with Facebook to the application ${entity.appId}`;
        case 'github_actions': {
          const ref = entity.branch
            ? ` on branch ${entity.branch}`
            : entity.environment
              ? ` running in environment ${entity.environment}`
              : '';
          if (entity.repository === undefined) {
            return `GitHub Actions workflows of any repository of ${entity.organization}${ref}`;
          }
          const where = `${entity.organization}/${entity.repository}`;
          return ref
            ? `GitHub Actions workflows of ${where}${ref}`
            : `GitHub Actions workflows of ${where} (any branch, tag, environment or pull request)`;
        }
        case 'oidc': {
          const host = oidcProviderHost(entity.providerArn);
          const subjects =
            entity.subjects.length > 0
              ? ` whose subject is ${joinAnd(entity.subjects)}`
              : ' with any subject';
          return `Identities from the OIDC provider ${host} for the audience ${joinAnd(entity.audiences)}${subjects}`;
        }
      }
  }
}

function describeAwsPrincipal(principal: string, options: WhoCanAssumeOptions): string {
  if (principal === '*') return 'any AWS principal in any account';
  const account = accountOfPrincipal(principal);
  if (account === undefined) return principal;
  if (/^\d{12}$/.test(principal) || principal.endsWith(':root'))
    return `users and roles in ${accountPhrase(account, options)}`;
  const resource = principal.slice(principal.indexOf(`${account}:`) + 13);
  const [kind, ...rest] = resource.split('/');
  const name = rest[rest.length - 1] ?? resource;
  switch (kind) {
    case 'role':
      return `the role ${name} in ${accountPhrase(account, options)}`;
    case 'user':
      return `the user ${name} in ${accountPhrase(account, options)}`;
    case 'assumed-role':
      return `the session ${rest[1] ?? ''} of role ${rest[0] ?? ''} in ${accountPhrase(account, options)}`;
    default:
      return `${principal}`;
  }
}

function describePrincipal(principal: NormalizedPrincipal, options: WhoCanAssumeOptions): string[] {
  if (principal === '*') return ['anyone (any AWS principal in any account)'];
  return [
    ...principal.AWS.map((p) => describeAwsPrincipal(p, options)),
    ...principal.Service.map((p) => describeService(p)),
    ...principal.Federated.map((p) =>
      p.includes(':saml-provider/')
        ? `users federated through the SAML provider ${p.slice(p.indexOf('/') + 1)}`
        : p.includes(':oidc-provider/')
          ? `identities from the OIDC provider ${oidcProviderHost(p)}`
          : `users signed in with ${p}`,
    ),
    ...principal.CanonicalUser.map((p) => `the canonical user ${p}`),
  ];
}

function describeStatement(statement: NormalizedStatement, options: WhoCanAssumeOptions): string | undefined {
  if (statement.effect !== 'Allow' || statement.principal === undefined) return undefined;
  const who = joinAnd(describePrincipal(statement.principal, options));
  if (who === '') return undefined;
  const conditions =
    statement.conditions.length > 0
      ? ` when ${joinAnd(statement.conditions.map((c) => `${c.key} ${c.operator} ${c.values.join(' or ')}`))}`
      : '';
  return `${who}${conditions}`;
}

/**
 * The sentence for a trust policy (text or parsed JSON). Documents the wizard can build get the
 * wording of their choice; other documents are described statement by statement (Allow only,
 * conditions spelled out). A document that does not parse gives "Nobody (the trust policy is not valid)".
 */
export function describeWhoCanAssume(trustPolicy: unknown, options: WhoCanAssumeOptions = {}): string {
  const entity = recognizeTrustPolicy(trustPolicy);
  if (entity.type !== 'custom') return describeEntity(entity, options);
  let json: unknown = trustPolicy;
  if (typeof trustPolicy === 'string') {
    try {
      json = JSON.parse(trustPolicy);
    } catch {
      return 'Nobody (the trust policy is not valid JSON)';
    }
  }
  const parsed = policyDocumentSchema.safeParse(json);
  if (!parsed.success) return 'Nobody (the trust policy is not valid)';
  const parts = normalizePolicy(parsed.data)
    .statements.map((statement) => describeStatement(statement, options))
    .filter((part): part is string => part !== undefined);
  if (parts.length === 0) return 'Nobody (no statement allows a principal)';
  const sentence = parts.join('; or ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
