import Link from 'next/link';
import type { ReactNode } from 'react';
import { NavLink } from '@/components/shell/nav-link';
import { hasPortalRole, type PortalRole, type Principal } from '@/lib/auth/principal';
import { BADGE_CAP, type NavigationBadges } from '@/lib/requests/seen';

interface NavigationItem {
  href: string;
  label: string;
  /** The paths under which the item is the current one (its own href when absent). */
  sections?: readonly string[];
  /** Paths that win over `sections` (/roles/new belongs to Create role, not Roles). */
  except?: readonly string[];
  /** Shown only to people holding this portal role (everyone when absent). */
  audience?: Exclude<PortalRole, 'signedIn'>;
  /** The count beside the label, and what it counts in words ("waiting"). */
  badge?: { count: (badges: NavigationBadges) => number | null; noun: string };
}

/** The main navigation. */
export const navigation: readonly NavigationItem[] = [
  { href: '/roles/new', label: 'Create role' },
  {
    href: '/requests',
    label: 'My requests',
    badge: { count: (badges) => badges.requestsChanged, noun: 'updated' },
  },
  {
    href: '/approvals',
    label: 'Approvals',
    audience: 'approver',
    badge: { count: (badges) => badges.approvalsWaiting, noun: 'waiting' },
  },
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

/** A navigation count: "3", or "99+" past the cap (the link's name says it in words). */
function NavCount({ count }: { count: number }) {
  return (
    <span
      aria-hidden="true"
      className="ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full bg-amber-300 px-1.5 text-xs font-semibold text-indigo-950"
    >
      {count > BADGE_CAP ? `${BADGE_CAP}+` : count}
    </span>
  );
}

/** The item's count, when it has one and it is not zero. */
function countOf(item: NavigationItem, badges: NavigationBadges | null): number | null {
  return (item.badge && badges && item.badge.count(badges)) || null;
}

export function SiteHeader({
  principal,
  badges = null,
  userMenu,
}: {
  principal: Principal | null;
  /** The counts beside Approvals and My requests (none when nobody is signed in). */
  badges?: NavigationBadges | null;
  userMenu?: ReactNode;
}) {
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
          {navigationFor(principal).map((item) => {
            const count = countOf(item, badges);
            return (
              <NavLink
                key={item.href}
                href={item.href}
                sections={item.sections ?? [item.href]}
                except={item.except ?? []}
                accessibleName={
                  count
                    ? `${item.label}, ${count > BADGE_CAP ? `more than ${BADGE_CAP}` : count} ${item.badge?.noun ?? ''}`
                    : undefined
                }
              >
                {item.label}
                {count ? <NavCount count={count} /> : null}
              </NavLink>
            );
          })}
        </nav>
        {userMenu}
      </div>
    </header>
  );
}
