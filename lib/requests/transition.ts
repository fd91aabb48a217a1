import 'server-only';
import { getRequestByIdForUpdate, updateRequestState, type RequestChanges } from '@/lib/db/queries/requests';
import { insertRequestEvent } from '@/lib/db/queries/request-events';
import type { Tx } from '@/lib/db/schema';
import type { RoleRequest } from '@/lib/requests/model';
import { canTransition, describeState, type RequestState } from '@/lib/requests/state-machine';
import { fail, ok, type Result } from '@/lib/result';

export interface TransitionInput {
  requestId: string;
  /** The states the caller expects the request in (compare-and-set). */
  from: readonly RequestState[];
  to: RequestState;
  /** Portal user id, or `system:<component>` for the provisioner. */
  actorId: string;
  reason?: string | null;
  /** When set, the request must still be at this version (an approver's or editor's view). */
  expectedVersion?: number;
  /** Further fields to write with the new state (e.g. a new spec on edit). */
  changes?: RequestChanges;
}

/**
 * Moves one request to a new state inside `tx`: locks the row, checks the lifecycle and the
 * caller's expectations, writes the new state, and appends exactly one audit event carrying the
 * resulting version and spec SHA-256. The caller owns the transaction, so that the transition
 * commits together with its side effects (an approval row, a provisioning job).
 *
 * Returns `not_found` for an unknown id and `conflict` (with what the request's state really is)
 * for an illegal or stale transition; never silently does nothing.
 */
export async function transitionRequest(tx: Tx, input: TransitionInput): Promise<Result<RoleRequest>> {
  const current = await getRequestByIdForUpdate(tx, input.requestId);
  if (!current) return fail('not_found', 'Request not found');
  if (input.expectedVersion !== undefined && current.version !== input.expectedVersion) {
    return fail(
      'conflict',
      `The request changed since you loaded it (now version ${current.version}, you saw version ${input.expectedVersion}); reload it and review again`,
    );
  }
  if (!input.from.includes(current.state) || !canTransition(current.state, input.to)) {
    return fail(
      'conflict',
      `The request is ${describeState(current.state)}, so it cannot move to ${describeState(input.to)}`,
    );
  }
  const bumpsVersion = input.changes?.spec !== undefined || input.changes?.justification !== undefined;
  const updated = await updateRequestState(
    tx,
    current.id,
    { state: current.state, version: current.version },
    { state: input.to, version: bumpsVersion ? current.version + 1 : current.version },
    input.changes,
  );
  // The row is locked FOR UPDATE, so the compare-and-set cannot lose; if it does, an invariant broke.
  if (!updated) throw new Error(`Compare-and-set on request ${current.id} failed while holding its row lock`);
  await insertRequestEvent(tx, {
    requestId: updated.id,
    actorId: input.actorId,
    from: current.state,
    to: input.to,
    reason: input.reason ?? null,
    requestVersion: updated.version,
    specSha256: updated.specSha256,
  });
  return ok(updated);
}
