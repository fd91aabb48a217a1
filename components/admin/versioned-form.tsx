'use client';

import { useActionState, useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { FormStatus, invalidFieldNames } from '@/components/ui/field';
import type { Result } from '@/lib/result';

/**
 * What the admin settings forms (guardrails, webhook) share: one server action saving every
 * field with a compare-and-set on `version`, the version moving on after each save (so a second
 * save from the same page is not refused as a conflict), field errors keyed by dotted path, and a
 * status line that names the fields to check.
 */
export function useVersionedForm<T>(
  action: (previous: Result<T> | null, formData: FormData) => Promise<Result<T>>,
  options: {
    /** The version the form was loaded at. */
    version: number;
    versionOf: (saved: T) => number;
    /** Which words name the inputs of an error key, for the status line. */
    fieldLabels: readonly (readonly [RegExp, string])[];
    /** The status line after a save, e.g. "Webhook saved. Notifications are on." */
    savedMessage: (saved: T) => string;
    /** Resets what a save settles (e.g. a secret choice back to "keep"). */
    onSaved?: (saved: T) => void;
  },
) {
  const [state, formAction, pending] = useActionState(action, null);
  const [version, setVersion] = useState(options.version);
  const [lastState, setLastState] = useState<typeof state>(null);
  if (state !== lastState) {
    setLastState(state);
    if (state?.ok) {
      setVersion(options.versionOf(state.value));
      options.onSaved?.(state.value);
    }
  }
  const errors: Record<string, string[]> = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const invalid = invalidFieldNames(errors, options.fieldLabels);
  const status = state
    ? state.ok
      ? options.savedMessage(state.value)
      : invalid.length > 0
        ? `Check the highlighted fields: ${invalid.join(', ')}.`
        : state.message
    : null;
  return { state, formAction, pending, version, errors, status, isError: state !== null && !state.ok };
}

/** The form's hidden `expectedVersion` and nothing else: the compare-and-set's half in the form. */
export function ExpectedVersion({ version }: { version: number }) {
  return <input type="hidden" name="expectedVersion" value={version} />;
}

/** The row under a settings form: its Save button, the status line, and anything after them. */
export function SaveRow({
  label,
  pending,
  status,
  isError,
  children,
}: {
  label: string;
  pending: boolean;
  status: string | null;
  isError: boolean;
  children?: ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-center gap-4">
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : label}
      </Button>
      <FormStatus message={status} isError={isError} />
      {children}
    </div>
  );
}
