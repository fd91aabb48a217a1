import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseListenAddress, loopback } from './listen-address.mjs';

describe('chooseListenAddress: where `npm start` listens', () => {
  it.each([
    { what: 'sandbox mode by default', env: {}, args: [], hostname: loopback },
    { what: 'sandbox mode', env: { ROLESMITH_MODE: 'sandbox' }, args: [], hostname: loopback },
    { what: 'an empty mode (sandbox)', env: { ROLESMITH_MODE: '' }, args: [], hostname: loopback },
    { what: 'sandbox mode with a port', env: {}, args: ['-p', '4000'], hostname: loopback },
    { what: 'aws mode: every interface', env: { ROLESMITH_MODE: 'aws' }, args: [], hostname: null },
    {
      what: 'HOSTNAME=0.0.0.0 opens sandbox mode',
      env: { HOSTNAME: '0.0.0.0' },
      args: [],
      hostname: '0.0.0.0',
    },
    { what: 'HOSTNAME=[::]', env: { HOSTNAME: '[::]' }, args: [], hostname: '::' },
    {
      what: 'HOSTNAME in aws mode',
      env: { ROLESMITH_MODE: 'aws', HOSTNAME: '10.0.0.5' },
      args: [],
      hostname: '10.0.0.5',
    },
    // Docker sets HOSTNAME to the container's id, some shells export the machine's name: neither asks
    // for the sandbox to be opened to the network.
    {
      what: 'a host name in HOSTNAME (ignored)',
      env: { HOSTNAME: '3f2a9c1b7d4e' },
      args: [],
      hostname: loopback,
    },
    { what: 'an explicit -H', env: {}, args: ['-H', '0.0.0.0'], hostname: null },
    { what: 'an explicit --hostname=', env: {}, args: ['--hostname=::'], hostname: null },
    {
      what: 'an explicit --hostname over HOSTNAME',
      env: { HOSTNAME: '0.0.0.0' },
      args: ['--hostname', '127.0.0.1'],
      hostname: null,
    },
  ])('$what → $hostname', ({ env, args, hostname }) => {
    const chosen = chooseListenAddress({ args, env });
    expect(chosen.hostname).toBe(hostname);
    expect(chosen.note).not.toBe('');
  });

  it('tells how to open sandbox mode up', () => {
    expect(chooseListenAddress({ args: [], env: {} }).note).toMatch(/HOSTNAME=0\.0\.0\.0 or --hostname/);
  });
});

describe('environmentWithEnvFiles', () => {
  // In a process of its own, as `npm start` calls it (Next's loader keeps the first environment it saw).
  const seenBy = (dir: string, mode?: string) => {
    const script = `
      import { environmentWithEnvFiles } from ${JSON.stringify(new URL('./listen-address.mjs', import.meta.url).href)};
      const before = JSON.stringify(process.env);
      const seen = environmentWithEnvFiles(${JSON.stringify(dir)});
      console.log(JSON.stringify({
        mode: seen.ROLESMITH_MODE ?? null,
        other: seen.ROLESMITH_LISTEN_TEST_ONLY ?? null,
        unchanged: JSON.stringify(process.env) === before,
      }));`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      ...(mode === undefined ? {} : { ROLESMITH_MODE: mode }),
    };
    return JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' }),
    ) as { mode: string | null; other: string | null; unchanged: boolean };
  };

  it('sees the mode set in .env, as Next will, and leaves the environment the server inherits as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolesmith-listen-'));
    try {
      writeFileSync(join(dir, '.env'), 'ROLESMITH_MODE=aws\nROLESMITH_LISTEN_TEST_ONLY=1\n');
      expect(seenBy(dir)).toEqual({ mode: 'aws', other: '1', unchanged: true });
      // A variable set in the environment wins over .env, as in Next.
      expect(seenBy(dir, 'sandbox')).toEqual({ mode: 'sandbox', other: '1', unchanged: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
