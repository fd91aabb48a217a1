import { describe, expect, it } from 'vitest';
import { isNavItemCurrent } from '@/components/shell/nav-current';

const myRequests = { href: '/requests', sections: ['/requests'], except: [] };
const approvals = { href: '/approvals', sections: ['/approvals'], except: [] };
const roles = { href: '/roles', sections: ['/roles'], except: ['/roles/new'] };

describe('isNavItemCurrent', () => {
  it('follows the path when the page gives no hint', () => {
    expect(isNavItemCurrent(myRequests, '/requests/abc', null)).toBe(true);
    expect(isNavItemCurrent(approvals, '/requests/abc', null)).toBe(false);
    expect(isNavItemCurrent(roles, '/roles/new', null)).toBe(false);
    expect(isNavItemCurrent(roles, '/roles/111122223333/app', null)).toBe(true);
  });

  it('marks Approvals, not My requests, on another person’s request reviewed by an approver', () => {
    const hint = { pathname: '/requests/abc', href: '/approvals' };
    expect(isNavItemCurrent(approvals, '/requests/abc', hint)).toBe(true);
    expect(isNavItemCurrent(myRequests, '/requests/abc', hint)).toBe(false);
  });

  it('marks nothing when the hint names no item, and ignores a hint left for another path', () => {
    expect(isNavItemCurrent(myRequests, '/requests/abc', { pathname: '/requests/abc', href: null })).toBe(
      false,
    );
    expect(isNavItemCurrent(myRequests, '/requests', { pathname: '/requests/abc', href: '/approvals' })).toBe(
      true,
    );
  });
});
