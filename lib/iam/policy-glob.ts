/**
 * Wildcard matching as IAM policies use it: `*` matches any run of characters (including none),
 * `?` matches exactly one character.
 */

/** True when `text` contains a policy wildcard (`*` or `?`). */
export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/**
 * Compiles a policy wildcard pattern into an anchored regular expression. The one place in Rolesmith
 * that turns IAM wildcards into a RegExp. `flags` is `'i'` for case-insensitive matching (actions),
 * `''` for ARNs; add `'s'` for `*` and `?` to match line breaks too.
 */
export function globToRegExp(pattern: string, flags = ''): RegExp {
  // Only flag sets without state (no `g`/`y`) are cached, so a shared RegExp is safe to reuse.
  const cache = flags.includes('g') || flags.includes('y') ? null : cacheFor(flags);
  const cached = cache?.get(pattern);
  if (cached) return cached;
  let source = '^';
  for (const char of pattern) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  const regex = new RegExp(`${source}$`, flags);
  // Compiled patterns are reused across calls; the cache is emptied when it grows large.
  if (cache) {
    if (cache.size >= 10_000) cache.clear();
    cache.set(pattern, regex);
  }
  return regex;
}

const compiled = new Map<string, Map<string, RegExp>>();

function cacheFor(flags: string): Map<string, RegExp> {
  let cache = compiled.get(flags);
  if (cache === undefined) {
    cache = new Map();
    compiled.set(flags, cache);
  }
  return cache;
}

/**
 * True when some string matches both wildcard patterns, e.g. the policy resource
 * `arn:aws:s3:::logs/*` and the template
 * `arn:*:s3:::*` (a resource type's ARN with its variables replaced by `*`). Both sides may contain `*` and `?`.
 * Case-sensitive. Runs in O(length(a) × length(b)).
 */
export function globsIntersect(a: string, b: string): boolean {
  const n = a.length;
  const m = b.length;
  // memo: 0 unknown, 1 true, 2 false; index i * (m + 1) + j
  const memo = new Uint8Array((n + 1) * (m + 1));
  const visit = (i: number, j: number): boolean => {
    const slot = i * (m + 1) + j;
    const known = memo[slot];
    if (known === 1) return true;
    if (known === 2) return false;
    let result: boolean;
    if (i === n && j === m) result = true;
    else if (i < n && a.charCodeAt(i) === 42) result = visit(i + 1, j) || (j < m && visit(i, j + 1));
    else if (j < m && b.charCodeAt(j) === 42) result = visit(i, j + 1) || (i < n && visit(i + 1, j));
    else if (i < n && j < m) {
      const ca = a.charCodeAt(i);
      const cb = b.charCodeAt(j);
      result = (ca === cb || ca === 63 || cb === 63) && visit(i + 1, j + 1);
    } else result = false;
    memo[slot] = result ? 1 : 2;
    return result;
  };
  return visit(0, 0);
}

/**
 * True when every string matched by `inner` is matched by `outer` — checked conservatively by
 * reading `inner` literally (so `s3:*` covers `s3:Get*`, but `s3:Get?bject` does not cover `s3:G*`).
 */
export function globCovers(outer: string, inner: string, caseInsensitive: boolean): boolean {
  if (outer === '*') return true;
  const o = caseInsensitive ? outer.toLowerCase() : outer;
  const i = caseInsensitive ? inner.toLowerCase() : inner;
  if (o === i) return true;
  if (!hasWildcard(o)) return false;
  return globToRegExp(o).test(i);
}
