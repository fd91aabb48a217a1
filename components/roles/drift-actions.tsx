'use client';

import { useActionState } from 'react';
import { adoptLiveStateAction, restoreRoleAction } from '@/app/(portal)/roles/[account]/[...name]/actions';
import { Button } from '@/components/ui/button';
import { FormStatus } from '@/components/ui/field';
import type { Result } from '@/lib/result';

type DriftAction = (previous: Result<never> | null, formData: FormData) => Promise<Result<never>>;

function DriftActionForm({
  action,
  label,
  accountId,
  roleName,
  variant,
}: {
  action: DriftAction;
  label: string;
  accountId: string;
  roleName: string;
  variant: 'primary' | 'secondary';
}) {
  const [state, formAction, isPending] = useActionState(action, null);
  return (
    <form action={formAction} className="flex flex-col gap-1">
      <input type="hidden" name="accountId" value={accountId} />
      <input type="hidden" name="roleName" value={roleName} />
      <Button type="submit" variant={variant} disabled={isPending}>
        {isPending ? 'Reading the role in AWS…' : label}
      </Button>
      <FormStatus message={state && !state.ok ? state.message : null} isError />
    </form>
  );
}

/**
 * The drift section's two ways out, each a change request that goes through approval: an
 * approver's *Restore what Rolesmith recorded* (planned from the live role, so it makes exactly the
 * calls that undo the drift), and *Adopt the live state* (the live role becomes the record).
 */
export function DriftActions({
  accountId,
  roleName,
  canRestore,
}: {
  accountId: string;
  roleName: string;
  canRestore: boolean;
}) {
  return (
    <div className="flex flex-wrap items-start gap-3">
      {canRestore ? (
        <DriftActionForm
          action={restoreRoleAction}
          label="Restore what Rolesmith recorded"
          accountId={accountId}
          roleName={roleName}
          variant="primary"
        />
      ) : null}
      <DriftActionForm
        action={adoptLiveStateAction}
        label="Adopt the live state"
        accountId={accountId}
        roleName={roleName}
        variant="secondary"
      />
    </div>
  );
}
