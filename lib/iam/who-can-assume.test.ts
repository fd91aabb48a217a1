import { describe, expect, it } from 'vitest';
import { trustPolicyText } from '@/lib/iam/trust-builder';
import { trustedEntitySchema, type TrustedEntityInput } from '@/lib/iam/trust-entity';
import { describeWhoCanAssume } from '@/lib/iam/who-can-assume';

const built = (input: TrustedEntityInput) => trustPolicyText(trustedEntitySchema.parse(input));
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('describeWhoCanAssume', () => {
  it.each([
    {
      document: built({ type: 'aws_account', accountId: '111122223333', requireMfa: true }),
      sentence: 'Users and roles in account 111122223333 who signed in with MFA',
    },
    {
      document: built({ type: 'aws_account', accountId: '111122223333' }),
      own: '111122223333',
      sentence: 'Users and roles in this account (111122223333)',
    },
    {
      document: built({
        type: 'aws_account',
        accountId: '444455556666',
        externalId: 'abc',
        requireMfa: true,
      }),
      sentence:
        'Users and roles in account 444455556666 who signed in with MFA and who pass the agreed external ID',
    },
    {
      document: built({ type: 'aws_service', services: ['ec2.amazonaws.com'] }),
      sentence: 'Amazon EC2 instances',
    },
    {
      document: built({
        type: 'aws_service',
        services: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com', 'x.amazonaws.com'],
      }),
      sentence: 'AWS Lambda functions, Lambda@Edge functions and the AWS service x.amazonaws.com',
    },
    {
      document: built({
        type: 'web_identity',
        provider: 'github_actions',
        providerArn: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
        organization: 'acme',
        repository: 'app',
        branch: 'main',
      }),
      sentence: 'GitHub Actions workflows of acme/app on branch main',
    },
    {
      document: built({
        type: 'web_identity',
        provider: 'github_actions',
        providerArn: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
        organization: 'acme',
      }),
      sentence: 'GitHub Actions workflows of any repository of acme',
    },
    {
      document: built({
        type: 'web_identity',
        provider: 'github_actions',
        providerArn: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
        organization: 'acme',
        repository: 'app',
        environment: 'production',
      }),
      sentence: 'GitHub Actions workflows of acme/app running in environment production',
    },
    {
      document: built({
        type: 'web_identity',
        provider: 'github_actions',
        providerArn: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
        organization: 'acme',
        environment: 'staging',
      }),
      sentence: 'GitHub Actions workflows of any repository of acme running in environment staging',
    },
    {
      document: built({
        type: 'web_identity',
        provider: 'cognito',
        identityPoolId: 'us-east-1:12345678-1234-1234-1234-123456789012',
      }),
      sentence:
        'Signed-in users of the Amazon Cognito identity pool us-east-1:12345678-1234-1234-1234-123456789012',
    },
    {
      document: built({ type: 'web_identity', provider: 'google', audience: 'client-1' }),
      sentence: 'Users signed in with Google to the client client-1',
    },
    {
      document: built({ type: 'saml', providerArn: 'arn:aws:iam::111122223333:saml-provider/Okta' }),
      sentence: 'Users federated through the SAML provider Okta, in the console and programmatically',
    },
    {
      document: built({
        type: 'saml',
        providerArn: 'arn:aws:iam::111122223333:saml-provider/Okta',
        consoleAccess: false,
        attributeConditions: [
          { key: 'SAML:sub', value: 'alice' },
          { key: 'SAML:edupersonaffiliation', value: 'staff' },
          { key: 'SAML:edupersonaffiliation', value: 'faculty' },
        ],
      }),
      sentence:
        'Users federated through the SAML provider Okta whose SAML:sub is alice and SAML:edupersonaffiliation is staff or faculty, programmatically',
    },
    {
      document: built({
        type: 'web_identity',
        provider: 'oidc',
        providerArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.example.com',
        audiences: ['app'],
        subjects: [],
      }),
      sentence: 'Identities from the OIDC provider oidc.example.com for the audience app with any subject',
    },
    {
      document: doc({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }),
      sentence: 'Anyone (any AWS principal in any account)',
    },
    {
      document: doc(
        {
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::444455556666:role/Ops', 'arn:aws:iam::111122223333:user/jane'] },
          Action: 'sts:AssumeRole',
        },
        {
          Effect: 'Allow',
          Principal: { Service: 'ec2.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
        },
      ),
      own: '111122223333',
      sentence:
        'The role Ops in account 444455556666 and the user jane in this account (111122223333); or Amazon EC2 instances when aws:SourceAccount StringEquals 111122223333',
    },
    {
      document: doc({ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' }),
      sentence: 'Nobody (no statement allows a principal)',
    },
    { document: '{', sentence: 'Nobody (the trust policy is not valid JSON)' },
  ])('$sentence', ({ document, own, sentence }) => {
    expect(describeWhoCanAssume(document, { ownAccountId: own })).toBe(sentence);
  });
});
