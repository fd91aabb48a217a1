'use client';

import { useEffect, useRef, useState } from 'react';
import type { ServiceDetails } from '@/lib/wizard/catalogue-reads';

/**
 * The block's actions: the service's actions grouped by access level (List, Read, Write,
 * Permissions management, Tagging), each group with "All <level> actions" and a count, and a
 * filter box that narrows every group as the person types (client-side, over the one service's
 * actions). Names already in the statement that are not among the service's actions (wildcards
 * such as `List*`, or misspellings) are listed under "Other actions in this statement".
 */
export function ActionPicker({
  id,
  details,
  actions,
  onChange,
  focusFilter = false,
}: {
  id: string;
  details: ServiceDetails;
  actions: readonly string[];
  onChange: (actions: string[]) => void;
  /** Moves focus to the filter box once mounted (right after the service was picked). */
  focusFilter?: boolean;
}) {
  const [filter, setFilter] = useState('');
  const [expanded, setExpanded] = useState<Record<string, boolean>>({});
  const filterRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (focusFilter) filterRef.current?.focus();
  }, [focusFilter]);

  const selected = new Set(actions.map((name) => name.toLowerCase()));
  const known = new Set(
    details.actionsByLevel.flatMap((group) => group.actions.map((a) => a.name.toLowerCase())),
  );
  const others = actions.filter((name) => !known.has(name.toLowerCase()) && name !== '*');
  const all = actions.includes('*');
  const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (name: string) => {
    const lower = name.toLowerCase();
    return words.every((word) => lower.includes(word));
  };
  const total = details.actionsByLevel.reduce((sum, group) => sum + group.actions.length, 0);
  const shownCount =
    words.length === 0
      ? total
      : details.actionsByLevel.reduce(
          (sum, group) => sum + group.actions.filter((action) => matches(action.name)).length,
          0,
        );

  function toggle(names: readonly string[], on: boolean) {
    const lower = new Set(names.map((name) => name.toLowerCase()));
    const kept = actions.filter((name) => !lower.has(name.toLowerCase()));
    onChange(on ? [...kept, ...names] : kept);
  }

  return (
    <fieldset className="flex flex-col gap-3" aria-describedby={`${id}-count`}>
      <legend className="text-sm font-medium text-slate-900">Actions allowed</legend>
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-filter`} className="text-sm text-slate-800">
          Filter actions
        </label>
        <input
          ref={filterRef}
          id={`${id}-filter`}
          type="search"
          autoComplete="off"
          spellCheck={false}
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          placeholder={`e.g. ${details.actionsByLevel.find((group) => group.actions.length > 0)?.actions[0]?.name ?? 'List'}`}
          aria-describedby={`${id}-count`}
          className="focus-ring w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs"
        />
        <p
          id={`${id}-count`}
          className="text-xs text-slate-600"
          aria-live="polite"
          data-testid="action-count"
        >
          {actions.length} of {total} actions selected
          {words.length > 0 ? ` · ${shownCount} match “${filter.trim()}”` : ''}
        </p>
      </div>
      <label className="inline-flex items-center gap-2 text-sm text-slate-900">
        <input
          type="checkbox"
          className="focus-ring size-4 accent-indigo-700"
          checked={all}
          onChange={(event) => toggle(['*'], event.target.checked)}
        />
        All {details.name} actions (<span className="font-mono">{details.prefix}:*</span>)
      </label>
      {details.actionsByLevel.map(({ level, actions: levelActions }) => {
        if (levelActions.length === 0) return null;
        const names = levelActions.map((action) => action.name);
        const chosenNames = names.filter((name) => selected.has(name.toLowerCase()));
        const chosen = chosenNames.length;
        const visible = levelActions.filter((action) => matches(action.name));
        if (words.length > 0 && visible.length === 0) return null;
        const groupId = `${id}-${level.replace(/\s+/g, '-').toLowerCase()}`;
        const open = words.length > 0 || expanded[level] === true;
        return (
          <div
            key={level}
            role="group"
            aria-labelledby={`${groupId}-title`}
            className="rounded-md border border-slate-200"
          >
            <div className="flex flex-wrap items-center justify-between gap-2 bg-slate-50 px-3 py-2">
              <p id={`${groupId}-title`} className="text-sm font-semibold text-slate-900">
                {level}{' '}
                <span className="font-normal text-slate-600">
                  ({chosen} of {names.length} selected)
                </span>
              </p>
              <div className="flex items-center gap-3">
                <label className="inline-flex items-center gap-2 text-sm text-slate-900">
                  <input
                    type="checkbox"
                    className="focus-ring size-4 accent-indigo-700"
                    checked={chosen === names.length}
                    ref={(element) => {
                      if (element) element.indeterminate = chosen > 0 && chosen < names.length;
                    }}
                    onChange={(event) => toggle(names, event.target.checked)}
                  />
                  All {level} actions
                </label>
                {words.length === 0 ? (
                  <button
                    type="button"
                    aria-expanded={open}
                    aria-controls={`${groupId}-list`}
                    onClick={() => setExpanded((previous) => ({ ...previous, [level]: !open }))}
                    className="focus-ring rounded-sm text-sm font-medium text-indigo-800 underline underline-offset-2"
                  >
                    {open ? 'Hide' : 'Show'} {names.length} {level} actions
                  </button>
                ) : null}
              </div>
            </div>
            {!open && chosenNames.length > 0 ? (
              <p className="px-3 py-2 text-sm text-slate-800">
                Selected: <span className="font-mono">{chosenNames.join(', ')}</span>
              </p>
            ) : null}
            {open ? (
              <ul
                id={`${groupId}-list`}
                className="grid grid-cols-1 gap-x-4 gap-y-1 px-3 py-2 sm:grid-cols-2"
              >
                {visible.map((action) => {
                  const checkboxId = `${groupId}-${action.name}`;
                  return (
                    <li key={action.name}>
                      <label
                        htmlFor={checkboxId}
                        className="inline-flex items-start gap-2 text-sm text-slate-900"
                        title={action.description}
                      >
                        <input
                          id={checkboxId}
                          type="checkbox"
                          className="focus-ring mt-0.5 size-4 shrink-0 accent-indigo-700"
                          checked={selected.has(action.name.toLowerCase())}
                          onChange={(event) => toggle([action.name], event.target.checked)}
                        />
                        <span className="break-all">{action.name}</span>
                      </label>
                    </li>
                  );
                })}
              </ul>
            ) : null}
          </div>
        );
      })}
      {others.length > 0 ? (
        <div role="group" aria-labelledby={`${id}-others`} className="flex flex-col gap-1">
          <p id={`${id}-others`} className="text-sm font-semibold text-slate-900">
            Other actions in this statement
          </p>
          <p className="text-xs text-slate-600">
            Wildcards, or names this service does not have. Clear one to remove it.
          </p>
          {others.map((name) => (
            <label key={name} className="inline-flex items-center gap-2 font-mono text-sm text-slate-900">
              <input
                type="checkbox"
                className="focus-ring size-4 accent-indigo-700"
                checked
                onChange={() => toggle([name], false)}
              />
              {details.prefix}:{name}
            </label>
          ))}
        </div>
      ) : null}
    </fieldset>
  );
}
