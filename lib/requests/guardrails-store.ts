import 'server-only';
import { z } from 'zod';
import type { Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import type { Db } from '@/lib/db/schema';
import { defaultGuardrails, guardrailsSchema, type Guardrails } from '@/lib/requests/guardrails';
import { fail, ok, type Result } from '@/lib/result';

export interface StoredGuardrails {
  guardrails: Guardrails;
  /** Increases with every edit; pass it back to {@link updateGuardrails}. */
  version: number;
  updatedBy: string;
  updatedAt: Date | null;
}

/**
 * The guardrails in force. Before an admin saves any, the defaults apply (version 0).
 * A stored value that no longer parses is a broken invariant and throws.
 */
export async function getGuardrails(db?: Db): Promise<StoredGuardrails> {
  const row = await (db ?? (await getDb()))
    .selectFrom('guardrails')
    .selectAll()
    .where('id', '=', 1)
    .executeTakeFirst();
  if (!row)
    return { guardrails: defaultGuardrails, version: 0, updatedBy: 'system:default', updatedAt: null };
  const parsed = guardrailsSchema.safeParse(row.config);
  if (!parsed.success) throw new Error('The stored guardrails do not parse', { cause: parsed.error });
  return {
    guardrails: parsed.data,
    version: row.version,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

export const updateGuardrailsSchema = z.object({
  guardrails: z.unknown(),
  /** The version the admin edited (compare-and-set). */
  expectedVersion: z.coerce.number().int().min(0),
});

/**
 * Replaces the guardrails (admins only). Requests already submitted keep the approvals count they
 * got; new submissions and edits are checked against the new rules. Returns `forbidden` for
 * non-admins, `invalid_input` with field errors keyed like `requiredTags.0.key`, and `conflict`
 * when someone else saved in between.
 */
export async function updateGuardrails(
  principal: Principal,
  input: unknown,
): Promise<Result<StoredGuardrails>> {
  if (!principal.roles.admin) return fail('forbidden', 'Only admins can change guardrails');
  const envelope = updateGuardrailsSchema.safeParse(input);
  if (!envelope.success)
    return fail('invalid_input', 'The guardrails form is incomplete; reload and try again');
  const parsed = guardrailsSchema.safeParse(envelope.data.guardrails);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues)
      (fieldErrors[issue.path.join('.') || 'guardrails'] ??= []).push(issue.message);
    return fail('invalid_input', 'Check the highlighted fields.', fieldErrors);
  }
  const expected = envelope.data.expectedVersion;
  const db = await getDb();
  const config = JSON.stringify(parsed.data);
  const row =
    expected === 0
      ? await db
          .insertInto('guardrails')
          .values({ id: 1, config, version: 1, updated_by: principal.id })
          .onConflict((conflict) => conflict.column('id').doNothing())
          .returningAll()
          .executeTakeFirst()
      : await db
          .updateTable('guardrails')
          .set({ config, version: expected + 1, updated_by: principal.id, updated_at: new Date() })
          .where('id', '=', 1)
          .where('version', '=', expected)
          .returningAll()
          .executeTakeFirst();
  if (!row)
    return fail(
      'conflict',
      'Someone else changed the guardrails since you loaded them; reload and apply your change again',
    );
  return ok({
    guardrails: parsed.data,
    version: row.version,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  });
}
