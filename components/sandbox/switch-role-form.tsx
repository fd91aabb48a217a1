'use client';

import { useActionState, useEffect, useRef, useState } from 'react';
import { ColorPicker } from '@/components/roles/color-picker';
import { SwitchRoleOutcome } from '@/components/sandbox/switch-role-outcome';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useFormValues } from '@/components/ui/use-form-values';
import type { SwitchRoleResult } from '@/lib/sandbox/switch-role-session';

export interface SwitchRoleFormValues {
  account: string;
  roleName: string;
  displayName: string;
  color: string;
}

interface SwitchRoleFormProps {
  action: (previous: SwitchRoleResult | null, formData: FormData) => Promise<SwitchRoleResult>;
  initial: SwitchRoleFormValues;
  /** Problems with the link's query, shown under the fields until the person edits them. */
  initialErrors: Record<string, string[]>;
  mfaSerial: string;
  currentMfaCode: string | null;
}

const optional = <span className="font-normal text-slate-600">(optional)</span>;

/** The sandbox's Switch Role form, pre-filled from the link and editable, with the result below it. */
export function SwitchRoleForm({
  action,
  initial,
  initialErrors,
  mfaSerial,
  currentMfaCode,
}: SwitchRoleFormProps) {
  const [state, formAction, pending] = useActionState(action, null);
  const [edited, setEdited] = useState<Record<string, boolean>>({});
  const { values, set, bind } = useFormValues(
    { ...initial, mfaCode: currentMfaCode ?? '' },
    { onEdit: (name) => setEdited((current) => ({ ...current, [name]: true })) },
  );
  const resultRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (state) resultRef.current?.focus();
  }, [state]);

  const errors: Record<string, string[] | undefined> =
    state && !state.ok
      ? (state.fieldErrors ?? {})
      : Object.fromEntries(Object.entries(initialErrors).filter(([name]) => !edited[name]));
  const field = (name: keyof typeof values) => ({ ...bind(name), autoComplete: 'off' });
  // A link may carry any colour (the console ignores those it does not offer): one outside the
  // palette shows as one more choice, so that it is kept unless the person picks another.
  const extra = initial.color ? { hex: initial.color.toUpperCase(), name: 'From the link' } : undefined;

  return (
    <div className="flex flex-col gap-6">
      <form action={formAction} className="flex flex-col gap-5" noValidate>
        <Field
          id="switch-account"
          label="Account"
          hint="The 12-digit ID of the account the role is in."
          errors={errors.account}
        >
          {(props) => <Input {...props} {...field('account')} inputMode="numeric" mono />}
        </Field>
        <Field
          id="switch-roleName"
          label="Role"
          hint={
            <>
              The role&apos;s name, after its path without the leading slash (e.g.{' '}
              <span className="font-mono">ci/deployer</span>).
            </>
          }
          errors={errors.roleName}
        >
          {(props) => <Input {...props} {...field('roleName')} mono />}
        </Field>
        <Field
          id="switch-displayName"
          label={<>Display name {optional}</>}
          hint="Shown in the session bar; the role name when empty."
          errors={errors.displayName}
        >
          {(props) => <Input {...props} {...field('displayName')} maxLength={64} />}
        </Field>
        <ColorPicker
          id="switch-color"
          legend={<>Color {optional}</>}
          value={values.color}
          onValueChange={(color) => set('color', color)}
          errors={errors.color}
          extra={extra}
        />
        <Field
          id="switch-mfaCode"
          label={
            <>
              MFA code <span className="font-normal text-slate-600">(when the role requires MFA)</span>
            </>
          }
          hint={
            <>
              Sandbox: pre-filled with the current code of your virtual MFA device{' '}
              <span className="font-mono break-all">{mfaSerial}</span>. In real AWS it would come from your
              own MFA device. Codes change every 30 seconds; leave the field empty to switch without MFA.
            </>
          }
          errors={errors.mfaCode}
        >
          {(props) => (
            <Input
              {...props}
              {...field('mfaCode')}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              mono
              className="max-w-40 tracking-widest"
            />
          )}
        </Field>
        <div>
          <Button type="submit" disabled={pending}>
            {pending ? 'Switching…' : 'Switch Role'}
          </Button>
        </div>
      </form>
      <div ref={resultRef} tabIndex={-1} aria-live="polite" className="focus:outline-none">
        {state ? <SwitchRoleOutcome result={state} /> : null}
      </div>
    </div>
  );
}
