import { z } from 'zod';
import { accountIdSchema, trustedEntitySchema } from '@/lib/iam/trust-entity';
import { isStorableText, unstorableTextMessage } from '@/lib/iam/storable-text';

/**
 * `RoleSpec`: everything one request can create — the role, its trust, its permissions and tags.
 * Limits are IAM's (CreateRole, CreatePolicy, PutRolePolicy, AttachRolePolicy, TagRole; see
 * shared/reference/iam-api-facts.md §4–5). Every message says what to change.
 */

/** IAM's default `AttachedPoliciesPerRoleQuota`; accounts may raise it to 20. */
export const DEFAULT_MANAGED_POLICIES_PER_ROLE = 10;
export const MAX_MANAGED_POLICIES_PER_ROLE = 20;

// Java's \w in IAM's patterns is ASCII-only, as JavaScript's is.
const IAM_NAME = /^[\w+=,.@-]+$/;
// roleDescriptionType: tab, LF, CR, printable ASCII and Latin-1 supplement.
const DESCRIPTION_CHARS = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;
// Policy documents may contain only these characters (iam-api-facts §6.4).
const DOCUMENT_CHARS = /^[\u0009\u000A\u000D\u0020-\u00FF]*$/;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const POLICY_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):iam::(aws|\d{12}):policy(\/[A-Za-z0-9.,+@=_-]+)*\/[\w+=,.@-]{1,128}$/;

export const roleNameSchema = z
  .string({ error: 'Enter a role name' })
  .min(1, 'Enter a role name')
  .max(64, 'Role name must be at most 64 characters')
  .regex(IAM_NAME, 'Role name may contain only letters, digits and + = , . @ - _');

export const rolePathSchema = z
  .string()
  .min(1, 'Path must start and end with /')
  .max(512, 'Path must be at most 512 characters')
  .regex(/^\/([\u0021-\u007E]*\/)?$/, 'Path must start and end with / and contain no spaces, e.g. /team/app/')
  .refine((path) => !path.includes('//'), 'Path must not contain an empty segment (//)');

export const roleDescriptionSchema = z
  .string()
  .max(1000, 'Description must be at most 1000 characters')
  .regex(
    DESCRIPTION_CHARS,
    'Description may contain only Latin-1 letters, digits, punctuation, spaces, tabs and line breaks',
  );

export const maxSessionDurationSchema = z.coerce
  .number({ error: 'Maximum session duration must be a number of seconds' })
  .int('Maximum session duration must be a whole number of seconds')
  .min(3600, 'Maximum session duration must be at least 3600 seconds (1 hour)')
  .max(43200, 'Maximum session duration must be at most 43200 seconds (12 hours)');

export const policyArnSchema = z
  .string()
  .max(2048, 'Policy ARN must be at most 2048 characters')
  .regex(
    POLICY_ARN,
    'Policy ARN must look like arn:aws:iam::aws:policy/ReadOnlyAccess or arn:aws:iam::111122223333:policy/MyPolicy',
  );

const policyNameSchema = (what: string) =>
  z
    .string({ error: `Enter the ${what} name` })
    .min(1, `Enter the ${what} name`)
    .max(128, `${capitalise(what)} name must be at most 128 characters`)
    .regex(IAM_NAME, `${capitalise(what)} name may contain only letters, digits and + = , . @ - _`);

const documentSchema = (what: string) =>
  z
    .string({ error: `Enter the ${what} document` })
    .min(1, `Enter the ${what} document`)
    .max(131_072, `${capitalise(what)} document must be at most 131072 characters`)
    .regex(
      DOCUMENT_CHARS,
      `${capitalise(what)} document may contain only Latin-1 characters (no emoji or other Unicode)`,
    );

export const newManagedPolicySchema = z.object({
  name: policyNameSchema('policy'),
  description: z
    .string()
    .max(1000, 'Policy description must be at most 1000 characters')
    .refine(isStorableText, `Policy description ${unstorableTextMessage}`)
    .default(''),
  document: documentSchema('policy'),
});

export const inlinePolicySchema = z.object({
  name: policyNameSchema('inline policy'),
  document: documentSchema('inline policy'),
});

export const tagSchema = z.object({
  key: z
    .string({ error: 'Enter the tag key' })
    .min(1, 'Enter the tag key')
    .max(128, 'Tag key must be at most 128 characters')
    .regex(TAG_CHARS, 'Tag key may contain only letters, digits, spaces and _ . : / = + - @')
    .refine(
      (key) => !key.toLowerCase().startsWith('aws:'),
      'Tag keys starting with aws: are reserved for AWS; choose another key',
    )
    // Provisioning tags every role with `rolesmith:request-id` (lib/provisioning/plan.ts).
    .refine(
      (key) => !key.toLowerCase().startsWith('rolesmith:'),
      'Tag keys starting with rolesmith: are reserved for Rolesmith; choose another key',
    ),
  value: z
    .string()
    .max(256, 'Tag value must be at most 256 characters')
    .regex(TAG_CHARS, 'Tag value may contain only letters, digits, spaces and _ . : / = + - @')
    .default(''),
});

export interface RoleSpecQuotas {
  /** The account's `AttachedPoliciesPerRoleQuota` (10 by default, at most 20). */
  managedPoliciesPerRole: number;
}

/**
 * The RoleSpec schema for an account whose managed-policies-per-role quota is given.
 * The quota counts the ARNs to attach plus the new customer managed policies.
 * Throws a RangeError when the quota is outside 1–20 (a configuration bug, not user input).
 */
export function roleSpecSchemaFor(quotas: RoleSpecQuotas) {
  const quota = quotas.managedPoliciesPerRole;
  if (!Number.isInteger(quota) || quota < 1 || quota > MAX_MANAGED_POLICIES_PER_ROLE) {
    throw new RangeError(
      `managedPoliciesPerRole must be an integer from 1 to ${MAX_MANAGED_POLICIES_PER_ROLE}, got ${quota}`,
    );
  }
  return z
    .object({
      accountId: accountIdSchema,
      name: roleNameSchema,
      path: rolePathSchema.default('/'),
      description: roleDescriptionSchema.default(''),
      maxSessionDuration: maxSessionDurationSchema.default(3600),
      trustedEntity: trustedEntitySchema,
      managedPolicyArns: z.array(policyArnSchema).default([]),
      newManagedPolicies: z.array(newManagedPolicySchema).default([]),
      inlinePolicies: z
        .array(inlinePolicySchema)
        .max(100, 'A role can have at most 100 inline policies here')
        .default([]),
      permissionsBoundaryArn: policyArnSchema.optional(),
      // IAM's quota is 50 tags per role; provisioning adds one naming the request.
      tags: z
        .array(tagSchema)
        .max(
          49,
          'A role can have at most 49 tags here (IAM allows 50 and Rolesmith adds one naming the request); remove some',
        )
        .default([]),
    })
    .superRefine((spec, ctx) => {
      const attached = spec.managedPolicyArns.length + spec.newManagedPolicies.length;
      if (attached > quota) {
        ctx.addIssue({
          code: 'custom',
          path: ['managedPolicyArns'],
          message: `A role can have at most ${quota} managed policies in this account (attached plus new); remove ${attached - quota}`,
        });
      }
      // IAM attaches only AWS managed policies and the role's own account's policies (NoSuchEntity otherwise).
      const foreign = (arn: string) => {
        const owner = arn.split(':')[4];
        return owner !== 'aws' && owner !== spec.accountId ? owner : undefined;
      };
      spec.managedPolicyArns.forEach((arn, index) => {
        const owner = foreign(arn);
        if (owner)
          ctx.addIssue({
            code: 'custom',
            path: ['managedPolicyArns', index],
            message: `Policy ${arn} belongs to account ${owner}; attach an AWS managed policy or one of account ${spec.accountId}`,
          });
      });
      const boundaryOwner =
        spec.permissionsBoundaryArn === undefined ? undefined : foreign(spec.permissionsBoundaryArn);
      if (boundaryOwner) {
        ctx.addIssue({
          code: 'custom',
          path: ['permissionsBoundaryArn'],
          message: `The permissions boundary belongs to account ${boundaryOwner}; use an AWS managed policy or one of account ${spec.accountId}`,
        });
      }
      reportDuplicates(
        ctx,
        spec.managedPolicyArns,
        (arn) => arn,
        'managedPolicyArns',
        undefined,
        (arn) => `Policy ${arn} is listed twice; remove one`,
      );
      reportDuplicates(
        ctx,
        spec.newManagedPolicies,
        (p) => p.name.toLowerCase(),
        'newManagedPolicies',
        'name',
        (p) => `Policy name ${p.name} is used twice (names ignore case); rename one`,
      );
      reportDuplicates(
        ctx,
        spec.inlinePolicies,
        (p) => p.name,
        'inlinePolicies',
        'name',
        (p) => `Inline policy name ${p.name} is used twice; rename one`,
      );
      reportDuplicates(
        ctx,
        spec.tags,
        (t) => t.key.toLowerCase(),
        'tags',
        'key',
        (t) => `Tag key ${t.key} is used twice (keys ignore case); remove one`,
      );
    });
}

function reportDuplicates<T>(
  ctx: z.RefinementCtx,
  items: readonly T[],
  keyOf: (item: T) => string,
  field: string,
  member: string | undefined,
  message: (item: T) => string,
): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (seen.has(key)) {
      ctx.addIssue({
        code: 'custom',
        path: member ? [field, index, member] : [field, index],
        message: message(item),
      });
    }
    seen.add(key);
  });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The RoleSpec schema with IAM's default quota of 10 managed policies per role. */
export const roleSpecSchema = roleSpecSchemaFor({
  managedPoliciesPerRole: DEFAULT_MANAGED_POLICIES_PER_ROLE,
});

/** A validated role specification, defaults filled in. */
export type RoleSpec = z.output<typeof roleSpecSchema>;
/** What a caller may submit (defaults optional). */
export type RoleSpecInput = z.input<typeof roleSpecSchema>;
export type NewManagedPolicy = RoleSpec['newManagedPolicies'][number];
export type InlinePolicy = RoleSpec['inlinePolicies'][number];
export type RoleTag = RoleSpec['tags'][number];

/** The role's ARN, path included: `arn:aws:iam::111122223333:role/team/Name`. */
export function roleArn(spec: Pick<RoleSpec, 'accountId' | 'path' | 'name'>, partition = 'aws'): string {
  return `arn:${partition}:iam::${spec.accountId}:role${spec.path}${spec.name}`;
}

/** The ARN a new customer managed policy of the spec will have once created (path `/`). */
export function newManagedPolicyArn(accountId: string, policyName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:policy/${policyName}`;
}
