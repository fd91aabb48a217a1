// Runs `next build` unless .next already holds a production build of the current sources.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isBuildCurrent, markBuildCurrent, sourceHash } from './build-state.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

/** Returns the exit status of the build (0 when none was needed). */
export function buildIfNeeded({ quiet = false } = {}) {
  if (isBuildCurrent(root)) {
    if (!quiet) console.log('rolesmith: the production build is current.');
    return 0;
  }
  const hash = sourceHash(root);
  console.log('rolesmith: building the production bundle (first start, or the sources changed)…');
  const result = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status === 0) markBuildCurrent(root, hash);
  return result.status ?? 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(buildIfNeeded());
}
