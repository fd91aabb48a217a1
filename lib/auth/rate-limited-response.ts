/**
 * The answer to a request refused by a rate limit: HTTP 429 with `Retry-After`, in the form the
 * caller can show without an error page.
 *
 * - A server action called by the portal's JavaScript (`Next-Action` header) gets a React Flight
 *   payload whose action result is a `rate_limited` Result. Next's client resolves the action
 *   with it (it reads the body of any `text/x-component` response, whatever the status), so the
 *   form shows the message like any other failed Result instead of throwing into the error
 *   boundary, as it does for a non-Flight error response.
 * - Anything else (a form posted before JavaScript loaded, a browser following a sign-in
 *   redirect) gets a small HTML page with the message and a link back.
 */

/** The message shown to a person who hit a rate limit. */
export function rateLimitedMessage(retryAfterSeconds: number): string {
  return `Too many attempts, try again in ${retryAfterSeconds} s.`;
}

interface HeaderSource {
  get(name: string): string | null;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A same-origin path to link back to: the given path when it is one, else `/`. */
function backPath(path: string): string {
  return path.startsWith('/') && !path.startsWith('//') && !path.includes('\\') ? path : '/';
}

/**
 * The status, headers and body of a 429 answer for a request with these headers; `backTo` is the
 * portal path the HTML page links back to (the page the form was on).
 */
export function rateLimitedResponse(
  requestHeaders: HeaderSource,
  retryAfterSeconds: number,
  backTo: string,
): { status: 429; headers: Record<string, string>; body: string } {
  const message = rateLimitedMessage(retryAfterSeconds);
  const headers = { 'Retry-After': String(retryAfterSeconds), 'Cache-Control': 'no-store' };
  if (requestHeaders.get('next-action')) {
    const result = { ok: false, code: 'rate_limited', message };
    return {
      status: 429,
      headers: { ...headers, 'Content-Type': 'text/x-component' },
      body: `0:${JSON.stringify({ a: result, f: '' })}\n`,
    };
  }
  const back = escapeHtml(backPath(backTo));
  const body = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Too many attempts · Rolesmith</title>',
    // The portal's look without its stylesheet (this page is answered before Next renders anything).
    '<style>body{margin:0;background:#f8fafc;color:#0f172a;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}' +
      'main{max-width:32rem;margin:4rem auto;padding:1.5rem 2rem;background:#fff;border:1px solid #e2e8f0;border-radius:.5rem}' +
      'h1{font-size:1.5rem;margin:0 0 .75rem}p{line-height:1.5}a{color:#3730a3;font-weight:600}</style>',
    '</head>',
    '<body><main>',
    '<h1>Too many attempts</h1>',
    `<p role="alert">${escapeHtml(message)}</p>`,
    `<p><a href="${back}">Go back</a></p>`,
    '</main></body></html>',
  ].join('\n');
  return { status: 429, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' }, body };
}
