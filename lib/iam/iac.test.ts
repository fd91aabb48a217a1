import { parse as parseHcl } from '@cdktf/hcl2json';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, type Tags } from 'yaml';
import { hclString, toCloudFormationYaml, toTerraformHcl } from '@/lib/iam/iac';
import { roleSpecSchema, type RoleSpec, type RoleSpecInput } from '@/lib/iam/role-spec';
import { buildTrustPolicy } from '@/lib/iam/trust-builder';

// CloudFormation's short-form intrinsic functions, read back as { Ref } / { 'Fn::GetAtt' }.
const cloudFormationTags: Tags = [
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
  { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': value.split('.') }) },
];

const documentA = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/${aws:username}/*' }],
});
const documentB = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['sqs:SendMessage'],
      Resource: '*',
      Condition: { StringLike: { 'aws:PrincipalTag/team': '%{x}' } },
    },
  ],
});

const specs: { name: string; input: RoleSpecInput }[] = [
  {
    name: 'minimal',
    input: {
      accountId: '111122223333',
      name: 'Minimal',
      trustedEntity: { type: 'aws_service', services: ['lambda.amazonaws.com'] },
    },
  },
  {
    name: 'everything',
    input: {
      accountId: '111122223333',
      name: 'Full.Role@x',
      path: '/team/app/',
      description: 'Reads "logs"; writes queue: #1\nsecond line é',
      maxSessionDuration: 7200,
      trustedEntity: {
        type: 'aws_account',
        accountId: '444455556666',
        externalId: 'ext-1',
        requireMfa: true,
      },
      managedPolicyArns: [
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
        'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      ],
      newManagedPolicies: [
        { name: 'LogsReader', description: 'Reads ${logs}', document: documentA },
        { name: 'Queue-Writer', document: documentB },
      ],
      inlinePolicies: [
        { name: 'inline-a', document: documentB },
        { name: 'not-json', document: '{"Version": "2012-10-17", oops' },
      ],
      permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/Boundary',
      tags: [
        { key: 'team', value: 'data platform' },
        { key: 'cost:center', value: '' },
        { key: 'Équipe', value: '42' },
      ],
    },
  },
  {
    name: 'custom trust',
    input: {
      accountId: '111122223333',
      name: 'Custom',
      trustedEntity: {
        type: 'custom',
        document:
          '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}',
      },
    },
  },
  {
    // A policy description may hold any storable text; tags may hold separators (\p{Z}).
    name: 'control characters and separators',
    input: {
      accountId: '111122223333',
      name: 'Odd',
      trustedEntity: { type: 'aws_service', services: ['lambda.amazonaws.com'] },
      newManagedPolicies: [
        {
          name: 'Odd',
          description: 'back\bspace form\ffeed bell\u0007 \\b line\u2028para\u2029 bom\ufeff non\uffff',
          document: documentA,
        },
      ],
      tags: [{ key: 'line\u2028sep', value: 'para\u2029sep' }],
    },
  },
];

const json = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};
const trustOf = (spec: RoleSpec): unknown =>
  spec.trustedEntity.type === 'custom'
    ? JSON.parse(spec.trustedEntity.document)
    : buildTrustPolicy(spec.trustedEntity);

describe('toCloudFormationYaml', () => {
  it.each(specs)('$name parses back to the spec', ({ input }) => {
    const spec = roleSpecSchema.parse(input);
    const template = parseYaml(toCloudFormationYaml(spec), { customTags: cloudFormationTags }) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const role = template.Resources.Role!;
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(role.Properties.RoleName).toBe(spec.name);
    expect(role.Properties.Path).toBe(spec.path);
    expect(role.Properties.Description).toBe(spec.description === '' ? undefined : spec.description);
    expect(role.Properties.MaxSessionDuration).toBe(spec.maxSessionDuration);
    expect(role.Properties.AssumeRolePolicyDocument).toEqual(trustOf(spec));
    expect(role.Properties.PermissionsBoundary).toBe(spec.permissionsBoundaryArn);
    expect(role.Properties.Tags ?? []).toEqual(spec.tags.map((tag) => ({ Key: tag.key, Value: tag.value })));
    expect(role.Properties.Policies ?? []).toEqual(
      spec.inlinePolicies.map((p) => ({ PolicyName: p.name, PolicyDocument: json(p.document) })),
    );
    const newIds = spec.newManagedPolicies.map((_, i) => `ManagedPolicy${i + 1}`);
    expect(role.Properties.ManagedPolicyArns ?? []).toEqual([
      ...spec.managedPolicyArns,
      ...newIds.map((id) => ({ Ref: id })),
    ]);
    spec.newManagedPolicies.forEach((policy, i) => {
      const resource = template.Resources[newIds[i]!]!;
      expect(resource.Type).toBe('AWS::IAM::ManagedPolicy');
      expect(resource.Properties).toEqual({
        ManagedPolicyName: policy.name,
        PolicyDocument: JSON.parse(policy.document) as unknown,
        ...(policy.description ? { Description: policy.description } : {}),
      });
    });
    expect(Object.keys(template.Resources)).toHaveLength(1 + newIds.length);
  });

  it('writes line and paragraph separators, the BOM and noncharacters escaped', () => {
    // YAML 1.1 parsers read U+2028 and U+2029 as line breaks (folded to a space inside quotes) and
    // refuse U+FFFE and U+FFFF; escaped, every YAML parser reads them back as they were.
    const spec = roleSpecSchema.parse(specs.find((entry) => entry.name.startsWith('control'))!.input);
    expect(toCloudFormationYaml(spec)).not.toMatch(/[\u2028\u2029\ufeff\ufffe\uffff]/);
  });

  it('keeps a document whose numbers JavaScript would round as its exact text', async () => {
    const document =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*",' +
      '"Condition":{"NumericLessThanEquals":{"s3:max-keys":12345678901234567890},"StringEquals":{"aws:x":1.50}}}]}';
    const spec = roleSpecSchema.parse({
      ...specs[0]!.input,
      inlinePolicies: [{ name: 'numbers', document }],
    });
    const template = parseYaml(toCloudFormationYaml(spec), { customTags: cloudFormationTags }) as {
      Resources: { Role: { Properties: { Policies: { PolicyDocument: unknown }[] } } };
    };
    // CloudFormation takes a JSON property as a JSON string too.
    expect(template.Resources.Role.Properties.Policies[0]!.PolicyDocument).toBe(document);
    const hcl = (await parseHcl('main.tf', toTerraformHcl(spec))) as { resource: TerraformResources };
    const inline = Object.values(hcl.resource.aws_iam_role_policy!)[0]![0]!;
    expect(String(inline.policy).trim()).toBe(document);
  });

  it('escapes characters YAML forbids', () => {
    const spec = roleSpecSchema.parse({
      ...specs[0]!.input,
      inlinePolicies: [{ name: 'p', document: 'raw \u0085\u007f text: - [x]' }],
    });
    const template = parseYaml(toCloudFormationYaml(spec), { customTags: cloudFormationTags }) as {
      Resources: { Role: { Properties: { Policies: { PolicyDocument: string }[] } } };
    };
    expect(template.Resources.Role.Properties.Policies[0]!.PolicyDocument).toBe(
      'raw \u0085\u007f text: - [x]',
    );
  });
});

type TerraformResources = Record<string, Record<string, Record<string, unknown>[]>>;
// hcl2json shows `$${` and `%%{` escapes as written; Terraform reads them as `${` and `%{`.
const unescape = (text: string) => text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
const hclJson = (text: unknown) => json(unescape(String(text)));

describe('toTerraformHcl', () => {
  it.each(specs)('$name parses back to the spec', async ({ input }) => {
    const spec = roleSpecSchema.parse(input);
    const parsed = (await parseHcl('main.tf', toTerraformHcl(spec))) as {
      resource: TerraformResources;
      output: unknown;
    };
    const resources = parsed.resource;
    const role = resources.aws_iam_role!.this![0]!;
    expect(unescape(role.name as string)).toBe(spec.name);
    expect(role.path).toBe(spec.path);
    expect(role.description === undefined ? '' : unescape(role.description as string)).toBe(spec.description);
    expect(role.max_session_duration).toBe(spec.maxSessionDuration);
    expect(role.permissions_boundary).toBe(spec.permissionsBoundaryArn);
    expect(hclJson(role.assume_role_policy)).toEqual(trustOf(spec));
    expect(role.tags ?? {}).toEqual(Object.fromEntries(spec.tags.map((tag) => [tag.key, tag.value])));

    const policies = Object.values(resources.aws_iam_policy ?? {}).map((blocks) => blocks[0]!);
    expect(
      policies.map((p) => ({
        name: p.name,
        description: p.description === undefined ? '' : unescape(p.description as string),
        document: hclJson(p.policy),
      })),
    ).toEqual(
      spec.newManagedPolicies.map((p) => ({
        name: p.name,
        description: p.description,
        document: JSON.parse(p.document) as unknown,
      })),
    );
    const attachments = Object.values(resources.aws_iam_role_policy_attachment ?? {}).map(
      (blocks) => blocks[0]!.policy_arn,
    );
    const policyNames = Object.keys(resources.aws_iam_policy ?? {});
    expect(attachments.sort()).toEqual(
      [...spec.managedPolicyArns, ...policyNames.map((name) => `\${aws_iam_policy.${name}.arn}`)].sort(),
    );
    const inline = Object.values(resources.aws_iam_role_policy ?? {}).map((blocks) => blocks[0]!);
    expect(inline.map((p) => ({ name: p.name, role: p.role, document: hclJson(p.policy) }))).toEqual(
      spec.inlinePolicies.map((p) => ({
        name: p.name,
        role: '${aws_iam_role.this.id}',
        document: json(p.document),
      })),
    );
  });

  it.each([
    { value: 'plain', hcl: '"plain"' },
    { value: 'a "quote" and \\ backslash', hcl: '"a \\"quote\\" and \\\\ backslash"' },
    { value: '${var.x} %{if}', hcl: '"$${var.x} %%{if}"' },
    { value: 'line\nbreak', hcl: '"line\\nbreak"' },
    // HCL knows no \b or \f escape (Terraform: "Invalid escape sequence").
    { value: 'back\bspace form\ffeed \\b', hcl: '"back\\u0008space form\\u000cfeed \\\\b"' },
  ])('hclString($value)', ({ value, hcl }) => {
    expect(hclString(value)).toBe(hcl);
  });
});

describe('round trip (property)', () => {
  const latin1 = fc.string({
    unit: fc.constantFrom(...'aZ09 \t\n"\'\\${}%#:-[]&*!|>@`é¿ÿ'.split('')),
    maxLength: 40,
  });
  const tagText = fc.string({
    unit: fc.constantFrom(...'aZ09 _.:/=+-@éß漢'.split('')),
    minLength: 1,
    maxLength: 20,
  });
  const arbitrarySpec = fc.record({
    accountId: fc.constant('111122223333'),
    name: fc.stringMatching(/^[\w+=,.@-]{1,64}$/),
    path: fc.constantFrom('/', '/team/', '/a.b/c+d/'),
    description: latin1,
    trustedEntity: fc.constant({ type: 'aws_service' as const, services: ['ec2.amazonaws.com'] }),
    inlinePolicies: fc.uniqueArray(
      fc.record({
        name: fc.stringMatching(/^[\w+=,.@-]{1,20}$/),
        document: latin1.map((text) =>
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::b/${text}` }],
          }),
        ),
      }),
      { maxLength: 2, selector: (policy) => policy.name },
    ),
    tags: fc.uniqueArray(fc.record({ key: tagText, value: tagText }), {
      maxLength: 3,
      selector: (tag) => tag.key.toLowerCase(),
    }),
  });

  it('YAML and HCL give back names, descriptions, tags and documents exactly', async () => {
    await fc.assert(
      fc.asyncProperty(arbitrarySpec, async (input) => {
        const parsedSpec = roleSpecSchema.safeParse(input);
        fc.pre(parsedSpec.success);
        const spec = parsedSpec.data;
        const yaml = parseYaml(toCloudFormationYaml(spec), { customTags: cloudFormationTags }) as {
          Resources: { Role: { Properties: Record<string, unknown> } };
        };
        expect(yaml.Resources.Role.Properties.Description ?? '').toBe(spec.description);
        expect(yaml.Resources.Role.Properties.Tags ?? []).toEqual(
          spec.tags.map((tag) => ({ Key: tag.key, Value: tag.value })),
        );
        expect(yaml.Resources.Role.Properties.Policies ?? []).toEqual(
          spec.inlinePolicies.map((p) => ({ PolicyName: p.name, PolicyDocument: json(p.document) })),
        );
        const hcl = (await parseHcl('main.tf', toTerraformHcl(spec))) as { resource: TerraformResources };
        const role = hcl.resource.aws_iam_role!.this![0]!;
        expect(role.description === undefined ? '' : unescape(role.description as string)).toBe(
          spec.description,
        );
        expect(role.name).toBe(spec.name);
        const inline = Object.values(hcl.resource.aws_iam_role_policy ?? {}).map((blocks) =>
          hclJson(blocks[0]!.policy),
        );
        expect(inline).toEqual(spec.inlinePolicies.map((p) => json(p.document)));
      }),
      { numRuns: 60 },
    );
  });
});
