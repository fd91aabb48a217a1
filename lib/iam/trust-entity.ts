import { z } from 'zod';
import { isStorableText, unstorableTextMessage } from '@/lib/iam/storable-text';

/**
 * The wizard's "Select trusted entity" step as data: what `buildTrustPolicy` turns into the
 * trust policy the IAM console would write, and what `recognizeTrustPolicy` gives back.
 */

/** Twelve digits, as AWS account ids are written everywhere in IAM. */
export const accountIdSchema = z
  .string({ error: 'Enter the 12-digit AWS account ID' })
  .regex(/^\d{12}$/, 'AWS account ID must be exactly 12 digits');

/** `sts:ExternalId` as AssumeRole accepts it: 2–1224 characters from `[\w+=,.@:/-]`. */
export const externalIdSchema = z
  .string()
  .min(2, 'External ID must be at least 2 characters')
  .max(1224, 'External ID must be at most 1224 characters')
  .regex(/^[\w+=,.@:/-]+$/, 'External ID may contain only letters, digits and + = , . @ : / - _');

/** An AWS service principal such as `ec2.amazonaws.com` or `states.amazonaws.com.cn`. */
export const servicePrincipalSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/,
    'Service principal must look like ec2.amazonaws.com (lower case, ending in .amazonaws.com)',
  );

const partitionPattern = '(aws|aws-cn|aws-us-gov)';

/** `arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com` */
export const oidcProviderArnSchema = z
  .string()
  .regex(
    new RegExp(`^arn:${partitionPattern}:iam::\\d{12}:oidc-provider/[A-Za-z0-9.-]+(/[\\x21-\\x7e]+)?$`),
    'OIDC provider ARN must look like arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
  );

/** `arn:aws:iam::111122223333:saml-provider/Okta` */
export const samlProviderArnSchema = z
  .string()
  .regex(
    new RegExp(`^arn:${partitionPattern}:iam::\\d{12}:saml-provider/[\\w.-]{1,128}$`),
    'SAML provider ARN must look like arn:aws:iam::111122223333:saml-provider/MyProvider',
  );

// Values compared with StringEquals/StringLike in a trust policy: printable, no quotes needed.
const conditionValue = (what: string) =>
  z
    .string()
    .min(1, `${what} is required`)
    .max(1024, `${what} must be at most 1024 characters`)
    .regex(/^[\u0021-\u007E]+$/, `${what} may contain only printable ASCII characters without spaces`);

const githubName = (what: string) =>
  z
    .string()
    .min(1, `GitHub ${what} is required`)
    .max(100, `GitHub ${what} must be at most 100 characters`)
    .regex(/^[A-Za-z0-9_.-]+$/, `GitHub ${what} may contain only letters, digits, - _ and .`);

export const awsAccountEntitySchema = z.object({
  type: z.literal('aws_account'),
  accountId: accountIdSchema,
  /** Set when a third party assumes the role (the confused-deputy guard). */
  externalId: externalIdSchema.optional(),
  requireMfa: z.boolean().default(false),
});

export const awsServiceEntitySchema = z.object({
  type: z.literal('aws_service'),
  /** Service principals in the order written; a use-case preset fills these. */
  services: z
    .array(servicePrincipalSchema)
    .min(1, 'Choose at least one AWS service')
    .max(20, 'Choose at most 20 AWS services')
    .refine((list) => new Set(list).size === list.length, 'Each AWS service may be chosen only once'),
  /** Also allow `sts:TagSession` (needed by EKS Pod Identity and services that pass session tags). */
  tagSession: z.boolean().default(false),
});

const cognitoEntitySchema = z.object({
  type: z.literal('web_identity'),
  provider: z.literal('cognito'),
  identityPoolId: z
    .string()
    .regex(
      /^[a-z]{2}(-[a-z]+)+-\d:[0-9a-f-]{36}$/,
      'Identity pool ID must look like us-east-1:12345678-1234-1234-1234-123456789012',
    ),
  /** `authenticated` or `unauthenticated` identities (the `amr` claim). */
  amr: z.enum(['authenticated', 'unauthenticated']).default('authenticated'),
});

const amazonEntitySchema = z.object({
  type: z.literal('web_identity'),
  provider: z.literal('amazon'),
  appId: conditionValue('Login with Amazon application ID'),
});

const googleEntitySchema = z.object({
  type: z.literal('web_identity'),
  provider: z.literal('google'),
  audience: conditionValue('Google audience (client ID)'),
});

const facebookEntitySchema = z.object({
  type: z.literal('web_identity'),
  provider: z.literal('facebook'),
  appId: conditionValue('Facebook application ID'),
});

const oidcEntitySchema = z.object({
  type: z.literal('web_identity'),
  provider: z.literal('oidc'),
  providerArn: oidcProviderArnSchema,
  audiences: z
    .array(conditionValue('Audience'))
    .min(1, 'Choose at least one audience')
    .max(20, 'Choose at most 20 audiences')
    .refine((list) => new Set(list).size === list.length, 'Each audience may be listed only once'),
  /** `sub` values; patterns with `*` or `?` are compared with StringLike, exact ones with StringEquals. */
  subjects: z
    .array(conditionValue('Subject'))
    .max(20, 'List at most 20 subjects')
    .refine((list) => new Set(list).size === list.length, 'Each subject may be listed only once')
    .default([]),
});

const githubEntitySchema = z
  .object({
    type: z.literal('web_identity'),
    provider: z.literal('github_actions'),
    /** The account's IAM OIDC provider for `token.actions.githubusercontent.com`. */
    providerArn: oidcProviderArnSchema.refine(
      (arn) => arn.endsWith(':oidc-provider/token.actions.githubusercontent.com'),
      'GitHub Actions needs the OIDC provider for token.actions.githubusercontent.com',
    ),
    organization: githubName('organization'),
    /** Omitted: any repository of the organization. */
    repository: githubName('repository').optional(),
    /** Omitted: any branch, tag, environment or pull request. */
    branch: z
      .string()
      .min(1, 'Type the GitHub branch name')
      .max(255, 'GitHub branch must be at most 255 characters')
      .regex(/^[A-Za-z0-9_./-]+$/, 'GitHub branch may contain only letters, digits, - _ . and /')
      .optional(),
    /**
     * Omitted: any environment (or none). A job that uses an environment gets the subject
     * `repo:<org>/<repo>:environment:<name>` instead of its branch's, so a role trusts a branch or an
     * environment, not both. GitHub's names: at most 255 characters; `*` and `?` are refused here
     * because the trust policy compares the subject with StringLike, where they are wildcards.
     */
    environment: z
      .string()
      .min(1, 'Type the GitHub environment name')
      .max(255, 'GitHub environment must be at most 255 characters')
      .regex(/^\S(.*\S)?$/, 'GitHub environment may not start or end with a space')
      .regex(
        /^[^\u0000-\u001F\u007F*?]+$/,
        'GitHub environment may not contain * or ? (they would be wildcards in the trust policy) or control characters',
      )
      .optional(),
  })
  .superRefine((entity, context) => {
    if (entity.branch !== undefined && entity.environment !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['environment'],
        message:
          'Choose a GitHub branch or an environment, not both: a job that uses an environment is matched by its environment, not its branch',
      });
    }
  });

export const webIdentityEntitySchema = z.discriminatedUnion('provider', [
  cognitoEntitySchema,
  amazonEntitySchema,
  googleEntitySchema,
  facebookEntitySchema,
  oidcEntitySchema,
  githubEntitySchema,
]);

/**
 * The SAML attributes a trust policy may compare (the `SAML:` condition keys of AWS STS, `SAML:aud`
 * aside: console access sets it), as AWS writes them. Multi-valued ones (`ArrayOfString` in the
 * service authorization reference) are compared with `ForAnyValue:StringEquals`, single-valued
 * ones with `StringEquals` (Access Analyzer warns about a multi-valued key without a set operator).
 */
export const SAML_ATTRIBUTE_KEYS: Readonly<Record<string, { multiValued: boolean }>> = Object.fromEntries(
  (
    [
      ['SAML:sub', false],
      ['SAML:sub_type', false],
      ['SAML:iss', false],
      ['SAML:namequalifier', false],
      ['SAML:doc', false],
      ['SAML:cn', true],
      ['SAML:commonName', false],
      ['SAML:givenName', false],
      ['SAML:surname', false],
      ['SAML:name', false],
      ['SAML:mail', false],
      ['SAML:uid', false],
      ['SAML:x500UniqueIdentifier', false],
      ['SAML:organizationStatus', false],
      ['SAML:primaryGroupSID', false],
      ['SAML:edupersonaffiliation', true],
      ['SAML:edupersonassurance', true],
      ['SAML:edupersonentitlement', true],
      ['SAML:edupersonnickname', true],
      ['SAML:edupersonorgdn', false],
      ['SAML:edupersonorgunitdn', true],
      ['SAML:edupersonprimaryaffiliation', false],
      ['SAML:edupersonprimaryorgunitdn', false],
      ['SAML:edupersonprincipalname', false],
      ['SAML:edupersonscopedaffiliation', true],
      ['SAML:edupersontargetedid', true],
      ['SAML:eduorghomepageuri', true],
      ['SAML:eduorgidentityauthnpolicyuri', true],
      ['SAML:eduorglegalname', true],
      ['SAML:eduorgsuperioruri', true],
      ['SAML:eduorgwhitepagesuri', true],
    ] as const
  ).map(([key, multiValued]) => [key, { multiValued }]),
);

export const samlAttributeConditionSchema = z.object({
  key: z
    .string({ error: 'Choose a SAML attribute' })
    .min(1, 'Choose a SAML attribute')
    .refine(
      (key) => Object.hasOwn(SAML_ATTRIBUTE_KEYS, key),
      'Choose one of the SAML attributes AWS compares, e.g. SAML:sub or SAML:edupersonaffiliation',
    ),
  value: z
    .string({ error: 'Enter the attribute value' })
    .min(1, 'Enter the attribute value')
    .max(1024, 'Attribute value must be at most 1024 characters')
    .regex(/^[\u0020-\u007E]+$/, 'Attribute value may contain only printable ASCII characters')
    .refine((value) => value.trim() === value, 'Attribute value must not start or end with a space'),
});

export const samlEntitySchema = z
  .object({
    type: z.literal('saml'),
    providerArn: samlProviderArnSchema,
    /** Console sign-in as well as programmatic access: adds `SAML:aud`. */
    consoleAccess: z.boolean().default(true),
    /**
     * Attribute conditions (`SAML:sub = alice`, …); the same key twice means either value. The
     * console requires at least one for programmatic access only (otherwise every user of the
     * identity provider could assume the role).
     */
    attributeConditions: z
      .array(samlAttributeConditionSchema)
      .max(20, 'Add at most 20 attribute conditions')
      .default([]),
  })
  .superRefine((entity, ctx) => {
    if (!entity.consoleAccess && entity.attributeConditions.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['attributeConditions'],
        message: 'Programmatic access only needs at least one attribute condition, e.g. SAML:sub',
      });
    }
    const seen = new Set<string>();
    entity.attributeConditions.forEach((condition, index) => {
      const key = `${condition.key}\u0000${condition.value}`;
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['attributeConditions', index, 'value'],
          message: `${condition.key} = ${condition.value} is listed twice; remove one`,
        });
      seen.add(key);
    });
  });

export const customEntitySchema = z.object({
  type: z.literal('custom'),
  document: z
    .string()
    .min(1, 'Enter the trust policy document')
    .max(16_384, 'Trust policy document must be at most 16384 characters')
    .refine(isStorableText, `Trust policy document ${unstorableTextMessage}`),
});

/** One of the wizard's trusted-entity choices. */
export const trustedEntitySchema = z.discriminatedUnion('type', [
  awsAccountEntitySchema,
  awsServiceEntitySchema,
  webIdentityEntitySchema,
  samlEntitySchema,
  customEntitySchema,
]);

export type TrustedEntity = z.output<typeof trustedEntitySchema>;
export type TrustedEntityInput = z.input<typeof trustedEntitySchema>;
export type WebIdentityEntity = z.output<typeof webIdentityEntitySchema>;

/** AWS partitions Rolesmith knows. */
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';
