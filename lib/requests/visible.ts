import 'server-only';
import type { Principal } from '@/lib/auth/principal';
import { getRequestById } from '@/lib/db/queries/requests';
import type { Db } from '@/lib/db/schema';
import { canViewRequest, type RoleRequest } from '@/lib/requests/model';

/** Loads a request the principal may see, or null (missing and invisible look the same). */
export async function loadVisibleRequest(
  db: Db,
  principal: Principal,
  requestId: string,
): Promise<RoleRequest | null> {
  const request = await getRequestById(db, requestId);
  return request && canViewRequest(principal, request) ? request : null;
}
