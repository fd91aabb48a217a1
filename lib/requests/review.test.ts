import { describe, expect, it } from 'vitest';
import { roleSpecSchema } from '@/lib/iam/role-spec';
import { reviewRoleSpec } from '@/lib/requests/review';
import { allow, policy, roleSpec } from '@/lib/requests/test-fixtures';

describe('reviewRoleSpec', () => {
  it('summarises access over inline, new managed and AWS managed policies, and shows each managed policy with its bundled JSON', async () => {
    const spec = roleSpecSchema.parse(
      roleSpec({
        managedPolicyArns: [
          'arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess',
          'arn:aws:iam::444455556666:policy/team-boundary-helper',
        ],
        newManagedPolicies: [{ name: 'ddb-read', document: policy(allow('dynamodb:GetItem', '*')) }],
      }),
    );
    const review = await reviewRoleSpec(spec);
    expect(review.accessSummary.services.map((service) => service.prefix)).toEqual(['dynamodb', 's3', 'sqs']);
    const [sqs, customer] = review.managedPolicies;
    expect(sqs).toMatchObject({ name: 'AmazonSQSReadOnlyAccess', type: 'aws' });
    expect(JSON.parse(sqs?.document ?? '')).toMatchObject({ Version: '2012-10-17' });
    expect(customer).toEqual({
      arn: 'arn:aws:iam::444455556666:policy/team-boundary-helper',
      name: 'team-boundary-helper',
      type: 'customer',
      document: null,
    });
    expect(review.hasUnsummarizedPolicies).toBe(true);
    expect(review.whoCanAssume).toBe('Users and roles in account 111122223333');
    expect(JSON.parse(review.trustPolicy)).toMatchObject({ Statement: [{ Action: 'sts:AssumeRole' }] });
  });

  it('a role without permissions policies grants nothing', async () => {
    const review = await reviewRoleSpec(roleSpecSchema.parse(roleSpec({ inlinePolicies: [] })));
    expect(review.accessSummary).toEqual({ services: [], unrecognizedActions: [] });
    expect(review.hasUnsummarizedPolicies).toBe(false);
  });
});
