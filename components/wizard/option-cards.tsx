import type { ReactNode } from 'react';
import { ChoiceFieldset } from '@/components/ui/choice';

export interface OptionCard {
  value: string;
  /** The card's title: its accessible name. */
  title: ReactNode;
  /** One line under the title (part of the accessible description). */
  description?: ReactNode;
}

/**
 * A choice of one among a few options, shown as cards like Cloudscape's Tiles: a `fieldset` of
 * native radio buttons, each inside a card-shaped label with its title and one line. Native
 * radios give the keyboard behaviour of a radio group for free: one Tab stop (the chosen card),
 * arrow keys move and choose. Controlled: `value` and `onValueChange`.
 */
export function OptionCards({
  id,
  name,
  legend,
  options,
  value,
  onValueChange,
  onBlur,
  hint,
  errors,
  className = '',
}: {
  id: string;
  name: string;
  legend: ReactNode;
  options: readonly OptionCard[];
  value: string;
  onValueChange: (value: string) => void;
  onBlur?: () => void;
  hint?: ReactNode;
  errors?: readonly string[];
  className?: string;
}) {
  return (
    <ChoiceFieldset id={id} legend={legend} hint={hint} errors={errors} className={className}>
      <div className="mt-1 grid grid-cols-[repeat(auto-fill,minmax(11rem,1fr))] gap-3">
        {options.map((option) => {
          const optionId = `${id}-${option.value}`;
          const isChosen = option.value === value;
          return (
            <label
              key={option.value}
              htmlFor={optionId}
              className={`flex cursor-pointer items-start gap-2 rounded-lg border-2 px-3 py-2.5 text-sm ${
                isChosen
                  ? 'border-indigo-700 bg-indigo-50'
                  : 'border-slate-200 bg-white hover:border-slate-400'
              }`}
            >
              <input
                type="radio"
                id={optionId}
                name={name}
                value={option.value}
                checked={isChosen}
                onChange={() => onValueChange(option.value)}
                onBlur={onBlur}
                aria-labelledby={`${optionId}-title`}
                aria-describedby={option.description ? `${optionId}-description` : undefined}
                className="focus-ring mt-0.5 size-4 shrink-0 accent-indigo-700"
              />
              <span className="flex flex-col gap-0.5">
                <span id={`${optionId}-title`} className="font-semibold text-slate-900">
                  {option.title}
                </span>
                {option.description ? (
                  <span id={`${optionId}-description`} className="text-xs text-slate-700">
                    {option.description}
                  </span>
                ) : null}
              </span>
            </label>
          );
        })}
      </div>
    </ChoiceFieldset>
  );
}
