import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store, StoreLockedError, type AccountRecord } from '@/lib/sandbox/store';

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
    // While open, the journal's lines are followed by zero-filled space (see Store.preallocate).
    const lines = readFileSync(join(dir, 'journal.log'), 'utf8').replace(/\0+$/, '').trim().split('\n');
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

  it('counts the records of an account without a scan, through creates, overwrites, deletes and a reopen', async () => {
    const dir = folder();
    const store = await Store.open(dir);
    const table = store.tables.accounts;
    table.put('111122223333/a', account(1));
    expect(table.countInAccount('111122223333')).toBe(1);
    table.put('111122223333/b', account(2));
    table.put('111122223333/b', account(3));
    table.put('444455556666/a', account(4));
    table.delete('111122223333/a');
    table.delete('111122223333/missing');
    expect([table.countInAccount('111122223333'), table.countInAccount('444455556666')]).toEqual([1, 1]);
    expect(table.countInAccount('777788889999')).toBe(0);
    await store.durable(store.endOperation());
    await store.close();
    const again = await Store.open(dir);
    expect(again.tables.accounts.countInAccount('111122223333')).toBe(1);
    again.tables.accounts.put('111122223333/c', account(5));
    expect(again.tables.accounts.countInAccount('111122223333')).toBe(2);
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

  it('replays a journal left with its zero-filled space (a killed process), and drops a torn batch there', async () => {
    const dir = folder();
    const store = await Store.open(dir);
    for (let index = 0; index < 20; index += 1) {
      store.tables.accounts.put(String(index), account(index));
      await store.durable(store.endOperation());
    }
    const journal = readFileSync(join(dir, 'journal.log'));
    const linesEnd = journal.indexOf(0);
    expect(linesEnd).toBeGreaterThan(0);
    expect(journal.subarray(linesEnd).every((byte) => byte === 0)).toBe(true);
    // Copies of the folder as a killed process would have left it (the store itself still holds the lock).
    const killed = folder();
    copyFileSync(join(dir, 'snapshot.json'), join(killed, 'snapshot.json'));
    writeFileSync(join(killed, 'journal.log'), journal);
    const torn = folder();
    copyFileSync(join(dir, 'snapshot.json'), join(torn, 'snapshot.json'));
    const tornJournal = Buffer.from(journal);
    tornJournal.write('[{"t":"accounts","k":"torn","v":{"i', linesEnd);
    writeFileSync(join(torn, 'journal.log'), tornJournal);
    await store.close();
    // Closed, the journal holds its lines only.
    expect(readFileSync(join(dir, 'journal.log'))).toEqual(journal.subarray(0, linesEnd));

    const replayed = await Store.open(killed);
    expect(replayed.stats).toMatchObject({ replayed: 20, droppedTornLine: false });
    expect([...replayed.tables.accounts.values()]).toHaveLength(20);
    await replayed.close();
    const dropped = await Store.open(torn);
    expect(dropped.stats).toMatchObject({ replayed: 20, droppedTornLine: true });
    expect(dropped.tables.accounts.get('torn')).toBeUndefined();
    await dropped.close();
  });

  it('takes over a folder whose lock names a dead or zombie process, not a live one', async () => {
    const dir = folder();
    mkdirSync(dir, { recursive: true });
    // A shell that starts a short sleep and then becomes a process that never reaps it: a zombie.
    const shell = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 5'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const zombie = Number(
      await new Promise<string>((resolve) =>
        shell.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())),
      ),
    );
    await new Promise((done) => setTimeout(done, 400));
    try {
      expect(readFileSync(`/proc/${zombie}/stat`, 'utf8')).toMatch(/\) Z /);
      writeFileSync(join(dir, 'lock'), String(zombie));
      const store = await Store.open(dir);
      await store.close();
      writeFileSync(join(dir, 'lock'), String(shell.pid));
      await expect(Store.open(dir)).rejects.toThrow(StoreLockedError);
      writeFileSync(join(dir, 'lock'), '999999999');
      await (await Store.open(dir)).close();
    } finally {
      shell.kill('SIGKILL');
    }
  });
});
