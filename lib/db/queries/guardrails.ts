import 'server-only';
import type { Db } from '@/lib/db/schema';

/** The stored guardrails as saved: `config` is unparsed JSON (the caller validates it). */
export interface GuardrailsRecord {
  config: unknown;
  version: number;
  /** Portal user id of whoever saved them (`system:seed` for the seed). */
  updatedBy: string;
  /** That person's name and e-mail when they are a known user, else null. */
  updatedByName: string | null;
  updatedByEmail: string | null;
  updatedAt: Date;
}

/** The guardrails row (there is at most one), or null before any were saved. */
export async function getGuardrailsRecord(db: Db): Promise<GuardrailsRecord | null> {
  const row = await db
    .selectFrom('guardrails')
    .leftJoin('users', 'users.id', 'guardrails.updated_by')
    .select([
      'guardrails.config',
      'guardrails.version',
      'guardrails.updated_by',
      'guardrails.updated_at',
      'users.name',
      'users.email',
    ])
    .where('guardrails.id', '=', 1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    config: row.config,
    version: row.version,
    updatedBy: row.updated_by,
    updatedByName: row.name,
    updatedByEmail: row.email,
    updatedAt: row.updated_at,
  };
}

/**
 * Inserts the first guardrails (version 1). Returns the new version, or null when guardrails
 * exist already (nothing is changed then).
 */
export async function insertGuardrails(
  db: Db,
  values: { config: unknown; updatedBy: string },
): Promise<{ version: number; updatedAt: Date } | null> {
  const row = await db
    .insertInto('guardrails')
    .values({ id: 1, config: JSON.stringify(values.config), version: 1, updated_by: values.updatedBy })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .returning(['version', 'updated_at'])
    .executeTakeFirst();
  return row ? { version: row.version, updatedAt: row.updated_at } : null;
}

/**
 * Replaces the guardrails if they are still at `expectedVersion` (compare-and-set), bumping the
 * version by one. Returns the new version, or null when the version moved on (nothing changed).
 */
export async function updateGuardrailsAtVersion(
  db: Db,
  values: { config: unknown; updatedBy: string; expectedVersion: number },
): Promise<{ version: number; updatedAt: Date } | null> {
  const row = await db
    .updateTable('guardrails')
    .set({
      config: JSON.stringify(values.config),
      version: values.expectedVersion + 1,
      updated_by: values.updatedBy,
      updated_at: new Date(),
    })
    .where('id', '=', 1)
    .where('version', '=', values.expectedVersion)
    .returning(['version', 'updated_at'])
    .executeTakeFirst();
  return row ? { version: row.version, updatedAt: row.updated_at } : null;
}
