import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trustPolicyText } from '@/lib/iam/trust-builder';
import { emptyWizardState, type WizardState } from '@/lib/wizard/state';
import { githubProviderArn, specFromWizardState } from '@/lib/wizard/spec-from-state';
import { parseWizardState } from '@/lib/wizard/state-schema';

const TARGET = '444455556666';
const LAMBDA = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['lambda:ListFunctions'], Resource: '*' }],
  },
  null,
  4,
);

function state(changes: Partial<WizardState> = {}): WizardState {
  return {
    ...emptyWizardState(TARGET),
    name: 'AppDeveloper',
    justification: 'Deploys the app',
    awsAccount: {
      which: 'other',
      accountId: '111122223333',
      requireExternalId: false,
      externalId: '',
      requireMfa: true,
    },
    ...changes,
  };
}

describe('specFromWizardState', () => {
  it('builds the RoleSpec of a complete state', () => {
    const result = specFromWizardState(
      state({
        path: '/apps/',
        description: 'Lambda developer',
        maxSessionHours: '4',
        managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
        customPolicies: [
          { id: 'p1', kind: 'inline', name: 'Lambda', description: '', document: LAMBDA, editor: 'json' },
          {
            id: 'p2',
            kind: 'managed',
            name: 'Deploy',
            description: 'Deploys',
            document: LAMBDA,
            editor: 'visual',
          },
        ],
        permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
        tags: [
          { key: 'team', value: 'payments' },
          { key: '', value: '' },
        ],
      }),
    );
    expect(result.fieldErrors).toEqual({});
    expect(result.spec).toEqual({
      accountId: TARGET,
      name: 'AppDeveloper',
      path: '/apps/',
      description: 'Lambda developer',
      maxSessionDuration: 14_400,
      trustedEntity: { type: 'aws_account', accountId: '111122223333', requireMfa: true },
      managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      newManagedPolicies: [{ name: 'Deploy', description: 'Deploys', document: LAMBDA }],
      inlinePolicies: [{ name: 'Lambda', document: LAMBDA }],
      permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
      tags: [{ key: 'team', value: 'payments' }],
    });
    expect(result.policyIds).toEqual({ inlinePolicies: ['p1'], newManagedPolicies: ['p2'] });
  });

  it('trusts the target account for "this account", with an external ID when required', () => {
    const result = specFromWizardState(
      state({
        awsAccount: {
          which: 'this',
          accountId: '999999999999',
          requireExternalId: true,
          externalId: ' ext-123 ',
          requireMfa: false,
        },
      }),
    );
    expect(result.spec?.trustedEntity).toEqual({
      type: 'aws_account',
      accountId: TARGET,
      externalId: 'ext-123',
      requireMfa: false,
    });
  });

  it('uses only the chosen card: what other cards hold is ignored', () => {
    const result = specFromWizardState(
      state({
        entity: 'aws_service',
        awsAccount: {
          which: 'other',
          accountId: 'garbage',
          requireExternalId: true,
          externalId: '',
          requireMfa: false,
        },
        awsService: {
          presetIds: ['ec2', 'lambda'],
          otherPrincipals: 'states.amazonaws.com\nec2.amazonaws.com\n',
          tagSession: false,
        },
      }),
    );
    expect(result.fieldErrors).toEqual({});
    expect(result.spec?.trustedEntity).toEqual({
      type: 'aws_service',
      services: ['ec2.amazonaws.com', 'lambda.amazonaws.com', 'states.amazonaws.com'],
      tagSession: false,
    });
  });

  it('derives the GitHub Actions provider of the target account, and refuses a preset without an organisation', () => {
    const web = {
      ...emptyWizardState().webIdentity,
      provider: 'github_actions' as const,
      organization: 'acme',
      repository: 'app',
      githubRef: 'branch' as const,
      branch: 'main',
      environment: 'production',
    };
    const result = specFromWizardState(state({ entity: 'web_identity', webIdentity: web }));
    expect(result.spec?.trustedEntity).toEqual({
      type: 'web_identity',
      provider: 'github_actions',
      providerArn: githubProviderArn(TARGET),
      organization: 'acme',
      repository: 'app',
      branch: 'main',
    });
    const missing = specFromWizardState(
      state({ entity: 'web_identity', webIdentity: { ...web, organization: '' } }),
    );
    expect(missing.spec).toBeNull();
    expect(missing.fieldErrors).toEqual({ 'webIdentity.organization': ['GitHub organization is required'] });
    const foreign = specFromWizardState(
      state({
        entity: 'web_identity',
        webIdentity: { ...web, providerArn: githubProviderArn('111122223333') },
      }),
    );
    expect(foreign.fieldErrors['webIdentity.providerArn']).toEqual([
      `Choose an identity provider of account ${TARGET}, where the role will be created`,
    ]);
  });

  it('writes the GitHub branch or environment chosen, and only that one', () => {
    const web = {
      ...emptyWizardState().webIdentity,
      provider: 'github_actions' as const,
      organization: 'acme',
      repository: 'app',
      branch: 'main',
      environment: ' production ',
    };
    const github = (githubRef: 'any' | 'branch' | 'environment', change = {}) =>
      specFromWizardState(state({ entity: 'web_identity', webIdentity: { ...web, githubRef, ...change } }));
    const base = { type: 'web_identity', provider: 'github_actions', providerArn: githubProviderArn(TARGET) };
    expect(github('environment').spec?.trustedEntity).toEqual({
      ...base,
      organization: 'acme',
      repository: 'app',
      environment: 'production',
    });
    expect(trustPolicyText(github('environment').spec!.trustedEntity)).toContain(
      '"token.actions.githubusercontent.com:sub": "repo:acme/app:environment:production"',
    );
    expect(github('any').spec?.trustedEntity).toEqual({ ...base, organization: 'acme', repository: 'app' });
    expect(github('environment', { environment: '  ' }).fieldErrors).toEqual({
      'webIdentity.environment': ['Type the GitHub environment name'],
    });
    expect(github('branch', { branch: '' }).fieldErrors).toEqual({
      'webIdentity.branch': ['Type the GitHub branch name'],
    });
    expect(github('environment', { environment: 'prod-*' }).fieldErrors['webIdentity.environment']).toEqual([
      'GitHub environment may not contain * or ? (they would be wildcards in the trust policy) or control characters',
    ]);
  });

  it('reads a draft saved before the environment choice: a typed branch stays that branch', () => {
    const {
      githubRef: _ref,
      environment: _environment,
      ...old
    } = {
      ...emptyWizardState(TARGET).webIdentity,
      provider: 'github_actions' as const,
      organization: 'acme',
    };
    const read = (branch: string) =>
      parseWizardState({ ...state(), entity: 'web_identity', webIdentity: { ...old, branch } });
    expect(read('main').state.webIdentity).toMatchObject({
      githubRef: 'branch',
      branch: 'main',
      environment: '',
    });
    expect(read('').state.webIdentity).toMatchObject({ githubRef: 'any', environment: '' });
    expect(read('main').fieldErrors).toEqual({});
    const wrong = parseWizardState({
      ...state(),
      webIdentity: { ...old, branch: '', githubRef: 'tag', environment: 7 },
    });
    expect(wrong.state.webIdentity).toMatchObject({ githubRef: 'any', environment: '' });
    expect(Object.keys(wrong.fieldErrors).sort()).toEqual([
      'webIdentity.environment',
      'webIdentity.githubRef',
    ]);
  });

  it('needs an attribute condition for SAML programmatic access, keyed by the row', () => {
    const saml = {
      providerArn: `arn:aws:iam::${TARGET}:saml-provider/AcmeIdP`,
      access: 'programmatic' as const,
      attributeConditions: [{ key: '', value: '' }],
    };
    expect(specFromWizardState(state({ entity: 'saml', saml })).fieldErrors).toEqual({
      'saml.attributeConditions': [
        'Programmatic access only needs at least one attribute condition, e.g. SAML:sub',
      ],
    });
    const rows = specFromWizardState(
      state({
        entity: 'saml',
        saml: {
          ...saml,
          attributeConditions: [
            { key: '', value: '' },
            { key: 'SAML:sub', value: '' },
            { key: 'SAML:uid', value: 'bob' },
          ],
        },
      }),
    );
    expect(rows.fieldErrors).toEqual({ 'saml.attributeConditions.1.value': ['Enter the attribute value'] });
    const ok = specFromWizardState(
      state({
        entity: 'saml',
        saml: { ...saml, attributeConditions: [{ key: 'SAML:sub', value: 'alice' }] },
      }),
    );
    expect(ok.spec && trustPolicyText(ok.spec.trustedEntity)).toContain('"SAML:sub": "alice"');
  });

  it('asks for the target account once when none is chosen, whatever the card', () => {
    const result = specFromWizardState(
      state({
        accountId: '',
        awsAccount: {
          which: 'this',
          accountId: '',
          requireExternalId: false,
          externalId: '',
          requireMfa: true,
        },
      }),
    );
    expect(result.fieldErrors.accountId).toEqual([
      'Choose the target account, where the role will be created',
    ]);
  });

  it('maps RoleSpec errors back to the wizard fields that caused them', () => {
    const result = specFromWizardState(
      state({
        accountId: '12',
        name: 'bad name',
        description: 'emoji 🙂',
        maxSessionHours: '13',
        awsAccount: {
          which: 'other',
          accountId: '1234',
          requireExternalId: false,
          externalId: '',
          requireMfa: false,
        },
        managedPolicyArns: ['not-an-arn'],
        customPolicies: [
          { id: 'a', kind: 'inline', name: 'Ok', description: '', document: LAMBDA, editor: 'json' },
          { id: 'b', kind: 'inline', name: 'bad name', description: '', document: '', editor: 'json' },
          {
            id: 'c',
            kind: 'managed',
            name: 'M',
            description: 'x'.repeat(1001),
            document: LAMBDA,
            editor: 'json',
          },
        ],
        tags: [
          { key: '', value: '' },
          { key: 'aws:owner', value: 'me' },
        ],
      }),
    );
    expect(result.spec).toBeNull();
    expect(result.fieldErrors).toEqual({
      accountId: ['AWS account ID must be exactly 12 digits'],
      name: ['Role name may contain only letters, digits and + = , . @ - _'],
      description: [
        'Description may contain only Latin-1 letters, digits, punctuation, spaces, tabs and line breaks',
      ],
      maxSessionHours: ['Maximum session duration must be from 1 to 12 hours'],
      'awsAccount.accountId': ['AWS account ID must be exactly 12 digits'],
      managedPolicyArns: [expect.stringMatching(/^not-an-arn: Policy ARN must look like/)],
      'customPolicies.b.name': ['Inline policy name may contain only letters, digits and + = , . @ - _'],
      'customPolicies.b.document': ['Enter the inline policy document'],
      'customPolicies.c.description': ['Policy description must be at most 1000 characters'],
      'tags.1.key': ['Tag keys starting with aws: are reserved for AWS; choose another key'],
    });
    expect(result.stateFieldOf('inlinePolicies.1.document')).toBe('customPolicies.b.document');
    expect(result.stateFieldOf('newManagedPolicies.0.document')).toBe('customPolicies.c.document');
    expect(result.stateFieldOf('trustedEntity.accountId')).toBe('awsAccount.accountId');
    expect(result.stateFieldOf('trustedEntity')).toBe('awsAccount');
    expect(result.stateFieldOf('maxSessionDuration')).toBe('maxSessionHours');
    expect(result.stateFieldOf('managedPolicyArns.0')).toBe('managedPolicyArns');
  });

  it.each([
    ['', 'Enter the maximum session duration in hours, from 1 to 12'],
    ['0', 'Maximum session duration must be from 1 to 12 hours'],
    ['13', 'Maximum session duration must be from 1 to 12 hours'],
    ['two', 'Enter the maximum session duration in hours, from 1 to 12'],
    ['1.0001', 'Maximum session duration must be a whole number of seconds; use whole hours'],
  ])('refuses %j hours', (hours, message) => {
    expect(specFromWizardState(state({ maxSessionHours: hours })).fieldErrors).toEqual({
      maxSessionHours: [message],
    });
  });

  it('counts managed policies against the account quota', () => {
    const arns = Array.from({ length: 11 }, (_, index) => `arn:aws:iam::${TARGET}:policy/P${index}`);
    expect(specFromWizardState(state({ managedPolicyArns: arns })).fieldErrors).toEqual({
      managedPolicyArns: [
        'A role can have at most 10 managed policies in this account (attached plus new); remove 1',
      ],
    });
    expect(
      specFromWizardState(state({ managedPolicyArns: arns }), { managedPoliciesPerRole: 20 }).fieldErrors,
    ).toEqual({});
  });

  it('the trusted entity alone is ready once step 1 is', () => {
    const result = specFromWizardState(state({ name: '' }));
    expect(result.spec).toBeNull();
    expect(result.fieldErrors).toEqual({ name: ['Enter a role name'] });
    expect(result.trustedEntity).toEqual({
      type: 'aws_account',
      accountId: '111122223333',
      requireMfa: true,
    });
  });
});

describe('parseWizardState (untrusted input)', () => {
  it('turns wrong types into field errors and empty values', () => {
    const parsed = parseWizardState({
      accountId: 444455556666,
      entity: 'martian',
      awsAccount: { requireMfa: 'yes', accountId: '111122223333' },
      customPolicies: [{ id: 'p1', name: 7, document: '{}' }, 'junk', { id: 'p1' }],
      tags: [{ key: 'a', value: null }],
      flagJustifications: { 'x@trust': 5, 'y@trust': 'because' },
      unknown: { deep: [1, 2, 3] },
      maxSessionHours: 2,
    });
    expect(parsed.state).toMatchObject({
      accountId: '',
      entity: 'aws_account',
      awsAccount: { requireMfa: false, accountId: '111122223333' },
      customPolicies: [
        { id: 'p1', name: '', document: '{}', kind: 'inline' },
        { id: 'p1', name: '', document: '' },
      ],
      tags: [{ key: 'a', value: '' }],
      flagJustifications: { 'y@trust': 'because' },
      maxSessionHours: '2',
    });
    expect(Object.keys(parsed.fieldErrors).sort()).toEqual([
      'accountId',
      'awsAccount.requireMfa',
      'customPolicies',
      'customPolicies.1',
      'customPolicies.p1.name',
      'entity',
      'flagJustifications.x@trust',
      'tags.0.value',
    ]);
    expect(parsed.state).not.toHaveProperty('unknown');
  });

  it.each([null, 'text', 42, [], [1, 2]])('answers a non-object (%j) with a form error', (input) => {
    const result = specFromWizardState(input);
    expect(result.spec).toBeNull();
    expect(result.fieldErrors._form).toEqual(["The wizard's state must be a JSON object"]);
  });

  it('never throws, whatever the input (property)', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 4 }), (anything, json) => {
        for (const input of [
          anything,
          json,
          { ...emptyWizardState(TARGET), awsAccount: json, customPolicies: anything },
        ]) {
          const result = specFromWizardState(input);
          expect(typeof result.fieldErrors).toBe('object');
          if (result.spec === null) expect(Object.keys(result.fieldErrors).length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('a wizard without a target account', () => {
  it('asks for the target account, not for an id of 12 digits (which the other account’s field says)', () => {
    const result = specFromWizardState(emptyWizardState());
    expect(result.fieldErrors.accountId).toEqual([
      'Choose the target account, where the role will be created',
    ]);
    expect(result.fieldErrors['awsAccount.accountId']).toEqual(['AWS account ID must be exactly 12 digits']);
  });
});
