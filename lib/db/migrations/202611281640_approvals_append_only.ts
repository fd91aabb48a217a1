import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Approvals are evidence, like the audit trail: the database refuses to delete them, to truncate
 * the table, or to change any column of a row except voiding it once (`voided_at` from null to a
 * time, when an edit of the request voids the approvals given so far).
 */
export const approvalsAppendOnlyMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await sql`
      create function approvals_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE'
           and old.voided_at is null and new.voided_at is not null
           and (to_jsonb(new) - 'voided_at') = (to_jsonb(old) - 'voided_at') then
          return new;
        end if;
        raise exception 'approvals are append-only: % is not allowed (only voiding an approval once)', tg_op
          using errcode = 'insufficient_privilege';
      end
      $$`.execute(db);
    await sql`
      create trigger approvals_no_change
      before update or delete on approvals
      for each row execute function approvals_append_only()`.execute(db);
    await sql`
      create trigger approvals_no_truncate
      before truncate on approvals
      for each statement execute function approvals_append_only()`.execute(db);
  },
};
