'use client';

import { useState, type KeyboardEvent } from 'react';
import { useServiceSearch } from '@/components/wizard/visual-builder-data';

/**
 * The block's service: a combobox (ARIA 1.2 pattern) whose list of AWS services is searched on
 * the server as the person types. ArrowDown/ArrowUp move through the results, Enter picks one,
 * Escape closes the list.
 */
export function ServicePicker({
  id,
  onPick,
  autoFocus = false,
}: {
  id: string;
  onPick: (prefix: string) => void;
  autoFocus?: boolean;
}) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const search = useServiceSearch(query);
  const services = search.status === 'ready' ? search.value.services : [];
  const listId = `${id}-list`;
  const activeIndex = Math.min(active, Math.max(0, services.length - 1));
  const expanded = open && services.length > 0;

  function pick(prefix: string) {
    setOpen(false);
    onPick(prefix);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) {
        setOpen(true);
        return;
      }
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((activeIndex + step + services.length) % Math.max(1, services.length));
    } else if (event.key === 'Enter') {
      const chosen = services[activeIndex];
      if (expanded && chosen) {
        event.preventDefault();
        pick(chosen.prefix);
      }
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
    }
  }

  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-900">
        Service
      </label>
      <div className="relative">
        <input
          id={id}
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          // Focus moves here when a block is added, so the person can type the service at once.
          autoFocus={autoFocus}
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-describedby={`${id}-hint`}
          aria-activedescendant={expanded ? `${listId}-${activeIndex}` : undefined}
          value={query}
          placeholder="Search services, e.g. lambda"
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
          className="focus-ring w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs"
        />
        <ul
          id={listId}
          role="listbox"
          aria-label="AWS services"
          hidden={!expanded}
          className="absolute z-20 mt-1 max-h-72 w-full overflow-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg"
        >
          {services.map((service, index) => (
            <li
              key={service.prefix}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === activeIndex}
              // Picking with the mouse must not blur the input first (the list would close).
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => pick(service.prefix)}
              className={`flex cursor-pointer justify-between gap-3 px-3 py-1.5 ${
                index === activeIndex ? 'bg-indigo-50 text-indigo-900' : 'text-slate-900'
              }`}
            >
              <span>{service.name}</span>
              <span className="font-mono text-slate-600">{service.prefix}</span>
            </li>
          ))}
        </ul>
      </div>
      <p id={`${id}-hint`} className="text-xs text-slate-600" aria-live="polite">
        {search.status === 'failed'
          ? `Services could not be searched: ${search.message}`
          : search.status === 'ready'
            ? `${search.value.total} ${search.value.total === 1 ? 'service matches' : 'services match'}${
                search.value.total > services.length ? ` (first ${services.length} shown)` : ''
              }. Use the arrow keys and Enter to choose.`
            : 'Type to search the AWS services.'}
      </p>
    </div>
  );
}
