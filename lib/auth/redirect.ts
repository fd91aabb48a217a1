/**
 * A same-site path to return to after sign-in: a value starting with one `/` (not `//` or `/\`,
 * which browsers treat as another host), else `/`. Keeps `callbackUrl` from becoming an open redirect.
 */
export function safeCallbackPath(value: unknown): string {
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.startsWith('/\\')
  )
    return '/';
  if (/[\u0000-\u001f]/.test(value)) return '/';
  return value;
}
