import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** People who have signed in (or were seeded in sandbox mode). */
export interface UsersTable {
  /** The identity provider's subject, or the demo person's id. */
  id: string;
  /** Lower-case e-mail address. */
  email: string;
  /** Whether the identity provider verified the e-mail (`email_verified: true`); demo people are. */
  email_verified: ColumnType<boolean, boolean | undefined, boolean>;
  name: string;
  /** Identity-provider groups recorded at the last sign-in (from the configured claim). */
  groups: ColumnType<string[], string[], string[]>;
  last_sign_in_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: Timestamp;
}

/** A portal role granted to a person (by e-mail) or to an identity-provider group. */
export interface PortalRoleAssignmentsTable {
  id: Generated<string>;
  subject_kind: 'person' | 'group';
  /** Lower-case e-mail for a person, the group name as the identity provider sends it for a group. */
  subject: string;
  role: 'approver' | 'admin';
  /** For approvers: the account ids they approve for, or `null` for every account. */
  account_ids: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  granted_by: string;
  granted_at: Timestamp;
}

/** Fixed-window counters for rate limits, shared by every instance through the database. */
export interface RateLimitCountersTable {
  key: string;
  window_start: ColumnType<Date, Date | string, Date | string>;
  count: number;
}

/** Server-side sessions; the session cookie carries the id, only its SHA-256 is stored. */
export interface SessionsTable {
  /** SHA-256 (hex) of the random session id carried in the session cookie. */
  id_hash: string;
  user_id: string;
  created_at: Timestamp;
  /** Last request seen with this session (updated at most every few minutes). */
  last_seen_at: Timestamp;
  /** The session's absolute end (sign-in time plus the maximum session length). */
  expires_at: ColumnType<Date, Date | string, Date | string>;
  /** When it was signed out or revoked; `null` while valid. */
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface AuthTables {
  users: UsersTable;
  portal_role_assignments: PortalRoleAssignmentsTable;
  rate_limit_counters: RateLimitCountersTable;
  sessions: SessionsTable;
}
