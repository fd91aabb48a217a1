import {
  normalizePolicy,
  parsePolicyDocument,
  type NormalizedCondition,
  type NormalizedStatement,
} from '@/lib/iam/policy';
import { globToRegExp } from '@/lib/iam/policy-glob';
import { buildTrustPolicy } from '@/lib/iam/trust-builder';
import type { TrustedEntity } from '@/lib/iam/trust-entity';

/**
 * What a trust policy means for people signing in with AWS credentials (switch role, CLI
 * profiles): which accounts' principals may call `sts:AssumeRole`, and what they must present.
 */

export interface AccountTrust {
  /** Account ids named by AWS principals allowed `sts:AssumeRole` (12 digits, or from an ARN). */
  accountIds: string[];
  /** True when every such statement demands an `sts:ExternalId`. */
  requiresExternalId: boolean;
  /** The external ID when exactly one value is demanded. */
  externalId: string | undefined;
  /** True when every such statement demands MFA (`aws:MultiFactorAuthPresent` true or an MFA age limit). */
  requiresMfa: boolean;
  /** True when some statement allows `"Principal": "*"` or `"AWS": "*"`. */
  allowsAnyPrincipal: boolean;
}

/** True when an action pattern (with IAM's `*` and `?` wildcards, case-insensitive) matches the action. */
export function actionPatternMatches(pattern: string, action: string): boolean {
  return globToRegExp(pattern, 'i').test(action);
}

function allowsAssumeRole(statement: NormalizedStatement): boolean {
  if (statement.effect !== 'Allow') return false;
  if (statement.action)
    return statement.action.some((action) => actionPatternMatches(action, 'sts:AssumeRole'));
  // NotAction that does not exclude sts:AssumeRole allows it.
  return (
    statement.notAction !== undefined &&
    !statement.notAction.some((action) => actionPatternMatches(action, 'sts:AssumeRole'))
  );
}

/** The account id an AWS principal names: `111122223333`, or any `arn:…:iam::ID:…` / `arn:…:sts::ID:…`. */
export function accountOfPrincipal(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:[\w-]+:(iam|sts)::(\d{12}):/.exec(principal)?.[2];
}

const isTrue = (condition: NormalizedCondition) =>
  condition.values.length > 0 && condition.values.every((value) => value.toLowerCase() === 'true');

function demandsExternalId(conditions: NormalizedCondition[]): string[] | undefined {
  const test = conditions.find(
    (c) => /^String(Equals|Like)$/.test(c.operator) && c.key.toLowerCase() === 'sts:externalid',
  );
  return test?.values;
}

function demandsMfa(conditions: NormalizedCondition[]): boolean {
  return conditions.some(
    (c) =>
      (c.operator === 'Bool' && c.key.toLowerCase() === 'aws:multifactorauthpresent' && isTrue(c)) ||
      (/^NumericLessThan(Equals)?$/.test(c.operator) && c.key.toLowerCase() === 'aws:multifactorauthage'),
  );
}

/** The AWS-principal trust of a parsed trust policy's normalised statements. */
export function analyzeAccountTrust(statements: readonly NormalizedStatement[]): AccountTrust {
  const relevant = statements.filter(
    (s) =>
      allowsAssumeRole(s) && s.principal !== undefined && (s.principal === '*' || s.principal.AWS.length > 0),
  );
  const accountIds = new Set<string>();
  let allowsAnyPrincipal = false;
  for (const statement of relevant) {
    if (statement.principal === '*') {
      allowsAnyPrincipal = true;
      continue;
    }
    for (const principal of statement.principal?.AWS ?? []) {
      if (principal === '*') allowsAnyPrincipal = true;
      const account = accountOfPrincipal(principal);
      if (account) accountIds.add(account);
    }
  }
  const externalIds = relevant.map((s) => demandsExternalId(s.conditions));
  const requiresExternalId = relevant.length > 0 && externalIds.every((ids) => ids !== undefined);
  const distinct = new Set(externalIds.flatMap((ids) => ids ?? []));
  return {
    accountIds: [...accountIds],
    requiresExternalId,
    externalId: requiresExternalId && distinct.size === 1 ? [...distinct][0] : undefined,
    requiresMfa: relevant.length > 0 && relevant.every((s) => demandsMfa(s.conditions)),
    allowsAnyPrincipal,
  };
}

/**
 * The account trust of a role's trusted entity (a custom document is parsed). A custom document
 * that does not parse trusts nobody by this measure.
 */
export function accountTrustOf(entity: TrustedEntity): AccountTrust {
  if (entity.type === 'custom') {
    const parsed = parsePolicyDocument(entity.document);
    if (!parsed.ok)
      return {
        accountIds: [],
        requiresExternalId: false,
        externalId: undefined,
        requiresMfa: false,
        allowsAnyPrincipal: false,
      };
    return analyzeAccountTrust(normalizePolicy(parsed.value).statements);
  }
  return analyzeAccountTrust(normalizePolicy(buildTrustPolicy(entity)).statements);
}
