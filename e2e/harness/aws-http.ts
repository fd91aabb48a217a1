// HTTP helpers shared by the auth end-to-end specs (sandbox and aws): discovering the app's pages,
// server actions and route handlers from the code and the build, signing in over HTTP, and calling
// a server action the way React's client does.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** Turns `app/(admin)/access/page.tsx` into `/access` (route groups dropped). */
function routePath(file: string): string {
  const segments = path
    .relative(path.join(root, 'app'), path.dirname(file))
    .split(path.sep)
    .filter((segment) => segment.length > 0 && !(segment.startsWith('(') && segment.endsWith(')')));
  return `/${segments.join('/')}`;
}

/** Fills dynamic segments with a placeholder, e.g. `/requests/[id]` → `/requests/00000000-…`. */
function concrete(route: string): string {
  return route
    .replace(/\[\[\.\.\.[^\]]+\]\]/g, 'x')
    .replace(/\[\.\.\.[^\]]+\]/g, 'x')
    .replace(/\[[^\]]+\]/g, '00000000-0000-4000-8000-000000000000');
}

/** Every page of the app (`app/**\/page.tsx`), as a concrete path to request. */
export function discoverPages(): string[] {
  return walk(path.join(root, 'app'))
    .filter((file) => /\/page\.tsx?$/.test(file))
    .map((file) => concrete(routePath(file)))
    .sort();
}

export interface RouteHandler {
  file: string;
  path: string;
  methods: string[];
}

/** Every route handler (`app/**\/route.ts`) with the HTTP methods it exports. */
export function discoverRouteHandlers(): RouteHandler[] {
  return walk(path.join(root, 'app'))
    .filter((file) => /\/route\.tsx?$/.test(file))
    .map((file) => {
      const source = readFileSync(file, 'utf8');
      const methods = [
        ...source.matchAll(
          /export\s+(?:async\s+)?(?:function|const)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/g,
        ),
      ].map((match) => match[1] ?? '');
      const reexported = [...source.matchAll(/export\s*\{([^}]*)\}/g)].flatMap((match) =>
        (match[1] ?? '').split(',').map(
          (name) =>
            name
              .trim()
              .split(/\s+as\s+/)
              .at(-1) ?? '',
        ),
      );
      const all = [
        ...new Set([
          ...methods,
          ...reexported.filter((name) => /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(name)),
        ]),
      ];
      return { file: path.relative(root, file), path: concrete(routePath(file)), methods: all.sort() };
    });
}

export interface ServerAction {
  id: string;
  file: string;
  name: string;
  /** A page that imports it, where it can be invoked. */
  pagePath: string;
}

/** Every server action of the production build in `.next` (from Next's server-reference manifest). */
export function discoverServerActions(): ServerAction[] {
  const manifest = JSON.parse(
    readFileSync(path.join(root, '.next/server/server-reference-manifest.json'), 'utf8'),
  ) as {
    node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
  };
  return Object.entries(manifest.node)
    .map(([id, entry]) => {
      const worker =
        Object.keys(entry.workers).find((name) => name.endsWith('/page')) ??
        Object.keys(entry.workers)[0] ??
        'app/page';
      const pagePath = concrete(
        `/${worker
          .replace(/^app\//, '')
          .replace(/\/?page$/, '')
          .split('/')
          .filter((segment) => segment.length > 0 && !(segment.startsWith('(') && segment.endsWith(')')))
          .join('/')}`,
      );
      return { id, file: entry.filename, name: entry.exportedName, pagePath };
    })
    .sort((a, b) => `${a.file}#${a.name}`.localeCompare(`${b.file}#${b.name}`));
}

/**
 * Invokes a server action over HTTP as React's client does: `Next-Action` header and the
 * arguments `(previousState, formData)` encoded as multipart form data.
 */
export async function callServerAction(
  baseURL: string,
  action: ServerAction,
  options: {
    /** Form fields; a list is sent as the same name repeated (checkboxes sharing one name). */
    fields?: Record<string, string | readonly string[]>;
    cookie?: string;
    origin?: string | null;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; body: string; headers: Headers }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(options.fields ?? {}))
    for (const one of typeof value === 'string' ? [value] : value) form.append(`_1_${name}`, one);
  form.append('0', JSON.stringify(['$undefined', '$K1']));
  const headers: Record<string, string> = {
    'Next-Action': action.id,
    Accept: 'text/x-component',
    ...(options.headers ?? {}),
  };
  if (options.cookie) headers.Cookie = options.cookie;
  const origin = options.origin === undefined ? baseURL : options.origin;
  if (origin !== null) headers.Origin = origin;
  const response = await fetch(new URL(action.pagePath, baseURL), {
    method: 'POST',
    headers,
    body: form,
    redirect: 'manual',
  });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

/** The `name=value` pairs of a response's Set-Cookie headers, for a Cookie header. */
export function cookiesFrom(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0] ?? '')
    .filter((pair) => pair.length > 0 && !pair.endsWith('='))
    .join('; ');
}
