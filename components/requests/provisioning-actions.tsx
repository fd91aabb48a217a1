'use client';

import { useActionState } from 'react';
import { retryRequestAction, rollbackRequestAction } from '@/app/(portal)/requests/actions';
import { ConfirmButton } from '@/components/ui/confirm-button';
import type { RoleRequest } from '@/lib/requests/model';
import type { Result } from '@/lib/result';

type RequestAction = (
  previous: Result<RoleRequest> | null,
  formData: FormData,
) => Promise<Result<RoleRequest>>;

function DecisionForm({
  action,
  requestId,
  id,
  trigger,
  title,
  description,
  confirmLabel,
  pendingLabel,
  variant,
}: {
  action: RequestAction;
  requestId: string;
  id: string;
  trigger: string;
  title: string;
  description: string;
  confirmLabel: string;
  pendingLabel: string;
  variant: 'primary' | 'danger-secondary';
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const errorId = `${id}-error`;
  const failed = state !== null && !state.ok;
  return (
    <form action={formAction} className="flex flex-col items-start gap-1">
      <input type="hidden" name="requestId" value={requestId} />
      <ConfirmButton
        variant={variant}
        size="md"
        describedById={failed ? errorId : undefined}
        title={title}
        description={description}
        confirmLabel={pending ? pendingLabel : confirmLabel}
        cancelLabel="Not now"
        pending={pending}
      >
        {trigger}
      </ConfirmButton>
      <p id={errorId} aria-live="polite" className="max-w-sm text-sm text-red-700">
        {failed ? state.message : null}
      </p>
    </form>
  );
}

/**
 * An approver's way out of a failed provisioning: *Retry* (after the cause is fixed; steps already
 * done are not repeated) and, for a role creation, *Roll back* (remove what the attempts created;
 * the request ends rolled back). Each asks first.
 */
export function ProvisioningActions({
  requestId,
  roleName,
  accountId,
  canRetry,
  canRollback,
}: {
  requestId: string;
  roleName: string;
  accountId: string;
  canRetry: boolean;
  canRollback: boolean;
}) {
  return (
    <div className="flex flex-wrap items-start gap-3">
      {canRetry ? (
        <DecisionForm
          action={retryRequestAction}
          requestId={requestId}
          id="retry"
          variant="primary"
          trigger="Retry"
          title={`Retry provisioning ${roleName}?`}
          description="Fix the cause first (read AWS's message above). Rolesmith runs the plan again; the steps already done are not repeated."
          confirmLabel="Retry"
          pendingLabel="Retrying…"
        />
      ) : null}
      {canRollback ? (
        <DecisionForm
          action={rollbackRequestAction}
          requestId={requestId}
          id="rollback"
          variant="danger-secondary"
          trigger="Roll back"
          title={`Roll back ${roleName}?`}
          description={`Rolesmith removes from account ${accountId} what this request created (only what carries its tag). The request then ends rolled back and cannot be retried; the role name is free again.`}
          confirmLabel="Roll back"
          pendingLabel="Rolling back…"
        />
      ) : null}
    </div>
  );
}
