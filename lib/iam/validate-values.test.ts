import { describe, expect, it } from 'vitest';
import {
  checkConditionValue,
  checkPrincipal,
  checkResourceArn,
  oidcKeyPrefix,
  parseConditionOperator,
  principalCategory,
} from '@/lib/iam/validate-values';

describe('parseConditionOperator', () => {
  it.each([
    {
      operator: 'StringEquals',
      parsed: {
        base: 'StringEquals',
        family: 'String',
        setQualifier: null,
        ifExists: false,
        isMiscased: false,
      },
    },
    {
      operator: 'ForAnyValue:StringLikeIfExists',
      parsed: {
        base: 'StringLike',
        family: 'String',
        setQualifier: 'ForAnyValue',
        ifExists: true,
        isMiscased: false,
      },
    },
    {
      operator: 'forallvalues:arnlike',
      parsed: {
        base: 'ArnLike',
        family: 'Arn',
        setQualifier: 'ForAllValues',
        ifExists: false,
        isMiscased: true,
      },
    },
    {
      operator: 'NotIpAddress',
      parsed: {
        base: 'NotIpAddress',
        family: 'IpAddress',
        setQualifier: null,
        ifExists: false,
        isMiscased: false,
      },
    },
    {
      operator: 'Null',
      parsed: { base: 'Null', family: 'Null', setQualifier: null, ifExists: false, isMiscased: false },
    },
    { operator: 'NullIfExists', parsed: null },
    { operator: 'ForAnyValue:Null', parsed: null },
    { operator: 'StringEqual', parsed: null },
    { operator: 'ForSomeValues:StringEquals', parsed: null },
  ])('$operator', ({ operator, parsed }) => {
    expect(parseConditionOperator(operator)).toEqual(parsed);
  });
});

describe('checkConditionValue', () => {
  it.each([
    { family: 'Numeric' as const, good: ['10', -1.5, '0'], bad: ['ten', '1e3', ''] },
    {
      family: 'Date' as const,
      // IAM's legacy parser, as recorded in moto's tests (lib/iam/iam-date.test.ts lists the sources).
      good: [
        '2026-01-31',
        '2026-01-31T12:00:00Z',
        '2016-12-13t2:00:00.593194+23',
        1767225600,
        '01T',
        '-292275054',
      ],
      bad: [
        '31/01/2026',
        'tomorrow',
        '2016-12-13t2:00:00.593194+1',
        '9223372036854775808',
        '2026-01-31 12:00',
      ],
    },
    { family: 'Bool' as const, good: [true, 'false', 'TRUE'], bad: ['yes', 1] },
    {
      family: 'IpAddress' as const,
      good: ['203.0.113.0/24', '203.0.113.7', '2001:db8::/32', '::1'],
      bad: ['203.0.113.0/33', '999.1.1.1', 'localhost'],
    },
    {
      family: 'Arn' as const,
      good: ['arn:aws:s3:::b', 'arn:aws:iam::*:role/*', '*', '${aws:PrincipalArn}'],
      bad: ['bucket', 'arn:aws'],
    },
    { family: 'Binary' as const, good: ['QmluYXJ5'], bad: ['not base64!'] },
    { family: 'String' as const, good: ['anything', 12, false], bad: [] },
  ])('$family', ({ family, good, bad }) => {
    for (const value of good) expect(checkConditionValue(family, value), String(value)).toBeNull();
    for (const value of bad) expect(checkConditionValue(family, value), String(value)).not.toBeNull();
  });
});

describe('checkResourceArn', () => {
  it.each([
    { arn: '*', ok: true },
    { arn: 'arn:aws:s3:::logs/*', ok: true },
    { arn: 'arn:aws-cn:dynamodb:cn-north-1:111122223333:table/t', ok: true },
    { arn: 'arn:${aws:partition}:s3:::logs', ok: true },
    { arn: 'arn:aws:iam::111122223333:root', ok: true },
    { arn: 'arn:aws:s3:*', ok: true },
    { arn: 'arn:aws:s3:us-east-1:111122223333:accesspoint/ap', ok: true },
    { arn: 'logs-bucket', ok: false },
    { arn: 'arn:aws:s3', ok: false },
    { arn: 'arn:amazon:s3:::logs', ok: false },
    { arn: 'arn:aws::eu-west-1:111122223333:thing', ok: false },
    { arn: 'arn:aws:iam:eu-west-1:111122223333:role/x', ok: false },
    { arn: 'arn:aws:s3:eu-west-1::logs', ok: false },
    { arn: 'arn:aws:iam::111122223333:roles/x', ok: false },
  ])('$arn → ok: $ok', ({ arn, ok }) => {
    expect(checkResourceArn(arn) === null).toBe(ok);
  });
});

describe('principals', () => {
  it.each([
    { type: 'AWS', value: '*', ok: true },
    { type: 'AWS', value: '111122223333', ok: true },
    { type: 'AWS', value: 'arn:aws:iam::111122223333:role/path/app', ok: true },
    { type: 'AWS', value: 'arn:aws:sts::111122223333:assumed-role/app/session', ok: true },
    { type: 'AWS', value: 'AROAEXAMPLEID1234567', ok: true },
    { type: 'AWS', value: '11112222333', ok: false },
    { type: 'AWS', value: 'arn:aws:iam::111122223333:role/*', ok: false },
    { type: 'Service', value: 'ecs-tasks.amazonaws.com', ok: true },
    { type: 'Service', value: 'Lambda', ok: false },
    { type: 'Federated', value: 'accounts.google.com', ok: true },
    {
      type: 'Federated',
      value: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC',
      ok: true,
    },
    { type: 'Federated', value: 'arn:aws:iam::111122223333:saml-provider/Okta', ok: true },
    { type: 'Federated', value: 'okta.com', ok: false },
    { type: 'CanonicalUser', value: 'a'.repeat(64), ok: true },
    { type: 'Group', value: 'admins', ok: false },
  ])('$type $value → ok: $ok', ({ type, value, ok }) => {
    expect(checkPrincipal(type, value) === null).toBe(ok);
  });

  it('tells which assume action a principal needs and where OIDC keys come from', () => {
    expect(principalCategory('Federated', 'arn:aws:iam::111122223333:saml-provider/Okta')).toBe('saml');
    expect(principalCategory('Federated', 'cognito-identity.amazonaws.com')).toBe('oidc');
    expect(principalCategory('Service', 'ec2.amazonaws.com')).toBe('service');
    expect(principalCategory('AWS', '111122223333')).toBe('aws');
    expect(oidcKeyPrefix('arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com')).toBe(
      'token.actions.githubusercontent.com',
    );
    expect(oidcKeyPrefix('accounts.google.com')).toBe('accounts.google.com');
  });
});
