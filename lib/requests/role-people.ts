import 'server-only';
import { getDb } from '@/lib/db/client';
import { getLiveProvisionedRole } from '@/lib/db/queries/provisioned-roles';
import type { RoleRequest } from '@/lib/requests/model';

/** Who uses a request's role: its owner and the people the owner named. */
export interface RolePeople {
  owner: { name: string; email: string };
  /** The people besides the owner (lower-cased e-mail addresses). */
  users: string[];
  /** `will`: what the request makes them (a create, or the owner's change not yet made); `now`: the role's. */
  tense: 'will' | 'now';
}

/** Requests whose role users are the role's after they are made, whatever they carry. */
const FINISHED = new Set<RoleRequest['state']>([
  'provisioned',
  'rejected',
  'cancelled',
  'failed',
  'rolled_back',
]);

/**
 * Who uses the role of a request the caller may see (the page has checked): for a create, its
 * requester and the users it names. For a change or delete, the role's owner and users, as
 * provisioned (only the owner's change edits them, so an owner's change still to be made shows what
 * it makes them). `null` when Rolesmith has no live role of that name (deleted since), so that the
 * page says nothing rather than something untrue.
 */
export async function getRolePeople(request: RoleRequest): Promise<RolePeople | null> {
  if (request.kind === 'create') {
    return { owner: request.requester, users: request.roleUsers, tense: 'will' };
  }
  const role = await getLiveProvisionedRole(await getDb(), request.accountId, request.roleName);
  if (!role) return null;
  const owner = { name: role.ownerName, email: role.ownerEmail };
  if (request.kind === 'change' && request.requester.id === role.ownerId && !FINISHED.has(request.state)) {
    return { owner, users: request.roleUsers, tense: 'will' };
  }
  return { owner, users: role.roleUsers, tense: 'now' };
}
