import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { getSandboxEmulator } from '@/lib/sandbox/emulator';
import { GET, POST } from './route';

const saved = { ...process.env };
const dataDir = mkdtempSync(join(tmpdir(), 'rolesmith-sandbox-route-'));

function setEnv(values: Record<string, string>): void {
  for (const key of Object.keys(process.env))
    if (key.startsWith('ROLESMITH_') || key === 'DATABASE_URL' || key === 'AUTH_SECRET')
      delete process.env[key];
  Object.assign(process.env, values);
  resetEnvForTests();
}

afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

afterAll(async () => {
  setEnv({ ROLESMITH_MODE: 'sandbox', ROLESMITH_DATA_DIR: dataDir });
  await (await getSandboxEmulator()).close();
  rmSync(dataDir, { recursive: true, force: true });
});

const query = () =>
  new Request('http://localhost:3000/sandbox/aws', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=ListRoles&Version=2010-05-08',
  });

describe('/sandbox/aws', () => {
  it('does not exist in aws mode, whatever the request', async () => {
    setEnv({
      ROLESMITH_MODE: 'aws',
      DATABASE_URL: 'postgres://user:password@localhost:5432/rolesmith',
      AUTH_SECRET: 'x'.repeat(40),
      ROLESMITH_PUBLIC_URL: 'https://rolesmith.example.com',
      ROLESMITH_OIDC_ISSUER: 'https://login.example.com',
      ROLESMITH_OIDC_CLIENT_ID: 'client',
      ROLESMITH_OIDC_CLIENT_SECRET: 'secret',
    });
    for (const response of [
      await POST(query()),
      await GET(new Request('http://localhost:3000/sandbox/aws/_sandbox/calls')),
    ]) {
      expect(response.status).toBe(404);
      expect(await response.text()).toBe('Not Found');
    }
  });

  it('serves the emulator in sandbox mode, with its control endpoints beside it', async () => {
    setEnv({ ROLESMITH_MODE: 'sandbox', ROLESMITH_DATA_DIR: dataDir });
    const unsigned = await POST(query());
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    const calls = await GET(new Request('http://localhost:3000/sandbox/aws/_sandbox/calls'));
    expect(await calls.json()).toEqual({ calls: [] });
  });

  it('lets the control endpoints accept the portal’s own pages: the address used, or the public URL', async () => {
    setEnv({
      ROLESMITH_MODE: 'sandbox',
      ROLESMITH_DATA_DIR: dataDir,
      ROLESMITH_PUBLIC_URL: 'https://rolesmith.example.com',
    });
    const clearFaults = (host: string, origin: string) =>
      POST(
        new Request('http://localhost:3000/sandbox/aws/_sandbox/faults', {
          method: 'POST',
          headers: { host, origin, 'content-type': 'application/json' },
          body: '{}',
        }),
      );
    expect((await clearFaults('rolesmith.example.com', 'https://rolesmith.example.com')).status).toBe(200);
    expect((await clearFaults('127.0.0.1:3000', 'http://127.0.0.1:3000')).status).toBe(200);
    expect((await clearFaults('localhost:3000', 'https://evil.example')).status).toBe(403);
  });

  it('keeps one emulator per process and refuses a second data folder', async () => {
    setEnv({ ROLESMITH_MODE: 'sandbox', ROLESMITH_DATA_DIR: dataDir });
    const first = await getSandboxEmulator();
    expect(await getSandboxEmulator({ dataDir })).toBe(first);
    expect(first.describe().accounts).toHaveLength(4);
    await expect(getSandboxEmulator({ dataDir: join(dataDir, 'other') })).rejects.toThrow(/already uses/);
  });
});
