'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, FormStatus } from '@/components/ui/field';
import { Input, Select } from '@/components/ui/input';
import { useFormValues } from '@/components/ui/use-form-values';
import type { Result } from '@/lib/result';

interface GrantRoleFormProps {
  action: (previous: Result<{ id: string }> | null, formData: FormData) => Promise<Result<{ id: string }>>;
}

/** The form granting a portal role to a person (e-mail) or an identity-provider group. */
export function GrantRoleForm({ action }: GrantRoleFormProps) {
  const [state, formAction, pending] = useActionState(action, null);
  const { values, bind: field } = useFormValues({
    subjectKind: 'person',
    subject: '',
    role: 'approver',
    accountIds: '',
  });
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};

  return (
    <form action={formAction} className="grid max-w-xl gap-4" noValidate>
      <Field id="grant-subjectKind" label="Grant to" errors={errors.subjectKind}>
        {(props) => (
          <Select {...props} {...field('subjectKind')}>
            <option value="person">A person (e-mail)</option>
            <option value="group">An identity-provider group</option>
          </Select>
        )}
      </Field>
      <Field
        id="grant-subject"
        label={values.subjectKind === 'group' ? 'Group name' : 'E-mail address'}
        errors={errors.subject}
      >
        {(props) => (
          <Input
            {...props}
            {...field('subject')}
            type={values.subjectKind === 'group' ? 'text' : 'email'}
            autoComplete="off"
          />
        )}
      </Field>
      <Field id="grant-role" label="Role" errors={errors.role}>
        {(props) => (
          <Select {...props} {...field('role')}>
            <option value="approver">Approver</option>
            <option value="admin">Admin</option>
          </Select>
        )}
      </Field>
      <Field
        id="grant-accountIds"
        label="Accounts (approvers only; empty for every account)"
        hint="12-digit account ids, separated by commas."
        errors={errors.accountIds}
      >
        {(props) => (
          <Input
            {...props}
            {...field('accountIds')}
            mono
            autoComplete="off"
            placeholder="111122223333, 444455556666"
          />
        )}
      </Field>
      <div className="flex flex-wrap items-center gap-4">
        <Button type="submit" disabled={pending}>
          {pending ? 'Granting…' : 'Grant role'}
        </Button>
        <FormStatus
          message={state ? (state.ok ? 'Role granted.' : state.message) : null}
          isError={state !== null && !state.ok}
        />
      </div>
    </form>
  );
}
