'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { discardWizardDraftAction } from '@/app/(portal)/roles/new/actions';
import { Button, TextLink } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { PermissionsStep } from '@/components/wizard/permissions-step';
import { PreviewColumn } from '@/components/wizard/preview-column';
import { ReviewStep } from '@/components/wizard/review-step';
import { StepList } from '@/components/wizard/step-list';
import type { AccountOption, StepProps } from '@/components/wizard/step-props';
import { TrustStep } from '@/components/wizard/trust-step';
import { clockTime, useAutosave, type Autosave, type SavedDraft } from '@/components/wizard/use-autosave';
import { usePreview } from '@/components/wizard/use-preview';
import {
  WIZARD_STEP_INFO,
  draftTitle,
  errorsOfStep,
  findFieldElement,
  mergeErrors,
  stepIndex,
  summaryEntries,
  visibleErrors,
  type SummaryEntry,
} from '@/components/wizard/wizard-steps';
import type { ServicePreset } from '@/lib/iam/service-presets';
import type { WizardFieldErrors, WizardStepId } from '@/lib/wizard/preview-types';
import { stepOfField, type WizardState } from '@/lib/wizard/state';

export interface WizardProps {
  accounts: readonly AccountOption[];
  servicePresets: readonly ServicePreset[];
  initialState: WizardState;
  initialStep: WizardStepId;
  /** The draft being resumed, if any. */
  draft: SavedDraft | null;
  /** How the wizard started, said above it ("Started from the template …"). */
  origin?: ReactNode;
}

const CONTROL_SELECTOR =
  'input:not([type=hidden]), select, textarea, button, [tabindex]:not([tabindex="-1"]), [contenteditable=true]';

/** Focuses a field's control (or the first control inside a fieldset or card holding it). */
/** False for an element in a hidden tab panel or otherwise not rendered. */
function isShown(element: HTMLElement): boolean {
  return element.checkVisibility();
}

function focusControl(element: HTMLElement): void {
  const target = element.matches(CONTROL_SELECTOR)
    ? element
    : element.querySelector<HTMLElement>(CONTROL_SELECTOR);
  (target ?? element).focus();
  element.scrollIntoView({ block: 'center' });
}

/** The list of a step's errors at its top, each linking to its field (GOV.UK and Cloudscape's error summary). */
function ErrorSummary({
  entries,
  summaryRef,
  onSelect,
}: {
  entries: readonly SummaryEntry[];
  summaryRef: React.RefObject<HTMLDivElement | null>;
  onSelect: (entry: SummaryEntry) => void;
}) {
  return (
    <div
      ref={summaryRef}
      tabIndex={-1}
      aria-labelledby="wizard-error-summary-title"
      className="focus-ring rounded-lg border-2 border-red-700 bg-white px-4 py-3"
    >
      <h3 id="wizard-error-summary-title" className="text-base font-semibold text-red-800">
        There is a problem
      </h3>
      <ul className="mt-2 flex list-disc flex-col gap-1 pl-5 text-sm">
        {entries.map((entry, index) => (
          <li key={`${entry.field ?? '_form'}-${index}`} className="text-red-800">
            {entry.field ? (
              <a
                href={`#${entry.field}`}
                className="focus-ring rounded-sm font-medium text-red-800 underline underline-offset-2"
                onClick={(event) => {
                  event.preventDefault();
                  onSelect(entry);
                }}
              >
                {entry.message}
              </a>
            ) : (
              entry.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function AutosaveNoticeCallout({ autosave, draftId }: { autosave: Autosave; draftId: string | null }) {
  const { notice } = autosave;
  if (!notice) return null;
  if (notice.kind === 'conflict') {
    return (
      <Callout tone="warning" role="alert" title="This draft was changed in another tab">
        <p>
          Since you opened it here, this draft was saved elsewhere. Nothing more is saved from this tab until
          you choose.
        </p>
        <div className="mt-2 flex flex-wrap gap-3">
          <Button variant="secondary" size="sm" onClick={() => void autosave.reloadLatest()}>
            Reload the latest
          </Button>
          <Button variant="secondary" size="sm" onClick={autosave.keepMine}>
            Keep mine (save as a new draft)
          </Button>
        </div>
      </Callout>
    );
  }
  if (notice.kind === 'signed_out') {
    const back = draftId ? `/roles/new?draft=${draftId}` : '/roles/new';
    return (
      <Callout tone="warning" role="alert" title="Signed out">
        <p>
          Sign in again;{' '}
          {autosave.savedAt
            ? `your work is saved up to ${clockTime(autosave.savedAt)}.`
            : 'your work could not be saved yet: keep this tab open.'}
        </p>
        <p className="mt-1 flex flex-wrap items-center gap-3">
          <TextLink href={`/signin?${new URLSearchParams({ callbackUrl: back }).toString()}`} target="_blank">
            Sign in again (opens a new tab)
          </TextLink>
          <Button variant="secondary" size="sm" onClick={autosave.retry}>
            Save again
          </Button>
        </p>
      </Callout>
    );
  }
  return (
    <Callout tone="error" role="alert" title="Your work is not being saved">
      <p>{notice.message}</p>
      <p className="mt-1">
        <Button variant="secondary" size="sm" onClick={autosave.retry}>
          Try again
        </Button>
      </p>
    </Callout>
  );
}

/**
 * The create-role wizard's shell: the step list, the current step, the preview column; Back and
 * Next (Next refuses while the step has errors: a summary at the top of the step links to each
 * field, and every field of the step shows its errors); focus on the step's heading at each step
 * change; autosave as a wizard draft; Cancel asks before discarding.
 */
export function Wizard({ accounts, servicePresets, initialState, initialStep, draft, origin }: WizardProps) {
  const router = useRouter();
  const [state, setState] = useState(initialState);
  const [step, setStep] = useState<WizardStepId>(initialStep);
  const [reached, setReached] = useState(stepIndex(initialStep));
  // Each field the person left, with the revision of the state at that moment.
  const [touched, setTouched] = useState<ReadonlyMap<string, number>>(() => new Map());
  // Revisions of the states the person made (the initial state is 0): which is newer than which.
  const [revisions] = useState(() => new WeakMap<WizardState, number>());
  const latestState = useRef(state);
  useEffect(() => {
    latestState.current = state;
  }, [state]);
  const [revealed, setRevealed] = useState<ReadonlySet<WizardStepId>>(() => new Set());
  const [serverErrors, setServerErrors] = useState<WizardFieldErrors>({});
  const [summaryShown, setSummaryShown] = useState<WizardStepId | null>(null);
  const [checking, setChecking] = useState(false);
  // The field a summary link on another step named: focused once that step is shown.
  const pendingFocus = useRef<SummaryEntry | null>(null);
  const [jumpTo, setJumpTo] = useState<StepProps['jumpTo']>(null);
  const [revealField, setRevealField] = useState<StepProps['revealField']>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const cancelDialog = useRef<HTMLDialogElement>(null);
  const [leaving, setLeaving] = useState(false);

  const { preview, answeredFor, loading, error: previewError, flush } = usePreview(state);
  const alias = accounts.find((account) => account.id === state.accountId)?.alias;
  const autosave = useAutosave({
    state,
    step,
    accountIds: useMemo(() => accounts.map((account) => account.id), [accounts]),
    title: draftTitle(state, alias),
    initial: draft,
  });

  const allErrors = useMemo(
    () => mergeErrors(preview?.fieldErrors ?? {}, serverErrors),
    [preview, serverErrors],
  );
  const answered = answeredFor ? (revisions.get(answeredFor) ?? 0) : -1;
  const shown = useMemo(
    () => visibleErrors(allErrors, touched, revealed, answered),
    [allErrors, touched, revealed, answered],
  );
  const errorCounts = useMemo(
    () =>
      Object.fromEntries(
        WIZARD_STEP_INFO.map((info) => [info.id, Object.keys(errorsOfStep(shown, info.id)).length]),
      ) as Record<WizardStepId, number>,
    [shown],
  );

  const update = useCallback(
    (change: (current: WizardState) => WizardState) => {
      setState((current) => {
        const next = change(current);
        if (next !== current) revisions.set(next, (revisions.get(current) ?? 0) + 1);
        return next;
      });
      setServerErrors((current) => (Object.keys(current).length === 0 ? current : {}));
    },
    [revisions],
  );
  const touch = useCallback(
    (field: string) => {
      const revision = revisions.get(latestState.current) ?? 0;
      setTouched((current) =>
        current.get(field) === revision ? current : new Map(current).set(field, revision),
      );
    },
    [revisions],
  );

  const goTo = useCallback((next: WizardStepId) => {
    setStep(next);
    setReached((value) => Math.max(value, stepIndex(next)));
    setSummaryShown(null);
  }, []);

  // Each step change: focus on the step's heading (or on the field a summary link named).
  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    const entry = pendingFocus.current;
    pendingFocus.current = null;
    const element = entry?.field ? findFieldElement(entry.field, entry.message) : null;
    if (element) {
      focusControl(element);
      return;
    }
    headingRef.current?.focus();
    window.scrollTo({ top: 0 });
  }, [step]);

  const selectSummaryEntry = (entry: SummaryEntry) => {
    if (!entry.field) return;
    if (entry.step && entry.step !== step) {
      pendingFocus.current = entry;
      goTo(entry.step);
      return;
    }
    const element = findFieldElement(entry.field, entry.message);
    if (element && isShown(element)) {
      focusControl(element);
      return;
    }
    // In a closed tab: the step opens it, then the effect below focuses the field.
    pendingFocus.current = entry;
    setRevealField((current) => ({ field: entry.field ?? '', nonce: (current?.nonce ?? 0) + 1 }));
  };
  useEffect(() => {
    if (!revealField) return;
    const entry = pendingFocus.current;
    pendingFocus.current = null;
    const element = entry?.field ? findFieldElement(entry.field, entry.message) : null;
    if (element) focusControl(element);
  }, [revealField]);

  /** Shows the summary of `steps` errors; focus moves to it once it is rendered. */
  const [refusals, setRefusals] = useState(0);
  const refuse = (steps: readonly WizardStepId[]) => {
    setRevealed((current) => new Set([...current, ...steps]));
    setSummaryShown(step);
    setRefusals((count) => count + 1);
  };
  useEffect(() => {
    if (refusals === 0) return;
    // The step's heading stays in view above the summary.
    headingRef.current?.parentElement?.scrollIntoView({ block: 'start' });
    summaryRef.current?.focus({ preventScroll: true });
  }, [refusals]);

  const next = async () => {
    setChecking(true);
    const fresh = await flush();
    setChecking(false);
    const errors = errorsOfStep(fresh?.fieldErrors ?? preview?.fieldErrors ?? {}, step);
    if (Object.keys(errors).length > 0) {
      refuse([step]);
      return;
    }
    const following = WIZARD_STEP_INFO[stepIndex(step) + 1];
    if (following) goTo(following.id);
  };

  /** Before Submit: every step's errors must be gone (the server checks again). */
  const checkBeforeSubmit = async (): Promise<boolean> => {
    setChecking(true);
    const fresh = await flush();
    setChecking(false);
    const errors = fresh?.fieldErrors ?? preview?.fieldErrors ?? {};
    if (Object.values(errors).some((messages) => messages.length > 0)) {
      refuse(WIZARD_STEP_INFO.map((info) => info.id));
      return false;
    }
    return true;
  };

  const onSubmitErrors = (errors: WizardFieldErrors) => {
    setServerErrors(errors);
    refuse(WIZARD_STEP_INFO.map((info) => info.id));
  };

  const onJump = (documentKey: string, line: number, column: number) => {
    const field = preview?.documents.find((document) => document.key === documentKey)?.field;
    // Only the person's own documents have a place to jump to (not the guardrails or a managed policy).
    if (!field) return;
    goTo(stepOfField(field));
    setJumpTo((current) => ({ documentKey, line, column, nonce: (current?.nonce ?? 0) + 1 }));
  };

  const discardAndLeave = async () => {
    setLeaving(true);
    const id = await autosave.stop();
    if (id) {
      const form = new FormData();
      form.set('id', id);
      await discardWizardDraftAction(null, form);
    }
    router.push('/roles');
  };

  const stepProps: StepProps = {
    state,
    update,
    preview,
    errors: shown,
    touch,
    accounts,
    servicePresets,
    goTo,
    jumpTo,
    revealField,
  };
  const index = stepIndex(step);
  const info = WIZARD_STEP_INFO[index] ?? { id: step, title: step };
  // The summary lists what is shown: this step's errors, or on the last step every step's.
  const summary =
    summaryShown === step
      ? summaryEntries(
          step === 'review'
            ? shown
            : Object.fromEntries(
                Object.entries(shown).filter(([field]) => field === '_form' || stepOfField(field) === step),
              ),
        )
      : [];
  const justificationErrors = Object.fromEntries(
    Object.entries(shown).filter(([field]) => field.startsWith('flagJustifications.')),
  );

  const cancelButton = (
    <Button
      variant="ghost"
      aria-haspopup="dialog"
      onClick={() => {
        if (autosave.draftId || autosave.dirty) cancelDialog.current?.showModal();
        else router.push('/roles');
      }}
    >
      Cancel
    </Button>
  );
  const backButton =
    index > 0 ? (
      <Button variant="secondary" onClick={() => goTo(WIZARD_STEP_INFO[index - 1]?.id ?? 'trust')}>
        Back
      </Button>
    ) : null;
  // Not `disabled` while checking: a disabled button would drop the keyboard focus.
  const nextButton = (
    <Button
      onClick={() => {
        if (!checking) void next();
      }}
      aria-disabled={checking || undefined}
      aria-describedby="wizard-next-status"
      className="aria-disabled:cursor-wait aria-disabled:opacity-75"
    >
      {checking ? 'Checking…' : 'Next'}
    </Button>
  );

  return (
    // Three columns want more room than the portal's usual width on wide screens.
    <div className="flex flex-col gap-4 2xl:relative 2xl:left-1/2 2xl:w-[calc(100vw-4rem)] 2xl:max-w-[100rem] 2xl:-translate-x-1/2">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Create role</h1>
          {origin ? <p className="mt-1 text-sm text-slate-700">{origin}</p> : null}
        </div>
        <p aria-live="polite" className="text-sm text-slate-700">
          {autosave.savedAt
            ? `Saved · ${clockTime(autosave.savedAt)}`
            : autosave.dirty
              ? 'Not saved yet'
              : ''}
          {autosave.offline ? ' · could not reach the server, trying again' : ''}
        </p>
      </div>
      <AutosaveNoticeCallout autosave={autosave} draftId={autosave.draftId} />

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[10rem_minmax(0,1fr)_20rem] 2xl:grid-cols-[13rem_minmax(0,1fr)_30rem]">
        <div className="flex flex-col gap-4">
          <StepList current={step} reached={reached} errorCounts={errorCounts} onSelect={goTo} />
          <TextLink
            href="/roles/new"
            className="mx-3 self-start text-sm"
            onClick={(event) => {
              // Saved first, so that this work is in the list too.
              event.preventDefault();
              void autosave.saveNow().then(() => router.push('/roles/new'));
            }}
          >
            Your drafts
          </TextLink>
        </div>

        <section aria-labelledby="wizard-step-heading" className="flex min-w-0 flex-col gap-5">
          <div>
            <p className="text-sm font-medium text-slate-600">
              Step {index + 1} of {WIZARD_STEP_INFO.length}
            </p>
            <h2
              id="wizard-step-heading"
              ref={headingRef}
              tabIndex={-1}
              className="focus-ring rounded-sm text-xl font-semibold text-slate-900"
            >
              {info.title}
            </h2>
          </div>
          {summary.length > 0 ? (
            <ErrorSummary entries={summary} summaryRef={summaryRef} onSelect={selectSummaryEntry} />
          ) : null}

          {step === 'trust' ? <TrustStep {...stepProps} /> : null}
          {step === 'permissions' ? <PermissionsStep {...stepProps} /> : null}
          {step === 'review' ? (
            <ReviewStep
              {...stepProps}
              checkBeforeSubmit={checkBeforeSubmit}
              onSubmitErrors={onSubmitErrors}
              pauseAutosave={autosave.stop}
              resumeAutosave={autosave.resume}
              cancelButton={cancelButton}
              backButton={backButton}
            />
          ) : null}

          {step !== 'review' ? (
            <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-4">
              {cancelButton}
              <div className="flex flex-wrap gap-3">
                {backButton}
                {nextButton}
              </div>
            </div>
          ) : null}
          <p id="wizard-next-status" className="sr-only" aria-live="polite">
            {checking ? 'Checking this step' : ''}
          </p>
        </section>

        <div className="min-w-0 lg:sticky lg:top-4 lg:max-h-[calc(100vh-2rem)] lg:self-start lg:overflow-y-auto">
          <PreviewColumn
            step={step}
            preview={preview}
            loading={loading}
            error={previewError}
            justifications={state.flagJustifications}
            onJustify={(key, text) =>
              update((current) => ({
                ...current,
                flagJustifications: { ...current.flagJustifications, [key]: text },
              }))
            }
            onJump={onJump}
            onTouch={touch}
            justificationErrors={justificationErrors}
          />
        </div>
      </div>

      <dialog
        ref={cancelDialog}
        aria-labelledby="wizard-cancel-title"
        aria-describedby="wizard-cancel-description"
        className="m-auto w-full max-w-md rounded-lg border border-slate-200 bg-white p-6 text-left shadow-xl backdrop:bg-slate-900/40"
      >
        <h2 id="wizard-cancel-title" className="text-lg font-semibold text-slate-900">
          Leave this request?
        </h2>
        <p id="wizard-cancel-description" className="mt-2 text-sm text-slate-700">
          You can keep it as a draft to finish later, or discard what you have entered.
        </p>
        <div className="mt-6 flex flex-wrap justify-end gap-3">
          <Button variant="secondary" onClick={() => cancelDialog.current?.close()}>
            Stay
          </Button>
          <Button
            variant="secondary"
            disabled={leaving}
            onClick={() => {
              setLeaving(true);
              void autosave.saveNow().then(() => router.push('/roles/new'));
            }}
          >
            Keep as draft
          </Button>
          <Button variant="danger" disabled={leaving} onClick={() => void discardAndLeave()}>
            Discard
          </Button>
        </div>
      </dialog>
    </div>
  );
}
