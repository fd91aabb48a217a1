/** A base for resolving relative paths; never part of a result. */
const base = 'http://portal.invalid';

/**
 * A same-site path to return to after sign-in, or `/`. The value must start with one `/` (not
 * `//` or `/\`, which browsers treat as another host) and hold no control characters; it is then
 * resolved as a browser would (backslashes are slashes, dot segments go) and must still be a
 * single-slash path, so `callbackUrl` cannot become an open redirect. The result is serialized as
 * the URL standard does, which percent-encodes every character outside ASCII: it ends up in a
 * `Location` header, which carries Latin-1 only (a path such as `/audit?actor=日本` made the
 * sign-in answer 500 after it had set the session cookie).
 */
export function safeCallbackPath(value: unknown): string {
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.startsWith('/\\')
  )
    return '/';
  if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return '/';
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (url.origin !== base || path.startsWith('//')) return '/';
  return path;
}

/**
 * The sign-in page's path, naming where to come back to (`returnTo`, made safe by
 * {@link safeCallbackPath}) in `callbackUrl`; plain `/signin` when that is the home page.
 */
export function signInPath(returnTo: unknown): string {
  const path = safeCallbackPath(returnTo);
  return path === '/' ? '/signin' : `/signin?${new URLSearchParams({ callbackUrl: path }).toString()}`;
}

/**
 * The request header through which the proxy tells the guards which path (with its query) was
 * asked for, so that a layout's redirect to the sign-in page can name it (layouts do not get the
 * URL). The proxy drops any copy a client sent; the guards make it safe with {@link signInPath}.
 */
export const returnToHeader = 'x-rolesmith-return-to';
