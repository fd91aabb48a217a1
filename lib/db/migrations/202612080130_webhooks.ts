import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The notifications webhook (issue 13, item 5): its configuration (`webhooks`, at most one row:
 * one webhook per portal), the durable outbox of notifications to send (`webhook_outbox`, one row
 * per request transition a webhook was subscribed to when it happened, whose id is the delivery
 * id a receiver sees on every attempt), and each attempt's outcome (`webhook_deliveries`).
 *
 * The outbox is filled by a trigger on `request_events`: every state change of a request appends
 * exactly one audit event in the transaction (or the single statement) that makes it, whichever
 * code path makes it (`transitionRequest`, the provisioning worker's CTE statements), so a row
 * enqueued there commits or rolls back with the transition itself. The trigger never fails the
 * transition: without an enabled webhook subscribed to the event it does nothing, and an error
 * while enqueueing is reported as a warning and skipped. Never edit this file once released.
 */
export const webhooksMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('webhooks')
      .addColumn('id', 'smallint', (col) => col.primaryKey().check(sql`id = 1`))
      .addColumn('url', 'text', (col) => col.notNull())
      .addColumn('enabled', 'boolean', (col) => col.notNull().defaultTo(false))
      .addColumn('events', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'::text[]`))
      .addColumn('allowed_hosts', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'::text[]`))
      // The signing secret, encrypted (AES-256-GCM under a key derived from AUTH_SECRET).
      .addColumn('secret_ciphertext', 'text', (col) => col.notNull())
      .addColumn('secret_created_at', 'timestamptz', (col) => col.notNull())
      .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
      .addColumn('updated_by', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();

    await db.schema
      .createTable('webhook_outbox')
      // The delivery id (`X-Rolesmith-Delivery`): the same on every attempt.
      .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('event', 'text', (col) =>
        col
          .notNull()
          .check(sql`event in ('submitted', 'approved', 'rejected', 'provisioned', 'failed', 'test')`),
      )
      .addColumn('request_id', 'uuid', (col) => col.references('requests.id'))
      // The transition notified about: one notification per transition at most.
      .addColumn('request_event_id', 'bigint', (col) => col.unique().references('request_events.id'))
      .addColumn('actor_id', 'text', (col) => col.notNull())
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('status', 'text', (col) =>
        col
          .notNull()
          .defaultTo('pending')
          .check(sql`status in ('pending', 'delivered', 'failed', 'given_up')`),
      )
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', 'timestamptz')
      .addColumn('last_outcome', 'text')
      .addColumn('last_status_code', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('finished_at', 'timestamptz')
      .execute();
    await sql`create index webhook_outbox_due_idx on webhook_outbox (next_attempt_at) where status = 'pending'`.execute(
      db,
    );
    await db.schema
      .createIndex('webhook_outbox_recent_idx')
      .on('webhook_outbox')
      .columns(['created_at desc', 'id'])
      .execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('outbox_id', 'uuid', (col) =>
        col.notNull().references('webhook_outbox.id').onDelete('cascade'),
      )
      .addColumn('attempt', 'integer', (col) => col.notNull())
      .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('outcome', 'text', (col) => col.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('error', 'text')
      .addColumn('duration_ms', 'integer', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_outbox_idx')
      .on('webhook_deliveries')
      .columns(['outbox_id', 'attempt'])
      .execute();

    // Which transition is which notification: a request submitted (draft → pending; an edit of a
    // pending request, pending → pending, is not), approved (the final approval), rejected,
    // provisioned, or failed while provisioning (a failed rollback, failed → failed, is not).
    await sql`
      create function webhook_outbox_enqueue() returns trigger language plpgsql as $$
      declare
        notification text;
      begin
        notification := case
          when new.to_state = 'pending' and new.from_state is distinct from 'pending' then 'submitted'
          when new.to_state in ('approved', 'rejected', 'provisioned')
               and new.from_state is distinct from new.to_state then new.to_state
          when new.to_state = 'failed' and new.from_state = 'provisioning' then 'failed'
          else null
        end;
        if notification is null then
          return null;
        end if;
        if not exists (select 1 from webhooks w where w.id = 1 and w.enabled and notification = any (w.events)) then
          return null;
        end if;
        begin
          insert into webhook_outbox (event, request_id, request_event_id, actor_id)
          values (notification, new.request_id, new.id, new.actor_id)
          on conflict (request_event_id) do nothing;
        exception when others then
          -- A notification is never worth failing the request's transition for.
          raise warning 'rolesmith: webhook notification for request event % skipped: %', new.id, sqlerrm;
        end;
        return null;
      end
      $$`.execute(db);
    await sql`
      create trigger request_events_webhook_outbox
      after insert on request_events
      for each row execute function webhook_outbox_enqueue()`.execute(db);
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
  async down(db: Kysely<any>): Promise<void> {
    await sql`drop trigger if exists request_events_webhook_outbox on request_events`.execute(db);
    await sql`drop function if exists webhook_outbox_enqueue()`.execute(db);
    await db.schema.dropTable('webhook_deliveries').ifExists().execute();
    await db.schema.dropTable('webhook_outbox').ifExists().execute();
    await db.schema.dropTable('webhooks').ifExists().execute();
  },
};
