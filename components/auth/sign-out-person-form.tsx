'use client';

import { useActionState, useState } from 'react';
import type { Result } from '@/lib/result';

interface SignOutPersonFormProps {
  action: (
    previous: Result<{ ended: number }> | null,
    formData: FormData,
  ) => Promise<Result<{ ended: number }>>;
}

/** The admin's form to sign a person out of every browser, by e-mail. */
export function SignOutPersonForm({ action }: SignOutPersonFormProps) {
  const [state, formAction, pending] = useActionState(action, null);
  const [email, setEmail] = useState('');
  const error = state && !state.ok ? state.fieldErrors?.email : undefined;
  const summary = state
    ? state.ok
      ? `Signed out of ${state.value.ended} ${state.value.ended === 1 ? 'session' : 'sessions'}.`
      : state.message
    : null;
  return (
    <form action={formAction} className="grid max-w-xl gap-4" noValidate>
      <div className="flex flex-col gap-1">
        <label htmlFor="sign-out-email" className="text-sm font-medium">
          Person to sign out (e-mail)
        </label>
        <input
          id="sign-out-email"
          name="email"
          type="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'sign-out-email-error' : undefined}
          className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-600 aria-[invalid=true]:border-red-600"
        />
        {error ? (
          <p id="sign-out-email-error" className="text-sm text-red-700">
            {error.join(' ')}
          </p>
        ) : null}
      </div>
      <div className="flex items-center gap-4">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md border border-red-300 bg-white px-4 py-2 text-sm font-medium text-red-800 hover:bg-red-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-600 focus-visible:ring-offset-2 disabled:opacity-60"
        >
          {pending ? 'Signing out…' : 'Sign out everywhere'}
        </button>
        <p aria-live="polite" className={`text-sm ${state && !state.ok ? 'text-red-700' : 'text-green-800'}`}>
          {summary}
        </p>
      </div>
    </form>
  );
}
