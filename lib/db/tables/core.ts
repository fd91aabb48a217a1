import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Tables of the request workflow (owned by `lib/requests` and `lib/accounts`). Other areas add
 * their own interface in `lib/db/tables/<area>.ts` and one line to `lib/db/schema.ts`.
 */

/** A timestamp column the database fills in (`now()`), readable as a Date. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** A `jsonb` column: written as a JSON string or a value, read back parsed. */
export type Json<T> = ColumnType<T, string, string>;

export type RequestState =
  | 'draft'
  | 'pending'
  | 'approved'
  | 'provisioning'
  | 'provisioned'
  | 'rejected'
  | 'cancelled'
  | 'failed'
  | 'rolled_back';

export type RequestKind = 'create' | 'change' | 'delete';

export interface TargetAccountsTable {
  id: string;
  alias: string;
  environment: string;
  /** Switch-role colour, six hex digits without `#`. */
  color: string;
  /** aws mode: the role Rolesmith assumes in this account (null for the portal's own account, and in sandbox mode). */
  provisioner_role_arn: string | null;
  external_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface GuardrailsTable {
  /** Always 1: one set of guardrails for the portal. */
  id: Generated<number>;
  config: Json<unknown>;
  version: number;
  updated_by: string;
  updated_at: UpdatedAt;
}

export interface RequestsTable {
  id: Generated<string>;
  kind: RequestKind;
  account_id: string;
  role_name: string;
  requester_id: string;
  requester_email: string;
  requester_name: string;
  justification: string;
  /** The full validated role specification (RoleSpec) as JSON. */
  spec: Json<unknown>;
  spec_sha256: string;
  /** Change and delete requests: the provisioned specification the request starts from. */
  base_spec: Json<unknown> | null;
  /** Change requests: the computed difference between `base_spec` and `spec`. */
  diff: Json<unknown> | null;
  state: RequestState;
  version: number;
  approvals_required: number;
  /** Risk flags and findings of the submitted version, for the approver. */
  findings: Json<unknown>;
  /** The last failure (AWS code and message) while provisioning, if any. */
  failure: Json<{ code: string; message: string } | null>;
  /** The requester's justification per security warning and risk flag, keyed by flag key. */
  flag_justifications: ColumnType<Record<string, string>, string | undefined, string>;
  /** The people besides the requester who will use the role: lower-cased e-mail addresses. */
  role_users: ColumnType<string[], string | undefined, string>;
  /** The rejected request this one was started from (a link; that one stays rejected). */
  from_request_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RequestEventsTable {
  id: Generated<string>;
  request_id: string;
  actor_id: string;
  at: CreatedAt;
  from_state: RequestState | null;
  to_state: RequestState;
  reason: string | null;
  request_version: number;
  spec_sha256: string;
}

export interface ApprovalsTable {
  id: Generated<string>;
  request_id: string;
  approver_id: string;
  approver_name: string;
  request_version: number;
  spec_sha256: string;
  comment: string;
  /** Keys (`flagKey`) of the security warnings and risk flags the approver acknowledged. */
  acknowledged: Json<string[]>;
  /** Set when an edit of the request voided this approval. */
  voided_at: Date | null;
  created_at: CreatedAt;
}

export interface ProvisionedRolesTable {
  id: Generated<string>;
  account_id: string;
  role_name: string;
  path: string;
  arn: string;
  /** The request that last created or changed the role. */
  request_id: string;
  /** The specification the role was provisioned with (the base of later change requests). */
  spec: Json<unknown>;
  /** Set when a delete request removed the role. */
  deleted_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CoreTables {
  target_accounts: TargetAccountsTable;
  guardrails: GuardrailsTable;
  requests: RequestsTable;
  request_events: RequestEventsTable;
  approvals: ApprovalsTable;
  provisioned_roles: ProvisionedRolesTable;
}

export type TargetAccountRow = Selectable<TargetAccountsTable>;
export type RequestRow = Selectable<RequestsTable>;
export type NewRequestRow = Insertable<RequestsTable>;
export type RequestUpdate = Updateable<RequestsTable>;
export type RequestEventRow = Selectable<RequestEventsTable>;
export type ApprovalRow = Selectable<ApprovalsTable>;
export type ProvisionedRoleRow = Selectable<ProvisionedRolesTable>;
