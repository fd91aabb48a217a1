import type { Kysely, Migration } from 'kysely';

/** Lets the sign-in housekeeping delete old rate-limit windows of every key without a full scan. */
export const rateLimitWindowIndexMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createIndex('rate_limit_counters_window_start_idx')
      .on('rate_limit_counters')
      .column('window_start')
      .execute();
  },
};
