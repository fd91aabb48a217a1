import { z } from 'zod';
import { normalizePolicy, parsePolicyDocument, type NormalizedStatement } from '@/lib/iam/policy';
import { policyArnSchema, type RoleSpec } from '@/lib/iam/role-spec';
import { globToRegExp } from '@/lib/iam/policy-glob';
import { accountIdSchema } from '@/lib/iam/trust-entity';
import type { FieldErrors } from '@/lib/result';

/**
 * Guardrails: the organisation's rules every role request must satisfy, edited by admins and
 * stored in the database (`guardrails.config`, see `lib/requests/guardrails-store`). This module is
 * pure, so that both the request workflow and provisioning's preflight may use it: {@link checkGuardrails}
 * returns per-field errors keyed like the RoleSpec (`tags.0.key`, `inlinePolicies.1.document`).
 */

const actionPattern = z
  .string()
  .trim()
  .regex(
    /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/,
    'Forbidden actions look like iam:CreateUser, iam:*Policy or organizations:*',
  );

export const requiredTagSchema = z.object({
  key: z.string().trim().min(1, 'Enter the tag key').max(128, 'Tag key must be at most 128 characters'),
  /** Empty: any non-empty value. */
  allowedValues: z.array(z.string().max(256, 'Tag values must be at most 256 characters')).default([]),
});

export const guardrailsSchema = z
  .object({
    /** Every role name must start with this (empty: no prefix). */
    roleNamePrefix: z
      .string()
      .max(32, 'Role name prefix must be at most 32 characters')
      .regex(/^[\w+=,.@-]*$/, 'Role name prefix may contain only letters, digits and + = , . @ - _')
      .default(''),
    /** Every role path must start with this (`/` allows all). */
    pathPrefix: z
      .string()
      .regex(/^\/([\u0021-\u007E]*\/)?$/, 'Path prefix must start and end with /, e.g. /apps/')
      .default('/'),
    requiredTags: z.array(requiredTagSchema).max(50, 'At most 50 required tags').default([]),
    /**
     * The permissions boundary every role must carry, or null for none. `{accountId}` stands for
     * the target account, e.g. `arn:aws:iam::{accountId}:policy/RolesmithBoundary`.
     */
    permissionsBoundaryArn: z
      .string()
      .refine(
        (arn) => policyArnSchema.safeParse(arn.replaceAll('{accountId}', '111122223333')).success,
        'Permissions boundary must be a policy ARN such as arn:aws:iam::{accountId}:policy/Boundary',
      )
      .nullable()
      .default(null),
    /** Actions no policy of a role may allow; `*` and `?` wildcards as in IAM. */
    forbiddenActions: z.array(actionPattern).max(200, 'At most 200 forbidden actions').default([]),
    /**
     * Accounts a role may trust besides the organisation's own (the target accounts), e.g. a
     * consultancy's account.
     */
    trustedAccountAllowList: z.array(accountIdSchema).max(200, 'At most 200 allowed accounts').default([]),
    /** Ceiling on a role's maximum session duration, in seconds. */
    maxSessionDurationCeiling: z.coerce
      .number()
      .int('Session duration ceiling must be a whole number of seconds')
      .min(3600, 'Session duration ceiling must be at least 3600 seconds')
      .max(43200, 'Session duration ceiling must be at most 43200 seconds')
      .default(43200),
    approvals: z
      .object({
        default: z.coerce
          .number()
          .int()
          .min(1, 'At least one approval is needed')
          .max(5, 'At most 5 approvals')
          .default(1),
        /** When a privilege-escalation risk flag is raised. */
        privilegeEscalation: z.coerce
          .number()
          .int()
          .min(1, 'At least one approval is needed')
          .max(5, 'At most 5 approvals')
          .default(2),
      })
      .default({ default: 1, privilegeEscalation: 2 }),
  })
  .superRefine((value, ctx) => {
    if (value.approvals.privilegeEscalation < value.approvals.default) {
      ctx.addIssue({
        code: 'custom',
        path: ['approvals', 'privilegeEscalation'],
        message: 'Privilege-escalation requests cannot need fewer approvals than other requests',
      });
    }
  });

export type Guardrails = z.output<typeof guardrailsSchema>;
export type GuardrailsInput = z.input<typeof guardrailsSchema>;

/** The guardrails a new installation starts with (sandbox mode seeds these). */
export const defaultGuardrails: Guardrails = guardrailsSchema.parse({
  // Write actions only, so that read-only policies such as ReadOnlyAccess and SecurityAudit stay attachable.
  forbiddenActions: [
    'iam:CreateUser',
    'iam:CreateAccessKey',
    'iam:CreateLoginProfile',
    'organizations:Create*',
    'organizations:Delete*',
    'organizations:Leave*',
    'organizations:Remove*',
    'organizations:Invite*',
    'organizations:Update*',
    'organizations:Move*',
    'organizations:Attach*',
    'organizations:Detach*',
    'organizations:Enable*',
    'organizations:Disable*',
    'account:Put*',
    'account:Delete*',
    'account:Close*',
    'account:Enable*',
    'account:Disable*',
  ],
  // The sandbox's outside consultancy (Northwind) may be trusted by Acme's roles.
  trustedAccountAllowList: ['123456789012'],
  maxSessionDurationCeiling: 43200,
  approvals: { default: 1, privilegeEscalation: 2 },
});

export type { FieldErrors } from '@/lib/result';

function addError(errors: FieldErrors, path: string, message: string): void {
  (errors[path] ??= []).push(message);
}

/**
 * Whether two IAM action patterns can name a common action. Exact for a literal against a
 * pattern; for two patterns it tests each against the other read literally, which catches the
 * usual cases (`iam:*` vs `iam:CreateUser`, `*` vs anything, `iam:Create*` vs `iam:*`).
 */
export function actionsOverlap(a: string, b: string): boolean {
  return globToRegExp(a, 'i').test(b) || globToRegExp(b, 'i').test(a);
}

function forbiddenInStatement(statement: NormalizedStatement, forbidden: readonly string[]): string[] {
  if (statement.effect !== 'Allow') return [];
  if (statement.action) {
    return forbidden.filter((pattern) => statement.action!.some((action) => actionsOverlap(action, pattern)));
  }
  // Allow with NotAction allows everything not listed: a forbidden action is allowed unless excluded.
  const excluded = statement.notAction ?? [];
  return forbidden.filter((pattern) => !excluded.some((action) => globToRegExp(action, 'i').test(pattern)));
}

function checkPolicyDocument(
  errors: FieldErrors,
  path: string,
  document: string,
  forbidden: readonly string[],
): void {
  if (forbidden.length === 0) return;
  const parsed = parsePolicyDocument(document);
  // Unparseable documents are reported by the policy validator; nothing to check here.
  if (!parsed.ok) return;
  const hits = new Set<string>();
  for (const statement of normalizePolicy(parsed.value).statements) {
    for (const pattern of forbiddenInStatement(statement, forbidden)) hits.add(pattern);
  }
  if (hits.size > 0) {
    addError(
      errors,
      path,
      `This policy allows actions the guardrails forbid: ${[...hits].join(', ')}. Remove them or deny them explicitly`,
    );
  }
}

/** Account ids named by AWS principals of a trust policy (`*` as itself). */
export function trustedAccountsOfDocument(document: string): string[] | null {
  const parsed = parsePolicyDocument(document);
  if (!parsed.ok) return null;
  const accounts: string[] = [];
  for (const statement of normalizePolicy(parsed.value).statements) {
    if (statement.effect !== 'Allow') continue;
    if (statement.principal === '*' || statement.notPrincipal !== undefined) {
      accounts.push('*');
      continue;
    }
    for (const principal of statement.principal?.AWS ?? []) {
      if (principal === '*') accounts.push('*');
      else
        accounts.push(
          /^\d{12}$/.test(principal)
            ? principal
            : (/^arn:[\w-]+:(iam|sts)::(\d{12}):/.exec(principal)?.[2] ?? '*'),
        );
    }
  }
  return accounts;
}

export interface GuardrailContext {
  /** The organisation's accounts (the target accounts), which roles may always trust. */
  organizationAccountIds: readonly string[];
  /**
   * The document of an attached managed policy when known (AWS managed policies), so that the
   * forbidden actions are checked in it too. Customer managed policies live in the target account
   * and are unknown at submission: they are not checked.
   */
  resolveManagedPolicy?: (arn: string) => string | undefined;
}

/**
 * Checks a validated RoleSpec against the guardrails. Returns the errors per RoleSpec field
 * (empty when the spec complies), each message saying what to change.
 */
export function checkGuardrails(
  spec: RoleSpec,
  guardrails: Guardrails,
  context: GuardrailContext,
): FieldErrors {
  const errors: FieldErrors = {};
  if (guardrails.roleNamePrefix && !spec.name.startsWith(guardrails.roleNamePrefix)) {
    addError(errors, 'name', `Role name must start with ${guardrails.roleNamePrefix}`);
  }
  if (!spec.path.startsWith(guardrails.pathPrefix)) {
    addError(errors, 'path', `Path must start with ${guardrails.pathPrefix}`);
  }
  if (spec.maxSessionDuration > guardrails.maxSessionDurationCeiling) {
    addError(
      errors,
      'maxSessionDuration',
      `Maximum session duration must be at most ${guardrails.maxSessionDurationCeiling} seconds (the guardrail ceiling)`,
    );
  }
  if (guardrails.permissionsBoundaryArn !== null) {
    const required = guardrails.permissionsBoundaryArn.replaceAll('{accountId}', spec.accountId);
    if (spec.permissionsBoundaryArn !== required) {
      addError(
        errors,
        'permissionsBoundaryArn',
        `Every role must carry the permissions boundary ${required}`,
      );
    }
  }
  for (const required of guardrails.requiredTags) {
    const index = spec.tags.findIndex((tag) => tag.key.toLowerCase() === required.key.toLowerCase());
    const tag = spec.tags[index];
    if (!tag) {
      addError(errors, 'tags', `Add the required tag ${required.key}`);
    } else if (required.allowedValues.length > 0 && !required.allowedValues.includes(tag.value)) {
      addError(
        errors,
        `tags.${index}.value`,
        `Tag ${required.key} must be one of: ${required.allowedValues.join(', ')}`,
      );
    } else if (tag.value.trim() === '') {
      addError(errors, `tags.${index}.value`, `Enter a value for the required tag ${required.key}`);
    }
  }
  spec.inlinePolicies.forEach((policy, index) =>
    checkPolicyDocument(
      errors,
      `inlinePolicies.${index}.document`,
      policy.document,
      guardrails.forbiddenActions,
    ),
  );
  spec.newManagedPolicies.forEach((policy, index) =>
    checkPolicyDocument(
      errors,
      `newManagedPolicies.${index}.document`,
      policy.document,
      guardrails.forbiddenActions,
    ),
  );
  spec.managedPolicyArns.forEach((arn, index) => {
    const document = context.resolveManagedPolicy?.(arn);
    if (document !== undefined)
      checkPolicyDocument(errors, `managedPolicyArns.${index}`, document, guardrails.forbiddenActions);
  });
  const allowed = new Set([
    ...context.organizationAccountIds,
    ...guardrails.trustedAccountAllowList,
    spec.accountId,
  ]);
  const entity = spec.trustedEntity;
  if (entity.type === 'aws_account' && !allowed.has(entity.accountId)) {
    addError(
      errors,
      'trustedEntity.accountId',
      `Account ${entity.accountId} is neither one of the organisation's accounts nor on the trusted-account allow-list; ask an admin to add it`,
    );
  }
  if (entity.type === 'custom') {
    const accounts = trustedAccountsOfDocument(entity.document) ?? [];
    const outside = [...new Set(accounts.filter((account) => !allowed.has(account)))];
    if (outside.includes('*')) {
      addError(
        errors,
        'trustedEntity.document',
        'The trust policy must name specific principals, not * (anyone)',
      );
    }
    const named = outside.filter((account) => account !== '*');
    if (named.length > 0) {
      addError(
        errors,
        'trustedEntity.document',
        `The trust policy trusts accounts outside the organisation and the allow-list: ${named.join(', ')}`,
      );
    }
  }
  return errors;
}
