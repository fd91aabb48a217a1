'use client';

import { useActionState } from 'react';
import { discardWizardDraftAction } from '@/app/(portal)/roles/new/actions';
import { ConfirmButton } from '@/components/ui/confirm-button';

/** Discards one of the person's wizard drafts, after asking (the list reloads when it is gone). */
export function DiscardDraftButton({ id, title }: { id: string; title: string }) {
  const [result, formAction, pending] = useActionState(discardWizardDraftAction, null);
  const errorId = `discard-${id}-error`;
  return (
    <form action={formAction} className="inline-flex flex-col items-end gap-1">
      <input type="hidden" name="id" value={id} />
      <ConfirmButton
        title={`Discard “${title}”?`}
        description="The draft and everything typed in it are deleted. This cannot be undone."
        confirmLabel="Discard draft"
        accessibleLabel={`Discard ${title}`}
        pending={pending}
        describedById={result && !result.ok ? errorId : undefined}
      >
        Discard
      </ConfirmButton>
      {result && !result.ok ? (
        <p id={errorId} role="alert" className="text-sm text-red-700">
          {result.message}
        </p>
      ) : null}
    </form>
  );
}
