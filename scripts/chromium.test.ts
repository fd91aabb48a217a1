import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { findChromium, probeChromium } from './chromium.mjs';

// Executables that stand in for broken browser installs: the check must turn each into a clear,
// fast problem rather than a failure in every end-to-end test.
const dir = mkdtempSync(path.join(os.tmpdir(), 'rolesmith-chromium-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function executable(name: string, script: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('probeChromium', () => {
  it('accepts an executable whose --version names Chromium', () => {
    const file = executable('good', 'echo "Chromium 156.0.8078.129 built on Debian"');
    expect(probeChromium(file)).toEqual({ version: 'Chromium 156.0.8078.129 built on Debian' });
  });

  it('reports one that fails, with what it printed (a missing library, say)', () => {
    const file = executable(
      'missing-lib',
      'echo "chrome: error while loading shared libraries: libnss3.so: cannot open shared object file" >&2; exit 127',
    );
    expect(probeChromium(file).problem).toBe(
      `${file} --version failed (exit 127): chrome: error while loading shared libraries: libnss3.so: cannot open shared object file`,
    );
  });

  it('reports one that does not answer, after the timeout and no later', () => {
    const file = executable('hangs', 'exec sleep 30');
    const started = Date.now();
    expect(probeChromium(file, { timeoutMs: 500 }).problem).toBe(
      `${file} --version did not answer within 0.5 s`,
    );
    // Correctness of the timeout, not a speed figure: 5 s is ten times the timeout, and far below
    // the 30 s a probe that waited for the hung process to end would take.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports one that is not a Chromium', () => {
    const file = executable('other', 'echo "Mozilla Firefox 140.0"');
    expect(probeChromium(file).problem).toBe(
      `${file} --version did not name a Chromium: Mozilla Firefox 140.0`,
    );
  });
});

describe('findChromium with CHROMIUM_PATH', () => {
  const saved = process.env.CHROMIUM_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.CHROMIUM_PATH;
    else process.env.CHROMIUM_PATH = saved;
  });

  it('uses it when it runs', () => {
    process.env.CHROMIUM_PATH = executable('chromium-ok', 'echo "Chromium 150.0.0.0"');
    expect(findChromium()).toEqual({ path: process.env.CHROMIUM_PATH, version: 'Chromium 150.0.0.0' });
  });

  it('refuses it, saying why, when it does not run', () => {
    process.env.CHROMIUM_PATH = executable('chromium-broken', 'exit 1');
    expect(findChromium()).toEqual({
      path: null,
      problem: `CHROMIUM_PATH is unusable: ${process.env.CHROMIUM_PATH} --version failed (exit 1)`,
    });
  });

  it('refuses a path that is not an executable file', () => {
    process.env.CHROMIUM_PATH = path.join(dir, 'no-such-browser');
    expect(findChromium()).toEqual({
      path: null,
      problem: `CHROMIUM_PATH is set to ${process.env.CHROMIUM_PATH}, which is not an executable file`,
    });
  });
});
