import 'server-only';
import { z } from 'zod';
import type { Principal } from '@/lib/auth/principal';
import { MAX_MANAGED_POLICIES_PER_ROLE } from '@/lib/iam/role-spec';
import type { SubmissionReadOptions } from '@/lib/requests/account-policies';
import { createAndSubmitRequest } from '@/lib/requests/requests';
import { splitRoleUsers } from '@/lib/requests/schemas';
import { fail, formErrorKey, invalidInput, ok, type Result } from '@/lib/result';
import { checkRoleNameAvailability } from '@/lib/wizard/account-reads';
import { discardWizardDraft, maxDraftStateBytes } from '@/lib/wizard/drafts';
import type { WizardFieldErrors } from '@/lib/wizard/preview-types';
import {
  requestFieldErrors,
  specFromWizardState,
  splitFlagKey,
  type WizardSpec,
} from '@/lib/wizard/spec-from-state';
import { flagKey } from '@/lib/wizard/state';

/**
 * The wizard's **Submit request**: the state becomes a RoleSpec (`specFromWizardState`) and a
 * request created and submitted in one step (`createAndSubmitRequest`), with the justification,
 * the per-flag justifications, the role's users and the rejected request it starts again from.
 * Every refusal comes back keyed by the wizard's own fields; nothing is saved on a refusal.
 */

export const submitWizardSchema = z.object({
  /** The wizard's state as JSON text (a form field). */
  state: z
    .string({ error: "The wizard's state is missing" })
    .max(maxDraftStateBytes, `The wizard's state is larger than ${maxDraftStateBytes / 1024} KiB`),
  /** The wizard draft to discard once the request exists. */
  draftId: z.preprocess(
    (value) => (value === '' || value === null ? undefined : value),
    z.uuid({ error: 'Unknown wizard draft' }).optional(),
  ),
});
export type SubmitWizardInput = z.input<typeof submitWizardSchema>;

/** Flag keys of the wizard (`code@trust`, `code@policy:<id>#/Statement/0`) as the request keeps them. */
function toRequestKeys(wizard: WizardSpec): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const [key, text] of Object.entries(wizard.state.flagJustifications)) {
    const parts = splitFlagKey(key);
    const field = parts ? wizard.specFieldOfDocument(parts.field) : null;
    if (parts && field && text.trim()) keys[flagKey(parts.code, field, parts.pointer)] = text;
  }
  return keys;
}

/** A refusal of `lib/requests`, keyed by the wizard's fields. */
function toStateErrors(wizard: WizardSpec, errors: Record<string, string[]>): WizardFieldErrors {
  const mapped: WizardFieldErrors = {};
  const add = (key: string, messages: readonly string[]) => (mapped[key] ??= []).push(...messages);
  for (const [key, messages] of Object.entries(errors)) {
    const head = key.split('.')[0] ?? '';
    if (head === 'flagJustifications') {
      const parts = splitFlagKey(key.slice('flagJustifications.'.length));
      const document = parts ? wizard.documentKeyOf(parts.field) : null;
      add(
        parts && document
          ? `flagJustifications.${flagKey(parts.code, document, parts.pointer)}`
          : 'flagJustifications',
        messages,
      );
    } else if (head === 'roleUsers') {
      const index = Number(key.split('.')[1]);
      const typed = splitRoleUsers(wizard.state.roleUsers)[index];
      add('roleUsers', typed ? messages.map((message) => `${typed}: ${message}`) : messages);
    } else if (head === 'justification' || head === 'fromRequestId' || head === formErrorKey) {
      add(head, messages);
    } else if (head === 'form' || head === 'spec') {
      add(formErrorKey, messages);
    } else {
      add(wizard.stateFieldOf(key), messages);
    }
  }
  return mapped;
}

/**
 * Submits the wizard `{ state, draftId? }` as a new create request of `principal` (a change
 * request of the role named by `state.changeOf`, when set: `not_found` for a role they may not see). Returns the new
 * request's id, or `invalid_input` with errors keyed by the wizard's fields (`awsAccount.accountId`,
 * `customPolicies.<id>.document`, `flagJustifications.<flag key>`, …), `conflict` when the role
 * name is already taken by an open request (also under `name`). On success the draft, if given,
 * is discarded.
 */
export async function submitWizard(
  principal: Principal,
  input: unknown,
  options: SubmissionReadOptions = {},
): Promise<Result<{ requestId: string }>> {
  const parsed = submitWizardSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  let state: unknown;
  try {
    state = JSON.parse(parsed.data.state);
  } catch {
    return fail('invalid_input', 'Check the highlighted fields.', {
      [formErrorKey]: ["The wizard's state is not valid JSON"],
    });
  }
  // Up to IAM's largest quota here: the submission counts against the account's own quota (the
  // one the preview shows), read by `createAndSubmitRequest`.
  const wizard = specFromWizardState(state, { managedPoliciesPerRole: MAX_MANAGED_POLICIES_PER_ROLE });
  const own = requestFieldErrors(wizard.state);
  if (!wizard.spec || Object.keys(own).length > 0) {
    const errors: WizardFieldErrors = { ...wizard.fieldErrors };
    for (const [key, messages] of Object.entries(own)) (errors[key] ??= []).push(...messages);
    return fail('invalid_input', 'Check the highlighted fields.', errors);
  }
  // IAM role names are unique whatever their capitalisation: a role of the account that has the
  // name (the check the step shows as the name is typed) refuses it here too. Open requests are
  // checked by createAndSubmitRequest; an account that cannot be read leaves it to provisioning.
  // A change keeps the role's name whatever the state says (lib/requests finds the role by it).
  const changeOf = wizard.state.changeOf;
  if (changeOf === undefined) {
    const availability = await checkRoleNameAvailability(
      wizard.spec.accountId,
      { name: wizard.spec.name },
      options.accountIam,
    );
    if (availability.ok && availability.value.takenBy === 'role') {
      return fail('conflict', availability.value.message, { name: [availability.value.message] });
    }
  }
  const result = await createAndSubmitRequest(
    principal,
    {
      kind: changeOf === undefined ? 'create' : 'change',
      spec: changeOf === undefined ? wizard.spec : { ...wizard.spec, name: changeOf },
      justification: wizard.state.justification,
      flagJustifications: toRequestKeys(wizard),
      roleUsers: wizard.state.roleUsers,
      ...(wizard.state.fromRequestId ? { fromRequestId: wizard.state.fromRequestId } : {}),
    },
    options,
  );
  if (!result.ok) {
    const errors = toStateErrors(wizard, result.fieldErrors ?? {});
    if (result.code === 'conflict' || result.code === 'not_found') errors.name = [result.message];
    return fail(result.code, result.message, errors);
  }
  if (parsed.data.draftId !== undefined) {
    // Already discarded (another tab) is fine: the request exists either way.
    await discardWizardDraft(principal, { id: parsed.data.draftId });
  }
  return ok({ requestId: result.value.id });
}
