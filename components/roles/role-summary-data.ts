import 'server-only';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { requirePrincipal } from '@/lib/auth/session';
import { parseRoleSegments } from '@/lib/requests/role-links';
import { getRoleSummaryDetail } from '@/lib/requests/roles';

/**
 * The signed-in person and the role a summary address names (`/roles/<account>/<path…>/<name>`),
 * or Next's not-found for a role that does not exist or that they may not see. Cached for the
 * request, so that the segment's layout (which decides the 404 before anything streams), the
 * metadata and the page read it once. `segments` is the catch-all's segments joined by `/`.
 */
export const loadRoleSummary = cache(async (account: string, segments: string) => {
  const principal = await requirePrincipal();
  const ref = parseRoleSegments(segments.split('/'));
  if (!ref) notFound();
  const role = await getRoleSummaryDetail(principal, account, ref.roleName, ref.path);
  if (!role.ok) notFound();
  return { principal, role: role.value };
});
