'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import type { Result } from '@/lib/result';

interface SignInButtonProps {
  action: (previous: Result<null> | null, formData: FormData) => Promise<Result<null>>;
  label: string;
  description?: string;
  callbackUrl: string;
  /** Hidden fields sent with the form, e.g. the demo person's id. */
  fields?: Record<string, string>;
}

/** One sign-in button (a demo person, or the identity provider), with its error shown below it. */
export function SignInButton({ action, label, description, callbackUrl, fields = {} }: SignInButtonProps) {
  const [state, formAction, pending] = useActionState(action, null);
  const errorId = `${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-error`;
  return (
    <form action={formAction} className="flex flex-col gap-1">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button
        type="submit"
        variant="secondary"
        size="card"
        disabled={pending}
        aria-describedby={state && !state.ok ? errorId : undefined}
        className="hover:ring-indigo-600"
      >
        <span className="text-slate-900">{label}</span>
        {description ? <span className="text-sm font-normal text-slate-600">{description}</span> : null}
      </Button>
      <p id={errorId} aria-live="polite" className="text-sm text-red-700">
        {state && !state.ok ? state.message : null}
      </p>
    </form>
  );
}
