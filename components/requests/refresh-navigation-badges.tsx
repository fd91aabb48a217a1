'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * Rendered by a request's page when opening it cleared the requester's "updated" mark: the root
 * layout's navigation was rendered beside the page (or, after a client-side navigation, not at
 * all), so its "My requests" count may still include this request. One refresh renders it anew;
 * the page, having nothing left to clear, does not render this again.
 */
export function RefreshNavigationBadges() {
  const router = useRouter();
  useEffect(() => {
    router.refresh();
  }, [router]);
  return null;
}
