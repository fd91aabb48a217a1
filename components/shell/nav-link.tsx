'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useSyncExternalStore, type ReactNode } from 'react';
import { getNavHint, isNavItemCurrent, subscribeNavHint } from '@/components/shell/nav-current';

/**
 * A header navigation link that marks the current section with `aria-current`: the page is within
 * one of `sections` and none of `except`, unless the page gave a hint (`NavHint`).
 */
export function NavLink({
  href,
  sections,
  except,
  accessibleName,
  children,
}: {
  href: string;
  sections: readonly string[];
  except: readonly string[];
  /** The link's name when its text alone says less (a count: "Approvals, 3 waiting"). */
  accessibleName?: string;
  children: ReactNode;
}) {
  const pathname = usePathname();
  const hint = useSyncExternalStore(subscribeNavHint, getNavHint, () => null);
  const isCurrent = isNavItemCurrent({ href, sections, except }, pathname, hint);
  return (
    <Link
      href={href}
      aria-current={isCurrent ? 'page' : undefined}
      aria-label={accessibleName}
      className={`focus-ring on-dark rounded-md px-3 py-2 text-sm font-medium ${
        isCurrent ? 'bg-indigo-900 text-white' : 'text-indigo-50 hover:bg-indigo-800 hover:text-white'
      }`}
    >
      {children}
    </Link>
  );
}
