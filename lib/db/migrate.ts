import 'server-only';
import { Migrator, type Kysely, type MigrationResult } from 'kysely';
import { migrations } from '@/lib/db/migrations/registry';

/**
 * Applies every migration not applied yet. Safe with several instances at once: Kysely's migrator
 * takes a PostgreSQL advisory lock (`pg_advisory_lock`) around the run, so a second instance waits
 * and then finds nothing left to do. Returns the migrations applied by this call.
 *
 * @throws Error (with the failing migration's error as `cause`) when a migration fails; nothing
 *   of that migration is kept because each run is one transaction.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works for any schema: migrations predate the types
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error');
    throw new Error(`Database migration ${failed?.migrationName ?? '(setup)'} failed`, { cause: error });
  }
  return results;
}
