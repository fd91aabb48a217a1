import { describe, expect, it } from 'vitest';
import { roleSpecSchema } from '@/lib/iam/role-spec';
import { summarizeRoleAccess } from '@/lib/requests/role-access';
import { allow, policy, roleSpec } from '@/lib/requests/test-fixtures';

describe('summarizeRoleAccess', () => {
  it('lists every policy with its document where Rolesmith knows it, and sums up their access', async () => {
    const spec = roleSpecSchema.parse(
      roleSpec({
        managedPolicyArns: [
          'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess',
          'arn:aws:iam::444455556666:policy/team/SomeoneElses',
        ],
        newManagedPolicies: [{ name: 'Queue', description: '', document: policy(allow('sqs:SendMessage')) }],
      }),
    );
    const { policies, access, unknownPolicies } = await summarizeRoleAccess(spec);
    expect(policies.map((item) => [item.name, item.type, item.arn, item.document !== null])).toEqual([
      ['CloudWatchReadOnlyAccess', 'aws', 'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess', true],
      ['SomeoneElses', 'customer', 'arn:aws:iam::444455556666:policy/team/SomeoneElses', false],
      ['Queue', 'created', 'arn:aws:iam::444455556666:policy/Queue', true],
      ['read-logs', 'inline', null, true],
    ]);
    expect(unknownPolicies).toEqual(['SomeoneElses']);
    expect(policies[2]?.access?.services.map((service) => service.prefix)).toEqual(['sqs']);
    expect(policies[1]?.access).toBeNull();
    const prefixes = access.services.map((service) => service.prefix);
    expect(prefixes).toEqual(expect.arrayContaining(['cloudwatch', 's3', 'sqs']));
    const s3 = access.services.find((service) => service.prefix === 's3');
    expect(s3?.resources).toBe('specific');
    expect(s3?.levels.map((level) => level.level)).toEqual(['Read']);
  });
});
