import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const rolesmith = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin', 'rolesmith.mjs'), ...args], { encoding: 'utf8', cwd: root });

describe('rolesmith command line', () => {
  it('prints the version from package.json', () => {
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
      .version;
    const result = rolesmith('--version');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`rolesmith ${version}\n`);
  });

  it('prints usage for --help and exits 0', () => {
    const result = rolesmith('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: rolesmith <command> [options]');
    expect(result.stdout).toContain('--version');
  });

  it('refuses an unknown command with exit status 2 and the usage', () => {
    const result = rolesmith('frobnicate');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
    expect(result.stderr).toContain('Usage: rolesmith');
  });
});
