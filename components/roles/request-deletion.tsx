'use client';

import { useActionState, useEffect, useRef, useState } from 'react';
import { requestRoleDeletionAction } from '@/app/(portal)/roles/[account]/[...name]/actions';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { Field } from '@/components/ui/field';
import { Textarea } from '@/components/ui/input';
import type { Result } from '@/lib/result';

const blankMessage = 'Explain why the role should be deleted';
const fieldId = 'deletion-justification';
const focusJustification = () => document.getElementById(fieldId)?.focus();

/**
 * *Request deletion* on a role's summary page: opens a justification form beneath the header; its
 * submission creates a delete request for approval and opens the request's page. A blank
 * justification is refused beside the field before anything is sent; the server's refusals (an
 * open request for the role already, for one) show above the buttons.
 */
export function RequestDeletion({ accountId, roleName }: { accountId: string; roleName: string }) {
  const [open, setOpen] = useState(false);
  const [blank, setBlank] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const [state, formAction, isPending] = useActionState(
    (previous: Result<never> | null, formData: FormData) => requestRoleDeletionAction(previous, formData),
    null,
  );
  const wasOpen = useRef(false);
  useEffect(() => {
    // Focus follows the form: into it when it opens, back to the button when it closes.
    if (open) focusJustification();
    else if (wasOpen.current) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);
  const failure = state && !state.ok ? state : null;
  const fieldErrors = blank ? [blankMessage] : failure?.fieldErrors?.justification;
  const formMessage = !blank && failure && !failure.fieldErrors?.justification ? failure.message : null;

  if (!open)
    return (
      <Button ref={opener} variant="danger-secondary" onClick={() => setOpen(true)}>
        Request deletion
      </Button>
    );
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        const text = new FormData(event.currentTarget).get('justification');
        const isBlank = typeof text !== 'string' || text.trim() === '';
        setBlank(isBlank);
        if (isBlank) {
          event.preventDefault();
          focusJustification();
        }
      }}
      aria-labelledby="request-deletion-title"
      className="flex w-full max-w-xl flex-col gap-3 rounded-lg border border-red-200 bg-white p-4 shadow-sm"
    >
      <h2 id="request-deletion-title" className="text-base font-semibold text-slate-900">
        Request deletion of {roleName}
      </h2>
      <p className="text-sm text-slate-700">
        Once approved, Rolesmith detaches the role&apos;s policies, deletes its inline policies and instance
        profile, then deletes the role and the policies it created with it. Nothing someone else made is
        deleted.
      </p>
      <input type="hidden" name="accountId" value={accountId} />
      <input type="hidden" name="roleName" value={roleName} />
      <Field
        id={fieldId}
        label="Justification"
        hint="Why the role is no longer needed: the approvers read this."
        errors={fieldErrors}
      >
        {(props) => <Textarea {...props} name="justification" rows={3} maxLength={2000} />}
      </Field>
      {formMessage ? (
        <Callout tone="error" role="alert" headingLevel={3}>
          {formMessage}
        </Callout>
      ) : null}
      <div className="flex flex-wrap justify-end gap-2">
        <Button
          variant="secondary"
          onClick={() => {
            setOpen(false);
            setBlank(false);
          }}
        >
          Cancel
        </Button>
        <Button type="submit" variant="danger" disabled={isPending}>
          {isPending ? 'Submitting…' : 'Submit delete request'}
        </Button>
      </div>
    </form>
  );
}
