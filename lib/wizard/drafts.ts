import 'server-only';
import { z } from 'zod';
import { getTargetAccount } from '@/lib/accounts/accounts';
import type { Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import {
  countWizardDraftsOfOwner,
  deleteWizardDraftOfOwner,
  getWizardDraftOfOwner,
  insertWizardDraft,
  listWizardDraftsOfOwner,
  updateWizardDraftAtVersion,
  type WizardDraftListItem,
  type WizardDraftRecord,
} from '@/lib/db/queries/wizard-drafts';
import { accountIdSchema } from '@/lib/iam/trust-entity';
import { fail, invalidInput, ok, type Result } from '@/lib/result';
import { isStorableJson, isStorableText, unstorableTextMessage } from '@/lib/iam/storable-text';

/**
 * Wizard drafts: the create-role wizard's work in progress, autosaved as the person goes. A draft
 * belongs to one person (nobody else can read, list or discard it: theirs is `not_found`), is not
 * a request, and claims no role name. Its `state` is the wizard's own, unvalidated (the request
 * is validated at Submit), but bounded: {@link maxDraftStateBytes} of JSON, nested at most
 * {@link maxDraftStateDepth} deep.
 */

export type { WizardDraftListItem, WizardDraftRecord };

/** The wizard's steps, in order: where a draft resumes. */
export const WIZARD_STEPS = ['trust', 'permissions', 'review'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/** The largest state a draft keeps, as UTF-8 JSON (256 KiB). */
export const maxDraftStateBytes = 256 * 1024;
/** How deeply a draft's state may nest (objects and arrays). */
export const maxDraftStateDepth = 32;
/** How many drafts one person may keep. */
export const maxDraftsPerPerson = 50;
const maxTitleLength = 200;

/** Whether `value` nests objects and arrays deeper than `limit` (iterative, so no stack overflow). */
function isNestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return false;
}

const tooLargeMessage = `The wizard's state is larger than ${maxDraftStateBytes / 1024} KiB`;

/**
 * The state as the wizard sends it: a JSON text (a form field) or a value (a direct call), an
 * object at the top; at most {@link maxDraftStateBytes} and {@link maxDraftStateDepth} deep.
 */
const draftStateSchema = z.unknown().transform((input, context) => {
  let value: unknown = input;
  if (typeof input === 'string') {
    if (Buffer.byteLength(input, 'utf8') > maxDraftStateBytes) {
      context.addIssue({ code: 'custom', message: tooLargeMessage });
      return z.NEVER;
    }
    try {
      value = JSON.parse(input);
    } catch {
      context.addIssue({ code: 'custom', message: "The wizard's state is not valid JSON" });
      return z.NEVER;
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    context.addIssue({ code: 'custom', message: "The wizard's state must be a JSON object" });
    return z.NEVER;
  }
  if (isNestedDeeperThan(value, maxDraftStateDepth)) {
    context.addIssue({
      code: 'custom',
      message: `The wizard's state nests deeper than ${maxDraftStateDepth} levels`,
    });
    return z.NEVER;
  }
  if (!isStorableJson(value)) {
    context.addIssue({ code: 'custom', message: `The wizard's state ${unstorableTextMessage}` });
    return z.NEVER;
  }
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    context.addIssue({ code: 'custom', message: "The wizard's state is not valid JSON" });
    return z.NEVER;
  }
  if (Buffer.byteLength(text, 'utf8') > maxDraftStateBytes) {
    context.addIssue({ code: 'custom', message: tooLargeMessage });
    return z.NEVER;
  }
  return JSON.parse(text) as Record<string, unknown>;
});

const draftIdSchema = z.uuid({ error: 'Unknown wizard draft' });

/** An empty form field means "not chosen yet". */
const emptyToUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);

export const saveWizardDraftSchema = z
  .object({
    /** Absent for a new draft; the draft to update otherwise. */
    id: z.preprocess(emptyToUndefined, draftIdSchema.optional()),
    /** The version the wizard loaded (required with `id`): a save applies only to what was loaded. */
    expectedVersion: z.preprocess(
      emptyToUndefined,
      z.coerce.number().int().min(1, 'Unknown draft version').max(2_147_483_647).optional(),
    ),
    accountId: z.preprocess(emptyToUndefined, accountIdSchema.optional()),
    step: z.enum(WIZARD_STEPS, { error: 'Unknown wizard step' }),
    title: z.preprocess(
      (value) => (value === undefined || value === null ? '' : value),
      z
        .string()
        .trim()
        .max(maxTitleLength, `Title must be at most ${maxTitleLength} characters`)
        .refine(isStorableText, `Title ${unstorableTextMessage}`),
    ),
    state: draftStateSchema,
  })
  .refine((input) => input.id === undefined || input.expectedVersion !== undefined, {
    path: ['expectedVersion'],
    message: 'Saving a draft needs the version it was loaded at',
  });
export type SaveWizardDraftInput = z.input<typeof saveWizardDraftSchema>;

export const discardWizardDraftSchema = z.object({ id: draftIdSchema });
export type DiscardWizardDraftInput = z.input<typeof discardWizardDraftSchema>;

/**
 * Creates the person's draft (no `id`) or replaces their draft `id` if it is still at
 * `expectedVersion`. Returns the saved draft with its new version. Fails with `invalid_input`
 * (field errors keyed like the input; an unknown target account under `accountId`), `not_found`
 * (no such draft of theirs, e.g. discarded in another tab), `conflict` (saved meanwhile, e.g. in
 * another tab: reload it; or too many drafts).
 */
export async function saveWizardDraft(
  principal: Principal,
  input: unknown,
): Promise<Result<WizardDraftRecord>> {
  const parsed = saveWizardDraftSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const { id, expectedVersion, accountId, step, title, state } = parsed.data;
  const db = await getDb();
  if (accountId !== undefined && !(await getTargetAccount(accountId, db))) {
    return fail('invalid_input', 'Check the highlighted fields.', {
      accountId: ['Choose one of the portal’s target accounts'],
    });
  }
  const values = { accountId: accountId ?? null, step, title, state };
  if (id === undefined) {
    if ((await countWizardDraftsOfOwner(db, principal.id)) >= maxDraftsPerPerson) {
      return fail(
        'conflict',
        `You have ${maxDraftsPerPerson} saved drafts: discard one before starting another.`,
      );
    }
    return ok(await insertWizardDraft(db, principal.id, values));
  }
  const saved = await updateWizardDraftAtVersion(db, id, principal.id, expectedVersion ?? 0, values);
  if (saved) return ok(saved);
  const current = await getWizardDraftOfOwner(db, id, principal.id);
  if (!current) return fail('not_found', 'This draft no longer exists (it was discarded or submitted).');
  return fail(
    'conflict',
    'This draft was saved elsewhere (another tab?) since you loaded it. Reload it to continue from there.',
  );
}

/** The person's own drafts, most recently saved first, without their state. */
export async function listWizardDrafts(principal: Principal): Promise<WizardDraftListItem[]> {
  return listWizardDraftsOfOwner(await getDb(), principal.id, maxDraftsPerPerson);
}

/** The person's draft `id` with its state; `not_found` for a malformed id or another person's draft. */
export async function getWizardDraft(principal: Principal, id: unknown): Promise<Result<WizardDraftRecord>> {
  const parsed = draftIdSchema.safeParse(id);
  const draft = parsed.success ? await getWizardDraftOfOwner(await getDb(), parsed.data, principal.id) : null;
  return draft ? ok(draft) : fail('not_found', 'No such draft.');
}

/** Discards the person's draft `{ id }`; `not_found` when it is not theirs or already gone. */
export async function discardWizardDraft(
  principal: Principal,
  input: unknown,
): Promise<Result<{ id: string }>> {
  const parsed = discardWizardDraftSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const deleted = await deleteWizardDraftOfOwner(await getDb(), parsed.data.id, principal.id);
  return deleted ? ok({ id: parsed.data.id }) : fail('not_found', 'No such draft.');
}
