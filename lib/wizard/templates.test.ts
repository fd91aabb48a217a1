import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalogue } from '@/lib/iam/catalogue';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { getAwsManagedPolicies } from '@/lib/iam/aws-managed-policies';
import { roleSpecSchema } from '@/lib/iam/role-spec';
import { validatePolicy } from '@/lib/iam/validate';
import { specFromWizardState } from '@/lib/wizard/spec-from-state';
import {
  LAMBDA_DEVELOPER_POLICY,
  stateFromRequest,
  stateFromRoleSpec,
  WIZARD_TEMPLATES,
} from '@/lib/wizard/templates';

const TARGET = '444455556666';
const options = {
  sourceAccountId: '111122223333',
  thirdPartyAccountId: '123456789012',
  externalId: 'vendor-7f3a',
  githubOrganization: 'acme',
  githubRepository: 'billing',
};

let catalogue: Catalogue;
beforeAll(async () => {
  catalogue = await loadCatalogue();
});

describe('WIZARD_TEMPLATES', () => {
  it('has the blank role and the five templates the issue names', () => {
    expect(WIZARD_TEMPLATES.map((template) => template.id)).toEqual([
      'blank',
      'lambda-developer',
      'read-only-auditor',
      'billing-viewer',
      'ci-deployer',
      'third-party',
    ]);
  });

  it.each(WIZARD_TEMPLATES.filter((template) => template.id !== 'blank'))(
    '$id gives a valid role once named, with documents free of errors and managed policies that exist',
    ({ state }) => {
      const wizard = specFromWizardState(state(TARGET, options));
      expect(wizard.fieldErrors).toEqual({ name: ['Enter a role name'] });
      const named = specFromWizardState({ ...state(TARGET, options), name: 'FromTemplate' });
      expect(named.fieldErrors).toEqual({});
      const spec = named.spec!;
      for (const policy of spec.inlinePolicies) {
        const errors = validatePolicy(policy.document, 'identity', { catalogue, accountId: TARGET }).filter(
          (finding) => finding.severity === 'error' || finding.severity === 'security_warning',
        );
        expect(errors).toEqual([]);
      }
      for (const arn of spec.managedPolicyArns)
        expect(getAwsManagedPolicies().get(arn)?.isAttachable).toBe(true);
    },
  );

  it('leaves what only the person knows empty, and says so on its field', () => {
    const byId = Object.fromEntries(WIZARD_TEMPLATES.map((template) => [template.id, template]));
    expect(specFromWizardState({ ...byId['ci-deployer']!.state(TARGET), name: 'Ci' }).fieldErrors).toEqual({
      'webIdentity.organization': ['GitHub organization is required'],
    });
    const vendor = byId['third-party']!.state(TARGET);
    expect(specFromWizardState({ ...vendor, name: 'Vendor' }).fieldErrors).toEqual({
      'awsAccount.accountId': ['AWS account ID must be exactly 12 digits'],
    });
    expect(vendor.awsAccount.externalId).toMatch(/^[\w+=,.@:/-]{2,}$/);
    // Without a source account, people of the target account itself.
    expect(byId['lambda-developer']!.state(TARGET).awsAccount).toMatchObject({
      which: 'this',
      requireMfa: true,
    });
  });

  it('the Lambda developer may list, read tags, invoke and update code: exactly those four actions', () => {
    const state = WIZARD_TEMPLATES.find((template) => template.id === 'lambda-developer')!.state(
      TARGET,
      options,
    );
    expect(state.awsAccount).toMatchObject({ which: 'other', accountId: '111122223333', requireMfa: true });
    expect(state.customPolicies).toHaveLength(1);
    const policy = state.customPolicies[0]!;
    expect(policy).toMatchObject({
      kind: 'inline',
      name: 'LambdaDeveloper',
      document: LAMBDA_DEVELOPER_POLICY,
    });
    const document = JSON.parse(policy.document) as {
      Statement: { Effect: string; Action: string[]; Resource: string }[];
    };
    expect(document.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'lambda:ListFunctions',
          'lambda:ListTags',
          'lambda:InvokeFunction',
          'lambda:UpdateFunctionCode',
        ],
        Resource: '*',
      },
    ]);
    expect(policy.document).toBe(JSON.stringify(document, null, 4));
    expect(policy.document.toLowerCase()).not.toMatch(/create|delete/);
  });

  it('imports nothing but types, the wizard state and the service presets (client-safe data)', () => {
    const source = readFileSync(new URL('./templates.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^import (type )?.*from '([^']+)';$/gm)].map((match) => [
      match[1] ?? '',
      match[2],
    ]);
    const clientSafe = ['@/lib/wizard/state', '@/lib/iam/service-presets'];
    expect(imports.filter(([type, from]) => type === '' && !clientSafe.includes(from ?? ''))).toEqual([]);
    // The presets are data with no imports of their own.
    expect(readFileSync(new URL('../iam/service-presets.ts', import.meta.url), 'utf8')).not.toMatch(
      /^import /m,
    );
  });
});

describe('copies', () => {
  const spec = roleSpecSchema.parse({
    accountId: TARGET,
    name: 'Original',
    path: '/apps/',
    description: 'The original',
    maxSessionDuration: 7200,
    trustedEntity: {
      type: 'saml',
      providerArn: `arn:aws:iam::${TARGET}:saml-provider/AcmeIdP`,
      consoleAccess: false,
      attributeConditions: [{ key: 'SAML:sub', value: 'alice' }],
    },
    managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    inlinePolicies: [{ name: 'Lambda', document: LAMBDA_DEVELOPER_POLICY }],
    newManagedPolicies: [
      { name: 'Deploy', description: 'Deploys', document: '{"Version":"2012-10-17","Statement":[]}' },
    ],
    permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
    tags: [{ key: 'team', value: 'payments' }],
  });

  it('a copy of a role keeps its trust and permissions, with the name left empty', () => {
    const state = stateFromRoleSpec(spec);
    expect(state.name).toBe('');
    const rebuilt = specFromWizardState({ ...state, name: 'Original' });
    expect(rebuilt.fieldErrors).toEqual({});
    expect(rebuilt.spec).toEqual(spec);
  });

  it.each([
    { type: 'aws_account', accountId: TARGET, requireMfa: true },
    { type: 'aws_account', accountId: '111122223333', externalId: 'x-123', requireMfa: false },
    { type: 'aws_service', services: ['ec2.amazonaws.com', 'states.amazonaws.com'], tagSession: true },
    {
      type: 'web_identity',
      provider: 'cognito',
      identityPoolId: 'us-east-1:12345678-1234-1234-1234-123456789012',
      amr: 'unauthenticated',
    },
    { type: 'web_identity', provider: 'google', audience: 'client-1' },
    { type: 'web_identity', provider: 'facebook', appId: 'app-1' },
    {
      type: 'web_identity',
      provider: 'oidc',
      providerArn: `arn:aws:iam::${TARGET}:oidc-provider/oidc.example.com`,
      audiences: ['a', 'b'],
      subjects: ['s1'],
    },
    {
      type: 'web_identity',
      provider: 'github_actions',
      providerArn: `arn:aws:iam::${TARGET}:oidc-provider/token.actions.githubusercontent.com`,
      organization: 'acme',
      branch: 'main',
    },
    {
      type: 'web_identity',
      provider: 'github_actions',
      providerArn: `arn:aws:iam::${TARGET}:oidc-provider/token.actions.githubusercontent.com`,
      organization: 'acme',
      repository: 'app',
      environment: 'production',
    },
    {
      type: 'web_identity',
      provider: 'github_actions',
      providerArn: `arn:aws:iam::${TARGET}:oidc-provider/token.actions.githubusercontent.com`,
      organization: 'acme',
      repository: 'app',
    },
    { type: 'custom', document: '{"Version":"2012-10-17","Statement":[]}' },
  ])('round-trips the trust $type', (trustedEntity) => {
    const original = roleSpecSchema.parse({ ...spec, trustedEntity });
    expect(specFromWizardState({ ...stateFromRoleSpec(original), name: 'Original' }).spec).toEqual(original);
  });

  it.each([
    { services: ['ec2.amazonaws.com'], tagSession: false, presetIds: ['ec2'], other: '' },
    {
      services: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'],
      tagSession: false,
      presetIds: ['lambda-edge'],
      other: '',
    },
    {
      services: ['ec2.amazonaws.com', 'states.amazonaws.com', 'example.amazonaws.com'],
      tagSession: false,
      presetIds: ['ec2', 'states'],
      other: 'example.amazonaws.com',
    },
    // A principal without a preset keeps its place: what follows it stays typed by hand too.
    {
      services: ['example.amazonaws.com', 'ec2.amazonaws.com'],
      tagSession: false,
      presetIds: [],
      other: 'example.amazonaws.com\nec2.amazonaws.com',
    },
  ])(
    'a copied service trust picks the console use cases of $services',
    ({ services, tagSession, presetIds, other }) => {
      const original = roleSpecSchema.parse({
        ...spec,
        trustedEntity: { type: 'aws_service', services, tagSession },
      });
      const state = stateFromRoleSpec(original);
      expect(state.awsService.presetIds).toEqual(presetIds);
      expect(state.awsService.otherPrincipals).toBe(other);
      expect(specFromWizardState({ ...state, name: 'Original' }).spec).toEqual(original);
    },
  );

  it('starting again from a rejected request keeps its name, justification and users, linked to it', () => {
    const state = stateFromRequest({
      id: '00000000-0000-4000-8000-000000000001',
      spec,
      justification: 'Needs Lambda deploys',
      roleUsers: ['dana@example.com', 'eve@acme.example'],
    });
    expect(state).toMatchObject({
      name: 'Original',
      justification: 'Needs Lambda deploys',
      roleUsers: 'dana@example.com\neve@acme.example',
      fromRequestId: '00000000-0000-4000-8000-000000000001',
    });
    expect(specFromWizardState(state).spec).toEqual(spec);
  });
});
