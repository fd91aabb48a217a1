import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getTargetAccount,
  getTargetAccountForAdmin,
  listTargetAccounts,
  listTargetAccountsForAdmin,
  removeTargetAccount,
  saveTargetAccount,
} from '@/lib/accounts/accounts';
import { seedSandboxData } from '@/lib/accounts/seed';
import { getGuardrails } from '@/lib/requests/guardrails-store';
import { createDraft } from '@/lib/requests/requests';
import { alice, bob, carol, roleSpec } from '@/lib/requests/test-fixtures';
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
      ['acme-identity', '111122223333', '83D4E8'],
      ['acme-production', '444455556666', 'F2B0A9'],
    ]);
    // The list everyone may see carries nothing about how Rolesmith reaches the account.
    for (const account of accounts)
      expect(Object.keys(account).sort()).toEqual(['alias', 'color', 'environment', 'id']);
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
      color: '#efda95',
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
    expect(saved).toEqual({ ok: true, value: { ...input, color: 'EFDA95' } });
    // A form loaded before the palette changed still sends the earlier yellow: today's is saved.
    const earlier = await saveTargetAccount(carol, { ...input, color: 'FAD791', intent: 'update' });
    expect(earlier).toMatchObject({ ok: true, value: { color: 'EFDA95' } });
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

  it('are listed with their request counts for admins only', async () => {
    expect(await listTargetAccountsForAdmin(alice)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await getTargetAccountForAdmin(bob, '444455556666')).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await getTargetAccountForAdmin(carol, '000000000000')).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await getTargetAccountForAdmin(carol, 'not-an-id')).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await getTargetAccountForAdmin(carol, '444455556666')).toMatchObject({
      ok: true,
      value: { alias: 'acme-production' },
    });
    const draft = await createDraft(alice, { kind: 'create', spec: roleSpec(), justification: 'logs' });
    expect(draft.ok).toBe(true);
    const listed = await listTargetAccountsForAdmin(carol);
    if (!listed.ok) throw new Error(listed.message);
    const counts = Object.fromEntries(listed.value.map((account) => [account.id, account.requestCount]));
    expect(counts).toMatchObject({ '444455556666': 1, '777788889999': 0, '111122223333': 0 });
  });

  it('are added and edited by intent: adding an existing id or editing a missing one changes nothing', async () => {
    const input = {
      id: '333344445555',
      alias: 'acme-sandbox',
      environment: 'sandbox',
      color: 'B7CA9D',
      intent: 'create',
    };
    expect(await saveTargetAccount(carol, input)).toMatchObject({
      ok: true,
      value: { alias: 'acme-sandbox' },
    });
    const again = await saveTargetAccount(carol, { ...input, alias: 'acme-other' });
    expect(again).toMatchObject({
      ok: false,
      code: 'conflict',
      fieldErrors: { id: ['This account is already in the list'] },
    });
    expect(await getTargetAccount('333344445555')).toMatchObject({ alias: 'acme-sandbox' });
    const missing = await saveTargetAccount(carol, {
      ...input,
      id: '333344445556',
      alias: 'acme-missing',
      intent: 'update',
    });
    expect(missing).toMatchObject({ ok: false, code: 'not_found' });
    expect(await getTargetAccount('333344445556')).toBeNull();
    const edited = await saveTargetAccount(carol, { ...input, environment: 'playground', intent: 'update' });
    expect(edited).toMatchObject({ ok: true, value: { environment: 'playground' } });
    const externalAlone = await saveTargetAccount(carol, {
      ...input,
      externalId: 'abc-123456',
      intent: 'update',
    });
    expect(externalAlone).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: {
        externalId: ['An external ID is only used with a provisioner role: enter the role ARN or clear this'],
      },
    });
    const noAlias = await saveTargetAccount(carol, { ...input, alias: ' ', intent: 'update' });
    expect(noAlias.ok ? null : noAlias.fieldErrors).toEqual({ alias: ['Enter an alias'] });
    const offPalette = await saveTargetAccount(carol, { ...input, color: '#abcdef', intent: 'update' });
    expect(offPalette.ok ? null : offPalette.fieldErrors).toEqual({
      color: ["Choose one of the console's switch-role colours: F2B0A9, FBC8AA, EFDA95, B7CA9D, 83D4E8"],
    });
    expect(await getTargetAccount('333344445555')).toMatchObject({
      color: 'B7CA9D',
      externalId: null,
      environment: 'playground',
    });
  });

  it('are removed by admins only, and only while no request names them', async () => {
    expect(await removeTargetAccount(alice, { id: '333344445555' })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await getTargetAccount('333344445555')).not.toBeNull();
    const referenced = await removeTargetAccount(carol, { id: '444455556666' });
    expect(referenced).toMatchObject({ ok: false, code: 'conflict' });
    expect(referenced.ok ? '' : referenced.message).toContain(
      'acme-production cannot be removed: 1 request names it',
    );
    expect(await getTargetAccount('444455556666')).not.toBeNull();
    expect(await removeTargetAccount(carol, { id: '333344445555' })).toEqual({ ok: true, value: null });
    expect(await getTargetAccount('333344445555')).toBeNull();
    expect(await removeTargetAccount(carol, { id: '333344445555' })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await removeTargetAccount(carol, { id: 'x' })).toMatchObject({ ok: false, code: 'invalid_input' });
  });
});
