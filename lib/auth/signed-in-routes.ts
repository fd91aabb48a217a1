import { matchesPageRoute } from '@/lib/auth/page-routes.mjs';
import type { Env } from '@/lib/env';

/**
 * Page routes anyone may open, with the reason. Every other page route needs a signed-in person:
 * the proxy sends a visitor without a session cookie to the sign-in page, and each page's guard
 * (its route group's layout, then the page itself) checks the session.
 */
export const publicPageRoutes: Readonly<Record<string, string>> = {
  '/': 'the home page says what Rolesmith is to people who have not signed in yet',
  '/signin': 'the sign-in page itself',
};

/**
 * The page routes found under `app/` when the portal was built (`next.config.js` inlines them
 * with `listPageRoutes`), so a page added later is covered without a list to keep. Throws when
 * the build did not inline them: without the list the proxy could not tell pages from other URLs.
 */
function builtPageRoutes(): string[] {
  const inlined = process.env.ROLESMITH_PAGE_ROUTES;
  const routes = inlined ? (JSON.parse(inlined) as string[]) : [];
  // There is always a home page: an empty list means the build did not see app/.
  if (!routes.includes('/'))
    throw new Error('next.config.js did not inline the page routes (ROLESMITH_PAGE_ROUTES)');
  return routes;
}

let pageRoutes: string[] | null = null;

/**
 * Whether a request for `pathname` needs a signed-in person: it is a page route of the portal
 * that is not in {@link publicPageRoutes}. The sandbox's pages are no pages in aws mode (they
 * answer 404 to everyone), and a URL that is no page (a route handler, a file, an unknown path)
 * is left to Next.
 */
export function needsSignIn(
  pathname: string,
  mode: Env['ROLESMITH_MODE'],
  routes?: readonly string[],
): boolean {
  if (mode !== 'sandbox' && (pathname === '/sandbox' || pathname.startsWith('/sandbox/'))) return false;
  const route = (routes ?? (pageRoutes ??= builtPageRoutes())).find((candidate) =>
    matchesPageRoute(candidate, pathname),
  );
  return route !== undefined && !Object.hasOwn(publicPageRoutes, route);
}
