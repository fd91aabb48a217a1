import 'server-only';
import type { Db } from '@/lib/db/schema';
import type { TargetAccountRow } from '@/lib/db/tables/core';

/** An AWS account in which Rolesmith creates roles. */
export interface TargetAccount {
  id: string;
  alias: string;
  environment: string;
  /** Switch-role colour, six hex digits without `#`. */
  color: string;
  /** aws mode: the role Rolesmith assumes there (null: the portal's own account, or sandbox mode). */
  provisionerRoleArn: string | null;
  externalId: string | null;
}

/** A target account with what an admin needs to manage it. */
export interface TargetAccountDetails extends TargetAccount {
  /** How many requests (of any state) name this account; an account with requests cannot be removed. */
  requestCount: number;
  updatedAt: Date;
}

function toTargetAccount(row: TargetAccountRow): TargetAccount {
  return {
    id: row.id,
    alias: row.alias,
    environment: row.environment,
    color: row.color,
    provisionerRoleArn: row.provisioner_role_arn,
    externalId: row.external_id,
  };
}

function toRow(account: TargetAccount) {
  return {
    id: account.id,
    alias: account.alias,
    environment: account.environment,
    color: account.color,
    provisioner_role_arn: account.provisionerRoleArn,
    external_id: account.externalId,
  };
}

/** Every target account, ordered by alias. */
export async function listTargetAccounts(db: Db): Promise<TargetAccount[]> {
  const rows = await db.selectFrom('target_accounts').selectAll().orderBy('alias').execute();
  return rows.map(toTargetAccount);
}

/** Every target account with its request count, ordered by alias. */
export async function listTargetAccountDetails(db: Db): Promise<TargetAccountDetails[]> {
  const rows = await db
    .selectFrom('target_accounts')
    .selectAll('target_accounts')
    .select((eb) =>
      eb
        .selectFrom('requests')
        .select(eb.fn.countAll<string>().as('count'))
        .whereRef('requests.account_id', '=', 'target_accounts.id')
        .as('request_count'),
    )
    .orderBy('alias')
    .execute();
  return rows.map((row) => ({
    ...toTargetAccount(row),
    requestCount: Number(row.request_count ?? 0),
    updatedAt: row.updated_at,
  }));
}

/**
 * One target account, or null. With `lock`, the row stays locked until the transaction ends (the
 * foreign keys of requests take a share lock on it, so no request can be added meanwhile).
 */
export async function getTargetAccount(
  db: Db,
  id: string,
  options: { lock?: boolean } = {},
): Promise<TargetAccount | null> {
  let query = db.selectFrom('target_accounts').selectAll().where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toTargetAccount(row) : null;
}

/** The id of the account using `alias`, other than `exceptId`, or null. */
export async function getTargetAccountIdByAlias(
  db: Db,
  alias: string,
  exceptId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('target_accounts')
    .select('id')
    .where('alias', '=', alias)
    .where('id', '!=', exceptId)
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Inserts accounts; one whose id or alias is taken already is skipped (the existing row is left as
 * it is). Returns those inserted.
 */
export async function insertTargetAccounts(db: Db, accounts: TargetAccount[]): Promise<TargetAccount[]> {
  if (accounts.length === 0) return [];
  const rows = await db
    .insertInto('target_accounts')
    .values(accounts.map(toRow))
    .onConflict((conflict) => conflict.doNothing())
    .returningAll()
    .execute();
  return rows.map(toTargetAccount);
}

/** Replaces every field of an existing account. Returns null when no account has this id. */
export async function updateTargetAccount(db: Db, account: TargetAccount): Promise<TargetAccount | null> {
  const { id: _id, ...fields } = toRow(account);
  const row = await db
    .updateTable('target_accounts')
    .set({ ...fields, updated_at: new Date() })
    .where('id', '=', account.id)
    .returningAll()
    .executeTakeFirst();
  return row ? toTargetAccount(row) : null;
}

/** How many requests (of any state) name this account. */
export async function getRequestCountForAccount(db: Db, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('requests')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Deletes an account. Returns whether a row was deleted. */
export async function deleteTargetAccount(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('target_accounts').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Ids of the configured target accounts (the organisation's accounts). */
export async function listTargetAccountIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('target_accounts').select('id').orderBy('id').execute();
  return rows.map((row) => row.id);
}
