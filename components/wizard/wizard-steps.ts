/**
 * The wizard's steps and the rules the shell applies to field errors: which errors show now
 * (touched fields, or every field of a step once Next or Submit was pressed), which belong to a
 * step, what the error summary lists, and where each field's control is in the page.
 * Client-safe: plain functions over the contract types.
 */
import type { WizardFieldErrors, WizardStepId } from '@/lib/wizard/preview-types';
import { stepOfField, type EntityCard, type WizardState } from '@/lib/wizard/state';

export interface WizardStepInfo {
  id: WizardStepId;
  /** The console's name of the step. */
  title: string;
}

/** The three steps, as the IAM console names them. */
export const WIZARD_STEP_INFO: readonly WizardStepInfo[] = [
  { id: 'trust', title: 'Select trusted entity' },
  { id: 'permissions', title: 'Add permissions' },
  { id: 'review', title: 'Name, review, and create' },
];

export function stepIndex(step: WizardStepId): number {
  return WIZARD_STEP_INFO.findIndex((info) => info.id === step);
}

export function stepTitle(step: WizardStepId): string {
  return WIZARD_STEP_INFO[stepIndex(step)]?.title ?? step;
}

/** A stored draft's step (any text) as a step id; the first step when unknown. */
export function toStepId(step: string | undefined | null): WizardStepId {
  return WIZARD_STEP_INFO.find((info) => info.id === step)?.id ?? 'trust';
}

/** Whether `field` is `touchedField` or lies under it (`tags` covers `tags.0.key`). */
function isUnder(field: string, touchedField: string): boolean {
  return field === touchedField || field.startsWith(`${touchedField}.`);
}

/**
 * The errors to show now: those of fields the person touched, once the errors come from a preview
 * of the state as it was when they left the field or later (`touched` maps each field to that
 * state's revision, `answered` is the revision the errors answer: so a field does not flash the
 * error of what it held before), and every error of a step in `revealed` (Next or Submit was
 * pressed there). `_form` shows once any step is revealed.
 */
export function visibleErrors(
  errors: WizardFieldErrors,
  touched: ReadonlyMap<string, number>,
  revealed: ReadonlySet<WizardStepId>,
  answered = Number.POSITIVE_INFINITY,
): WizardFieldErrors {
  const shown: WizardFieldErrors = {};
  for (const [field, messages] of Object.entries(errors)) {
    if (messages.length === 0) continue;
    const show =
      field === '_form'
        ? revealed.size > 0
        : revealed.has(stepOfField(field)) ||
          [...touched].some(([name, revision]) => isUnder(field, name) && answered >= revision);
    if (show) shown[field] = messages;
  }
  return shown;
}

/** The errors of one step (`_form` belongs to none). */
export function errorsOfStep(errors: WizardFieldErrors, step: WizardStepId): WizardFieldErrors {
  return Object.fromEntries(
    Object.entries(errors).filter(
      ([field, messages]) => field !== '_form' && messages.length > 0 && stepOfField(field) === step,
    ),
  );
}

/** Two error maps as one (messages of a field in both are joined, without repeats). */
export function mergeErrors(first: WizardFieldErrors, second: WizardFieldErrors): WizardFieldErrors {
  const merged: WizardFieldErrors = { ...first };
  for (const [field, messages] of Object.entries(second))
    merged[field] = [...new Set([...(merged[field] ?? []), ...messages])];
  return merged;
}

export interface SummaryEntry {
  /** The field (state path), or null for an error about the whole request. */
  field: string | null;
  step: WizardStepId | null;
  message: string;
}

/**
 * The error summary's lines: one per message, whole-request errors first, then the fields in step
 * order (the order the preview listed them within a step).
 */
export function summaryEntries(errors: WizardFieldErrors): SummaryEntry[] {
  const entries: SummaryEntry[] = (errors._form ?? []).map((message) => ({
    field: null,
    step: null,
    message,
  }));
  for (const info of WIZARD_STEP_INFO) {
    for (const [field, messages] of Object.entries(errorsOfStep(errors, info.id)))
      for (const message of messages) entries.push({ field, step: info.id, message });
  }
  return entries;
}

/**
 * The id of the control of a field on the shell's own step (`name` → `wizard-name`,
 * `tags.2.key` → `wizard-tags-2-key`). Steps may use this id, the state path itself as id, or
 * `data-field="<state path>"` on the control: {@link findFieldElement} tries all three.
 */
export function fieldDomId(field: string): string {
  return `wizard-${field.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/**
 * The control of a field in the page, as {@link fieldDomId} describes; else the control described
 * by an error list (`<id>-error`, as the kit's fields render them) showing `message`; else the
 * nearest parent field's.
 */
export function findFieldElement(
  field: string,
  message?: string,
  root: ParentNode = document,
): HTMLElement | null {
  if (message) {
    const direct = document.getElementById(fieldDomId(field)) ?? document.getElementById(field);
    if (direct) return direct;
    for (const list of root.querySelectorAll<HTMLElement>('[id$="-error"]')) {
      if (!list.textContent?.includes(message)) continue;
      const control = root.querySelector<HTMLElement>(`[aria-describedby~="${CSS.escape(list.id)}"]`);
      if (control) return control;
    }
  }
  const parts = field.split('.');
  for (let length = parts.length; length > 0; length -= 1) {
    const key = parts.slice(0, length).join('.');
    const found =
      document.getElementById(fieldDomId(key)) ??
      document.getElementById(key) ??
      root.querySelector<HTMLElement>(`[data-field="${CSS.escape(key)}"]`) ??
      root.querySelector<HTMLElement>(`[name="${CSS.escape(key)}"]`);
    if (found) return found;
  }
  return null;
}

const ENTITY_LABELS: Record<EntityCard, string> = {
  aws_account: 'AWS account',
  aws_service: 'AWS service',
  web_identity: 'Web identity',
  saml: 'SAML 2.0 federation',
  custom: 'Custom trust policy',
};

/** The console's name of a trusted entity type. */
export function entityLabel(entity: EntityCard): string {
  return ENTITY_LABELS[entity];
}

/** A draft's title in the drafts list: the role name when typed, else its trusted entity type and account. */
export function draftTitle(state: WizardState, accountAlias: string | undefined): string {
  const name = state.name.trim();
  if (name) return name.slice(0, 200);
  return `${entityLabel(state.entity)} role${accountAlias ? ` in ${accountAlias}` : ''} (no name yet)`;
}
