'use client';

import { createContext, use, useEffect, useRef, useState, type ReactNode } from 'react';

interface Acknowledgements {
  total: number;
  done: number;
  isChecked: (key: string) => boolean;
  toggle: (key: string, checked: boolean) => void;
}

const AcknowledgementsContext = createContext<Acknowledgements | null>(null);

/**
 * The approver's acknowledgements, shared by the checkboxes beside each finding and risk flag and
 * the decision form's *Approve* button (enabled once every key is ticked). The checkboxes belong
 * to the decision form through their `form` attribute, so each ticked key is posted with it.
 */
export function AcknowledgementsProvider({
  keys,
  children,
}: {
  keys: readonly string[];
  children: ReactNode;
}) {
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const value: Acknowledgements = {
    total: keys.length,
    done: keys.filter((key) => checked.has(key)).length,
    isChecked: (key) => checked.has(key),
    toggle: (key, on) =>
      setChecked((previous) => {
        const next = new Set(previous);
        if (on) next.add(key);
        else next.delete(key);
        return next;
      }),
  };
  return <AcknowledgementsContext value={value}>{children}</AcknowledgementsContext>;
}

/** How many items are acknowledged out of how many (0 of 0 outside a provider). */
export function useAcknowledgements(): Pick<Acknowledgements, 'total' | 'done'> {
  const context = use(AcknowledgementsContext);
  return { total: context?.total ?? 0, done: context?.done ?? 0 };
}

/** The "Acknowledge" checkbox of one item, posted with the decision form as `acknowledged`. */
export function AcknowledgeCheckbox({
  itemKey,
  itemTitle,
  form,
  id,
}: {
  itemKey: string;
  /** What is acknowledged, for the accessible name: "Acknowledge: Privilege escalation …". */
  itemTitle: string;
  form: string;
  id: string;
}) {
  const context = use(AcknowledgementsContext);
  const checked = context?.isChecked(itemKey) ?? false;
  // React resets a form once its action has run (refused or not), restoring each checkbox to its
  // default state: kept equal to the ticked state, the reset leaves what the approver ticked, which
  // the count beside Approve and the next submission both rely on.
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (input.current) input.current.defaultChecked = checked;
  }, [checked]);
  return (
    <label htmlFor={id} className="inline-flex items-center gap-2 text-sm font-medium text-slate-900">
      <input
        type="checkbox"
        id={id}
        name="acknowledged"
        value={itemKey}
        form={form}
        aria-label={`Acknowledge: ${itemTitle}`}
        ref={input}
        checked={checked}
        onChange={(event) => context?.toggle(itemKey, event.currentTarget.checked)}
        className="focus-ring size-4 shrink-0 accent-indigo-700"
      />
      Acknowledge
    </label>
  );
}
