'use client';

import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface Tab {
  id: string;
  label: ReactNode;
  content: ReactNode;
}

/**
 * Tabs as the ARIA authoring practices describe them: a `tablist` whose selected tab alone is in
 * the Tab order, arrow keys (and Home/End) move between tabs and select them, and each panel is
 * labelled by its tab. Every panel is rendered (hidden ones with `hidden`), so its content is
 * server-rendered and no state is lost when switching.
 */
export function Tabs({
  tabs,
  label,
  defaultTab,
  selectedTab,
  onSelectTab,
  className = '',
}: {
  tabs: readonly Tab[];
  /** The tab list's accessible name. */
  label: string;
  defaultTab?: string;
  /** Controlled: the selected tab (with `onSelectTab`), e.g. to open a tab from outside. */
  selectedTab?: string;
  onSelectTab?: (id: string) => void;
  className?: string;
}) {
  const [ownSelected, setOwnSelected] = useState(defaultTab ?? tabs[0]?.id);
  const selected = selectedTab ?? ownSelected;
  function setSelected(id: string) {
    setOwnSelected(id);
    onSelectTab?.(id);
  }
  const prefix = useId();
  const buttons = useRef<Record<string, HTMLButtonElement | null>>({});

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>, index: number) {
    const last = tabs.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    const tab = tabs[next];
    if (!tab) return;
    setSelected(tab.id);
    buttons.current[tab.id]?.focus();
  }

  return (
    <div className={className}>
      <div role="tablist" aria-label={label} className="flex gap-1 border-b border-slate-200">
        {tabs.map((tab, index) => {
          const isSelected = tab.id === selected;
          return (
            <button
              key={tab.id}
              ref={(element) => {
                buttons.current[tab.id] = element;
              }}
              type="button"
              role="tab"
              id={`${prefix}-tab-${tab.id}`}
              aria-selected={isSelected}
              aria-controls={`${prefix}-panel-${tab.id}`}
              tabIndex={isSelected ? 0 : -1}
              onClick={() => setSelected(tab.id)}
              onKeyDown={(event) => onKeyDown(event, index)}
              className={`focus-ring -mb-px rounded-t-md border-b-2 px-3 py-2 text-sm font-medium ${
                isSelected
                  ? 'border-indigo-700 text-indigo-800'
                  : 'border-transparent text-slate-700 hover:border-slate-300 hover:text-slate-900'
              }`}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      {tabs.map((tab) => (
        <div
          key={tab.id}
          role="tabpanel"
          id={`${prefix}-panel-${tab.id}`}
          aria-labelledby={`${prefix}-tab-${tab.id}`}
          hidden={tab.id !== selected}
          tabIndex={0}
          className="focus-ring rounded-b-md pt-4"
        >
          {tab.content}
        </div>
      ))}
    </div>
  );
}
