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

/** *Send test*: one signed test notification now; says what the receiver answered. */
export function SendTestForm({
  action,
  disabled,
}: {
  action: (previous: Result<SentAttempt> | null, formData: FormData) => Promise<Result<SentAttempt>>;
  disabled: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-4">
      <Button type="submit" variant="secondary" disabled={disabled || pending}>
        {pending ? 'Sending…' : 'Send test'}
      </Button>
      <FormStatus
        message={state ? said(state) : null}
        isError={state !== null && (!state.ok || state.value.outcome !== 'delivered')}
      />
    </form>
  );
}
