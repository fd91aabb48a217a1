import type { RequestState } from '@/lib/db/tables/core';

export type { RequestState };

export const REQUEST_STATES: readonly RequestState[] = [
  'draft',
  'pending',
  'approved',
  'provisioning',
  'provisioned',
  'rejected',
  'cancelled',
  'failed',
];

/**
 * The request lifecycle of DESIGN.md ("A request's life"):
 * `draft → pending → approved → provisioning → provisioned`, `pending → rejected | cancelled`,
 * `provisioning → failed → provisioning` (retry). `pending → pending` is an edit (a new version).
 * A draft may also be cancelled (withdrawn before anyone saw it), and so may a failed request
 * once nothing runs for it any more (typically after a rollback): otherwise it would hold its
 * role name for ever.
 */
const transitions: Record<RequestState, readonly RequestState[]> = {
  draft: ['draft', 'pending', 'cancelled'],
  pending: ['pending', 'approved', 'rejected', 'cancelled'],
  approved: ['provisioning'],
  provisioning: ['provisioned', 'failed'],
  failed: ['provisioning', 'cancelled'],
  provisioned: [],
  rejected: [],
  cancelled: [],
};

/** Whether the lifecycle allows going from `from` to `to`. */
export function canTransition(from: RequestState, to: RequestState): boolean {
  return transitions[from].includes(to);
}

/** States from which a request moves no more. */
export function isTerminalState(state: RequestState): boolean {
  return transitions[state].length === 0;
}

/** States in which a request still claims its role name (a second request for that role must wait). */
export const OPEN_STATES: readonly RequestState[] = [
  'draft',
  'pending',
  'approved',
  'provisioning',
  'failed',
];

/** Words for a state, for messages. */
export function describeState(state: RequestState): string {
  return state === 'pending' ? 'pending approval' : state;
}
