import { describe, expect, it } from 'vitest';
import { checkIdentityPolicy, checkTrustPolicy, policySize } from '@/lib/sandbox/policy-check';
import { AwsError } from '@/lib/sandbox/protocol';

const statement = (fields: Record<string, unknown>) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [fields] });

function messageOf(check: () => void): string | null {
  try {
    check();
    return null;
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    expect(error.code).toBe('MalformedPolicyDocument');
    return error.message;
  }
}

describe('policySize', () => {
  it('counts characters without whitespace outside strings', () => {
    expect(policySize('{ "a" : "b c" ,\n\t"d":1 }')).toBe('{"a":"b c","d":1}'.length);
    expect(policySize('{"a":"x\\" y"}')).toBe('{"a":"x\\" y"}'.length);
  });
});

describe('checkIdentityPolicy (IAM messages)', () => {
  it.each([
    { policy: '[]', message: 'Syntax errors in policy.' },
    { policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }), message: 'Syntax errors in policy.' },
    {
      policy: statement({ Effect: 'Allow', Action: 's3:*', Resource: '*', Extra: 1 }),
      message: 'Syntax errors in policy.',
    },
    {
      policy: statement({ Effect: 'Allow', Action: 's3:*', NotAction: 's3:Get*', Resource: '*' }),
      message: 'Syntax errors in policy.',
    },
    {
      policy: statement({ Effect: 'Permit', Action: 's3:*', Resource: '*' }),
      message: 'Syntax errors in policy.',
    },
    {
      policy: statement({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: 'x' } }),
      message: 'Syntax errors in policy.',
    },
    {
      policy: statement({
        Effect: 'Allow',
        Action: 's3:*',
        Resource: '*',
        Condition: { Nonsense: { a: 'b' } },
      }),
      message: 'Syntax errors in policy.',
    },
    {
      policy: JSON.stringify({
        Version: '2013-01-01',
        Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
      }),
      message: 'Syntax errors in policy.',
    },
    {
      policy: statement({ Effect: 'denY', Action: 's3:*', Resource: '*' }),
      message: 'The policy failed legacy parsing',
    },
    {
      policy: statement({
        Effect: 'Allow',
        Action: 's3:*',
        Resource: '*',
        Condition: { DateGreaterThan: { 'aws:CurrentTime': 'tomorrow' } },
      }),
      message: 'The policy failed legacy parsing',
    },
    {
      policy: statement({
        Effect: 'Allow',
        Action: 's3:*',
        Resource: '*',
        Condition: { NumericLessThan: { 's3:max-keys': 'ten' } },
      }),
      message: 'The policy failed legacy parsing',
    },
    {
      policy: statement({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3::bucket' }),
      message: 'The policy failed legacy parsing',
    },
    {
      policy: statement({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws' }),
      message: 'Resource vendor must be fully qualified and cannot contain regexes.',
    },
    {
      policy: statement({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:us-east-1::bucket' }),
      message: 'Resource arn:aws:s3:us-east-1::bucket can not contain region information.',
    },
    {
      policy: statement({
        Effect: 'Allow',
        Action: 'iam:*',
        Resource: 'arn:aws:iam::111122223333:something/x',
      }),
      message:
        'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.',
    },
    {
      policy: statement({ Effect: 'Allow', Action: [], Resource: '*' }),
      message: 'Policy statement must contain actions.',
    },
    {
      policy: statement({ Effect: 'Allow', Action: 's3:*', Resource: [] }),
      message: 'Policy statement must contain resources.',
    },
    {
      policy: statement({ Effect: 'Allow', NotPrincipal: { AWS: '*' }, Action: 's3:*', Resource: '*' }),
      message: 'Policy document should not specify a principal.',
    },
  ])('$message', ({ policy, message }) => {
    expect(messageOf(() => checkIdentityPolicy(policy, { managed: true }))).toBe(message);
  });

  it.each([
    statement({ Effect: 'Allow', Action: 'iam: asdf safdsf af ', Resource: '*' }),
    statement({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { x: {} } }),
    statement({
      Effect: 'Allow',
      Action: 's3:*',
      Resource: '*',
      Condition: { DateGreaterThan: { 'aws:CurrentTime': '2016-12-13t2:00:00.593194+23' } },
    }),
    statement({
      Effect: 'Allow',
      Action: 's3:*',
      Resource: 'arn:aws:s3:us-east-1:111122223333:accesspoint/ap',
    }),
    statement({
      Effect: 'Allow',
      Action: 'iam:*',
      Resource: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:role/*'],
    }),
    JSON.stringify({
      Version: '2012-10-17',
      Id: 'x',
      Statement: { Sid: '', Effect: 'Deny', NotAction: 's3:*', NotResource: '*' },
    }),
  ])('accepts %s', (policy) => {
    expect(messageOf(() => checkIdentityPolicy(policy, { managed: true }))).toBeNull();
  });

  it('lets inline policies omit Version', () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    expect(messageOf(() => checkIdentityPolicy(policy, { managed: false }))).toBeNull();
    expect(messageOf(() => checkIdentityPolicy(policy, { managed: true }))).toBe(
      'Policy document must be version 2012-10-17 or greater.',
    );
  });
});

describe('checkIdentityPolicy: values of Date conditions (IAM legacy parser)', () => {
  // AWS's answers recorded by moto's IAM policy-validation tests (getmoto/moto,
  // tests/test_iam/test_iam_policies.py), and the forms IAM's documentation names (IAM User Guide,
  // "IAM JSON policy elements: Condition operators", "Date condition operators"). The whole grammar
  // is tested in lib/iam/iam-date.test.ts.
  const dated = (operator: string, value: unknown) =>
    statement({
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: '*',
      Condition: { [operator]: { a: value } },
    });
  it.each([
    { operator: 'DateGreaterThan', value: 'sdfdsf', source: 'moto: invalid' },
    { operator: 'DateLessThanEquals', value: '234-13', source: 'moto: invalid' },
    { operator: 'DateLessThanEquals', value: '2016-12-13t2:00:00.593194+1', source: 'moto: invalid' },
    { operator: 'DateLessThanEquals', value: '2016-12-13t2:00:00.1999999999+10:59', source: 'moto: invalid' },
    { operator: 'DateLessThan', value: '9223372036854775808', source: 'moto: invalid' },
    {
      operator: 'DateEquals',
      value: ['2026-01-31', 'tomorrow'],
      source: 'doc: every value of a list is a date',
    },
    { operator: 'ForAnyValue:DateNotEqualsIfExists', value: '2016-02-30', source: 'joda: 30 February' },
  ])('refuses $operator $value ($source)', ({ operator, value }) => {
    expect(messageOf(() => checkIdentityPolicy(dated(operator, value), { managed: true }))).toBe(
      'The policy failed legacy parsing',
    );
  });
  it.each([
    { operator: 'DateGreaterThan', value: '01T', source: 'moto: valid' },
    { operator: 'DateLessThanEquals', value: '2019-07-01T13:20:15Z', source: 'moto: valid' },
    { operator: 'DateLessThanEquals', value: '2016-12-13T21:20:37.593194+00:00', source: 'moto: valid' },
    { operator: 'DateLessThanEquals', value: '2016-12-13t2:00:00.593194+23', source: 'moto: valid' },
    { operator: 'DateLessThan', value: '-292275054', source: 'moto: valid' },
    { operator: 'DateGreaterThan', value: '2026-01', source: 'doc: YYYY-MM' },
    { operator: 'DateGreaterThan', value: 1767225600, source: 'doc: epoch time, as a JSON number' },
  ])('accepts $operator $value ($source)', ({ operator, value }) => {
    expect(messageOf(() => checkIdentityPolicy(dated(operator, value), { managed: true }))).toBeNull();
  });
});

describe('checkTrustPolicy (IAM messages)', () => {
  const exists = (arn: string) => arn.endsWith('/present');
  const trust = (fields: Record<string, unknown>) =>
    statement({ Effect: 'Allow', Action: 'sts:AssumeRole', ...fields });

  it.each([
    { policy: '{"Statement": [}', message: 'This policy contains invalid Json' },
    {
      policy: trust({ Principal: { AWS: '111122223333' }, Resource: '*' }),
      message: 'Has prohibited field Resource',
    },
    {
      policy: trust({ Principal: { AWS: '111122223333' }, Action: 's3:GetObject' }),
      message: 'AssumeRole policy may only specify STS AssumeRole actions.',
    },
    {
      policy: trust({}),
      message:
        'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!',
    },
    {
      policy: trust({ Principal: { AWS: 'arn:aws:iam::111122223333:role/absent' } }),
      message: 'Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:role/absent"',
    },
    {
      policy: trust({ Principal: { AWS: 'arn:aws:iam::111122223333:role/*' } }),
      message: 'Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:role/*"',
    },
    { policy: trust({ Principal: { AWS: '123' } }), message: 'Invalid principal in policy: "AWS":"123"' },
    {
      policy: trust({ Principal: { Federated: 'not-a-provider' } }),
      message: 'Invalid principal in policy: "FEDERATED":"not-a-provider"',
    },
  ])('$message', ({ policy, message }) => {
    expect(messageOf(() => checkTrustPolicy(policy, exists))).toBe(message);
  });

  it.each([
    trust({ Principal: '*' }),
    trust({
      Principal: {
        AWS: ['111122223333', 'arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:role/present'],
      },
    }),
    trust({ Principal: { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] } }),
    trust({
      Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
    }),
    trust({
      Principal: { AWS: '111122223333' },
      Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
    }),
    JSON.stringify({
      Version: '2008-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }],
    }),
  ])('accepts %s', (policy) => {
    expect(messageOf(() => checkTrustPolicy(policy, exists))).toBeNull();
  });
});
