import type { InputHTMLAttributes, ReactNode } from 'react';
import { describedBy, FieldErrors, FieldHint } from '@/components/ui/field';

const choiceClass = 'focus-ring size-4 shrink-0 accent-indigo-700';

/** A checkbox with its label beside it and an optional hint below. */
export function Checkbox({
  id,
  label,
  hint,
  className = '',
  ...props
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & { id: string; label: ReactNode; hint?: ReactNode }) {
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="inline-flex items-center gap-2 text-sm text-slate-900">
        <input
          type="checkbox"
          id={id}
          aria-describedby={hint ? `${id}-hint` : undefined}
          className={choiceClass}
          {...props}
        />
        {label}
      </label>
      {hint ? <FieldHint id={id}>{hint}</FieldHint> : null}
    </div>
  );
}

export interface RadioOption {
  value: string;
  /** The option's accessible name and visible text (may hold a swatch or an icon beside words). */
  label: ReactNode;
  /** A line under the label. */
  description?: ReactNode;
}

/**
 * Radio buttons in a `fieldset` with its legend, hint and errors. Controlled with `value` and
 * `onValueChange`, or uncontrolled with `defaultValue`.
 */
export function RadioGroup({
  id,
  name,
  legend,
  options,
  value,
  defaultValue,
  onValueChange,
  hint,
  errors,
  inline = true,
  className = '',
}: {
  id: string;
  name: string;
  legend: ReactNode;
  options: readonly RadioOption[];
  value?: string;
  defaultValue?: string;
  onValueChange?: (value: string) => void;
  hint?: ReactNode;
  errors?: readonly string[];
  /** Options side by side (wrapping) rather than one per line. */
  inline?: boolean;
  className?: string;
}) {
  return (
    <ChoiceFieldset id={id} legend={legend} hint={hint} errors={errors} className={className}>
      <div className={`mt-1 flex ${inline ? 'flex-wrap gap-x-4 gap-y-2' : 'flex-col gap-2'}`}>
        {options.map((option) => {
          const optionId = `${id}-${option.value}`;
          return (
            <label key={option.value} htmlFor={optionId} className="inline-flex items-start gap-2 text-sm">
              <input
                type="radio"
                id={optionId}
                name={name}
                value={option.value}
                className={`${choiceClass} mt-0.5`}
                {...(value !== undefined
                  ? { checked: value === option.value, onChange: () => onValueChange?.(option.value) }
                  : { defaultChecked: defaultValue === option.value })}
              />
              <span className="flex flex-col">
                <span className="inline-flex items-center gap-2 text-slate-900">{option.label}</span>
                {option.description ? (
                  <span className="text-xs text-slate-600">{option.description}</span>
                ) : null}
              </span>
            </label>
          );
        })}
      </div>
    </ChoiceFieldset>
  );
}

/**
 * A `fieldset` for a group of choices: its legend, the choices (`children`), a hint and the
 * group's errors, which describe it and mark it invalid. {@link RadioGroup} and lists of
 * checkboxes or cards use it.
 */
export function ChoiceFieldset({
  id,
  legend,
  hint,
  errors,
  children,
  className = '',
}: {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  errors?: readonly string[];
  children: ReactNode;
  className?: string;
}) {
  const described = describedBy(id, { hint: Boolean(hint), errors });
  return (
    <fieldset
      id={id}
      aria-invalid={described['aria-invalid']}
      aria-describedby={described['aria-describedby']}
      className={`flex flex-col gap-1 ${className}`}
    >
      <legend className="text-sm font-medium text-slate-900">{legend}</legend>
      {children}
      {hint ? <FieldHint id={id}>{hint}</FieldHint> : null}
      <FieldErrors id={id} errors={errors} />
    </fieldset>
  );
}
