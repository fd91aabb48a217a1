'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { FormStatus } from '@/components/ui/field';
import type { SentAttempt } from '@/lib/notifications/sender';
import type { Result } from '@/lib/result';

function said(state: Result<SentAttempt>): string {
  if (!state.ok) return state.message;
  const sent = state.value;
  if (sent.outcome === 'delivered') return `Test delivered: the receiver answered HTTP ${sent.statusCode}.`;
  return `Test not delivered: ${sent.error ?? sent.outcome}.`;
}

/**
 * *Send test*: one signed test notification now; says what the receiver answered. While it cannot
 * be sent, the button is disabled and the reason stands beside it.
 */
export function SendTestForm({
  action,
  disabledReason,
}: {
  action: (previous: Result<SentAttempt> | null, formData: FormData) => Promise<Result<SentAttempt>>;
  /** Why a test cannot be sent now ("Save the webhook first."), or null when it can. */
  disabledReason: string | null;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-4">
      <Button
        type="submit"
        variant="secondary"
        disabled={disabledReason !== null || pending}
        aria-describedby={disabledReason ? 'send-test-reason' : undefined}
      >
        {pending ? 'Sending…' : 'Send test'}
      </Button>
      {disabledReason ? (
        <p id="send-test-reason" className="text-sm text-slate-700">
          {disabledReason}
        </p>
      ) : null}
      <FormStatus
        message={state ? said(state) : null}
        isError={state !== null && (!state.ok || state.value.outcome !== 'delivered')}
      />
    </form>
  );
}
