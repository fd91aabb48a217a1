import Link from 'next/link';
import type { ReactNode } from 'react';
import { NavLink } from '@/components/shell/nav-link';
import { hasPortalRole, type PortalRole, type Principal } from '@/lib/auth/principal';

interface NavigationItem {
  href: string;
  label: string;
  /** The paths under which the item is the current one (its own href when absent). */
  sections?: readonly string[];
  /** Paths that win over `sections` (/roles/new belongs to New role, not Roles). */
  except?: readonly string[];
  /** Shown only to people holding this portal role (everyone when absent). */
  audience?: Exclude<PortalRole, 'signedIn'>;
}

/** The main navigation. */
export const navigation: readonly NavigationItem[] = [
  { href: '/roles/new', label: 'New role' },
  { href: '/requests', label: 'My requests' },
  { href: '/approvals', label: 'Approvals', audience: 'approver' },
  { href: '/roles', label: 'Roles', except: ['/roles/new'] },
  {
    href: '/admin',
    label: 'Admin',
    sections: ['/admin', '/access', '/accounts', '/guardrails', '/notifications', '/audit'],
    audience: 'admin',
  },
];

/** The navigation items this person sees (nobody signed in: the items for everyone). */
export function navigationFor(principal: Principal | null): NavigationItem[] {
  return navigation.filter(
    (item) => !item.audience || (principal !== null && hasPortalRole(principal, item.audience)),
  );
}

export function SiteHeader({ principal, userMenu }: { principal: Principal | null; userMenu?: ReactNode }) {
  return (
    <header className="bg-indigo-950">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link
          href="/"
          className="focus-ring on-dark flex items-center gap-2 text-lg font-semibold text-white"
        >
          <span
            aria-hidden="true"
            className="grid size-7 place-items-center rounded bg-amber-300 text-sm font-bold text-indigo-950"
          >
            R
          </span>
          Rolesmith
        </Link>
        <nav aria-label="Main" className="flex flex-1 flex-wrap gap-1">
          {navigationFor(principal).map((item) => (
            <NavLink
              key={item.href}
              href={item.href}
              sections={item.sections ?? [item.href]}
              except={item.except ?? []}
            >
              {item.label}
            </NavLink>
          ))}
        </nav>
        {userMenu}
      </div>
    </header>
  );
}
