/**
 * The request workflow's domain types and its pure rules. Types and pure functions only (no
 * database, no I/O), so that `lib/db` may import its types without importing anything back.
 */
import { canApproveFor, type Principal } from '@/lib/auth/principal';
import type { RequestKind, RequestState } from '@/lib/db/tables/core';
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
  /**
   * The requester's justification of each security warning and critical or high risk flag, keyed
   * by `flagKey(code, RoleSpec field, JSON pointer)` (see `justificationKeyOf` in assess.ts).
   */
  flagJustifications: Record<string, string>;
  /** The people besides the requester who will use the role (lower-cased e-mail addresses). */
  roleUsers: string[];
  /** The rejected request this one was started from, if any (that one stays rejected). */
  fromRequestId: string | null;
  /**
   * The default version of each customer managed policy the role attaches, and of a customer
   * managed permissions boundary, as read from the target account when the request was submitted
   * (or last edited while pending); empty for a draft. Their documents are not in `specSha256`:
   * the preflight refuses to provision when a default version changed since.
   */
  managedPolicyVersions: PolicyVersionRef[];
  createdAt: Date;
  updatedAt: Date;
}

/** One managed policy's default version: `{ arn, versionId: 'v3' }`. */
export interface PolicyVersionRef {
  arn: string;
  versionId: string;
}

/** What the `findings` column holds. */
export interface StoredAssessment {
  items: RequestFinding[];
  risks: RequestRiskFlag[];
}

/** An audit event of a request. */
export interface RequestEvent {
  id: string;
  actorId: string;
  at: Date;
  from: RequestState | null;
  to: RequestState;
  reason: string | null;
  requestVersion: number;
  specSha256: string;
}

/** An approval given to a version of a request. */
export interface RequestApproval {
  approverId: string;
  approverName: string;
  requestVersion: number;
  specSha256: string;
  comment: string;
  acknowledged: string[];
  voided: boolean;
  at: Date;
}

/**
 * Visibility: a requester sees their own requests, an approver the submitted requests of the
 * accounts they may approve for, an admin everything. Anything else is answered as `not_found`.
 */
export function canViewRequest(
  principal: Principal,
  request: Pick<RoleRequest, 'requester' | 'accountId' | 'state'>,
): boolean {
  if (request.requester.id === principal.id || principal.roles.admin) return true;
  // A draft is the requester's own until submitted.
  return request.state !== 'draft' && canApproveFor(principal, request.accountId);
}
