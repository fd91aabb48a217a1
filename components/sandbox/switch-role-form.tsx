'use client';

import { useActionState, useEffect, useRef, useState } from 'react';
import { SwitchRoleOutcome } from '@/components/sandbox/switch-role-outcome';
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

/** The console's switch-role colours, with the names the console shows. */
const palette = [
  { hex: 'F2B0A9', name: 'Red' },
  { hex: 'FBBF93', name: 'Orange' },
  { hex: 'FAD791', name: 'Yellow' },
  { hex: 'B7CA9D', name: 'Green' },
  { hex: '99BCE3', name: 'Blue' },
] as const;

const inputClass =
  'w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600 aria-[invalid=true]:border-red-600';

/** The sandbox's Switch Role form, pre-filled from the link and editable, with the result below it. */
export function SwitchRoleForm({
  action,
  initial,
  initialErrors,
  mfaSerial,
  currentMfaCode,
}: SwitchRoleFormProps) {
  const [state, formAction, pending] = useActionState(action, null);
  const [values, setValues] = useState({ ...initial, mfaCode: currentMfaCode ?? '' });
  const [edited, setEdited] = useState<Record<string, boolean>>({});
  const resultRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (state) resultRef.current?.focus();
  }, [state]);

  const errors: Record<string, string[] | undefined> =
    state && !state.ok
      ? (state.fieldErrors ?? {})
      : Object.fromEntries(Object.entries(initialErrors).filter(([name]) => !edited[name]));
  const colors =
    palette.some((entry) => entry.hex === values.color) || values.color === ''
      ? palette
      : [...palette, { hex: values.color, name: 'From the link' }];

  const field = (name: keyof typeof values) => ({
    name,
    id: `switch-${name}`,
    value: values[name],
    onChange: (event: { target: { value: string } }) => {
      setValues({ ...values, [name]: event.target.value });
      setEdited({ ...edited, [name]: true });
    },
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': [errors[name] ? `switch-${name}-error` : '', `switch-${name}-help`].join(' ').trim(),
  });
  const fieldError = (name: string) =>
    errors[name] ? (
      <p id={`switch-${name}-error`} className="text-sm text-red-700">
        {errors[name].join(' ')}
      </p>
    ) : null;

  return (
    <div className="flex flex-col gap-6">
      <form action={formAction} className="flex flex-col gap-5" noValidate>
        <div className="flex flex-col gap-1">
          <label htmlFor="switch-account" className="text-sm font-medium">
            Account
          </label>
          <input
            {...field('account')}
            inputMode="numeric"
            autoComplete="off"
            className={`${inputClass} font-mono`}
          />
          <p id="switch-account-help" className="text-xs text-slate-600">
            The 12-digit ID of the account the role is in.
          </p>
          {fieldError('account')}
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="switch-roleName" className="text-sm font-medium">
            Role
          </label>
          <input {...field('roleName')} autoComplete="off" className={`${inputClass} font-mono`} />
          <p id="switch-roleName-help" className="text-xs text-slate-600">
            The role&apos;s name, after its path without the leading slash (e.g.{' '}
            <span className="font-mono">ci/deployer</span>).
          </p>
          {fieldError('roleName')}
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="switch-displayName" className="text-sm font-medium">
            Display name <span className="font-normal text-slate-600">(optional)</span>
          </label>
          <input {...field('displayName')} maxLength={64} autoComplete="off" className={inputClass} />
          <p id="switch-displayName-help" className="text-xs text-slate-600">
            Shown in the session bar; the role name when empty.
          </p>
          {fieldError('displayName')}
        </div>
        <fieldset
          className="flex flex-col gap-2"
          aria-describedby={errors.color ? 'switch-color-error' : undefined}
        >
          <legend className="text-sm font-medium">
            Color <span className="font-normal text-slate-600">(optional)</span>
          </legend>
          <div className="flex flex-wrap gap-3">
            {colors.map((entry) => (
              <label key={entry.hex} className="flex cursor-pointer items-center gap-2 text-sm">
                <input
                  type="radio"
                  name="color"
                  value={entry.hex}
                  checked={values.color === entry.hex}
                  onChange={() => {
                    setValues({ ...values, color: entry.hex });
                    setEdited({ ...edited, color: true });
                  }}
                  className="peer sr-only"
                />
                <span
                  aria-hidden="true"
                  className="h-7 w-7 rounded-full border border-slate-400 peer-checked:ring-2 peer-checked:ring-slate-900 peer-checked:ring-offset-2 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-4 peer-focus-visible:outline-indigo-600"
                  style={{ backgroundColor: `#${entry.hex}` }}
                />
                <span>{entry.name}</span>
              </label>
            ))}
          </div>
          {fieldError('color')}
        </fieldset>
        <div className="flex flex-col gap-1">
          <label htmlFor="switch-mfaCode" className="text-sm font-medium">
            MFA code <span className="font-normal text-slate-600">(when the role requires MFA)</span>
          </label>
          <input
            {...field('mfaCode')}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            className={`${inputClass} max-w-40 font-mono tracking-widest`}
          />
          <p id="switch-mfaCode-help" className="text-xs text-slate-600">
            Sandbox: pre-filled with the current code of your virtual MFA device{' '}
            <span className="font-mono break-all">{mfaSerial}</span>. In real AWS it would come from your own
            MFA device. Codes change every 30 seconds; leave the field empty to switch without MFA.
          </p>
          {fieldError('mfaCode')}
        </div>
        <div>
          <button
            type="submit"
            disabled={pending}
            className="inline-flex items-center justify-center rounded-md bg-indigo-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:bg-indigo-300"
          >
            {pending ? 'Switching…' : 'Switch Role'}
          </button>
        </div>
      </form>
      <div ref={resultRef} tabIndex={-1} aria-live="polite" className="focus:outline-none">
        {state ? <SwitchRoleOutcome result={state} /> : null}
      </div>
    </div>
  );
}
