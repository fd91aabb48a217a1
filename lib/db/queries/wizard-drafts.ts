import 'server-only';
import type { Selectable } from 'kysely';
import type { Db } from '@/lib/db/schema';
import type { WizardDraftsTable } from '@/lib/db/tables/wizard';

/** One wizard draft as stored. `state` is the unvalidated JSON the wizard saved. */
export interface WizardDraftRecord {
  id: string;
  ownerId: string;
  accountId: string | null;
  step: string;
  title: string;
  state: unknown;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A draft as the list shows it: everything but the state. */
export type WizardDraftListItem = Omit<WizardDraftRecord, 'state'>;

function toRecord(row: Selectable<WizardDraftsTable>): WizardDraftRecord {
  return {
    id: row.id,
    ownerId: row.owner_id,
    accountId: row.account_id,
    step: row.step,
    title: row.title,
    state: row.state,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The draft with this id when `ownerId` owns it, else null (another person's draft is not found). */
export async function getWizardDraftOfOwner(
  db: Db,
  id: string,
  ownerId: string,
): Promise<WizardDraftRecord | null> {
  const row = await db
    .selectFrom('wizard_drafts')
    .selectAll()
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return row ? toRecord(row) : null;
}

/** The owner's drafts, most recently saved first (then by id, so that the order is total). */
export async function listWizardDraftsOfOwner(
  db: Db,
  ownerId: string,
  limit: number,
): Promise<WizardDraftListItem[]> {
  const rows = await db
    .selectFrom('wizard_drafts')
    .select(['id', 'owner_id', 'account_id', 'step', 'title', 'version', 'created_at', 'updated_at'])
    .where('owner_id', '=', ownerId)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => {
    const { state: _state, ...rest } = toRecord({ ...row, state: null });
    return rest;
  });
}

/** How many drafts the owner has. */
export async function countWizardDraftsOfOwner(db: Db, ownerId: string): Promise<number> {
  const row = await db
    .selectFrom('wizard_drafts')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('owner_id', '=', ownerId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface WizardDraftValues {
  accountId: string | null;
  step: string;
  title: string;
  state: unknown;
}

/** Inserts a new draft (version 1) for `ownerId`. */
export async function insertWizardDraft(
  db: Db,
  ownerId: string,
  values: WizardDraftValues,
): Promise<WizardDraftRecord> {
  const row = await db
    .insertInto('wizard_drafts')
    .values({
      owner_id: ownerId,
      account_id: values.accountId,
      step: values.step,
      title: values.title,
      state: JSON.stringify(values.state),
      version: 1,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

/**
 * Replaces the owner's draft if it is still at `expectedVersion` (compare-and-set), bumping the
 * version by one. Returns the saved draft, or null when it is not the owner's, is gone, or the
 * version moved on (nothing changed then).
 */
export async function updateWizardDraftAtVersion(
  db: Db,
  id: string,
  ownerId: string,
  expectedVersion: number,
  values: WizardDraftValues,
): Promise<WizardDraftRecord | null> {
  const row = await db
    .updateTable('wizard_drafts')
    .set({
      account_id: values.accountId,
      step: values.step,
      title: values.title,
      state: JSON.stringify(values.state),
      version: expectedVersion + 1,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
  return row ? toRecord(row) : null;
}

/** Deletes the owner's draft; returns whether one was deleted. */
export async function deleteWizardDraftOfOwner(db: Db, id: string, ownerId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('wizard_drafts')
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
