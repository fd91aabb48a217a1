import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import { listPages } from '../lib/auth/page-routes.mjs';
import { expect, forgetStoredSession, test, type Person } from './fixtures';
import { SignInPage } from './pages/sign-in-page';

// Sandbox mode, against the production server: every page route under app/ (found from the
// page files, not a list kept by hand) is checked for who may see it. Without a session cookie the
// proxy answers 303 to the sign-in page naming the page; with a revoked session the guard redirects
// the same way; a signed-in person without the page's portal role gets HTTP 404 with nothing of the
// page in the body (decided by the route group's layout before anything streams), while someone
// holding it gets 200.

const appDir = path.resolve(import.meta.dirname, '..', 'app');

/** Pages anyone may open, with the reason. Every other page needs a signed-in person. */
const publicPages: Record<string, string> = {
  '/': 'the home page says what Rolesmith is to people who have not signed in yet',
  '/signin': 'the sign-in page itself',
  // Sandbox-only public pages would be listed here; the sandbox switch-role page needs sign-in.
};

/** A value for each dynamic segment, one that exists in the sandbox's seed data. */
const sampleSegments: Record<string, string> = {
  // A seeded target account (AWS documentation's example id).
  '[id]': '444455556666',
  // A role summary: a seeded account and a role name (the guard answers before the role is looked up).
  '[account]': '444455556666',
  '[...name]': 'SampleRole',
};

type Audience = 'signedIn' | 'approver' | 'admin';

/** The source of the page and of every layout above it, from app/ down. */
function guardSources(file: string): string {
  const folders = path.dirname(file) === '.' ? [] : path.dirname(file).split('/');
  const sources: string[] = [];
  for (let depth = 0; depth <= folders.length; depth += 1) {
    try {
      sources.push(readFileSync(path.join(appDir, ...folders.slice(0, depth), 'layout.tsx'), 'utf8'));
    } catch {
      // No layout at this level.
    }
  }
  sources.push(readFileSync(path.join(appDir, file), 'utf8'));
  return sources.join('\n');
}

/** Who may see a page, from the `lib/auth` guards its layouts and the page itself call. */
function audienceOf(file: string): Audience {
  const source = guardSources(file);
  if (/\brequireAdmin\(\)|\brequireRole\('admin'\)/.test(source)) return 'admin';
  if (/\brequireRole\('approver'\)/.test(source)) return 'approver';
  return 'signedIn';
}

/** The page's own title (`metadata.title`), when it sets one. */
function titleOf(file: string): string | null {
  const source = readFileSync(path.join(appDir, file), 'utf8');
  return /metadata:\s*Metadata\s*=\s*\{\s*title:\s*'([^']+)'/.exec(source)?.[1] ?? null;
}

function samplePath(route: string): string {
  return route
    .split('/')
    .map((segment) => {
      if (!segment.startsWith('[')) return segment;
      const value = sampleSegments[segment];
      if (value === undefined)
        throw new Error(`Add a sample value for ${segment} (route ${route}) to sampleSegments`);
      return value;
    })
    .join('/');
}

const pages = listPages(appDir).map(({ route, file }) => ({
  route,
  file,
  path: samplePath(route),
  audience: audienceOf(file),
  title: titleOf(file),
}));
const guarded = pages.filter((page) => !Object.hasOwn(publicPages, page.route));
const byRole = guarded.filter((page) => page.audience !== 'signedIn');

function signInLocation(pathWithQuery: string): string {
  return `/signin?${new URLSearchParams({ callbackUrl: pathWithQuery }).toString()}`;
}

function locationOf(headers: Record<string, string>): string {
  const location = new URL(headers.location ?? '', 'http://x');
  return `${location.pathname}${location.search}`;
}

/** The request context of a page signed in as a demo person (from the stored sessions). */
async function signedInRequest(
  signedInAs: (person: Person) => Promise<Page>,
  person: Person,
): Promise<{ request: APIRequestContext }> {
  const page = await signedInAs(person);
  return { request: page.context().request };
}

test('the walk finds every page and knows why each public one is public', () => {
  const routes = pages.map((page) => page.route);
  for (const route of Object.keys(publicPages)) expect(routes, `public page ${route}`).toContain(route);
  // The walk sees the route groups' pages, so the checks below cover every one of them.
  expect(routes).toEqual(
    expect.arrayContaining(['/admin', '/access', '/accounts/[id]', '/roles/new', '/approvals']),
  );
  for (const page of pages.filter((candidate) => candidate.file.startsWith('(admin)/')))
    expect(page.audience, page.file).toBe('admin');
  for (const page of pages.filter((candidate) => candidate.file.startsWith('(portal)/')))
    expect(page.audience, page.file).not.toBe('admin');
});

test('without a session cookie, every page but the public ones answers 303 to sign-in naming the page', async ({
  request,
}) => {
  for (const page of guarded) {
    for (const target of [page.path, `${page.path}?tab=a&actor=日本`]) {
      const response = await request.get(target, { maxRedirects: 0 });
      const where = `${page.file} at ${target}`;
      expect(response.status(), where).toBe(303);
      const asSent = new URL(target, 'http://x');
      expect(locationOf(response.headers()), where).toBe(
        signInLocation(`${asSent.pathname}${asSent.search}`),
      );
    }
  }
  for (const route of Object.keys(publicPages)) {
    expect((await request.get(route, { maxRedirects: 0 })).status(), route).toBe(200);
  }
});

test('with a revoked session, every guarded page redirects to sign-in, keeping the callbackUrl', async ({
  browser,
  freshSignIn,
}) => {
  const page = await freshSignIn('Dave');
  const cookie = (await page.context().cookies()).find(
    (candidate) => candidate.name === 'authjs.session-token',
  );
  expect(cookie).toBeDefined();
  // Signing out everywhere revokes the server-side session: the cookie still decrypts, but is stale.
  // It ends Dave's stored session too, so other tests sign him in afresh.
  forgetStoredSession('Dave');
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signOutEverywhere();
  const stale = await browser.newContext();
  if (cookie) await stale.addCookies([cookie]);
  for (const guardedPage of guarded) {
    const target = `${guardedPage.path}?from=stale`;
    const response = await stale.request.get(target, { maxRedirects: 0 });
    const where = `${guardedPage.file} with a revoked session`;
    expect([303, 307], where).toContain(response.status());
    expect(locationOf(response.headers()), where).toBe(signInLocation(target));
  }
  await stale.close();
});

test('a person without the portal role gets 404 with nothing of the page; one with it gets 200', async ({
  signedInAs,
}) => {
  expect(byRole.length).toBeGreaterThan(0);
  const alice = await signedInRequest(signedInAs, 'Alice');
  const bob = await signedInRequest(signedInAs, 'Bob');
  const carol = await signedInRequest(signedInAs, 'Carol');
  for (const page of byRole) {
    // Someone holding the role sees the page, with its title: what the 404 must not show.
    const holders = page.audience === 'admin' ? [carol] : [carol, bob];
    for (const holder of holders) {
      const allowed = await holder.request.get(page.path, { maxRedirects: 0 });
      expect(allowed.status(), `${page.file} for a holder`).toBe(200);
      if (page.title) expect(await allowed.text(), page.file).toContain(`${page.title} · Rolesmith`);
    }
    const outsiders = page.audience === 'admin' ? [alice, bob] : [alice];
    for (const outsider of outsiders) {
      const refused = await outsider.request.get(page.path, { maxRedirects: 0 });
      const where = `${page.file} for someone without the ${page.audience} role`;
      expect(refused.status(), where).toBe(404);
      const body = await refused.text();
      expect(body, where).toContain('Page not found');
      // Nothing of the page: not its title or heading, in the document or in the payload (the
      // URL's own segments are there, as the browser asked for them). Its loading skeleton, which
      // Next sends with the payload, names no page.
      if (page.title) expect(body, where).not.toContain(page.title);
      expect(body, where).not.toMatch(/Loading [^…<"]+…/);
    }
  }
});

test('signing in with a callbackUrl above U+00FF lands on that page, percent-encoded (no 500)', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const callbackUrl = '/audit?actor=日本';
  await page.goto(`/signin?${new URLSearchParams({ callbackUrl }).toString()}`);
  const action = page.waitForResponse(
    (response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/signin',
  );
  await page.getByRole('button', { name: /^Sign in as Carol Chen/ }).click();
  expect((await action).status()).toBeLessThan(500);
  await page.waitForURL((url) => url.pathname === '/audit');
  expect(new URL(page.url()).searchParams.get('actor')).toBe('日本');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await context.close();
});
