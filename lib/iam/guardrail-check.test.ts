import { describe, expect, it } from 'vitest';
import { roleSpecSchema, type RoleSpecInput } from '@/lib/iam/role-spec';
import {
  actionsOverlap,
  checkGuardrails,
  defaultGuardrails,
  guardrailsSchema,
  type GuardrailsInput,
} from '@/lib/iam/guardrail-check';
import { allow, IDENTITY, policy, PRODUCTION, roleSpec } from '@/lib/requests/test-fixtures';

const org = { organizationAccountIds: [IDENTITY, PRODUCTION, '777788889999'] };

function check(spec: Partial<RoleSpecInput>, rules: GuardrailsInput) {
  return checkGuardrails(roleSpecSchema.parse(roleSpec(spec)), guardrailsSchema.parse(rules), org);
}

describe('guardrails', () => {
  it('accept a compliant role under the defaults', () => {
    expect(checkGuardrails(roleSpecSchema.parse(roleSpec()), defaultGuardrails, org)).toEqual({});
  });

  it.each([
    {
      rule: 'role name prefix',
      rules: { roleNamePrefix: 'acme-' },
      spec: { name: 'app-log-reader' },
      field: 'name',
      message: 'Role name must start with acme-',
    },
    {
      rule: 'role name prefix (met)',
      rules: { roleNamePrefix: 'app-' },
      spec: {},
      field: null,
      message: null,
    },
    {
      rule: 'path prefix',
      rules: { pathPrefix: '/apps/' },
      spec: { path: '/other/' },
      field: 'path',
      message: 'Path must start with /apps/',
    },
    {
      rule: 'path prefix (met)',
      rules: { pathPrefix: '/apps/' },
      spec: { path: '/apps/logs/' },
      field: null,
      message: null,
    },
    {
      rule: 'session ceiling',
      rules: { maxSessionDurationCeiling: 7200 },
      spec: { maxSessionDuration: 7201 },
      field: 'maxSessionDuration',
      message: 'at most 7200 seconds',
    },
    {
      rule: 'session ceiling (met)',
      rules: { maxSessionDurationCeiling: 7200 },
      spec: { maxSessionDuration: 7200 },
      field: null,
      message: null,
    },
    {
      rule: 'permissions boundary missing',
      rules: { permissionsBoundaryArn: 'arn:aws:iam::{accountId}:policy/Boundary' },
      spec: {},
      field: 'permissionsBoundaryArn',
      message: 'arn:aws:iam::444455556666:policy/Boundary',
    },
    {
      rule: 'permissions boundary other',
      rules: { permissionsBoundaryArn: 'arn:aws:iam::{accountId}:policy/Boundary' },
      spec: { permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
      field: 'permissionsBoundaryArn',
      message: 'must carry the permissions boundary',
    },
    {
      rule: 'permissions boundary (met)',
      rules: { permissionsBoundaryArn: 'arn:aws:iam::{accountId}:policy/Boundary' },
      spec: { permissionsBoundaryArn: 'arn:aws:iam::444455556666:policy/Boundary' },
      field: null,
      message: null,
    },
    {
      rule: 'required tag missing',
      rules: { requiredTags: [{ key: 'cost-center' }] },
      spec: {},
      field: 'tags',
      message: 'Add the required tag cost-center',
    },
    {
      rule: 'required tag value not allowed',
      rules: { requiredTags: [{ key: 'team', allowedValues: ['payments', 'search'] }] },
      spec: {},
      field: 'tags.0.value',
      message: 'Tag team must be one of: payments, search',
    },
    {
      rule: 'required tag empty value',
      rules: { requiredTags: [{ key: 'owner' }] },
      spec: {
        tags: [
          { key: 'team', value: 'x' },
          { key: 'Owner', value: '' },
        ],
      },
      field: 'tags.1.value',
      message: 'Enter a value for the required tag owner',
    },
    {
      rule: 'required tag (met, key case-insensitive)',
      rules: { requiredTags: [{ key: 'TEAM', allowedValues: ['platform'] }] },
      spec: {},
      field: null,
      message: null,
    },
    {
      rule: 'forbidden action in an inline policy',
      rules: { forbiddenActions: ['iam:CreateUser'] },
      spec: {
        inlinePolicies: [
          { name: 'a', document: policy(allow('s3:GetObject')) },
          { name: 'b', document: policy(allow('iam:*')) },
        ],
      },
      field: 'inlinePolicies.1.document',
      message: 'iam:CreateUser',
    },
    {
      rule: 'forbidden wildcard pattern in a new managed policy',
      rules: { forbiddenActions: ['organizations:*'] },
      spec: { newManagedPolicies: [{ name: 'org', document: policy(allow('organizations:ListAccounts')) }] },
      field: 'newManagedPolicies.0.document',
      message: 'organizations:*',
    },
    {
      rule: 'forbidden action via Allow NotAction',
      rules: { forbiddenActions: ['iam:CreateUser'] },
      spec: {
        inlinePolicies: [
          { name: 'a', document: policy({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }) },
        ],
      },
      field: 'inlinePolicies.0.document',
      message: 'iam:CreateUser',
    },
    {
      rule: 'forbidden action only denied (met)',
      rules: { forbiddenActions: ['iam:CreateUser'] },
      spec: {
        inlinePolicies: [{ name: 'a', document: policy({ Effect: 'Deny', Action: 'iam:*', Resource: '*' }) }],
      },
      field: null,
      message: null,
    },
    {
      rule: 'trusted account outside the organisation',
      rules: { trustedAccountAllowList: [] },
      spec: { trustedEntity: { type: 'aws_account', accountId: '123456789012' } },
      field: 'trustedEntity.accountId',
      message: 'allow-list',
    },
    {
      rule: 'trusted account on the allow-list (met)',
      rules: { trustedAccountAllowList: ['123456789012'] },
      spec: { trustedEntity: { type: 'aws_account', accountId: '123456789012', externalId: 'nw-1234' } },
      field: null,
      message: null,
    },
    {
      rule: 'custom trust policy naming an outside account',
      rules: {},
      spec: {
        trustedEntity: {
          type: 'custom',
          document: policy({
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::999988887777:root' },
            Action: 'sts:AssumeRole',
          }),
        },
      },
      field: 'trustedEntity.document',
      message: '999988887777',
    },
    {
      rule: 'custom trust policy trusting everyone',
      rules: {},
      spec: {
        trustedEntity: {
          type: 'custom',
          document: policy({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }),
        },
      },
      field: 'trustedEntity.document',
      message: 'not * (anyone)',
    },
  ])('$rule', ({ rules, spec, field, message }) => {
    const errors = check(spec as Partial<RoleSpecInput>, rules);
    if (field === null) {
      expect(errors).toEqual({});
    } else {
      expect(Object.keys(errors)).toEqual([field]);
      expect(errors[field]?.join(' ')).toContain(message);
    }
  });

  it('reject a configuration where escalation needs fewer approvals than the default', () => {
    const parsed = guardrailsSchema.safeParse({ approvals: { default: 2, privilegeEscalation: 1 } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['approvals', 'privilegeEscalation']);
  });

  it('reject malformed forbidden actions and boundary ARNs', () => {
    expect(guardrailsSchema.safeParse({ forbiddenActions: ['CreateUser'] }).success).toBe(false);
    expect(guardrailsSchema.safeParse({ permissionsBoundaryArn: 'Boundary' }).success).toBe(false);
  });

  it.each([
    ['iam:*', 'iam:CreateUser', true],
    ['*', 'organizations:ListAccounts', true],
    ['iam:Create*', 'iam:*', true],
    ['IAM:createuser', 'iam:CreateUser', true],
    ['iam:Get*', 'iam:CreateUser', false],
    ['s3:*', 'iam:CreateUser', false],
  ])('actionsOverlap(%s, %s) is %s', (a, b, expected) => {
    expect(actionsOverlap(a, b)).toBe(expected);
  });
});
