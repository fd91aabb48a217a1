import { describe, expect, it } from 'vitest';
import { normalizePolicy, policyDocumentSchema } from '@/lib/iam/policy';
import { accountOfPrincipal, actionPatternMatches, analyzeAccountTrust } from '@/lib/iam/trust-analysis';

const analyze = (...statements: object[]) =>
  analyzeAccountTrust(
    normalizePolicy(policyDocumentSchema.parse({ Version: '2012-10-17', Statement: statements })).statements,
  );

describe('analyzeAccountTrust', () => {
  it.each([
    {
      name: 'root ARN',
      statement: {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::444455556666:root' },
        Action: 'sts:AssumeRole',
      },
      expected: { accountIds: ['444455556666'], requiresExternalId: false, requiresMfa: false },
    },
    {
      name: 'bare id, sts:Assume*',
      statement: { Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 'sts:Assume*' },
      expected: { accountIds: ['444455556666'] },
    },
    {
      name: 'MFA age',
      statement: {
        Effect: 'Allow',
        Principal: { AWS: '444455556666' },
        Action: 'sts:AssumeRole',
        Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } },
      },
      expected: { requiresMfa: true },
    },
    {
      name: 'MFA as a JSON boolean',
      statement: {
        Effect: 'Allow',
        Principal: { AWS: '444455556666' },
        Action: 'sts:AssumeRole',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': true } },
      },
      expected: { requiresMfa: true },
    },
    {
      name: 'MFA false',
      statement: {
        Effect: 'Allow',
        Principal: { AWS: '444455556666' },
        Action: 'sts:AssumeRole',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
      },
      expected: { requiresMfa: false },
    },
    {
      name: 'external ID',
      statement: {
        Effect: 'Allow',
        Principal: { AWS: '444455556666' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'e-1' } },
      },
      expected: { requiresExternalId: true, externalId: 'e-1' },
    },
    {
      name: 'NotAction excluding AssumeRole',
      statement: { Effect: 'Allow', Principal: { AWS: '444455556666' }, NotAction: 'sts:AssumeRole' },
      expected: { accountIds: [] },
    },
    {
      name: 'only TagSession',
      statement: { Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 'sts:TagSession' },
      expected: { accountIds: [] },
    },
    {
      name: 'star',
      statement: { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' },
      expected: { accountIds: [], allowsAnyPrincipal: true },
    },
  ])('$name', ({ statement, expected }) => {
    expect(analyze(statement)).toMatchObject(expected);
  });

  it('needs every statement to demand an external ID', () => {
    const result = analyze(
      {
        Effect: 'Allow',
        Principal: { AWS: '444455556666' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'e-1' } },
      },
      { Effect: 'Allow', Principal: { AWS: '777788889999' }, Action: 'sts:AssumeRole' },
    );
    expect(result).toMatchObject({
      accountIds: ['444455556666', '777788889999'],
      requiresExternalId: false,
      externalId: undefined,
    });
  });
});

describe('helpers', () => {
  it.each([
    { principal: '111122223333', account: '111122223333' },
    { principal: 'arn:aws:iam::111122223333:role/a/b', account: '111122223333' },
    { principal: 'arn:aws-cn:sts::111122223333:assumed-role/r/s', account: '111122223333' },
    { principal: '*', account: undefined },
    { principal: 'ec2.amazonaws.com', account: undefined },
  ])('accountOfPrincipal($principal)', ({ principal, account }) => {
    expect(accountOfPrincipal(principal)).toBe(account);
  });

  it.each([
    { pattern: 'sts:AssumeRole', action: 'sts:assumerole', matches: true },
    { pattern: 'sts:Assume?ole', action: 'sts:AssumeRole', matches: true },
    { pattern: 'sts:AssumeRoleWith*', action: 'sts:AssumeRole', matches: false },
    { pattern: '*', action: 'sts:AssumeRole', matches: true },
  ])('actionPatternMatches($pattern, $action)', ({ pattern, action, matches }) => {
    expect(actionPatternMatches(pattern, action)).toBe(matches);
  });
});
