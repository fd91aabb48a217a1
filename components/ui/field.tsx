import type { ReactNode } from 'react';

/** The props that tie a control to its label's field: its id, and its hint and errors as description. */
export interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/**
 * Props a control needs to be described by its hint and error, as {@link Field} renders them
 * (`<id>-hint`, `<id>-error`). Also for a `fieldset` ({@link RadioGroup}) that shows its own.
 */
export function describedBy(
  id: string,
  options: { hint?: boolean; errors?: readonly string[] },
): ControlProps {
  const ids = [options.hint ? `${id}-hint` : null, options.errors?.length ? `${id}-error` : null].filter(
    (value): value is string => value !== null,
  );
  return {
    id,
    'aria-invalid': options.errors?.length ? true : undefined,
    'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined,
  };
}

/** A field's hint, under its control. */
export function FieldHint({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={`${id}-hint`} className="text-xs text-slate-600">
      {children}
    </p>
  );
}

/** A field's errors, under its control (red text, one line each). */
export function FieldErrors({ id, errors }: { id: string; errors?: readonly string[] }) {
  if (!errors?.length) return null;
  return (
    <ul id={`${id}-error`} className="text-sm text-red-700">
      {errors.map((error) => (
        <li key={error}>{error}</li>
      ))}
    </ul>
  );
}

/**
 * A labelled form field: the label, the control, an optional hint and the field's errors. The
 * control is rendered by `children`, which receives the id, `aria-invalid` and
 * `aria-describedby` to spread on it, so a field cannot lose its wiring:
 * `<Field id="x" label="Alias">{(props) => <Input {...props} name="alias" />}</Field>`.
 */
export function Field({
  id,
  label,
  hint,
  errors,
  children,
  className = '',
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: readonly string[];
  children: (props: ControlProps) => ReactNode;
  className?: string;
}) {
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="text-sm font-medium text-slate-900">
        {label}
      </label>
      {children(describedBy(id, { hint: hint !== undefined && hint !== null, errors }))}
      {hint ? <FieldHint id={id}>{hint}</FieldHint> : null}
      <FieldErrors id={id} errors={errors} />
    </div>
  );
}

/** The outcome of a form submission, announced to screen readers (and empty until there is one). */
export function FormStatus({ message, isError }: { message: string | null; isError: boolean }) {
  return (
    <p
      role="status"
      aria-live="polite"
      className={`text-sm ${isError ? 'font-medium text-red-700' : 'text-emerald-800'}`}
    >
      {message}
    </p>
  );
}

/**
 * The names of the inputs a form's field errors concern, each once, in the order of `labels`'
 * first match (`[pattern, name]` pairs matched against each error key; an unmatched key is "the
 * form"), for the summary beside its submit button: "Check the highlighted fields: URL, events."
 */
export function invalidFieldNames(
  errors: Readonly<Record<string, readonly string[]>>,
  labels: readonly (readonly [RegExp, string])[],
): string[] {
  return [
    ...new Set(
      Object.keys(errors).map((key) => labels.find(([pattern]) => pattern.test(key))?.[1] ?? 'the form'),
    ),
  ];
}
