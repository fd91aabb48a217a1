// The sandbox emulator's keys of one account, read from the e2e server's data folder (the emulator
// keeps its state as `sandbox-aws/snapshot.json` plus a journal of changes, lib/sandbox/store.ts),
// so that a spec can read what Rolesmith created through the real AWS SDK, as `rolesmith sandbox
// --json` would print them.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface AccessKeyRow {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  userName: string;
}

/** The access keys of `userName` in `accountId` (e.g. the sandbox's administrator user). */
export function sandboxKeys(
  accountId: string,
  userName: string,
): { accessKeyId: string; secretAccessKey: string } {
  const dataDir = process.env.ROLESMITH_E2E_DATA_DIR;
  if (!dataDir) throw new Error('ROLESMITH_E2E_DATA_DIR is not set (playwright.config.ts sets it)');
  const dir = path.join(dataDir, 'sandbox-aws');
  const keys = new Map<string, AccessKeyRow | undefined>();
  const snapshot = path.join(dir, 'snapshot.json');
  if (existsSync(snapshot)) {
    const tables = JSON.parse(readFileSync(snapshot, 'utf8')) as Record<string, [string, AccessKeyRow][]>;
    for (const [key, row] of tables.accessKeys ?? []) keys.set(key, row);
  }
  const journal = path.join(dir, 'journal.log');
  if (existsSync(journal)) {
    const text = readFileSync(journal, 'utf8');
    const end = text.indexOf('\0');
    for (const line of (end === -1 ? text : text.slice(0, end)).split('\n')) {
      if (line === '') continue;
      let mutations: { t: string; k: string; v?: AccessKeyRow }[];
      try {
        mutations = JSON.parse(line) as typeof mutations;
      } catch {
        break; // a torn last line, being written
      }
      for (const mutation of mutations) if (mutation.t === 'accessKeys') keys.set(mutation.k, mutation.v);
    }
  }
  const found = [...keys.values()].find((row) => row?.accountId === accountId && row.userName === userName);
  if (!found) throw new Error(`no sandbox access key for ${userName} in ${accountId}`);
  return { accessKeyId: found.accessKeyId, secretAccessKey: found.secretAccessKey };
}
