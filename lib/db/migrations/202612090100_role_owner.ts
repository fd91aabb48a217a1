import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Who owns a provisioned role, on its record rather than on the request that changed it last:
 * `owner_request_id`, the create request that made the role (its requester is the owner), and
 * `role_users`, the people the owner named as its users (lower-cased e-mail addresses). An
 * approver's restore or change no longer moves the role to them. Existing records take the latest
 * provisioned create request of their name made before their last change (their own request when
 * there is none), and the users of their last request when its requester is that owner, else those
 * of the create request. Never edit this file once released; add a new migration instead.
 */
export const roleOwnerMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .alterTable('provisioned_roles')
      .addColumn('owner_request_id', 'uuid', (col) => col.references('requests.id'))
      .addColumn('role_users', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
      .execute();
    await sql`
      update provisioned_roles p set owner_request_id = coalesce(
        (select c.id from requests c
          where c.account_id = p.account_id and lower(c.role_name) = lower(p.role_name)
            and c.kind = 'create' and c.state = 'provisioned'
            and c.created_at <= coalesce(p.deleted_at, p.updated_at)
          order by c.created_at desc limit 1),
        p.request_id)`.execute(db);
    await sql`
      update provisioned_roles p
      set role_users = case
        when p.deleted_at is null and last.requester_id = owner.requester_id then last.role_users
        else owner.role_users end
      from requests owner, requests last
      where owner.id = p.owner_request_id and last.id = p.request_id`.execute(db);
    await db.schema
      .alterTable('provisioned_roles')
      .alterColumn('owner_request_id', (col) => col.setNotNull())
      .execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
  async down(db: Kysely<any>): Promise<void> {
    await db.schema
      .alterTable('provisioned_roles')
      .dropColumn('owner_request_id')
      .dropColumn('role_users')
      .execute();
  },
};
