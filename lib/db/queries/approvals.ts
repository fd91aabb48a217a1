import 'server-only';
import type { Db, Tx } from '@/lib/db/schema';
import type { RequestApproval } from '@/lib/requests/model';

/** Data access of `approvals`: the approvals given to each version of a request (append-only but for voiding). */

/** Every approval of a request, voided ones included, oldest first. */
export async function listApprovals(db: Db, requestId: string): Promise<RequestApproval[]> {
  const rows = await db
    .selectFrom('approvals')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    approverId: row.approver_id,
    approverName: row.approver_name,
    requestVersion: row.request_version,
    specSha256: row.spec_sha256,
    comment: row.comment,
    acknowledged: row.acknowledged,
    voided: row.voided_at !== null,
    at: row.created_at,
  }));
}

/** Who gave the approvals of `version` that no edit voided. */
export async function listActiveApproverIds(db: Db, requestId: string, version: number): Promise<string[]> {
  const rows = await db
    .selectFrom('approvals')
    .select('approver_id')
    .where('request_id', '=', requestId)
    .where('request_version', '=', version)
    .where('voided_at', 'is', null)
    .execute();
  return rows.map((row) => row.approver_id);
}

/** An approval as recorded: what a request's approval holds, before it is voided or timed. */
export type NewApproval = Omit<RequestApproval, 'voided' | 'at'> & { requestId: string };

/** Records one approval (unique per request, version and approver). */
export async function insertApproval(tx: Tx, approval: NewApproval): Promise<void> {
  await tx
    .insertInto('approvals')
    .values({
      request_id: approval.requestId,
      approver_id: approval.approverId,
      approver_name: approval.approverName,
      request_version: approval.requestVersion,
      spec_sha256: approval.specSha256,
      comment: approval.comment,
      acknowledged: JSON.stringify(approval.acknowledged),
    })
    .execute();
}

/** Voids every approval of the request not voided yet; returns how many. */
export async function updateApprovalsVoided(tx: Tx, requestId: string): Promise<number> {
  const result = await tx
    .updateTable('approvals')
    .set({ voided_at: new Date() })
    .where('request_id', '=', requestId)
    .where('voided_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
