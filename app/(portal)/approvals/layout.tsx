import type { ReactNode } from 'react';
import { requireRole } from '@/lib/auth/session';

/**
 * Approvers' and admins' pages: anyone else signed in gets HTTP 404, decided here before the
 * segment's `loading.tsx` streams anything.
 */
export default async function ApprovalsLayout({ children }: { children: ReactNode }) {
  await requireRole('approver');
  return children;
}
