'use client';

import { useActionState } from 'react';
import type { Result } from '@/lib/result';

interface RevokeRoleButtonProps {
  action: (previous: Result<null> | null, formData: FormData) => Promise<Result<null>>;
  assignmentId: string;
  /** Accessible name, e.g. "Revoke approver from bob@acme.example". */
  label: string;
}

/** A "Revoke" button for one assignment, with its error (e.g. the last admin) announced. */
export function RevokeRoleButton({ action, assignmentId, label }: RevokeRoleButtonProps) {
  const [state, formAction, pending] = useActionState(action, null);
  const errorId = `revoke-${assignmentId}-error`;
  return (
    <form action={formAction} className="flex flex-col items-start gap-1">
      <input type="hidden" name="assignmentId" value={assignmentId} />
      <button
        type="submit"
        disabled={pending}
        aria-label={label}
        aria-describedby={state && !state.ok ? errorId : undefined}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-red-700 hover:bg-red-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-600 disabled:opacity-60"
      >
        {pending ? 'Revoking…' : 'Revoke'}
      </button>
      <p id={errorId} aria-live="polite" className="text-xs text-red-700">
        {state && !state.ok ? state.message : null}
      </p>
    </form>
  );
}
