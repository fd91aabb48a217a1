import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { requireAdmin } from '@/lib/auth/session';

/**
 * The same guard for the page's metadata, which Next resolves apart from the layouts: without it
 * a 404 would still carry the page's title in its payload.
 */
export async function generateMetadata(): Promise<Metadata> {
  await requireAdmin();
  return {};
}

/**
 * Admin pages. The guard runs here, above every `loading.tsx` of the group, so that it decides
 * before anything streams: anyone signed in who is not an admin gets HTTP 404 with nothing of the
 * page (not even its title), and nobody signed in goes to the sign-in page and back. Each page
 * guards again (a layout is not re-rendered on every navigation).
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdmin();
  return children;
}
