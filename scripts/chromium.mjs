// Finds a Chromium for the end-to-end tests: CHROMIUM_PATH when set, else Playwright's own browser
// when installed, else the system's chromium; with `{ install: true }`, as root on Debian, installs
// Debian's chromium package. A browser counts as found only when `--version` runs and answers within
// a few seconds (a missing library or a broken install fails here, not in every test). Returns the
// executable path and version, or null with `problem` set.
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

/**
 * Whether `path --version` exits 0 within `timeoutMs`: `{ version }` when it does, else `{ problem }`
 * saying what went wrong, with the last lines of its output.
 */
export function probeChromium(path, { timeoutMs = 10_000 } = {}) {
  const result = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: timeoutMs });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
  if (result.error?.code === 'ETIMEDOUT')
    return { problem: `${path} --version did not answer within ${timeoutMs / 1000} s` };
  if (result.error) return { problem: `${path} could not be run (${result.error.message})` };
  if (result.status !== 0)
    return {
      problem: `${path} --version failed (exit ${result.status ?? result.signal})${output ? `: ${output}` : ''}`,
    };
  const version = (result.stdout ?? '')
    .trim()
    .split('\n')
    .find((line) => /chrom/i.test(line));
  if (!version) return { problem: `${path} --version did not name a Chromium: ${output}` };
  return { version };
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

export function findChromium({ install = false, timeoutMs = 10_000 } = {}) {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv))
      return { path: null, problem: `CHROMIUM_PATH is set to ${fromEnv}, which is not an executable file` };
    const probe = probeChromium(fromEnv, { timeoutMs });
    if (probe.problem) return { path: null, problem: `CHROMIUM_PATH is unusable: ${probe.problem}` };
    return { path: fromEnv, version: probe.version };
  }
  // Playwright's own, then the system's; one that does not run is reported if none does.
  const problems = [];
  for (const candidate of [playwrightsOwn(), systemChromium()]) {
    if (!candidate) continue;
    const probe = probeChromium(candidate, { timeoutMs });
    if (!probe.problem) return { path: candidate, version: probe.version };
    problems.push(probe.problem);
  }
  if (problems.length > 0 && !install)
    return {
      path: null,
      problem: `no usable Chromium: ${problems.join('; ')}; set CHROMIUM_PATH to one that runs`,
    };
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
      const probe = path ? probeChromium(path, { timeoutMs }) : { problem: 'chromium is not on the PATH' };
      if (path && !probe.problem) return { path, version: probe.version };
      return { path: null, problem: `apt-get installed chromium, but it is unusable: ${probe.problem}` };
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
  if (result.path) {
    console.error(result.version);
    console.log(result.path);
  } else {
    console.error(`rolesmith: ${result.problem}`);
    process.exit(1);
  }
}
