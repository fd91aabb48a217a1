import Link from 'next/link';
import type { ReactNode } from 'react';
import { NavLink } from '@/components/shell/nav-link';

/**
 * The main navigation. `sections` are the paths under which the item is the current one (its own
 * href when absent); `except` wins over them (/roles/new belongs to New role, not Roles).
 */
export const navigation: readonly {
  href: string;
  label: string;
  sections?: readonly string[];
  except?: readonly string[];
}[] = [
  { href: '/roles/new', label: 'New role' },
  { href: '/requests', label: 'My requests' },
  { href: '/approvals', label: 'Approvals' },
  { href: '/roles', label: 'Roles', except: ['/roles/new'] },
  { href: '/admin', label: 'Admin', sections: ['/admin', '/access', '/accounts', '/guardrails', '/audit'] },
];

export function SiteHeader({ userMenu }: { userMenu?: ReactNode }) {
  return (
    <header className="bg-indigo-950">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link
          href="/"
          className="flex items-center gap-2 text-lg font-semibold text-white focus-visible:outline-2 focus-visible:outline-white"
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
          {navigation.map((item) => (
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
