'use client';

import { useState, type ChangeEvent } from 'react';

/** Values a form may bind to text controls by name: its string-valued keys. */
type TextKeys<V> = { [K in keyof V]: V[K] extends string ? K : never }[keyof V] & string;

/**
 * A form's values, kept as the person types them (so they survive a refused submission), and
 * `bind(name)`: the `name`, `value` and `onChange` a text control needs. `formName` names the
 * control differently from its value, e.g. `approvals.default` for `approvalsDefault`.
 */
export function useFormValues<V extends object>(
  initial: V | (() => V),
  options: { onEdit?: (name: keyof V & string) => void } = {},
) {
  const [values, setValues] = useState<V>(initial);
  const set = <K extends keyof V & string>(name: K, value: V[K]) => {
    setValues((current) => ({ ...current, [name]: value }));
    options.onEdit?.(name);
  };
  const bind = (name: TextKeys<V>, formName: string = name) => ({
    name: formName,
    value: values[name] as string,
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) =>
      set(name, event.target.value as V[typeof name]),
  });
  return { values, setValues, set, bind };
}
