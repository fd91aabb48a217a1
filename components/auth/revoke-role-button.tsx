'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
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
      <Button
        type="submit"
        variant="danger-secondary"
        size="sm"
        disabled={pending}
        aria-label={label}
        aria-describedby={state && !state.ok ? errorId : undefined}
      >
        {pending ? 'Revoking…' : 'Revoke'}
      </Button>
      <p id={errorId} aria-live="polite" className="text-xs text-red-700">
        {state && !state.ok ? state.message : null}
      </p>
    </form>
  );
}
