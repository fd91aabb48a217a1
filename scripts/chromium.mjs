// Finds a Chromium for the end-to-end tests: CHROMIUM_PATH when set, else Playwright's own browser
// when installed, else the system's chromium; with `{ install: true }`, as root on Debian, installs
// Debian's chromium package. Returns the executable path, or null with `problem` set.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function playwrightsOwn() {
  try {
    const { chromium } = require('playwright-core');
    const path = chromium.executablePath();
    return path && isExecutable(path) ? path : null;
  } catch {
    return null;
  }
}

function systemChromium() {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']) {
    const which = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    const path = which.stdout.trim();
    if (which.status === 0 && path && isExecutable(path)) return path;
  }
  return null;
}

export function findChromium({ install = false } = {}) {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return { path: fromEnv };
    return { path: null, problem: `CHROMIUM_PATH is set to ${fromEnv}, which is not an executable file` };
  }
  const found = playwrightsOwn() ?? systemChromium();
  if (found) return { path: found };
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (install && isRoot && existsSync('/etc/debian_version')) {
    console.log(
      'rolesmith: installing Debian’s chromium for the end-to-end tests (apt-get install -y chromium)…',
    );
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const add =
      update.status === 0
        ? spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
            stdio: 'inherit',
            env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
          })
        : update;
    if (add.status === 0) {
      const path = systemChromium();
      if (path) return { path };
    }
    return {
      path: null,
      problem: 'apt-get install -y chromium failed; install Chromium and set CHROMIUM_PATH',
    };
  }
  return {
    path: null,
    problem: 'no Chromium found: install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH',
  };
}

if (process.argv[1] && process.argv[1].endsWith('chromium.mjs')) {
  const result = findChromium({ install: process.argv.includes('--install') });
  if (result.path) console.log(result.path);
  else {
    console.error(`rolesmith: ${result.problem}`);
    process.exit(1);
  }
}
