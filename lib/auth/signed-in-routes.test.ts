import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listPageRoutes, matchesPageRoute } from '@/lib/auth/page-routes.mjs';
import { needsSignIn, publicPageRoutes } from '@/lib/auth/signed-in-routes';

const fixture = mkdtempSync(path.join(tmpdir(), 'rolesmith-routes-'));
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

function file(relative: string): void {
  const full = path.join(fixture, relative);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, '');
}

describe('listPageRoutes', () => {
  it('finds every page, leaving route groups and slots out of the URL and skipping private folders', () => {
    for (const relative of [
      'page.tsx',
      'layout.tsx',
      '(admin)/layout.tsx',
      '(admin)/accounts/page.tsx',
      '(admin)/accounts/[id]/page.tsx',
      '(admin)/accounts/loading.tsx',
      '(portal)/roles/[account]/[name]/page.tsx',
      '(portal)/@modal/help/page.tsx',
      'docs/[[...slug]]/page.tsx',
      'api/health/route.ts',
      '_parts/page.tsx',
      'signin/page.tsx',
    ])
      file(relative);
    expect(listPageRoutes(fixture)).toEqual([
      '/',
      '/accounts',
      '/accounts/[id]',
      '/docs/[[...slug]]',
      '/help',
      '/roles/[account]/[name]',
      '/signin',
    ]);
    expect(listPageRoutes(path.join(fixture, 'missing'))).toEqual([]);
  });

  it("finds the portal's own pages", () => {
    const routes = listPageRoutes(path.resolve(import.meta.dirname, '..', '..', 'app'));
    expect(routes).toEqual(
      expect.arrayContaining(['/', '/signin', '/admin', '/accounts/[id]', '/roles/new']),
    );
    expect(routes.some((route) => route.includes('(') || route.startsWith('/api'))).toBe(false);
  });
});

describe('matchesPageRoute', () => {
  it.each([
    ['/', '/', true],
    ['/', '/x', false],
    ['/accounts', '/accounts/', true],
    ['/accounts/[id]', '/accounts/111122223333', true],
    ['/accounts/[id]', '/accounts', false],
    ['/accounts/[id]', '/accounts/1/2', false],
    ['/docs/[...slug]', '/docs', false],
    ['/docs/[...slug]', '/docs/a/b', true],
    ['/docs/[[...slug]]', '/docs', true],
    ['/docs/[[...slug]]', '/docs/a/b', true],
    ['/roles/new', '/roles/old', false],
  ])('%s matches %s: %s', (pattern, pathname, expected) => {
    expect(matchesPageRoute(pattern, pathname)).toBe(expected);
  });
});

describe('needsSignIn', () => {
  const routes = ['/', '/signin', '/admin', '/accounts/[id]', '/roles/new', '/sandbox/switchrole'];

  it('is true for every page but the public ones, whatever route group it is in', () => {
    expect(Object.keys(publicPageRoutes).sort()).toEqual(['/', '/signin']);
    for (const pathname of ['/admin', '/accounts/111122223333', '/roles/new', '/sandbox/switchrole'])
      expect(needsSignIn(pathname, 'sandbox', routes), pathname).toBe(true);
    for (const pathname of ['/', '/signin', '/api/health', '/no-such-page', '/sandbox/aws/'])
      expect(needsSignIn(pathname, 'sandbox', routes), pathname).toBe(false);
  });

  it("leaves the sandbox's pages to answer 404 in aws mode", () => {
    expect(needsSignIn('/sandbox/switchrole', 'aws', routes)).toBe(false);
    expect(needsSignIn('/admin', 'aws', routes)).toBe(true);
  });

  it('refuses to guess when the build did not inline the routes', () => {
    expect(() => needsSignIn('/admin', 'sandbox')).toThrow(/ROLESMITH_PAGE_ROUTES/);
  });
});
