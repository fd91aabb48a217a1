'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useState } from 'react';
import { ColorSwatch } from '@/components/admin/color-swatch';
import { describedBy, Field, FormStatus, inputClass } from '@/components/admin/field';
import { Button } from '@/components/ui/button';
import type { TargetAccount } from '@/lib/accounts/accounts';
import type { Result } from '@/lib/result';

/** The console's switch-role colours, as the console names them. */
const colors = [
  { hex: 'F2B0A9', name: 'Red' },
  { hex: 'FBBF93', name: 'Orange' },
  { hex: 'FAD791', name: 'Yellow' },
  { hex: 'B7CA9D', name: 'Green' },
  { hex: '99BCE3', name: 'Blue' },
] as const;

export interface AccountFormValues {
  id: string;
  alias: string;
  environment: string;
  color: string;
  provisionerRoleArn: string;
  externalId: string;
}

const empty: AccountFormValues = {
  id: '',
  alias: '',
  environment: '',
  color: 'F2B0A9',
  provisionerRoleArn: '',
  externalId: '',
};

interface AccountFormProps {
  action: (previous: Result<TargetAccount> | null, formData: FormData) => Promise<Result<TargetAccount>>;
  /** Editing an existing account (its id cannot change); adding one when absent. */
  account?: AccountFormValues;
  /** Sandbox mode: Rolesmith reaches every account through the emulator, so no role is needed. */
  isSandbox: boolean;
}

/** Adds a target account, or edits one (`account` given), with errors under each field. */
export function AccountForm({ action, account, isSandbox }: AccountFormProps) {
  const [state, formAction, pending] = useActionState(action, null);
  const [values, setValues] = useState<AccountFormValues>(account ?? empty);
  const [lastSaved, setLastSaved] = useState<typeof state>(null);
  const editing = account !== undefined;
  const prefix = editing ? 'edit-account' : 'add-account';
  // Once an account is added, empty the form for the next one (the list shows the new row).
  if (state !== lastSaved) {
    setLastSaved(state);
    if (state?.ok && !editing) setValues(empty);
  }
  const router = useRouter();
  // A saved edit returns to the list, which confirms it. (Not a redirect in the action: the page
  // rendered in the action's response would be guarded as a mutation.)
  useEffect(() => {
    if (editing && state?.ok) router.push(`/accounts?saved=${state.value.id}`);
  }, [editing, state, router]);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const text = (name: Exclude<keyof AccountFormValues, 'color'>, hint?: boolean) => ({
    ...describedBy(`${prefix}-${name}`, { hint, errors: errors[name] }),
    name,
    value: values[name],
    onChange: (event: { target: { value: string } }) => setValues({ ...values, [name]: event.target.value }),
    className: inputClass,
  });
  const status = state
    ? state.ok
      ? `Account ${state.value.alias} (${state.value.id}) ${editing ? 'saved' : 'added'}.`
      : state.message
    : null;

  return (
    <form action={formAction} className="grid gap-4 sm:grid-cols-2" noValidate>
      <input type="hidden" name="intent" value={editing ? 'update' : 'create'} />
      <Field
        id={`${prefix}-id`}
        label="Account id"
        hint={editing ? 'An account id cannot change; add the other account instead.' : '12 digits.'}
        errors={errors.id}
      >
        <input {...text('id', true)} inputMode="numeric" autoComplete="off" readOnly={editing} />
      </Field>
      <Field
        id={`${prefix}-alias`}
        label="Alias"
        hint="Lower-case letters, digits and hyphens, e.g. acme-production."
        errors={errors.alias}
      >
        <input {...text('alias', true)} autoComplete="off" />
      </Field>
      <Field
        id={`${prefix}-environment`}
        label="Environment"
        hint="Shown to requesters and approvers, e.g. production."
        errors={errors.environment}
      >
        <input {...text('environment', true)} autoComplete="off" />
      </Field>
      <fieldset
        className="flex flex-col gap-1"
        aria-describedby={errors.color ? `${prefix}-color-error` : `${prefix}-color-hint`}
      >
        <legend className="text-sm font-medium text-slate-900">Switch-role colour</legend>
        <div className="mt-1 flex flex-wrap gap-x-4 gap-y-2">
          {colors.map((color) => (
            <label key={color.hex} className="inline-flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="color"
                value={color.hex}
                checked={values.color.toUpperCase() === color.hex}
                onChange={() => setValues({ ...values, color: color.hex })}
                className="size-4 accent-indigo-700"
              />
              <ColorSwatch color={color.hex} showValue={false} />
              {color.name}
            </label>
          ))}
        </div>
        {errors.color ? (
          <p id={`${prefix}-color-error`} className="text-sm text-red-700">
            {errors.color.join(' ')}
          </p>
        ) : (
          <p id={`${prefix}-color-hint`} className="text-xs text-slate-600">
            The console shows it in the menu bar after switching, so people see which account they are in.
          </p>
        )}
      </fieldset>
      <Field
        id={`${prefix}-provisionerRoleArn`}
        label="Provisioner role ARN (optional)"
        hint={
          isSandbox
            ? 'Not used in sandbox mode: the emulator holds every account. In aws mode, the role Rolesmith assumes in this account; leave empty for the account Rolesmith itself runs in.'
            : 'The role Rolesmith assumes in this account to create roles. Leave empty for the account Rolesmith itself runs in (its own credentials are used).'
        }
        errors={errors.provisionerRoleArn}
        className="sm:col-span-2"
      >
        <input
          {...text('provisionerRoleArn', true)}
          autoComplete="off"
          placeholder="arn:aws:iam::444455556666:role/RolesmithProvisioner"
        />
      </Field>
      <Field
        id={`${prefix}-externalId`}
        label="External ID (optional)"
        hint="The sts:ExternalId the provisioner role's trust policy requires, if any."
        errors={errors.externalId}
      >
        <input {...text('externalId', true)} autoComplete="off" />
      </Field>
      <div className="flex flex-wrap items-center gap-4 sm:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : editing ? 'Save account' : 'Add account'}
        </Button>
        {editing ? (
          <Link
            href="/accounts"
            className="text-sm font-medium text-indigo-800 underline underline-offset-2 hover:text-indigo-950"
          >
            Cancel
          </Link>
        ) : null}
        <FormStatus message={status} isError={state !== null && !state.ok} />
      </div>
    </form>
  );
}
