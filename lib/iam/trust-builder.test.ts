import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalogue } from '@/lib/iam/catalogue';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { servicePresets } from '@/lib/iam/service-presets';
import {
  buildTrustPolicy,
  githubSubject,
  recognizeTrustPolicy,
  trustPolicyText,
  type BuiltEntity,
} from '@/lib/iam/trust-builder';
import { SAML_ATTRIBUTE_KEYS, trustedEntitySchema, type TrustedEntityInput } from '@/lib/iam/trust-entity';
import { validatePolicy } from '@/lib/iam/validate';

const entity = (input: TrustedEntityInput): BuiltEntity => trustedEntitySchema.parse(input) as BuiltEntity;
const GITHUB_ARN = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';

// The documents the IAM console writes for each choice (its "Trust policy" preview), 4-space indented.
const golden: { name: string; input: TrustedEntityInput; text: string }[] = [
  {
    name: 'another AWS account',
    input: { type: 'aws_account', accountId: '444455556666' },
    text: `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {
                "AWS": "arn:aws:iam::444455556666:root"
            },
            "Action": "sts:AssumeRole",
            "Condition": {}
        }
    ]
}`,
  },
  {
    name: 'another AWS account with external ID and MFA',
    input: { type: 'aws_account', accountId: '444455556666', externalId: 'Acme-7f3a', requireMfa: true },
    text: `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {
                "AWS": "arn:aws:iam::444455556666:root"
            },
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": {
                    "sts:ExternalId": "Acme-7f3a"
                },
                "Bool": {
                    "aws:MultiFactorAuthPresent": "true"
                }
            }
        }
    ]
}`,
  },
  {
    name: 'EC2',
    input: { type: 'aws_service', services: ['ec2.amazonaws.com'] },
    text: `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "sts:AssumeRole"
            ],
            "Principal": {
                "Service": [
                    "ec2.amazonaws.com"
                ]
            }
        }
    ]
}`,
  },
  {
    name: 'EKS Pod Identity',
    input: { type: 'aws_service', services: ['pods.eks.amazonaws.com'], tagSession: true },
    text: `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "sts:AssumeRole",
                "sts:TagSession"
            ],
            "Principal": {
                "Service": [
                    "pods.eks.amazonaws.com"
                ]
            }
        }
    ]
}`,
  },
  {
    name: 'Cognito',
    input: {
      type: 'web_identity',
      provider: 'cognito',
      identityPoolId: 'us-east-1:12345678-1234-1234-1234-123456789012',
    },
    text: `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {
                "Federated": "cognito-identity.amazonaws.com"
            },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    "cognito-identity.amazonaws.com:aud": "us-east-1:12345678-1234-1234-1234-123456789012"
                },
                "ForAnyValue:StringLike": {
                    "cognito-identity.amazonaws.com:amr": "authenticated"
                }
            }
        }
    ]
}`,
  },
  {
    name: 'Google',
    input: {
      type: 'web_identity',
      provider: 'google',
      audience: '123456789012-abc.apps.googleusercontent.com',
    },
    text: `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {
                "Federated": "accounts.google.com"
            },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    "accounts.google.com:aud": "123456789012-abc.apps.googleusercontent.com"
                }
            }
        }
    ]
}`,
  },
  {
    name: 'GitHub Actions',
    input: {
      type: 'web_identity',
      provider: 'github_actions',
      providerArn: GITHUB_ARN,
      organization: 'acme',
      repository: 'app',
      branch: 'main',
    },
    text: `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {
                "Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
            },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com"
                },
                "StringLike": {
                    "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"
                }
            }
        }
    ]
}`,
  },
  {
    name: 'GitHub Actions environment',
    input: {
      type: 'web_identity',
      provider: 'github_actions',
      providerArn: GITHUB_ARN,
      organization: 'acme',
      repository: 'app',
      environment: 'production',
    },
    text: `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {
                "Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
            },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com"
                },
                "StringLike": {
                    "token.actions.githubusercontent.com:sub": "repo:acme/app:environment:production"
                }
            }
        }
    ]
}`,
  },
  {
    name: 'SAML with console access',
    input: { type: 'saml', providerArn: 'arn:aws:iam::111122223333:saml-provider/Okta' },
    text: `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {
                "Federated": "arn:aws:iam::111122223333:saml-provider/Okta"
            },
            "Action": "sts:AssumeRoleWithSAML",
            "Condition": {
                "StringEquals": {
                    "SAML:aud": "https://signin.aws.amazon.com/saml"
                }
            }
        }
    ]
}`,
  },
  {
    name: 'SAML, programmatic access only, with attribute conditions',
    input: {
      type: 'saml',
      providerArn: 'arn:aws:iam::111122223333:saml-provider/Okta',
      consoleAccess: false,
      attributeConditions: [
        { key: 'SAML:sub', value: 'alice' },
        { key: 'SAML:edupersonaffiliation', value: 'staff' },
        { key: 'SAML:edupersonaffiliation', value: 'faculty' },
      ],
    },
    text: `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {
                "Federated": "arn:aws:iam::111122223333:saml-provider/Okta"
            },
            "Action": "sts:AssumeRoleWithSAML",
            "Condition": {
                "StringEquals": {
                    "SAML:sub": "alice"
                },
                "ForAnyValue:StringEquals": {
                    "SAML:edupersonaffiliation": [
                        "staff",
                        "faculty"
                    ]
                }
            }
        }
    ]
}`,
  },
  {
    name: 'SAML with console access and an attribute condition',
    input: {
      type: 'saml',
      providerArn: 'arn:aws:iam::111122223333:saml-provider/Okta',
      attributeConditions: [{ key: 'SAML:mail', value: 'ops@acme.example' }],
    },
    text: `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {
                "Federated": "arn:aws:iam::111122223333:saml-provider/Okta"
            },
            "Action": "sts:AssumeRoleWithSAML",
            "Condition": {
                "StringEquals": {
                    "SAML:aud": "https://signin.aws.amazon.com/saml",
                    "SAML:mail": "ops@acme.example"
                }
            }
        }
    ]
}`,
  },
];

describe('buildTrustPolicy (golden)', () => {
  it.each(golden)('$name', ({ input, text }) => {
    expect(trustPolicyText(trustedEntitySchema.parse(input))).toBe(text);
    expect(recognizeTrustPolicy(text)).toEqual(trustedEntitySchema.parse(input));
  });

  it.each([
    {
      name: 'Login with Amazon',
      input: { type: 'web_identity', provider: 'amazon', appId: 'amzn1.application.abc' },
      key: 'www.amazon.com:app_id',
    },
    {
      name: 'Facebook',
      input: { type: 'web_identity', provider: 'facebook', appId: '1234567890' },
      key: 'graph.facebook.com:app_id',
    },
  ] as const)('$name uses $key', ({ input, key }) => {
    const statement = (
      buildTrustPolicy(entity(input)).Statement as { Condition: Record<string, Record<string, string>> }[]
    )[0]!;
    expect(Object.keys(statement.Condition.StringEquals!)).toEqual([key]);
  });

  it('writes the partition into account ARNs', () => {
    const text = trustPolicyText(entity({ type: 'aws_account', accountId: '444455556666' }), {
      partition: 'aws-cn',
    });
    expect(text).toContain('"arn:aws-cn:iam::444455556666:root"');
  });

  it('SAML programmatic access only needs an attribute condition (as the console does)', () => {
    const parsed = trustedEntitySchema.safeParse({
      type: 'saml',
      providerArn: 'arn:aws:iam::111122223333:saml-provider/Okta',
      consoleAccess: false,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({
        path: ['attributeConditions'],
        message: 'Programmatic access only needs at least one attribute condition, e.g. SAML:sub',
      }),
    ]);
    const unknownKey = trustedEntitySchema.safeParse({
      type: 'saml',
      providerArn: 'arn:aws:iam::111122223333:saml-provider/Okta',
      consoleAccess: false,
      attributeConditions: [{ key: 'SAML:favouriteColour', value: 'blue' }],
    });
    expect(unknownKey.error?.issues[0]?.path).toEqual(['attributeConditions', 0, 'key']);
    // A SAML trust with no condition at all is no card's: it stays a custom trust policy.
    const bare = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::111122223333:saml-provider/Okta' },
          Action: 'sts:AssumeRoleWithSAML',
        },
      ],
    };
    expect(recognizeTrustPolicy(bare).type).toBe('custom');
  });

  it('an OIDC provider with exact and wildcard subjects', () => {
    const base = {
      type: 'web_identity' as const,
      provider: 'oidc' as const,
      providerArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC',
      audiences: ['sts.amazonaws.com'],
    } satisfies TrustedEntityInput;
    const exact = buildTrustPolicy(entity({ ...base, subjects: ['system:serviceaccount:default:app'] }));
    const pattern = buildTrustPolicy(entity({ ...base, subjects: ['system:serviceaccount:default:*'] }));
    expect((exact.Statement as { Condition: unknown }[])[0]!.Condition).toEqual({
      StringEquals: {
        'oidc.eks.us-east-1.amazonaws.com/id/ABC:aud': 'sts.amazonaws.com',
        'oidc.eks.us-east-1.amazonaws.com/id/ABC:sub': 'system:serviceaccount:default:app',
      },
    });
    expect((pattern.Statement as { Condition: unknown }[])[0]!.Condition).toEqual({
      StringEquals: { 'oidc.eks.us-east-1.amazonaws.com/id/ABC:aud': 'sts.amazonaws.com' },
      StringLike: { 'oidc.eks.us-east-1.amazonaws.com/id/ABC:sub': 'system:serviceaccount:default:*' },
    });
  });

  it.each([
    { org: 'acme', repo: undefined, branch: undefined, subject: 'repo:acme/*' },
    { org: 'acme', repo: 'app', branch: undefined, subject: 'repo:acme/app:*' },
    { org: 'acme', repo: 'app', branch: 'release/1.x', subject: 'repo:acme/app:ref:refs/heads/release/1.x' },
    { org: 'acme', repo: undefined, branch: 'main', subject: 'repo:acme/*:ref:refs/heads/main' },
    {
      org: 'acme',
      repo: 'app',
      environment: 'production',
      subject: 'repo:acme/app:environment:production',
    },
    { org: 'acme', repo: undefined, environment: 'Prod EU', subject: 'repo:acme/*:environment:Prod EU' },
  ])('GitHub subject $subject', ({ org, repo, branch, environment, subject }) => {
    expect(githubSubject(org, repo, branch, environment)).toBe(subject);
  });

  it("a GitHub environment follows GitHub's names, and excludes a branch", () => {
    const github = (ref: { branch?: string; environment?: string }) =>
      trustedEntitySchema.safeParse({
        type: 'web_identity',
        provider: 'github_actions',
        providerArn: GITHUB_ARN,
        organization: 'acme',
        repository: 'app',
        ...ref,
      });
    expect(github({ environment: 'Production EU/1' }).success).toBe(true);
    expect(github({ environment: 'x'.repeat(255) }).success).toBe(true);
    const messages = (ref: { branch?: string; environment?: string }) =>
      github(ref).error?.issues.map(({ path, message }) => ({ path, message }));
    expect(messages({ environment: 'x'.repeat(256) })).toEqual([
      { path: ['environment'], message: 'GitHub environment must be at most 255 characters' },
    ]);
    expect(messages({ environment: 'prod*' })).toEqual([
      {
        path: ['environment'],
        message:
          'GitHub environment may not contain * or ? (they would be wildcards in the trust policy) or control characters',
      },
    ]);
    expect(messages({ environment: ' prod' })).toEqual([
      { path: ['environment'], message: 'GitHub environment may not start or end with a space' },
    ]);
    expect(messages({ environment: '' })?.[0]).toEqual({
      path: ['environment'],
      message: 'Type the GitHub environment name',
    });
    expect(messages({ branch: 'main', environment: 'production' })).toEqual([
      {
        path: ['environment'],
        message:
          'Choose a GitHub branch or an environment, not both: a job that uses an environment is matched by its environment, not its branch',
      },
    ]);
  });

  it('every service preset builds a recognisable trust', () => {
    for (const preset of servicePresets) {
      const built = entity({
        type: 'aws_service',
        services: [...preset.principals],
        tagSession: preset.tagSession,
      });
      expect(recognizeTrustPolicy(buildTrustPolicy(built))).toEqual(built);
    }
  });
});

describe('recognizeTrustPolicy', () => {
  it.each([
    { name: 'not JSON', text: '{"Version":' },
    {
      name: 'two statements',
      text: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    },
    {
      name: 'a role principal',
      text: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Ops"},"Action":"sts:AssumeRole"}]}',
    },
    {
      name: 'an extra condition',
      text: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}',
    },
    {
      name: 'Deny',
      text: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    },
    {
      name: 'another partition',
      text: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws-cn:iam::444455556666:root"},"Action":"sts:AssumeRole"}]}',
    },
    {
      name: 'star principal',
      text: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}',
    },
    {
      name: 'GitHub without aud',
      text: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"${GITHUB_ARN}"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/app:*"}}}]}`,
    },
  ])('$name is custom', ({ text }) => {
    expect(recognizeTrustPolicy(text)).toEqual({ type: 'custom', document: text });
  });

  it('accepts the compact forms other tools write', () => {
    const text =
      '{"Version":"2012-10-17","Statement":{"Sid":"","Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}}';
    expect(recognizeTrustPolicy(text)).toEqual({
      type: 'aws_service',
      services: ['lambda.amazonaws.com'],
      tagSession: false,
    });
    expect(recognizeTrustPolicy(JSON.parse(text))).toEqual({
      type: 'aws_service',
      services: ['lambda.amazonaws.com'],
      tagSession: false,
    });
  });
});

const accountId = fc.stringMatching(/^\d{12}$/);
const token = fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/);
const arbitraryEntity: fc.Arbitrary<TrustedEntityInput> = fc.oneof(
  fc.record({
    type: fc.constant('aws_account' as const),
    accountId,
    externalId: fc.option(fc.stringMatching(/^[\w+=,.@:/-]{2,40}$/), { nil: undefined }),
    requireMfa: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('aws_service' as const),
    services: fc.uniqueArray(fc.constantFrom(...servicePresets.flatMap((p) => p.principals)), {
      minLength: 1,
      maxLength: 4,
    }),
    tagSession: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('web_identity' as const),
    provider: fc.constant('cognito' as const),
    identityPoolId: fc.uuid().map((id) => `eu-west-1:${id}`),
    amr: fc.constantFrom('authenticated' as const, 'unauthenticated' as const),
  }),
  fc.record({
    type: fc.constant('web_identity' as const),
    provider: fc.constant('google' as const),
    audience: token,
  }),
  fc.record({
    type: fc.constant('web_identity' as const),
    provider: fc.constantFrom('amazon' as const, 'facebook' as const),
    appId: token,
  }),
  fc.record({
    type: fc.constant('web_identity' as const),
    provider: fc.constant('oidc' as const),
    providerArn: fc
      .tuple(accountId, fc.stringMatching(/^[a-z0-9]{1,10}\.example\.com(\/id\/[A-Z0-9]{4})?$/))
      .map(([id, host]) => `arn:aws:iam::${id}:oidc-provider/${host}`),
    audiences: fc.uniqueArray(token, { minLength: 1, maxLength: 3 }),
    subjects: fc.uniqueArray(fc.stringMatching(/^[a-z:*]{1,12}$/), { maxLength: 3 }),
  }),
  fc
    .record({
      type: fc.constant('web_identity' as const),
      provider: fc.constant('github_actions' as const),
      providerArn: accountId.map(
        (id) => `arn:aws:iam::${id}:oidc-provider/token.actions.githubusercontent.com`,
      ),
      organization: token,
      repository: fc.option(token, { nil: undefined }),
      ref: fc.oneof(
        fc.constant({}),
        fc.stringMatching(/^[A-Za-z0-9_.-]{1,10}(\/[a-z0-9]{1,5})?$/).map((branch) => ({ branch })),
        fc
          .stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _./:-]{0,10}[a-z0-9]$/)
          .map((environment) => ({ environment })),
      ),
    })
    .map(({ ref, ...entity }) => ({ ...entity, ...ref })),
  fc
    .record({
      type: fc.constant('saml' as const),
      providerArn: fc.tuple(accountId, token).map(([id, name]) => `arn:aws:iam::${id}:saml-provider/${name}`),
      consoleAccess: fc.boolean(),
      // Canonical order (single-valued keys first, each key's values together), as recognition gives back.
      attributeConditions: fc
        .uniqueArray(fc.constantFrom('SAML:sub', 'SAML:mail', 'SAML:edupersonaffiliation', 'SAML:cn'), {
          maxLength: 3,
        })
        .chain((keys) =>
          fc.tuple(
            ...keys.map((key) =>
              fc
                .uniqueArray(token, { minLength: 1, maxLength: 2 })
                .map((values) => values.map((value) => ({ key, value }))),
            ),
          ),
        )
        .map((groups) => {
          const multi = (key: string) => Number(SAML_ATTRIBUTE_KEYS[key]?.multiValued ?? false);
          return groups.flat().sort((a, b) => multi(a.key) - multi(b.key));
        }),
    })
    .filter((input) => input.consoleAccess || input.attributeConditions.length > 0),
);

describe('round trip (property)', () => {
  it('every built trust policy is recognised as the choice that built it', () => {
    fc.assert(
      fc.property(
        arbitraryEntity,
        fc.constantFrom('aws' as const, 'aws-cn' as const, 'aws-us-gov' as const),
        (input, partition) => {
          const built = trustedEntitySchema.parse(input) as BuiltEntity;
          expect(recognizeTrustPolicy(trustPolicyText(built, { partition }), { partition })).toEqual(built);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('validation (property)', () => {
  let catalogue: Catalogue;
  beforeAll(async () => {
    catalogue = await loadCatalogue();
  });

  it('every built trust policy validates with no error finding', () => {
    fc.assert(
      fc.property(arbitraryEntity, (input) => {
        const built = trustedEntitySchema.parse(input) as BuiltEntity;
        const errors = validatePolicy(trustPolicyText(built), 'trust', {
          catalogue,
          accountId: '111122223333',
        }).filter((f) => f.severity === 'error');
        expect(errors).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it.each(golden)('golden $name has no error or security warning', ({ input, text }) => {
    const isThirdParty = input.type === 'aws_account' && input.externalId !== undefined;
    const findings = validatePolicy(text, 'trust', {
      catalogue,
      accountId: '111122223333',
      isForThirdParty: isThirdParty,
    });
    expect(findings.filter((f) => f.severity === 'error' || f.severity === 'security_warning')).toEqual([]);
  });
});
