import 'server-only';
import { canApproveFor, type Principal } from '@/lib/auth/principal';
import type { Db } from '@/lib/db/schema';
import type { RequestKind, RequestRow, RequestState } from '@/lib/db/tables/core';
import type { RoleSpec } from '@/lib/iam/role-spec';
import type { RequestFinding, RequestRiskFlag } from '@/lib/requests/assess';
import type { SpecChange } from '@/lib/requests/diff';

export type { RequestKind, RequestState };

/** A role request as `lib/requests` returns it. */
export interface RoleRequest {
  id: string;
  kind: RequestKind;
  accountId: string;
  roleName: string;
  requester: { id: string; email: string; name: string };
  justification: string;
  /** The role as it will be after the request (for a delete: the role being deleted). */
  spec: RoleSpec;
  specSha256: string;
  /** Change and delete requests: the provisioned role's specification. */
  baseSpec: RoleSpec | null;
  /** Change requests: what changes. */
  diff: SpecChange[] | null;
  state: RequestState;
  version: number;
  approvalsRequired: number;
  /** Validator findings of the submitted version (errors never: they block submission). */
  findings: RequestFinding[];
  /** Risk flags of the submitted version, most severe first. */
  risks: RequestRiskFlag[];
  /** The last provisioning failure (AWS code and message), if any. */
  failure: { code: string; message: string } | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What the `findings` column holds. */
export interface StoredAssessment {
  items: RequestFinding[];
  risks: RequestRiskFlag[];
}

export function toRoleRequest(row: RequestRow): RoleRequest {
  const assessment = (row.findings ?? { items: [], risks: [] }) as Partial<StoredAssessment>;
  return {
    id: row.id,
    kind: row.kind,
    accountId: row.account_id,
    roleName: row.role_name,
    requester: { id: row.requester_id, email: row.requester_email, name: row.requester_name },
    justification: row.justification,
    spec: row.spec as RoleSpec,
    specSha256: row.spec_sha256,
    baseSpec: (row.base_spec as RoleSpec | null) ?? null,
    diff: (row.diff as SpecChange[] | null) ?? null,
    state: row.state,
    version: row.version,
    approvalsRequired: row.approvals_required,
    findings: assessment.items ?? [],
    risks: assessment.risks ?? [],
    failure: row.failure ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Visibility: a requester sees their own requests, an approver the submitted requests of the
 * accounts they may approve for, an admin everything. Anything else is answered as `not_found`.
 */
export function canViewRequest(
  principal: Principal,
  row: Pick<RequestRow, 'requester_id' | 'account_id' | 'state'>,
): boolean {
  if (row.requester_id === principal.id || principal.roles.admin) return true;
  // A draft is the requester's own until submitted.
  return row.state !== 'draft' && canApproveFor(principal, row.account_id);
}

/** Loads a request the principal may see, or null (missing and invisible look the same). */
export async function loadVisibleRequest(
  db: Db,
  principal: Principal,
  requestId: string,
): Promise<RequestRow | null> {
  const row = await db.selectFrom('requests').selectAll().where('id', '=', requestId).executeTakeFirst();
  return row && canViewRequest(principal, row) ? row : null;
}
