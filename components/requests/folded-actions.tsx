'use client';

import { useState } from 'react';

/** Actions listed in full up to this many; more are folded until asked for. */
export const ACTIONS_SHOWN = 8;

function ActionNames({ actions }: { actions: readonly string[] }) {
  return (
    <ul className="flex flex-wrap gap-x-3 gap-y-1">
      {actions.map((action) => (
        <li key={action}>
          <code className="rounded bg-slate-100 px-1 font-mono text-xs break-words">{action}</code>
        </li>
      ))}
    </ul>
  );
}

/**
 * A list of action names: in full up to {@link ACTIONS_SHOWN}; longer ones folded behind a
 * `<details>` whose names are put in the page only once it is opened (a change touching every
 * service would otherwise render thousands of them, open or not).
 */
export function FoldedActions({ actions, summary }: { actions: readonly string[]; summary?: string }) {
  const [isOpen, setOpen] = useState(false);
  if (actions.length <= ACTIONS_SHOWN && summary === undefined) return <ActionNames actions={actions} />;
  return (
    <details onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className="focus-ring cursor-pointer rounded-sm">
        {summary ?? `${actions.length} actions, from ${actions[0]} to ${actions[actions.length - 1]}`}
      </summary>
      <div className="mt-1">{isOpen ? <ActionNames actions={actions} /> : null}</div>
    </details>
  );
}
