'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useState } from 'react';
import { ColorPicker } from '@/components/roles/color-picker';
import { Button, TextLink } from '@/components/ui/button';
import { Field, FormStatus } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useFormValues } from '@/components/ui/use-form-values';
import type { TargetAccount } from '@/lib/accounts/accounts';
import type { Result } from '@/lib/result';

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
  const { values, setValues, set, bind } = useFormValues<AccountFormValues>(account ?? empty);
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
  const text = (name: Exclude<keyof AccountFormValues, 'color'>) => ({ ...bind(name), autoComplete: 'off' });

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
        {(props) => <Input {...props} {...text('id')} inputMode="numeric" mono readOnly={editing} />}
      </Field>
      <Field
        id={`${prefix}-alias`}
        label="Alias"
        hint="Lower-case letters, digits and hyphens, e.g. acme-production."
        errors={errors.alias}
      >
        {(props) => <Input {...props} {...text('alias')} />}
      </Field>
      <Field
        id={`${prefix}-environment`}
        label="Environment"
        hint="Shown to requesters and approvers, e.g. production."
        errors={errors.environment}
      >
        {(props) => <Input {...props} {...text('environment')} />}
      </Field>
      <ColorPicker
        id={`${prefix}-color`}
        legend="Switch-role colour"
        value={values.color}
        onValueChange={(color) => set('color', color)}
        hint="The console shows it in the menu bar after switching, so people see which account they are in."
        errors={errors.color}
      />
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
        {(props) => (
          <Input
            {...props}
            {...text('provisionerRoleArn')}
            mono
            placeholder="arn:aws:iam::444455556666:role/RolesmithProvisioner"
          />
        )}
      </Field>
      <Field
        id={`${prefix}-externalId`}
        label="External ID (optional)"
        hint="The sts:ExternalId the provisioner role's trust policy requires, if any."
        errors={errors.externalId}
      >
        {(props) => <Input {...props} {...text('externalId')} />}
      </Field>
      <div className="flex flex-wrap items-center gap-4 sm:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : editing ? 'Save account' : 'Add account'}
        </Button>
        {editing ? (
          <TextLink href="/accounts" className="text-sm">
            Cancel
          </TextLink>
        ) : null}
        <FormStatus message={status} isError={state !== null && !state.ok} />
      </div>
    </form>
  );
}
