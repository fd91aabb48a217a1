import type { ColumnType, Generated } from 'kysely';
import type { Json } from '@/lib/db/tables/core';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

/** A person's unvalidated create-role wizard work (owned by `lib/wizard`). */
export interface WizardDraftsTable {
  id: Generated<string>;
  /** Portal user id of the person whose draft it is; nobody else reads it. */
  owner_id: string;
  /** The target account chosen on the first step, or null before one is (or after it was removed). */
  account_id: string | null;
  /** The wizard step to resume at. */
  step: string;
  /** What the list of drafts shows: the role name typed so far, or empty. */
  title: string;
  /** The wizard's state as the browser sent it: bounded in size and depth, otherwise unvalidated. */
  state: Json<unknown>;
  version: number;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface WizardTables {
  wizard_drafts: WizardDraftsTable;
}
