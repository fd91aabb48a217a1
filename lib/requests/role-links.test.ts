import { describe, expect, it } from 'vitest';
import { parseRoleSegments, roleDownloadHref, roleSummaryHref } from '@/lib/requests/role-links';

describe('role addresses', () => {
  it.each([
    { path: '/', name: 'DataDev', href: '/roles/444455556666/DataDev' },
    { path: '/team/data/', name: 'DataDev', href: '/roles/444455556666/team/data/DataDev' },
    { path: '/a+b/', name: 'x=y,z@q', href: '/roles/444455556666/a%2Bb/x%3Dy%2Cz%40q' },
  ])('$path$name → $href, and back', ({ path, name, href }) => {
    expect(roleSummaryHref({ accountId: '444455556666', path, roleName: name })).toBe(href);
    const segments = href.split('/').slice(3).map(decodeURIComponent);
    expect(parseRoleSegments(segments)).toEqual(path === '/' ? { roleName: name } : { roleName: name, path });
  });

  it('downloads sit under /api/roles/<account>/<format>/', () => {
    const role = { accountId: '444455556666', path: '/team/', roleName: 'DataDev' };
    expect(roleDownloadHref(role, 'cloudformation')).toBe(
      '/api/roles/444455556666/cloudformation/team/DataDev',
    );
    expect(roleDownloadHref(role, 'terraform')).toBe('/api/roles/444455556666/terraform/team/DataDev');
  });

  it.each([[[]], [['team', '', 'x']], [['']]])('no role in %j', (segments) => {
    expect(parseRoleSegments(segments)).toBeNull();
  });
});
