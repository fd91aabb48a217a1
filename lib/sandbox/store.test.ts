import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store, type AccountRecord } from '@/lib/sandbox/store';

const folders: string[] = [];
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolesmith-sandbox-store-'));
  folders.push(dir);
  return dir;
};

afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

const account = (index: number): AccountRecord => ({
  id: String(index).padStart(12, '0'),
  alias: `a${index}`,
  provisionerUserName: 'p',
});

describe('Store', () => {
  it('acknowledges concurrent operations, one journal line each, and finds them all after reopening', async () => {
    const dir = folder();
    const store = await Store.open(dir);
    const acknowledged = await Promise.all(
      Array.from({ length: 200 }, async (_, index) => {
        store.tables.accounts.put(String(index), account(index));
        if (index % 10 === 0) store.tables.accounts.delete(String(index));
        await store.durable(store.endOperation());
        return index;
      }),
    );
    const lines = readFileSync(join(dir, 'journal.log'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(200);
    await store.close();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    const again = await Store.open(dir);
    expect(again.stats.replayed).toBe(200);
    for (const index of acknowledged)
      expect(again.tables.accounts.get(String(index)) !== undefined).toBe(index % 10 !== 0);
    expect(statSync(join(dir, 'journal.log')).size).toBe(0);
    await again.close();
  });

  it('compacts while running once the journal passes its size limit, losing nothing', async () => {
    const dir = folder();
    const store = await Store.open(dir, { compactAfterBytes: 4096 });
    for (let index = 0; index < 300; index += 1) {
      store.tables.accounts.put(String(index % 50), account(index));
      await store.durable(store.endOperation());
    }
    expect(statSync(join(dir, 'journal.log')).size).toBeLessThan(4096 + 200);
    await store.close();
    const again = await Store.open(dir);
    expect([...again.tables.accounts.values()]).toHaveLength(50);
    expect(again.tables.accounts.get('49')).toEqual(account(299));
    await again.close();
  });
});
