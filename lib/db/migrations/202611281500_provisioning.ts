import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Provisioning jobs (claimed with a lease, `FOR UPDATE SKIP LOCKED`) and the intent record committed
 * before each IAM call. Never edit this file once released; add a new migration instead.
 */
export const provisioningMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('provisioning_jobs')
      .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('request_id', 'uuid', (col) => col.notNull().references('requests.id'))
      .addColumn('attempt', 'integer', (col) => col.notNull().check(sql`attempt >= 1`))
      .addColumn('operation', 'text', (col) =>
        col.notNull().check(sql`operation in ('provision', 'rollback')`),
      )
      .addColumn('status', 'text', (col) =>
        col.notNull().check(sql`status in ('queued', 'running', 'retrying', 'succeeded', 'failed')`),
      )
      .addColumn('plan', 'jsonb')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', 'timestamptz')
      .addColumn('run_after', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('claims', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('last_error', 'jsonb')
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('finished_at', 'timestamptz')
      .addUniqueConstraint('provisioning_jobs_request_attempt', ['request_id', 'attempt'])
      .execute();
    // At most one unfinished job per request: a second enqueue (two approvers, two instances) is a no-op.
    await sql`
      create unique index provisioning_jobs_one_active_idx on provisioning_jobs (request_id)
      where status in ('queued', 'running', 'retrying')`.execute(db);
    await sql`
      create index provisioning_jobs_claimable_idx on provisioning_jobs (run_after)
      where status in ('queued', 'running', 'retrying')`.execute(db);

    await db.schema
      .createTable('provisioning_intents')
      .addColumn('job_id', 'uuid', (col) => col.notNull().references('provisioning_jobs.id'))
      .addColumn('step_key', 'text', (col) => col.notNull())
      .addColumn('step_index', 'integer', (col) => col.notNull())
      .addColumn('action', 'text', (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull().check(sql`state in ('pending', 'done')`))
      .addColumn('outcome', 'jsonb')
      .addColumn('worker', 'text', (col) => col.notNull())
      .addColumn('started_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('completed_at', 'timestamptz')
      .addPrimaryKeyConstraint('provisioning_intents_pk', ['job_id', 'step_key'])
      .execute();
  },
};
