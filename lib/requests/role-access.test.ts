import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleSpecSchema } from '@/lib/iam/role-spec';
import { summarizeRoleAccess } from '@/lib/requests/role-access';
import { allow, policy, roleSpec } from '@/lib/requests/test-fixtures';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import {
  createCustomerPolicy,
  emulatorAccountIam,
  seedTargetAccounts,
  startTestEmulator,
  type TestEmulator,
} from '@/lib/testing/provisioning';

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

describe('summarizeRoleAccess with the account read', () => {
  let database: TestDatabase;
  let emulator: TestEmulator;

  beforeAll(async () => {
    [database, emulator] = await Promise.all([createTestPglite(), startTestEmulator()]);
    await seedTargetAccounts();
  });

  afterAll(async () => {
    await Promise.all([database?.close(), emulator?.close()]);
  });

  it('shows the default version of a customer managed policy Rolesmith did not make, and says when one cannot be read', async () => {
    const document = policy(allow(['dynamodb:GetItem', 'dynamodb:Query'], '*'));
    const arn = await createCustomerPolicy(emulator, 'TeamTables', document);
    const gone = 'arn:aws:iam::444455556666:policy/Gone';
    const spec = roleSpecSchema.parse(roleSpec({ managedPolicyArns: [arn, gone] }));
    const { policies, access, unknownPolicies } = await summarizeRoleAccess(spec, {
      accountIam: emulatorAccountIam(emulator),
    });
    const team = policies.find((item) => item.name === 'TeamTables');
    expect(team).toMatchObject({ type: 'customer', arn, unreadable: null });
    expect(JSON.parse(team?.document ?? 'null')).toEqual(JSON.parse(document));
    expect(team?.document).toContain('\n');
    expect(team?.access?.services.map((service) => service.prefix)).toEqual(['dynamodb']);
    expect(access.services.map((service) => service.prefix)).toContain('dynamodb');
    const missing = policies.find((item) => item.name === 'Gone');
    expect(missing).toMatchObject({ document: null, access: null });
    expect(missing?.unreadable).toContain('Could not read Gone from the account');
    expect(unknownPolicies).toEqual(['Gone']);
  });
});
