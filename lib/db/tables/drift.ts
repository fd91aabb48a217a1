import type { ColumnType } from 'kysely';

/** Drift checks of provisioned roles (owned by `lib/requests/drift`). */

/** The outcome of a drift check: as recorded, changed outside Rolesmith, or not known (AWS failed). */
export type DriftState = 'matches' | 'drifted' | 'unknown';

/** One difference as stored: its kind and the sentence shown. */
export interface StoredDriftDifference {
  kind: string;
  sentence: string;
}

export interface RoleDriftTable {
  provisioned_role_id: string;
  /** The request whose record the check compared with (stale once another request changes the role). */
  request_id: string | null;
  /** Null until the first check has finished. */
  state: DriftState | null;
  differences: ColumnType<StoredDriftDifference[], string | undefined, string>;
  reason: string | null;
  checked_at: Date | null;
  next_check_at: ColumnType<Date, Date | string | undefined, Date | string>;
  lease_owner: string | null;
  lease_expires_at: Date | null;
}

export interface DriftTables {
  role_drift: RoleDriftTable;
}
