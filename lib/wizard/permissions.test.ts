import { describe, expect, it } from 'vitest';
import {
  customPolicyTitle,
  errorCountsPerTab,
  tabOfField,
  managedPolicyCount,
  NEW_POLICY_DOCUMENT,
  newCustomPolicy,
  newPolicyId,
  otherInlinePoliciesSize,
  policiesSearchUrl,
  policyDetailsUrl,
  policyNameOfArn,
  policyTypeOfArn,
  quotaRefusal,
  removeCustomPolicy,
  replaceCustomPolicy,
  toggleManagedPolicy,
} from '@/lib/wizard/permissions';
import { emptyWizardState, flagKey, type WizardState } from '@/lib/wizard/state';

const readOnly = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const customer = 'arn:aws:iam::444455556666:policy/team/DeployTools';

function withManaged(count: number): WizardState {
  return {
    ...emptyWizardState('444455556666'),
    managedPolicyArns: Array.from({ length: count }, (_, n) => `arn:aws:iam::aws:policy/P${n}`),
  };
}

describe('policy ARNs', () => {
  it.each([
    { arn: readOnly, type: 'aws', name: 'ReadOnlyAccess' },
    { arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaRole', type: 'aws', name: 'AWSLambdaRole' },
    { arn: 'arn:aws-cn:iam::aws:policy/ReadOnlyAccess', type: 'aws', name: 'ReadOnlyAccess' },
    { arn: customer, type: 'customer', name: 'DeployTools' },
  ])('$arn is $type, named $name', ({ arn, type, name }) => {
    expect(policyTypeOfArn(arn)).toBe(type);
    expect(policyNameOfArn(arn)).toBe(name);
  });
});

describe('toggleManagedPolicy', () => {
  it('adds a policy below the quota, keeping the order chosen', () => {
    const outcome = toggleManagedPolicy(withManaged(2), readOnly, 10);
    expect(outcome.refused).toBe(false);
    expect(outcome.state.managedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/P0',
      'arn:aws:iam::aws:policy/P1',
      readOnly,
    ]);
  });

  it('removes a selected policy, even at the quota', () => {
    const state = withManaged(10);
    const outcome = toggleManagedPolicy(state, 'arn:aws:iam::aws:policy/P3', 10);
    expect(outcome.refused).toBe(false);
    expect(outcome.state.managedPolicyArns).toHaveLength(9);
    expect(outcome.state.managedPolicyArns).not.toContain('arn:aws:iam::aws:policy/P3');
  });

  it('refuses an 11th policy and leaves the state as it was', () => {
    const state = withManaged(10);
    const outcome = toggleManagedPolicy(state, readOnly, 10);
    expect(outcome.refused).toBe(true);
    expect(outcome.state).toBe(state);
  });

  it('follows the account’s own quota', () => {
    expect(toggleManagedPolicy(withManaged(10), readOnly, 20).refused).toBe(false);
    expect(toggleManagedPolicy(withManaged(3), readOnly, 3).refused).toBe(true);
  });

  it('counts the new managed policies the role creates against the quota', () => {
    const state: WizardState = {
      ...withManaged(8),
      customPolicies: [
        newCustomPolicy('managed', 'm1'),
        newCustomPolicy('inline', 'i1'),
        newCustomPolicy('managed', 'm2'),
      ],
    };
    expect(managedPolicyCount(state)).toBe(10);
    expect(toggleManagedPolicy(state, readOnly, 10).refused).toBe(true);
    expect(toggleManagedPolicy(state, readOnly, 11).refused).toBe(false);
  });

  it('says why a selection was refused', () => {
    expect(quotaRefusal('ReadOnlyAccess', 10)).toBe(
      'You cannot add ReadOnlyAccess: a role can have at most 10 managed policies, counting the new ones it creates. Remove one first.',
    );
  });
});

describe('custom policies', () => {
  it('starts a policy with no statement, formatted with four spaces', () => {
    expect(NEW_POLICY_DOCUMENT).toBe('{\n    "Version": "2012-10-17",\n    "Statement": []\n}');
    expect(newCustomPolicy('managed', 'p1')).toEqual({
      id: 'p1',
      kind: 'managed',
      name: '',
      description: '',
      document: NEW_POLICY_DOCUMENT,
      editor: 'visual',
    });
  });

  it('gives each new policy a different id', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newPolicyId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^p[0-9a-f]{16}$/);
  });

  it('replaces one policy and removes one with its justifications', () => {
    const a = { ...newCustomPolicy('inline', 'a'), name: 'A' };
    const b = { ...newCustomPolicy('inline', 'b'), name: 'B' };
    const keyA = flagKey('privesc_put_policy', 'policy:a');
    const warningA = flagKey('pass_role_with_star', 'policy:a', '/Statement/0/Resource');
    const keyB = flagKey('privesc_put_policy', 'policy:b');
    // Another policy whose id starts like this one's keeps its justification.
    const keyAb = flagKey('privesc_put_policy', 'policy:ab', '/Statement/0');
    const keyTrust = flagKey('trust_any_principal', 'trust');
    const state: WizardState = {
      ...emptyWizardState(),
      customPolicies: [a, b],
      flagJustifications: {
        [keyA]: 'why a',
        [warningA]: 'why a here',
        [keyB]: 'why b',
        [keyAb]: 'why ab',
        [keyTrust]: 'why trust',
      },
    };
    const renamed = replaceCustomPolicy(state, { ...a, name: 'A2' });
    expect(renamed.customPolicies.map((policy) => policy.name)).toEqual(['A2', 'B']);
    const removed = removeCustomPolicy(state, 'a');
    expect(removed.customPolicies).toEqual([b]);
    expect(removed.flagJustifications).toEqual({
      [keyB]: 'why b',
      [keyAb]: 'why ab',
      [keyTrust]: 'why trust',
    });
  });

  it('counts the other inline policies as IAM does (no whitespace outside strings)', () => {
    const inline = (id: string, document: string) => ({ ...newCustomPolicy('inline', id), document });
    const policies = [
      inline('a', '{ "Sid": "a b" }'),
      inline('b', '{\n  "x": 1\n}'),
      { ...newCustomPolicy('managed', 'm'), document: '{"big": "not counted"}' },
    ];
    expect(otherInlinePoliciesSize(policies, 'b')).toBe('{"Sid":"a b"}'.length);
    expect(otherInlinePoliciesSize(policies, 'a')).toBe('{"x":1}'.length);
    expect(otherInlinePoliciesSize(policies, 'm')).toBe('{"Sid":"a b"}'.length + '{"x":1}'.length);
  });

  it('titles a policy by kind and name, or by its place while unnamed', () => {
    const a = newCustomPolicy('inline', 'a');
    const m = newCustomPolicy('managed', 'm');
    const b = newCustomPolicy('inline', 'b');
    const policies = [a, m, b];
    expect(customPolicyTitle(policies, a)).toBe('Inline policy 1 (unnamed)');
    expect(customPolicyTitle(policies, b)).toBe('Inline policy 2 (unnamed)');
    expect(customPolicyTitle(policies, m)).toBe('New managed policy 1 (unnamed)');
    expect(customPolicyTitle(policies, { ...m, name: ' Deploy ' })).toBe('New managed policy Deploy');
  });
});

describe('read URLs', () => {
  it.each([
    { query: { q: '', type: 'all' as const }, url: '/api/accounts/444455556666/policies' },
    {
      query: { q: ' read only ', type: 'aws' as const },
      url: '/api/accounts/444455556666/policies?q=read+only&type=aws',
    },
    {
      query: { q: 'S3', type: 'customer' as const, cursor: readOnly },
      url: `/api/accounts/444455556666/policies?q=S3&type=customer&cursor=${encodeURIComponent(readOnly)}`,
    },
  ])('$url', ({ query, url }) => {
    expect(policiesSearchUrl('444455556666', query)).toBe(url);
  });

  it('sends a policy ARN as one path segment', () => {
    expect(policyDetailsUrl('444455556666', customer)).toBe(
      '/api/accounts/444455556666/policies/arn%3Aaws%3Aiam%3A%3A444455556666%3Apolicy%2Fteam%2FDeployTools',
    );
  });
});

describe('tabOfField', () => {
  it.each([
    ['managedPolicyArns', 'managed'],
    ['managedPolicyArns.3', 'managed'],
    ['customPolicies.a.document', 'custom'],
    ['customPolicies', 'custom'],
    ['permissionsBoundaryArn', 'boundary'],
    ['name', null],
    ['flagJustifications.x@managedPolicyArns.1', null],
  ])('the error summary link to %s opens the %s tab', (field, tab) => {
    expect(tabOfField(field)).toBe(tab);
  });
});

describe('errorCountsPerTab', () => {
  it('counts the fields with errors under each tab of step 2, ignoring other steps and empty lists', () => {
    expect(
      errorCountsPerTab({
        managedPolicyArns: ['A role can have at most 10 managed policies'],
        'customPolicies.a.name': ['Enter a policy name'],
        'customPolicies.a.document': ['Fix the errors'],
        customPolicies: ['Inline policies exceed 10,240 characters'],
        'customPolicies.b.name': [],
        permissionsBoundaryArn: ['No managed policy X in this account'],
        'flagJustifications.x@y': ['Explain why'],
        name: ['Enter a role name'],
      }),
    ).toEqual({ managed: 1, custom: 3, boundary: 1 });
  });
});
