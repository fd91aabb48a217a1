import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { requirePrincipal } from '@/lib/auth/session';

/**
 * The same guard for the page's metadata, which Next resolves apart from the layouts: without it
 * a 404 would still carry the page's title in its payload.
 */
export async function generateMetadata(): Promise<Metadata> {
  await requirePrincipal();
  return {};
}

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
