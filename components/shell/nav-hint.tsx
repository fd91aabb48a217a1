'use client';

import { usePathname } from 'next/navigation';
import { useLayoutEffect } from 'react';
import { setNavHint } from '@/components/shell/nav-current';

/**
 * Rendered by a page whose path alone does not say which navigation item it belongs to: while the
 * page is shown, the item with `href` is the current one (none when null). Set before paint, so a
 * navigation from the Approvals queue to a request never shows My requests highlighted.
 */
export function NavHint({ href }: { href: string | null }) {
  const pathname = usePathname();
  useLayoutEffect(() => {
    setNavHint({ pathname, href });
    return () => setNavHint(null);
  }, [pathname, href]);
  return null;
}
