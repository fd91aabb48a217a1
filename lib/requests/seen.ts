import 'server-only';
import { z } from 'zod';
import type { Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import {
  countUnseenChanges,
  countWaitingForApprover,
  deleteUnseenChange,
} from '@/lib/db/queries/request-lists';
import { approvalScope } from '@/lib/requests/request-lists';

/**
 * The navigation's badges: approvals waiting for the signed-in approver, and the person's own
 * requests whose state someone else changed since they last opened them. The database notes such
 * a change when its audit event is appended (migration `202612080100_request_queue`); opening the
 * request ({@link markRequestSeen}) clears it.
 */

/** A badge counts up to this many; beyond, it says "99+". */
export const BADGE_CAP = 99;

/**
 * The requester opened their request: its state change no longer counts in their badge. Does
 * nothing for anyone else's request, or an id that is not a request's. True when a change was
 * cleared: the navigation, rendered by the root layout beside the page (and kept as it was on a
 * client-side navigation), may still count it, so the page refreshes it.
 */
export async function markRequestSeen(principal: Principal, requestId: string): Promise<boolean> {
  if (!z.uuid().safeParse(requestId).success) return false;
  return deleteUnseenChange(await getDb(), principal.id, requestId);
}

export interface NavigationBadges {
  /** Pending requests this approver may decide (not their own, not yet approved by them); null for non-approvers. */
  approvalsWaiting: number | null;
  /** Own requests whose state changed since the person last opened them. */
  requestsChanged: number;
}

/**
 * Both badge counts, each at most {@link BADGE_CAP} + 1 (so "99+" can be told apart), from two
 * index lookups that stop at the cap however many requests the database holds.
 */
export async function getNavigationBadges(principal: Principal): Promise<NavigationBadges> {
  const db = await getDb();
  const isApprover = principal.roles.admin || principal.roles.approver !== null;
  const [approvalsWaiting, requestsChanged] = await Promise.all([
    isApprover
      ? countWaitingForApprover(db, principal.id, approvalScope(principal), BADGE_CAP + 1)
      : Promise.resolve(null),
    countUnseenChanges(db, principal.id, BADGE_CAP + 1),
  ]);
  return { approvalsWaiting, requestsChanged };
}
