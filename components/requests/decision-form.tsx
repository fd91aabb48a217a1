'use client';

import { useActionState, useState } from 'react';
import {
  approveRequestAction,
  rejectRequestAction,
  type DecisionOutcome,
} from '@/app/(portal)/requests/actions';
import { Button } from '@/components/ui/button';
import { Field, FieldErrors } from '@/components/ui/field';
import { Textarea } from '@/components/ui/input';
import { useAcknowledgements } from '@/components/requests/acknowledgements';
import type { Result } from '@/lib/result';

function outcomeMessage(result: Result<DecisionOutcome> | null): string | null {
  if (!result) return null;
  if (!result.ok) return result.message;
  if (result.value.state === 'rejected') return 'Rejected. The requester can start again from this request.';
  if (result.value.state === 'pending')
    return `Approved: ${result.value.approvalsGiven ?? 1} of ${result.value.approvalsRequired ?? 2} approvals given; another approver must add theirs.`;
  return 'Approved. Rolesmith is creating the role.';
}

/**
 * The approver's decision: a comment, *Reject* (needs the comment) and *Approve* (enabled once
 * every finding and risk flag that needs it is acknowledged). The request's spec hash and version
 * go with it, so that a request changed since it was loaded is refused, not approved unseen.
 */
export function DecisionForm({
  id,
  requestId,
  specSha256,
  version,
  hasApproved,
}: {
  /** The form's id: the acknowledgement checkboxes name it in their `form` attribute. */
  id: string;
  requestId: string;
  specSha256: string;
  version: number;
  /** This approver already approved this version (an N-of-M request waits for another). */
  hasApproved: boolean;
}) {
  const [comment, setComment] = useState('');
  const [approval, approve, isApproving] = useActionState(approveRequestAction, null);
  const [rejection, reject, isRejecting] = useActionState(rejectRequestAction, null);
  const { total, done } = useAcknowledgements();
  // The newest answer speaks; each keeps its own field errors.
  const [last, setLast] = useState<'approve' | 'reject' | null>(null);
  const result = last === 'approve' ? approval : last === 'reject' ? rejection : null;
  const message = outcomeMessage(result);
  const isConflict = result !== null && !result.ok && result.code === 'conflict';
  const pending = isApproving || isRejecting;
  const commentErrors = result && !result.ok ? result.fieldErrors?.comment : undefined;
  const acknowledgedErrors =
    last === 'approve' && approval && !approval.ok ? approval.fieldErrors?.acknowledged : undefined;
  const allAcknowledged = done === total;

  return (
    <form
      id={id}
      action={approve}
      aria-labelledby={`${id}-heading`}
      className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
      onSubmit={(event) => {
        const submitter = event.nativeEvent.submitter;
        setLast(submitter?.getAttribute('data-decision') === 'reject' ? 'reject' : 'approve');
      }}
    >
      <h2 id={`${id}-heading`} className="text-lg font-semibold text-slate-900">
        Your decision
      </h2>
      <input type="hidden" name="requestId" value={requestId} />
      <input type="hidden" name="specSha256" value={specSha256} />
      <input type="hidden" name="expectedVersion" value={version} />
      <Field
        id={`${id}-comment`}
        label="Comment"
        hint="Shown to the requester. A rejection needs one: say what to change."
        errors={commentErrors}
      >
        {(props) => (
          <Textarea
            {...props}
            name="comment"
            rows={3}
            maxLength={2000}
            value={comment}
            onChange={(event) => setComment(event.currentTarget.value)}
          />
        )}
      </Field>
      {total > 0 ? (
        <p id={`${id}-count`} className="text-sm text-slate-800" aria-live="polite">
          {done} of {total} acknowledged
          {allAcknowledged ? '' : ': tick Acknowledge beside each finding and risk flag above to approve.'}
        </p>
      ) : null}
      <FieldErrors id={`${id}-acknowledged`} errors={acknowledgedErrors} />
      {hasApproved ? (
        <p className="text-sm text-slate-800">
          You approved this version. Another approver must add theirs; you may still reject it.
        </p>
      ) : null}
      <div className="flex flex-wrap justify-end gap-3">
        <Button
          type="submit"
          variant="danger-secondary"
          formAction={reject}
          data-decision="reject"
          disabled={pending}
        >
          {isRejecting ? 'Rejecting…' : 'Reject'}
        </Button>
        <Button
          type="submit"
          data-decision="approve"
          disabled={pending || !allAcknowledged || hasApproved}
          aria-describedby={total > 0 ? `${id}-count` : undefined}
        >
          {isApproving ? 'Approving…' : 'Approve'}
        </Button>
      </div>
      <div role="status" aria-live="polite" className="text-sm">
        {message ? (
          <p className={result?.ok ? 'text-emerald-800' : 'font-medium text-red-700'}>
            {message}
            {isConflict ? (
              <>
                {' '}
                <a href={`/requests/${requestId}`} className="underline underline-offset-2">
                  Reload the request
                </a>
              </>
            ) : null}
          </p>
        ) : null}
      </div>
    </form>
  );
}
