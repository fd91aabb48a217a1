import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { requireRole } from '@/lib/auth/session';

/**
 * The same guard for the page's metadata, which Next resolves apart from the layouts: without it
 * a 404 would still carry the page's title in its payload.
 */
export async function generateMetadata(): Promise<Metadata> {
  await requireRole('approver');
  return {};
}

/**
 * Approvers' and admins' pages: anyone else signed in gets HTTP 404, decided here before the
 * segment's `loading.tsx` streams anything.
 */
export default async function ApprovalsLayout({ children }: { children: ReactNode }) {
  await requireRole('approver');
  return children;
}
