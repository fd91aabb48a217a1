'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

function isWithin(pathname: string, section: string): boolean {
  return pathname === section || pathname.startsWith(`${section}/`);
}

/**
 * A header navigation link that marks the current section with `aria-current`: the page is within
 * one of `sections` and none of `except`.
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
  const isCurrent =
    sections.some((section) => isWithin(pathname, section)) &&
    !except.some((section) => isWithin(pathname, section));
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
