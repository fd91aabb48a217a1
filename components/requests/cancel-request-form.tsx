'use client';

import { useActionState } from 'react';
import { cancelRequestAction } from '@/app/(portal)/requests/actions';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { FormStatus } from '@/components/ui/field';

/** *Cancel request*, after a confirmation: the requester withdraws their pending request. */
export function CancelRequestForm({ requestId, roleName }: { requestId: string; roleName: string }) {
  const [state, formAction, isPending] = useActionState(cancelRequestAction, null);
  return (
    <form action={formAction} className="flex flex-col items-end gap-1">
      <input type="hidden" name="requestId" value={requestId} />
      <ConfirmButton
        title={`Cancel the request for ${roleName}?`}
        description="Approvers will no longer see it, and the role name is free again. This cannot be undone."
        confirmLabel="Cancel request"
        cancelLabel="Keep it"
        variant="danger-secondary"
        size="md"
        pending={isPending}
      >
        Cancel request
      </ConfirmButton>
      {state && !state.ok ? <FormStatus message={state.message} isError /> : null}
    </form>
  );
}
