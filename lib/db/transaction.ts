import 'server-only';
import type { Kysely } from 'kysely';
import type { Database, Tx } from '@/lib/db/schema';
import type { Result } from '@/lib/result';

/** Carries a failed Result out of the transaction callback so that Kysely rolls back. */
class Rollback extends Error {
  constructor(readonly result: Result<never>) {
    super('rollback');
  }
}

/**
 * Runs `work` in one transaction that commits only when it returns an ok Result: a failed Result
 * rolls back whatever `work` wrote before deciding to fail, and is returned as is.
 */
export async function transact<T>(
  db: Kysely<Database>,
  work: (tx: Tx) => Promise<Result<T>>,
): Promise<Result<T>> {
  try {
    return await db.transaction().execute(async (tx) => {
      const result = await work(tx);
      if (!result.ok) throw new Rollback(result);
      return result;
    });
  } catch (error) {
    if (error instanceof Rollback) return error.result;
    throw error;
  }
}

/**
 * Runs `work` in one transaction: it commits when `work` resolves and rolls back when it throws
 * (the error is rethrown).
 */
export function inTransaction<T>(db: Kysely<Database>, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}
