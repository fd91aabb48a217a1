import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTargetAccount, listTargetAccounts, saveTargetAccount } from '@/lib/accounts/accounts';
import { seedSandboxData } from '@/lib/accounts/seed';
import { getGuardrails } from '@/lib/requests/guardrails-store';
import { alice, bob, carol } from '@/lib/requests/test-fixtures';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

let test: TestDatabase;

beforeAll(async () => {
  test = await createTestPglite();
});

afterAll(async () => {
  await test.close();
});

describe('target accounts', () => {
  it('are seeded in sandbox mode with default guardrails, idempotently', async () => {
    expect(await listTargetAccounts()).toEqual([]);
    expect((await getGuardrails()).version).toBe(0);
    await seedSandboxData();
    await seedSandboxData();
    const accounts = await listTargetAccounts();
    expect(accounts.map((account) => [account.alias, account.id, account.color])).toEqual([
      ['acme-development', '777788889999', 'B7CA9D'],
      ['acme-identity', '111122223333', '99BCE3'],
      ['acme-production', '444455556666', 'F2B0A9'],
    ]);
    expect(await getTargetAccount('123456789012')).toBeNull();
    const guardrails = await getGuardrails();
    expect(guardrails.version).toBe(1);
    expect(guardrails.guardrails.trustedAccountAllowList).toEqual(['123456789012']);
  });

  it('are changed by admins only, validated per field', async () => {
    const input = {
      id: '210987654321',
      alias: 'acme-staging',
      environment: 'staging',
      color: '#fad791',
      provisionerRoleArn: 'arn:aws:iam::210987654321:role/RolesmithProvisioner',
      externalId: 'rolesmith-abc123',
    };
    expect(await saveTargetAccount(alice, input)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await saveTargetAccount(bob, input)).toMatchObject({ ok: false, code: 'forbidden' });
    const invalid = await saveTargetAccount(carol, { ...input, id: '12', color: 'red', alias: 'Bad Alias' });
    expect(invalid.ok ? null : Object.keys(invalid.fieldErrors ?? {}).sort()).toEqual([
      'alias',
      'color',
      'id',
    ]);
    const saved = await saveTargetAccount(carol, input);
    expect(saved).toEqual({ ok: true, value: { ...input, color: 'FAD791' } });
    const updated = await saveTargetAccount(carol, {
      ...input,
      environment: 'pre-production',
      provisionerRoleArn: '',
      externalId: '',
    });
    expect(updated).toMatchObject({
      ok: true,
      value: { environment: 'pre-production', provisionerRoleArn: null, externalId: null },
    });
    const elsewhere = await saveTargetAccount(carol, {
      ...input,
      provisionerRoleArn: 'arn:aws:iam::444455556666:role/RolesmithProvisioner',
    });
    expect(elsewhere).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { provisionerRoleArn: [expect.stringContaining('210987654321')] },
    });
    expect(await getTargetAccount('210987654321')).toMatchObject({ provisionerRoleArn: null });
    const clash = await saveTargetAccount(carol, {
      ...input,
      id: '210987654322',
      provisionerRoleArn: 'arn:aws:iam::210987654322:role/RolesmithProvisioner',
    });
    expect(clash).toMatchObject({
      ok: false,
      code: 'conflict',
      fieldErrors: { alias: ['Choose another alias'] },
    });
  });
});
