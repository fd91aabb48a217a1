import type { ReactNode } from 'react';

/** Props an input needs to be described by its hint and error, as {@link Field} renders them. */
export function describedBy(id: string, options: { hint?: boolean; errors?: readonly string[] }) {
  const ids = [options.hint ? `${id}-hint` : null, options.errors?.length ? `${id}-error` : null].filter(
    (value): value is string => value !== null,
  );
  return {
    id,
    'aria-invalid': options.errors?.length ? true : undefined,
    'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined,
  } as const;
}

export const inputClass =
  'w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600 aria-[invalid=true]:border-red-600 read-only:bg-slate-100 read-only:text-slate-700';

/**
 * A labelled form field: the label, the control (given as children, carrying
 * {@link describedBy}'s props for the same `id`), an optional hint and the field's errors.
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
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="text-sm font-medium text-slate-900">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <ul id={`${id}-error`} className="text-sm text-red-700">
          {errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The outcome of a form submission, announced to screen readers. */
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
