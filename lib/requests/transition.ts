import 'server-only';
import type { Transaction } from 'kysely';
import type { Database } from '@/lib/db/schema';
import type { RequestRow, RequestState, RequestUpdate } from '@/lib/db/tables/core';
import { canTransition, describeState } from '@/lib/requests/state-machine';
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
  /** Further columns to write with the new state (e.g. a new spec on edit). */
  changes?: Omit<RequestUpdate, 'state' | 'updated_at' | 'id'>;
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
export async function transitionRequest(
  tx: Transaction<Database>,
  input: TransitionInput,
): Promise<Result<RequestRow>> {
  const current = await tx
    .selectFrom('requests')
    .selectAll()
    .where('id', '=', input.requestId)
    .forUpdate()
    .executeTakeFirst();
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
  const updated = await tx
    .updateTable('requests')
    .set({
      ...input.changes,
      state: input.to,
      version: bumpsVersion ? current.version + 1 : current.version,
      updated_at: new Date(),
    })
    .where('id', '=', current.id)
    .where('version', '=', current.version)
    .where('state', '=', current.state)
    .returningAll()
    .executeTakeFirst();
  // The row is locked FOR UPDATE, so the compare-and-set cannot lose; if it does, an invariant broke.
  if (!updated) throw new Error(`Compare-and-set on request ${current.id} failed while holding its row lock`);
  await tx
    .insertInto('request_events')
    .values({
      request_id: updated.id,
      actor_id: input.actorId,
      from_state: current.state,
      to_state: input.to,
      reason: input.reason ?? null,
      request_version: updated.version,
      spec_sha256: updated.spec_sha256,
    })
    .execute();
  return ok(updated);
}
