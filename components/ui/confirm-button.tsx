'use client';

import { useId, useRef, type ReactNode } from 'react';
import { Button, type ButtonSize, type ButtonVariant } from '@/components/ui/button';

/**
 * A button that asks first, in a native modal `<dialog>` (focus moves into it, Escape closes
 * it, the page behind is inert). Place it inside the `<form>` it submits: the dialog's confirm
 * button is that form's submit button, so the form's action runs only after confirmation. With
 * `onConfirm` (no form), the confirm button is a plain button that calls it.
 */
export function ConfirmButton({
  children,
  title,
  description,
  confirmLabel,
  confirmAccessibleLabel,
  cancelLabel = 'Cancel',
  accessibleLabel,
  variant = 'danger-secondary',
  size = 'sm',
  pending = false,
  describedById,
  onConfirm,
}: {
  /** The trigger's visible words, e.g. "Remove". */
  children: ReactNode;
  /** The dialog's heading, e.g. "Remove acme-staging?". */
  title: ReactNode;
  description?: ReactNode;
  /** The confirm button's words, e.g. "Remove account". */
  confirmLabel: ReactNode;
  confirmAccessibleLabel?: string;
  cancelLabel?: string;
  /** The trigger's accessible name when its words are not enough, e.g. "Remove acme-staging". */
  accessibleLabel?: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** The form is submitting: the confirm button is disabled. */
  pending?: boolean;
  /** An element describing the trigger (e.g. the last error). */
  describedById?: string;
  /** Called on confirmation instead of submitting a form. */
  onConfirm?: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  return (
    <>
      <Button
        variant={variant}
        size={size}
        aria-label={accessibleLabel}
        aria-describedby={describedById}
        aria-haspopup="dialog"
        onClick={() => dialog.current?.showModal()}
      >
        {children}
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        aria-describedby={description ? descriptionId : undefined}
        className="m-auto w-full max-w-md rounded-lg border border-slate-200 bg-white p-6 text-left shadow-xl backdrop:bg-slate-900/40"
      >
        <h2 id={titleId} className="text-lg font-semibold text-slate-900">
          {title}
        </h2>
        {description ? (
          <div id={descriptionId} className="mt-2 text-sm text-slate-700">
            {description}
          </div>
        ) : null}
        <div className="mt-6 flex flex-wrap justify-end gap-3">
          <Button variant="secondary" onClick={() => dialog.current?.close()}>
            {cancelLabel}
          </Button>
          <Button
            type={onConfirm ? 'button' : 'submit'}
            variant="danger"
            disabled={pending}
            aria-label={confirmAccessibleLabel}
            onClick={() => {
              if (onConfirm) {
                dialog.current?.close();
                onConfirm();
                return;
              }
              // Close after the click has submitted the form (a closed dialog's button would not).
              setTimeout(() => dialog.current?.close(), 0);
            }}
          >
            {confirmLabel}
          </Button>
        </div>
      </dialog>
    </>
  );
}
