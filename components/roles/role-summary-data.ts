import 'server-only';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { requirePrincipal } from '@/lib/auth/session';
import { parseRoleSegments } from '@/lib/requests/role-links';
import { getDeletedRoleSummary, getRoleSummaryDetail } from '@/lib/requests/roles';

/**
 * The signed-in person and the role a summary address names (`/roles/<account>/<path…>/<name>`):
 * the live role (`role`), or, when Rolesmith deleted it, the deleted one (`deleted`) for the people
 * who could see it; Next's not-found for a role that never existed or that they may not see. Cached
 * for the request, so that the segment's layout (which decides the 404 before anything streams),
 * the metadata and the page read it once. `segments` is the catch-all's segments joined by `/`.
 */
export const loadRoleSummary = cache(async (account: string, segments: string) => {
  const principal = await requirePrincipal();
  const ref = parseRoleSegments(segments.split('/'));
  if (!ref) notFound();
  const role = await getRoleSummaryDetail(principal, account, ref.roleName, ref.path);
  if (role.ok) return { principal, role: role.value, deleted: null };
  const deleted = await getDeletedRoleSummary(principal, account, ref.roleName, ref.path);
  if (!deleted.ok) notFound();
  return { principal, role: null, deleted: deleted.value };
});
