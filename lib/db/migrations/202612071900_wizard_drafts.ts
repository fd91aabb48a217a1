import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Wizard drafts: a person's unvalidated work in the create-role wizard, autosaved as they go. A
 * draft is not a request and claims no role name, so it lives in a table of its own. `version`
 * is bumped on every save (compare-and-set), so that a second tab never silently overwrites the
 * first. Never edit this file once released; add a new migration instead.
 */
export const wizardDraftsMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('wizard_drafts')
      .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('owner_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
      // A removed target account leaves the draft in place, without a target.
      .addColumn('account_id', 'text', (col) => col.references('target_accounts.id').onDelete('set null'))
      .addColumn('step', 'text', (col) => col.notNull())
      .addColumn('title', 'text', (col) => col.notNull().defaultTo(''))
      .addColumn('state', 'jsonb', (col) => col.notNull())
      .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema
      .createIndex('wizard_drafts_owner_updated_idx')
      .on('wizard_drafts')
      .columns(['owner_id', 'updated_at'])
      .execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('wizard_drafts').execute();
  },
};
