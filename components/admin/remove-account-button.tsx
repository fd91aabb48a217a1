'use client';

import { useActionState, useState } from 'react';
import type { Result } from '@/lib/result';

interface RemoveAccountButtonProps {
  action: (previous: Result<null> | null, formData: FormData) => Promise<Result<null>>;
  accountId: string;
  alias: string;
  /** Distinguishes the ids of two copies on one page (the table and the narrow-screen cards). */
  idPrefix?: string;
}

const buttonClass =
  'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600 disabled:opacity-60';

/** "Remove" for an account no request names, asking once more before it removes it. */
export function RemoveAccountButton({
  action,
  accountId,
  alias,
  idPrefix = 'remove',
}: RemoveAccountButtonProps) {
  const [state, formAction, pending] = useActionState(action, null);
  const [confirming, setConfirming] = useState(false);
  const errorId = `${idPrefix}-${accountId}-error`;
  const failed = state !== null && !state.ok;
  return (
    <form action={formAction} className="flex flex-col items-start gap-1">
      <input type="hidden" name="id" value={accountId} />
      {confirming ? (
        <div className="flex flex-wrap gap-2">
          <button
            type="submit"
            disabled={pending}
            aria-label={`Confirm: remove ${alias}`}
            className={`${buttonClass} border-red-700 bg-red-700 text-white hover:bg-red-800`}
          >
            {pending ? 'Removing…' : 'Confirm removal'}
          </button>
          <button
            type="button"
            onClick={() => setConfirming(false)}
            className={`${buttonClass} text-slate-900`}
          >
            Keep
          </button>
        </div>
      ) : (
        <button
          type="button"
          onClick={() => setConfirming(true)}
          aria-label={`Remove ${alias}`}
          aria-describedby={failed ? errorId : undefined}
          className={`${buttonClass} text-red-700 hover:bg-red-50`}
        >
          Remove
        </button>
      )}
      <p id={errorId} aria-live="polite" className="max-w-xs text-xs text-red-700">
        {failed ? state.message : null}
      </p>
    </form>
  );
}
