import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The request workflow: target accounts, guardrails, requests, their append-only audit trail,
 * approvals and the roles the portal provisioned. Never edit this file once released; add a new
 * migration instead.
 */
export const coreMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('target_accounts')
      .addColumn('id', 'text', (col) => col.primaryKey().check(sql`id ~ '^[0-9]{12}$'`))
      .addColumn('alias', 'text', (col) => col.notNull().unique())
      .addColumn('environment', 'text', (col) => col.notNull())
      .addColumn('color', 'text', (col) => col.notNull().check(sql`color ~ '^[0-9A-Fa-f]{6}$'`))
      .addColumn('provisioner_role_arn', 'text')
      .addColumn('external_id', 'text')
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();

    await db.schema
      .createTable('guardrails')
      .addColumn('id', 'integer', (col) =>
        col
          .primaryKey()
          .defaultTo(1)
          .check(sql`id = 1`),
      )
      .addColumn('config', 'jsonb', (col) => col.notNull())
      .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
      .addColumn('updated_by', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();

    await db.schema
      .createTable('requests')
      .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('create', 'change', 'delete')`))
      .addColumn('account_id', 'text', (col) => col.notNull().references('target_accounts.id'))
      .addColumn('role_name', 'text', (col) => col.notNull())
      .addColumn('requester_id', 'text', (col) => col.notNull())
      .addColumn('requester_email', 'text', (col) => col.notNull())
      .addColumn('requester_name', 'text', (col) => col.notNull())
      .addColumn('justification', 'text', (col) => col.notNull())
      .addColumn('spec', 'jsonb', (col) => col.notNull())
      .addColumn('spec_sha256', 'text', (col) => col.notNull().check(sql`spec_sha256 ~ '^[0-9a-f]{64}$'`))
      .addColumn('base_spec', 'jsonb')
      .addColumn('diff', 'jsonb')
      .addColumn('state', 'text', (col) =>
        col
          .notNull()
          .check(
            sql`state in ('draft', 'pending', 'approved', 'provisioning', 'provisioned', 'rejected', 'cancelled', 'failed')`,
          ),
      )
      .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
      .addColumn('approvals_required', 'integer', (col) =>
        col
          .notNull()
          .defaultTo(1)
          .check(sql`approvals_required >= 1`),
      )
      .addColumn('findings', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
      .addColumn('failure', 'jsonb')
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema
      .createIndex('requests_requester_idx')
      .on('requests')
      .columns(['requester_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('requests_account_state_idx')
      .on('requests')
      .columns(['account_id', 'state'])
      .execute();
    await db.schema
      .createIndex('requests_state_idx')
      .on('requests')
      .columns(['state', 'created_at'])
      .execute();

    await db.schema
      .createTable('request_events')
      .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('request_id', 'uuid', (col) => col.notNull().references('requests.id'))
      .addColumn('actor_id', 'text', (col) => col.notNull())
      .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('from_state', 'text')
      .addColumn('to_state', 'text', (col) => col.notNull())
      .addColumn('reason', 'text')
      .addColumn('request_version', 'integer', (col) => col.notNull())
      .addColumn('spec_sha256', 'text', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('request_events_request_idx')
      .on('request_events')
      .columns(['request_id', 'id'])
      .execute();
    // The audit trail is append-only: the database itself refuses to change or delete an event.
    await sql`
      create function request_events_immutable() returns trigger language plpgsql as $$
      begin
        raise exception 'request_events is append-only: % is not allowed', tg_op
          using errcode = 'insufficient_privilege';
      end
      $$`.execute(db);
    await sql`
      create trigger request_events_no_update_delete
      before update or delete on request_events
      for each row execute function request_events_immutable()`.execute(db);
    await sql`
      create trigger request_events_no_truncate
      before truncate on request_events
      for each statement execute function request_events_immutable()`.execute(db);

    await db.schema
      .createTable('approvals')
      .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('request_id', 'uuid', (col) => col.notNull().references('requests.id'))
      .addColumn('approver_id', 'text', (col) => col.notNull())
      .addColumn('approver_name', 'text', (col) => col.notNull())
      .addColumn('request_version', 'integer', (col) => col.notNull())
      .addColumn('spec_sha256', 'text', (col) => col.notNull())
      .addColumn('comment', 'text', (col) => col.notNull().defaultTo(''))
      .addColumn('acknowledged', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
      .addColumn('voided_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addUniqueConstraint('approvals_one_per_approver_version', [
        'request_id',
        'request_version',
        'approver_id',
      ])
      .execute();

    await db.schema
      .createTable('provisioned_roles')
      .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('account_id', 'text', (col) => col.notNull().references('target_accounts.id'))
      .addColumn('role_name', 'text', (col) => col.notNull())
      .addColumn('path', 'text', (col) => col.notNull().defaultTo('/'))
      .addColumn('arn', 'text', (col) => col.notNull())
      .addColumn('request_id', 'uuid', (col) => col.notNull().references('requests.id'))
      .addColumn('spec', 'jsonb', (col) => col.notNull())
      .addColumn('deleted_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
    // Role names are unique per account, case-insensitively, as in IAM.
    await sql`
      create unique index provisioned_roles_live_name_idx
      on provisioned_roles (account_id, lower(role_name)) where deleted_at is null`.execute(db);
  },
};
