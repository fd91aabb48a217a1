// Plain JavaScript so that `next.config.js` can run it at build time (it inlines the routes for
// the proxy, see `lib/auth/signed-in-routes.ts`); the route-walk test (e2e/route-guards.spec.ts)
// walks the same files.
import { readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Every page under `appDir`: its route (the URL pattern) and its file relative to `appDir`, sorted
 * by route. One per `page.tsx` (or `.ts`, `.jsx`, `.js`), with route groups (`(admin)`) and
 * parallel-route slots (`@modal`) left out of the route, private folders (`_parts`) skipped, and
 * dynamic segments kept as written (`[id]`, `[...path]`, `[[...path]]`). A missing folder has none.
 * @param {string} appDir
 * @returns {{ route: string, file: string }[]}
 */
export function listPages(appDir) {
  /** @type {{ route: string, file: string }[]} */
  const pages = [];
  /**
   * @param {string[]} folders the folders below appDir
   * @param {string[]} segments the URL segments they make
   */
  const walk = (folders, segments) => {
    /** @type {import('node:fs').Dirent[]} */
    let entries;
    try {
      entries = readdirSync(path.join(appDir, ...folders), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (entry.name.startsWith('_') || entry.name.startsWith('.') || entry.name === 'node_modules')
          continue;
        const hidden = /^\(.*\)$/.test(entry.name) || entry.name.startsWith('@');
        walk([...folders, entry.name], hidden ? segments : [...segments, entry.name]);
      } else if (/^page\.(tsx|ts|jsx|js)$/.test(entry.name)) {
        pages.push({ route: `/${segments.join('/')}`, file: [...folders, entry.name].join('/') });
      }
    }
  };
  walk([], []);
  return pages.sort((a, b) => (a.route < b.route ? -1 : a.route > b.route ? 1 : 0));
}

/**
 * The page routes under `appDir` ({@link listPages}), sorted, each once.
 * @param {string} appDir
 * @returns {string[]}
 */
export function listPageRoutes(appDir) {
  return [...new Set(listPages(appDir).map((page) => page.route))];
}

/**
 * Whether `pathname` (as a request has it, percent-encoded) is a URL of the route `pattern`
 * (from {@link listPageRoutes}): `[id]` matches one segment, `[...path]` one or more,
 * `[[...path]]` none or more. A trailing slash is ignored.
 * @param {string} pattern
 * @param {string} pathname
 * @returns {boolean}
 */
export function matchesPageRoute(pattern, pathname) {
  const want = pattern.split('/').filter(Boolean);
  const have = pathname.split('/').filter(Boolean);
  for (const [index, segment] of want.entries()) {
    if (/^\[\[\.\.\..+\]\]$/.test(segment)) return true;
    if (/^\[\.\.\..+\]$/.test(segment)) return have.length > index;
    const part = have[index];
    if (part === undefined) return false;
    if (/^\[.+\]$/.test(segment)) continue;
    if (part !== segment) return false;
  }
  return have.length === want.length;
}
