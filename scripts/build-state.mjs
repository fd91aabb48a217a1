// Decides whether the production build in .next matches the sources, by a hash of every file
// the build reads (content, not modification times, so a fresh clone or checkout is judged right).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SOURCE_ROOTS = [
  'app',
  'components',
  'lib',
  'public',
  'instrumentation.ts',
  'proxy.ts',
  'next.config.js',
  'postcss.config.mjs',
  'tsconfig.json',
  'package.json',
  'package-lock.json',
];
const SKIP = /(^|\/)(node_modules|\.next|\.data)(\/|$)|\.test\.tsx?$/;

export function sourceHash(root) {
  const hash = createHash('sha256');
  const files = [];
  const walk = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) walk(join(path, entry));
    } else if (!SKIP.test(relative(root, path))) {
      files.push(path);
    }
  };
  for (const entry of SOURCE_ROOTS) walk(join(root, entry));
  for (const file of files) {
    hash.update(relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const stampPath = (root) => join(root, '.next', 'rolesmith-source-hash');

/** True when .next holds a production build of exactly the current sources. */
export function isBuildCurrent(root) {
  if (!existsSync(join(root, '.next', 'BUILD_ID')) || !existsSync(stampPath(root))) return false;
  return readFileSync(stampPath(root), 'utf8').trim() === sourceHash(root);
}

export function markBuildCurrent(root, hash) {
  writeFileSync(stampPath(root), `${hash}\n`);
}
