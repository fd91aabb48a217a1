import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readOrCreateSandboxSecret } from '@/lib/auth/secret';

const dir = mkdtempSync(path.join(os.tmpdir(), 'rolesmith-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readOrCreateSandboxSecret', () => {
  it('creates a long random secret once, readable by the owner only, and reuses it', () => {
    const dataDir = path.join(dir, 'data');
    const first = readOrCreateSandboxSecret(dataDir);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(path.join(dataDir, 'auth-secret')).mode & 0o777).toBe(0o600);
    expect(readOrCreateSandboxSecret(dataDir)).toBe(first);
    expect(readOrCreateSandboxSecret(path.join(dir, 'other'))).not.toBe(first);
  });
});
