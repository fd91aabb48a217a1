import type { ReactNode } from 'react';
import { loadRoleSummary } from '@/components/roles/role-summary-data';

/**
 * Decides the role summary's status before anything streams: a role that does not exist, or that
 * the person may not see, is a 404 here, above the segment's `loading.tsx` (once the loading state
 * has streamed, the status is fixed at 200). The page guards again.
 */
export default async function RoleSummaryLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ account: string; name: string[] }>;
}) {
  const { account, name } = await params;
  await loadRoleSummary(account, name.join('/'));
  return children;
}
