import { sql, type Kysely, type Migration } from 'kysely';

/**
 * What the request lists and the navigation's badges need (issue 13), fast with 100,000 requests:
 *
 * - `requests.max_risk`: the highest severity among the request's risk flags and security
 *   warnings, as a rank (0 none, 1 low, 2 medium, 3 high or a security warning, 4 critical), so
 *   that the approvals queue filters and sorts by risk through an index. A stored column generated
 *   from `findings` by an immutable function: every write of the findings (submission, edit, any
 *   later code path) keeps it right, and adding it fills it for every existing row.
 * - Indexes: the requester's own requests by creation (`requests_requester_created_idx`, which
 *   replaces `requests_requester_idx` of the core migration with the id as tie-breaker), and
 *   partial indexes on pending requests only (the queue) by creation, by account and by risk.
 * - `request_unseen_changes`: per request, the last event by someone other than its requester
 *   that changed its state, until the requester opens the request (`lib/requests/seen.ts`). A
 *   trigger on `request_events` keeps it, so that every transition (made in `lib/requests` or in
 *   one statement by the provisioner) counts without each of them having to remember it. The
 *   badge then counts a handful of rows by an index. Existing requests start seen.
 *
 * Never edit this file once released; add a new migration instead.
 */
export const requestQueueMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await sql`
      create function request_max_risk(findings jsonb) returns smallint
      language sql immutable parallel safe as $$
        select coalesce(max(case item->>'severity'
          when 'critical' then 4
          when 'high' then 3
          when 'security_warning' then 3
          when 'medium' then 2
          when 'low' then 1
          else 0 end), 0)::smallint
        from jsonb_array_elements(
          (case when jsonb_typeof(findings->'risks') = 'array' then findings->'risks' else '[]'::jsonb end)
          || (case when jsonb_typeof(findings->'items') = 'array' then findings->'items' else '[]'::jsonb end)
        ) as item
      $$`.execute(db);
    await sql`
      alter table requests
      add column max_risk smallint not null generated always as (request_max_risk(findings)) stored`.execute(
      db,
    );

    await sql`drop index requests_requester_idx`.execute(db);
    await sql`create index requests_requester_created_idx on requests (requester_id, created_at, id)`.execute(
      db,
    );
    await sql`
      create index requests_pending_created_idx on requests (created_at, id)
      include (account_id, requester_id) where state = 'pending'`.execute(db);
    await sql`
      create index requests_pending_account_idx on requests (account_id, created_at, id)
      include (requester_id) where state = 'pending'`.execute(db);
    await sql`
      create index requests_pending_risk_idx on requests (max_risk desc, created_at, id)
      include (account_id, requester_id) where state = 'pending'`.execute(db);

    await sql`
      create table request_unseen_changes (
        request_id uuid primary key references requests (id),
        requester_id text not null,
        event_id bigint not null
      )`.execute(db);
    await sql`create index request_unseen_changes_requester_idx on request_unseen_changes (requester_id)`.execute(
      db,
    );
    await sql`
      create function request_events_note_unseen() returns trigger language plpgsql as $$
      declare
        owner text;
      begin
        if new.from_state is null or new.from_state = new.to_state then
          return null;
        end if;
        select requester_id into owner from requests where id = new.request_id;
        if owner is null or owner = new.actor_id then
          return null;
        end if;
        insert into request_unseen_changes (request_id, requester_id, event_id)
        values (new.request_id, owner, new.id)
        on conflict (request_id) do update set event_id = excluded.event_id;
        return null;
      end
      $$`.execute(db);
    await sql`
      create trigger request_events_unseen
      after insert on request_events
      for each row execute function request_events_note_unseen()`.execute(db);
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
  async down(db: Kysely<any>): Promise<void> {
    await sql`drop trigger request_events_unseen on request_events`.execute(db);
    await sql`drop function request_events_note_unseen()`.execute(db);
    await sql`drop table request_unseen_changes`.execute(db);
    await sql`drop index requests_pending_risk_idx`.execute(db);
    await sql`drop index requests_pending_account_idx`.execute(db);
    await sql`drop index requests_pending_created_idx`.execute(db);
    await sql`drop index requests_requester_created_idx`.execute(db);
    await sql`create index requests_requester_idx on requests (requester_id, created_at)`.execute(db);
    await sql`alter table requests drop column max_risk`.execute(db);
    await sql`drop function request_max_risk(jsonb)`.execute(db);
  },
};
