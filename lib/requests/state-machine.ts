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
  'rolled_back',
];

/**
 * The request lifecycle of DESIGN.md ("A request's life"):
 * `draft → pending → approved → provisioning → provisioned`, `pending → rejected | cancelled`,
 * `provisioning → failed → provisioning` (retry), `failed → rolled_back` (a rollback removed what
 * the failed creation had made). `draft → draft` and `pending → pending` are edits (a new
 * version); `failed → failed` records a rollback being queued or failing (the request stays failed,
 * with the rollback's error). A draft may also be cancelled (withdrawn before anyone saw it), and
 * so may a failed request once nothing runs for it any more: otherwise it would hold its role name
 * for ever. `provisioned`, `rejected`, `cancelled` and `rolled_back` are terminal.
 */
const transitions: Record<RequestState, readonly RequestState[]> = {
  draft: ['draft', 'pending', 'cancelled'],
  pending: ['pending', 'approved', 'rejected', 'cancelled'],
  approved: ['provisioning'],
  provisioning: ['provisioned', 'failed'],
  failed: ['failed', 'provisioning', 'rolled_back', 'cancelled'],
  provisioned: [],
  rejected: [],
  cancelled: [],
  rolled_back: [],
};

/** Whether the lifecycle allows going from `from` to `to`. */
export function canTransition(from: RequestState, to: RequestState): boolean {
  return transitions[from].includes(to);
}

/** States from which a request moves no more. */
export function isTerminalState(state: RequestState): boolean {
  return transitions[state].length === 0;
}

/**
 * States in which a request still claims its role name (a second request for that role must wait).
 * Keep in step with the partial index `requests_one_open_per_role_idx`.
 */
export const OPEN_STATES: readonly RequestState[] = [
  'draft',
  'pending',
  'approved',
  'provisioning',
  'failed',
];

/** Words for a state, for messages. */
export function describeState(state: RequestState): string {
  if (state === 'pending') return 'pending approval';
  if (state === 'rolled_back') return 'rolled back';
  return state;
}
