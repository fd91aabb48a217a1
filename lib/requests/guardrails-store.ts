import 'server-only';
import { z } from 'zod';
import type { Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import {
  getGuardrailsRecord,
  insertGuardrails,
  updateGuardrailsAtVersion,
} from '@/lib/db/queries/guardrails';
import type { Db } from '@/lib/db/schema';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import {
  defaultGuardrails,
  guardrailsSchema,
  type Guardrails,
  type GuardrailsInput,
} from '@/lib/iam/guardrail-check';
import { fail, ok, zodFieldErrors, type Result } from '@/lib/result';

export interface StoredGuardrails {
  guardrails: Guardrails;
  /** Increases with every edit; pass it back to {@link updateGuardrails}. */
  version: number;
  /** Portal user id of whoever saved last (`system:default` before anyone did, `system:seed`). */
  updatedBy: string;
  /** Their name and e-mail, when they are a known portal user. */
  updatedByName: string | null;
  updatedByEmail: string | null;
  updatedAt: Date | null;
}

/**
 * The guardrails in force. Before an admin saves any, the defaults apply (version 0).
 * A stored value that no longer parses is a broken invariant and throws.
 */
export async function getGuardrails(db?: Db): Promise<StoredGuardrails> {
  const record = await getGuardrailsRecord(db ?? (await getDb()));
  if (!record) {
    return {
      guardrails: defaultGuardrails,
      version: 0,
      updatedBy: 'system:default',
      updatedByName: null,
      updatedByEmail: null,
      updatedAt: null,
    };
  }
  const parsed = guardrailsSchema.safeParse(record.config);
  if (!parsed.success) throw new Error('The stored guardrails do not parse', { cause: parsed.error });
  return {
    guardrails: parsed.data,
    version: record.version,
    updatedBy: record.updatedBy,
    updatedByName: record.updatedByName,
    updatedByEmail: record.updatedByEmail,
    updatedAt: record.updatedAt,
  };
}

/** The guardrails for the admin's edit form. Admins only: `forbidden` for others. */
export async function getGuardrailsForAdmin(principal: Principal): Promise<Result<StoredGuardrails>> {
  if (!principal.roles.admin) return fail('forbidden', 'Only admins can change guardrails');
  return ok(await getGuardrails());
}

export const updateGuardrailsSchema = z.object({
  guardrails: z.unknown(),
  /** The version the admin edited (compare-and-set). */
  expectedVersion: z.coerce.number().int().min(0),
});
export type UpdateGuardrailsInput = z.input<typeof updateGuardrailsSchema>;

/** Splits a text area at `separators` into its non-empty, trimmed items. */
function items(text: string | undefined, separators: RegExp): string[] {
  return (text ?? '')
    .split(separators)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** A string field of a form object, or `undefined`. */
function text(form: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = form?.[name];
  return typeof value === 'string' ? value : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The guardrails form, as `formDataToObject` gives it (every value a string), into the input of
 * {@link updateGuardrails}: forbidden actions one per line, allowed tag values and trusted
 * accounts separated by commas or new lines, required tags as `requiredTags.<n>.key` and
 * `requiredTags.<n>.allowedValues` (rows left empty are dropped), approvals as
 * `approvals.default` and `approvals.privilegeEscalation`, an empty boundary as none.
 */
export const guardrailsFormSchema = z
  .record(z.string(), z.unknown())
  .transform((form): UpdateGuardrailsInput => {
    const rows = Array.isArray(form.requiredTags) ? (form.requiredTags as unknown[]) : [];
    const requiredTags = rows
      .map(record)
      .map((row) => ({
        key: (text(row, 'key') ?? '').trim(),
        allowedValues: items(text(row, 'allowedValues'), /[,\n]/),
      }))
      .filter((tag) => tag.key !== '' || tag.allowedValues.length > 0);
    const approvals = record(form.approvals);
    const boundary = (text(form, 'permissionsBoundaryArn') ?? '').trim();
    const guardrails: GuardrailsInput = {
      roleNamePrefix: (text(form, 'roleNamePrefix') ?? '').trim(),
      pathPrefix: (text(form, 'pathPrefix') ?? '').trim() || '/',
      requiredTags,
      permissionsBoundaryArn: boundary === '' ? null : boundary,
      forbiddenActions: items(text(form, 'forbiddenActions'), /\r?\n/),
      trustedAccountAllowList: [...new Set(items(text(form, 'trustedAccountAllowList'), /[\s,]+/))],
      maxSessionDurationCeiling: text(form, 'maxSessionDurationCeiling')?.trim() ?? '',
      approvals: {
        default: text(approvals, 'default')?.trim() ?? '',
        privilegeEscalation: text(approvals, 'privilegeEscalation')?.trim() ?? '',
      },
    };
    return { guardrails, expectedVersion: text(form, 'expectedVersion') ?? '' };
  });

/** Fields edited as one text area per list: errors of an item go to the list, naming the item. */
const textLists = ['forbiddenActions', 'trustedAccountAllowList', 'requiredTags.*.allowedValues'];

/** The forbidden actions of unvalidated guardrails that have the form of an action pattern. */
function wellFormedActions(guardrails: unknown): string[] {
  const list = (guardrails as { forbiddenActions?: unknown } | null)?.forbiddenActions;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (item): item is string => typeof item === 'string' && /^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/.test(item.trim()),
  );
}

/** Forbidden actions that name no action of the IAM catalogue (a typo would forbid nothing). */
async function unknownForbiddenActions(patterns: readonly string[]): Promise<string[]> {
  const catalogue = await loadCatalogue();
  const messages: string[] = [];
  for (const raw of patterns) {
    const pattern = raw.trim();
    if (pattern === '*') continue;
    const prefix = pattern.slice(0, pattern.indexOf(':'));
    if (!/[*?]/.test(prefix) && catalogue.getService(prefix) === null) {
      messages.push(`${pattern}: ${prefix} is not an AWS service prefix`);
    } else if (catalogue.expandAction(pattern).length === 0) {
      messages.push(`${pattern}: matches no IAM action; check the spelling`);
    }
  }
  return messages;
}

/**
 * Replaces the guardrails (admins only). Requests already submitted keep the approvals count they
 * got; new submissions and edits are checked against the new rules. Returns `forbidden` for
 * non-admins; `invalid_input` with field errors keyed like the form's inputs (`roleNamePrefix`,
 * `requiredTags.0.key`, `approvals.default`; errors of one line of a list field such as
 * `forbiddenActions` go to the list, naming the line's value), also for a forbidden action that
 * matches no action of the IAM catalogue; and `conflict` when someone else saved in between.
 * Nothing is written unless it returns ok.
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
  // The catalogue check runs on every well-formed line even when other fields are wrong, so that
  // all errors show at once.
  const unknown = await unknownForbiddenActions(wellFormedActions(envelope.data.guardrails));
  if (!parsed.success || unknown.length > 0) {
    const fieldErrors = parsed.success
      ? {}
      : zodFieldErrors(parsed.error, { textLists, input: envelope.data.guardrails });
    if (unknown.length > 0)
      fieldErrors.forbiddenActions = [...(fieldErrors.forbiddenActions ?? []), ...unknown];
    return fail('invalid_input', 'Check the highlighted fields.', fieldErrors);
  }
  const expected = envelope.data.expectedVersion;
  const db = await getDb();
  const values = { config: parsed.data, updatedBy: principal.id };
  const saved =
    expected === 0
      ? await insertGuardrails(db, values)
      : await updateGuardrailsAtVersion(db, { ...values, expectedVersion: expected });
  if (!saved)
    return fail(
      'conflict',
      'Someone else changed the guardrails since you loaded them; reload and apply your change again',
    );
  return ok({
    guardrails: parsed.data,
    version: saved.version,
    updatedBy: principal.id,
    updatedByName: principal.name,
    updatedByEmail: principal.email,
    updatedAt: saved.updatedAt,
  });
}

/**
 * Saves the guardrails form ({@link guardrailsFormSchema}'s input, as the admin's edit page posts
 * it): the same rules and results as {@link updateGuardrails}, with field errors keyed like the
 * form's inputs.
 */
export async function saveGuardrailsForm(
  principal: Principal,
  input: unknown,
): Promise<Result<StoredGuardrails>> {
  const form = guardrailsFormSchema.safeParse(input);
  if (!form.success) return fail('invalid_input', 'The guardrails form is incomplete; reload and try again');
  return updateGuardrails(principal, form.data);
}
