'use client';

import { useActionState } from 'react';
import type { Result } from '@/lib/result';

interface SignOutEverywhereButtonProps {
  action: (previous: Result<null> | null, formData: FormData) => Promise<Result<null>>;
}

/** "Sign out everywhere": ends every session of the signed-in person, with its error announced. */
export function SignOutEverywhereButton({ action }: SignOutEverywhereButtonProps) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="flex flex-col items-start gap-1">
      <button
        type="submit"
        disabled={pending}
        aria-describedby={state && !state.ok ? 'sign-out-everywhere-error' : undefined}
        className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-600 disabled:opacity-60"
      >
        {pending ? 'Signing out everywhere…' : 'Sign out everywhere'}
      </button>
      <p id="sign-out-everywhere-error" aria-live="polite" className="text-sm text-red-700">
        {state && !state.ok ? state.message : null}
      </p>
    </form>
  );
}
