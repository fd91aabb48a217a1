'use client';

import { useActionState } from 'react';
import { ConfirmButton } from '@/components/ui/confirm-button';
import type { Result } from '@/lib/result';

interface RemoveAccountButtonProps {
  action: (previous: Result<null> | null, formData: FormData) => Promise<Result<null>>;
  accountId: string;
  alias: string;
  /** Distinguishes the ids of two copies on one page (the table and the narrow-screen cards). */
  idPrefix?: string;
}

/** "Remove" for an account no request names, asking in a dialog before it removes it. */
export function RemoveAccountButton({
  action,
  accountId,
  alias,
  idPrefix = 'remove',
}: RemoveAccountButtonProps) {
  const [state, formAction, pending] = useActionState(action, null);
  const errorId = `${idPrefix}-${accountId}-error`;
  const failed = state !== null && !state.ok;
  return (
    <form action={formAction} className="flex flex-col items-start gap-1">
      <input type="hidden" name="id" value={accountId} />
      <ConfirmButton
        accessibleLabel={`Remove ${alias}`}
        describedById={failed ? errorId : undefined}
        title={`Remove ${alias}?`}
        description={`Requesters can no longer choose account ${accountId}. Nothing changes in AWS; you can add the account again later.`}
        confirmLabel={pending ? 'Removing…' : 'Remove account'}
        confirmAccessibleLabel={`Confirm: remove ${alias}`}
        cancelLabel="Keep"
        pending={pending}
      >
        Remove
      </ConfirmButton>
      <p id={errorId} aria-live="polite" className="max-w-xs text-xs text-red-700">
        {failed ? state.message : null}
      </p>
    </form>
  );
}
