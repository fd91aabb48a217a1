'use client';

import { useActionState, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, FormStatus } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
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
  const summary = state
    ? state.ok
      ? `Signed out of ${state.value.ended} ${state.value.ended === 1 ? 'session' : 'sessions'}.`
      : state.message
    : null;
  return (
    <form action={formAction} className="grid max-w-xl gap-4" noValidate>
      <Field
        id="sign-out-email"
        label="Person to sign out (e-mail)"
        errors={state && !state.ok ? state.fieldErrors?.email : undefined}
      >
        {(props) => (
          <Input
            {...props}
            name="email"
            type="email"
            autoComplete="off"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        )}
      </Field>
      <div className="flex flex-wrap items-center gap-4">
        <Button type="submit" variant="danger-secondary" disabled={pending}>
          {pending ? 'Signing out…' : 'Sign out everywhere'}
        </Button>
        <FormStatus message={summary} isError={state !== null && !state.ok} />
      </div>
    </form>
  );
}
