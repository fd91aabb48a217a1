'use client';

import { useActionState, useState } from 'react';
import type { Result } from '@/lib/result';

interface GrantRoleFormProps {
  action: (previous: Result<{ id: string }> | null, formData: FormData) => Promise<Result<{ id: string }>>;
}

const inputClass =
  'rounded-md border border-slate-300 bg-white px-3 py-2 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-600 aria-[invalid=true]:border-red-600';

/** The form granting a portal role to a person (e-mail) or an identity-provider group. */
export function GrantRoleForm({ action }: GrantRoleFormProps) {
  const [state, formAction, pending] = useActionState(action, null);
  const [values, setValues] = useState({
    subjectKind: 'person',
    subject: '',
    role: 'approver',
    accountIds: '',
  });
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const field = (name: keyof typeof values) => ({
    name,
    id: `grant-${name}`,
    value: values[name],
    onChange: (event: { target: { value: string } }) => setValues({ ...values, [name]: event.target.value }),
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': errors[name] ? `grant-${name}-error` : undefined,
  });
  const fieldError = (name: keyof typeof values) =>
    errors[name] ? (
      <p id={`grant-${name}-error`} className="text-sm text-red-700">
        {errors[name].join(' ')}
      </p>
    ) : null;

  return (
    <form action={formAction} className="grid max-w-xl gap-4" noValidate>
      <div className="flex flex-col gap-1">
        <label htmlFor="grant-subjectKind" className="text-sm font-medium">
          Grant to
        </label>
        <select {...field('subjectKind')} className={inputClass}>
          <option value="person">A person (e-mail)</option>
          <option value="group">An identity-provider group</option>
        </select>
        {fieldError('subjectKind')}
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="grant-subject" className="text-sm font-medium">
          {values.subjectKind === 'group' ? 'Group name' : 'E-mail address'}
        </label>
        <input
          {...field('subject')}
          type={values.subjectKind === 'group' ? 'text' : 'email'}
          className={inputClass}
        />
        {fieldError('subject')}
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="grant-role" className="text-sm font-medium">
          Role
        </label>
        <select {...field('role')} className={inputClass}>
          <option value="approver">Approver</option>
          <option value="admin">Admin</option>
        </select>
        {fieldError('role')}
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="grant-accountIds" className="text-sm font-medium">
          Accounts (approvers only; empty for every account)
        </label>
        <input {...field('accountIds')} placeholder="111122223333, 444455556666" className={inputClass} />
        {fieldError('accountIds')}
      </div>
      <div className="flex items-center gap-4">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-600 focus-visible:ring-offset-2 disabled:opacity-60"
        >
          {pending ? 'Granting…' : 'Grant role'}
        </button>
        <p aria-live="polite" className={`text-sm ${state && !state.ok ? 'text-red-700' : 'text-green-800'}`}>
          {state ? (state.ok ? 'Role granted.' : state.message) : null}
        </p>
      </div>
    </form>
  );
}
