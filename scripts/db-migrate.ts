/**
 * `npm run db:migrate`: applies pending migrations to the configured database and exits.
 * Safe to run while other instances start (the migrator holds an advisory lock).
 */
import { openConfiguredDatabase } from '@/lib/db/client';
import { migrateToLatest } from '@/lib/db/migrate';

async function main(): Promise<number> {
  const { db, close } = await openConfiguredDatabase();
  try {
    const results = await migrateToLatest(db);
    for (const result of results) console.log(`applied ${result.migrationName}`);
    console.log(results.length === 0 ? 'Database is up to date.' : `Applied ${results.length} migration(s).`);
    return 0;
  } finally {
    await close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    if (error instanceof Error && error.cause) console.error('Cause:', error.cause);
    process.exit(1);
  },
);
