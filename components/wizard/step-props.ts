/**
 * The contract between the wizard's shell (`wizard.tsx`) and its steps. The shell owns the
 * state, the preview (fetched from `POST /api/wizard/preview`, debounced), autosave and
 * navigation; a step renders fields and calls `update`.
 */
import type { Finding } from '@/lib/iam/findings';
import type { ServicePreset } from '@/lib/iam/service-presets';
import type { WizardFieldErrors, WizardPreview, WizardStepId } from '@/lib/wizard/preview-types';
import type { WizardState } from '@/lib/wizard/state';

/** A target account as the wizard offers it (no secrets: id, alias, partition). */
export interface AccountOption {
  id: string;
  alias: string;
}

export interface StepProps {
  state: WizardState;
  /** Applies a change to the state (immutable: return a new object). */
  update: (change: (state: WizardState) => WizardState) => void;
  /** The latest server preview for the state (null until the first answer). */
  preview: WizardPreview | null;
  /**
   * Field errors to show now (the shell filters the preview's errors: fields the person has
   * touched, or every field of the step after Next was pressed).
   */
  errors: WizardFieldErrors;
  /** Marks a field (keyed like `WizardFieldErrors`) as touched, typically on blur. */
  touch: (field: string) => void;
  /** The portal's target accounts. */
  accounts: readonly AccountOption[];
  /** The console's AWS service use cases (step 1). */
  servicePresets: readonly ServicePreset[];
  goTo: (step: WizardStepId) => void;
  /**
   * Optional: a finding to show, set by the shell when the findings panel's location is pressed
   * (`onJump`). The step opens the document's editor (`documentKey` as in `PreviewDocument.key`,
   * e.g. `policy:<id>`, `custom` for step 1's trust policy) at the 1-based line and column; a new
   * `nonce` jumps again to the same spot.
   */
  jumpTo?: { documentKey: string; line: number; column: number; nonce: number } | null;
  /**
   * Optional: a field the error summary points at that the step does not show right now (e.g. in
   * a closed tab). The step opens what holds it; the shell then focuses it. A new `nonce` asks again.
   */
  revealField?: { field: string; nonce: number } | null;
}

/** Props of the JSON editor (CodeMirror, loaded lazily) used by step 1's custom trust policy and step 2's custom policies. */
export interface JsonEditorProps {
  /** id of the editable element, for a `<label htmlFor>`. */
  id: string;
  /** Accessible name when no visible label points at `id`. */
  ariaLabel?: string;
  /** ids of hint and error texts. */
  describedBy?: string;
  invalid?: boolean;
  value: string;
  onChange: (text: string) => void;
  /** What the document is: it is validated as the person types (`POST /api/iam/validate`, debounced). */
  kind: 'identity' | 'trust' | 'boundary';
  /** The target account (own-account and third-party checks). */
  accountId: string;
  identityPolicyType?: 'inline' | 'managed';
  /** Size of the role's other inline policies (towards IAM's 10,240-character aggregate quota); 0 if absent. */
  otherInlinePoliciesSize?: number;
  /** Called with the findings of each validation (for counts beside the editor). */
  onFindings?: (findings: Finding[]) => void;
  /** Moves the cursor to a 1-based line and column and focuses the editor (from the findings panel). */
  jumpTo?: { line: number; column: number; nonce: number } | null;
  minLines?: number;
}
