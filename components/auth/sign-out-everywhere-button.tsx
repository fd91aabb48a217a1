'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import type { Result } from '@/lib/result';

interface SignOutEverywhereButtonProps {
  action: (previous: Result<null> | null, formData: FormData) => Promise<Result<null>>;
}

/** "Sign out everywhere": ends every session of the signed-in person, with its error announced. */
export function SignOutEverywhereButton({ action }: SignOutEverywhereButtonProps) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="flex flex-col items-start gap-1">
      <Button
        type="submit"
        variant="secondary"
        disabled={pending}
        aria-describedby={state && !state.ok ? 'sign-out-everywhere-error' : undefined}
      >
        {pending ? 'Signing out everywhere…' : 'Sign out everywhere'}
      </Button>
      <p id="sign-out-everywhere-error" aria-live="polite" className="text-sm text-red-700">
        {state && !state.ok ? state.message : null}
      </p>
    </form>
  );
}
