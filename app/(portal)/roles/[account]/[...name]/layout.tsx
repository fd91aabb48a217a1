import type { ReactNode } from 'react';
import { loadRoleSummary } from '@/components/roles/role-summary-data';

/**
 * Decides the role summary's status before anything streams: a role that does not exist, or that
 * the person may not see, is a 404 here (once anything has streamed, the status is fixed at 200).
 * The page guards again. The segment has no `loading.tsx`: this layout has already read what the
 * page's top needs (the read is cached for the request), so the header, the access kit and the
 * summary go out in the first flush, and only the slow parts (the drift check's live read, the
 * permissions' account reads, the history) stream after it behind their own Suspense boundaries.
 * A loading state here would only delay the access kit's paint by a streamed swap.
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
