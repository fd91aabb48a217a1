import type { ReactNode } from 'react';
import { requirePrincipal } from '@/lib/auth/session';

/**
 * The requester's and approver's pages. The guard runs here, above every `loading.tsx` of the
 * group, so that nobody signed in (no session cookie, or a stale or revoked one) is sent to the
 * sign-in page and back before anything streams. Each page guards again (a layout is not
 * re-rendered on every navigation).
 */
export default async function PortalLayout({ children }: { children: ReactNode }) {
  await requirePrincipal();
  return children;
}
