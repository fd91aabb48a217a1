import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '@/lib/db/client';
import { migrations } from '@/lib/db/migrations/registry';

// A database as the release before this migration left it, with accounts in every colour an
// admin could have chosen then (and one no form offered), migrated to the latest version.
describe('202612071800_switch_role_palette', () => {
  let opened: Awaited<ReturnType<typeof openPglite>>;

  beforeAll(async () => {
    opened = await openPglite(null);
    const migrator = new Migrator({
      db: opened.db,
      provider: { getMigrations: () => Promise.resolve(migrations) },
    });
    const before = await migrator.migrateTo('202611281710_planned_plan');
    expect(before.error).toBeUndefined();
    const colors = ['F2B0A9', 'FBBF93', 'fad791', '99BCE3', 'B7CA9D', 'ABCDEF'];
    await opened.db
      .insertInto('target_accounts')
      .values(
        colors.map((color, index) => ({
          id: String(100000000000 + index),
          alias: `account-${index}`,
          environment: 'test',
          color,
          provisioner_role_arn: null,
          external_id: null,
        })),
      )
      .execute();
    const after = await migrator.migrateToLatest();
    expect(after.error).toBeUndefined();
  }, 60_000);

  afterAll(async () => {
    await opened.close();
  });

  it("maps each earlier console colour to today's of the same name and keeps the rest", async () => {
    const rows = await opened.db
      .selectFrom('target_accounts')
      .select(['alias', 'color'])
      .orderBy('alias')
      .execute();
    expect(rows.map((row) => [row.alias, row.color])).toEqual([
      ['account-0', 'F2B0A9'], // red: unchanged
      ['account-1', 'FBC8AA'], // orange
      ['account-2', 'EFDA95'], // yellow, stored in lower case
      ['account-3', '83D4E8'], // blue
      ['account-4', 'B7CA9D'], // green: unchanged
      ['account-5', 'ABCDEF'], // never offered: kept, and left out of links as before
    ]);
  });
});
