'use client';

import { type ReactNode } from 'react';
import { ExpectedVersion, SaveRow, useVersionedForm } from '@/components/admin/versioned-form';
import { Button, TextLink } from '@/components/ui/button';
import { FieldErrors, Field } from '@/components/ui/field';
import { Input, Textarea } from '@/components/ui/input';
import { useFormValues } from '@/components/ui/use-form-values';
import type { StoredGuardrails } from '@/lib/requests/guardrails-store';
import type { Result } from '@/lib/result';

/** The guardrails as the form edits them: every value as text. */
export interface GuardrailsFormValues {
  roleNamePrefix: string;
  pathPrefix: string;
  requiredTags: { key: string; allowedValues: string }[];
  permissionsBoundaryArn: string;
  forbiddenActions: string;
  trustedAccountAllowList: string;
  maxSessionDurationCeiling: string;
  approvalsDefault: string;
  approvalsPrivilegeEscalation: string;
}

interface GuardrailsFormProps {
  action: (
    previous: Result<StoredGuardrails> | null,
    formData: FormData,
  ) => Promise<Result<StoredGuardrails>>;
  initial: GuardrailsFormValues;
  /** The version the form was loaded at (compare-and-set). */
  version: number;
}

function Section({
  title,
  description,
  children,
}: {
  title: string;
  description: ReactNode;
  children: ReactNode;
}) {
  return (
    <fieldset className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <legend className="px-1 text-base font-semibold text-slate-900">{title}</legend>
      <p className="-mt-2 text-sm text-slate-700">{description}</p>
      {children}
    </fieldset>
  );
}

/** Names of the inputs an error key belongs to, for the summary next to the Save button. */
const fieldLabels: [RegExp, string][] = [
  [/^roleNamePrefix$/, 'role name prefix'],
  [/^pathPrefix$/, 'path prefix'],
  [/^requiredTags/, 'required tags'],
  [/^permissionsBoundaryArn$/, 'permissions boundary'],
  [/^forbiddenActions/, 'forbidden actions'],
  [/^trustedAccountAllowList/, 'trusted accounts'],
  [/^maxSessionDurationCeiling$/, 'session duration ceiling'],
  [/^approvals/, 'approvals'],
];

function hours(seconds: string): string {
  const value = Number(seconds);
  if (!Number.isFinite(value) || value <= 0) return '';
  const h = value / 3600;
  return ` Now: ${Number.isInteger(h) ? h : h.toFixed(2)} hour${h === 1 ? '' : 's'}.`;
}

/** Every guardrail in one form, saved together; errors appear under the input they concern. */
export function GuardrailsForm({ action, initial, version: loadedVersion }: GuardrailsFormProps) {
  const { values, set, bind: text } = useFormValues(initial);
  const { state, formAction, pending, version, errors, status, isError } = useVersionedForm(action, {
    version: loadedVersion,
    versionOf: (saved) => saved.version,
    fieldLabels,
    savedMessage: (saved) =>
      `Guardrails saved (version ${saved.version}). They apply to requests submitted or edited from now on.`,
  });
  const setTag = (index: number, field: 'key' | 'allowedValues', value: string) =>
    set(
      'requiredTags',
      values.requiredTags.map((tag, i) => (i === index ? { ...tag, [field]: value } : tag)),
    );
  const isConflict = state !== null && !state.ok && state.code === 'conflict';

  return (
    <form action={formAction} className="flex flex-col gap-6" noValidate>
      <ExpectedVersion version={version} />

      <Section
        title="Role names and paths"
        description="Every role Rolesmith creates must have a name starting with the prefix and a path under the path prefix."
      >
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="guardrails-roleNamePrefix"
            label="Role name prefix"
            hint="Empty: any name. Letters, digits and + = , . @ - _ (at most 32)."
            errors={errors.roleNamePrefix}
          >
            {(props) => <Input {...props} {...text('roleNamePrefix')} autoComplete="off" />}
          </Field>
          <Field
            id="guardrails-pathPrefix"
            label="Path prefix"
            hint="Starts and ends with /, e.g. /apps/. A single / allows every path."
            errors={errors.pathPrefix}
          >
            {(props) => <Input {...props} {...text('pathPrefix')} autoComplete="off" />}
          </Field>
        </div>
      </Section>

      <Section
        title="Required tags"
        description="Tags every role must carry. With allowed values, the tag's value must be one of them; without, any non-empty value will do. Keys are compared case-insensitively."
      >
        <FieldErrors id="guardrails-requiredTags" errors={errors.requiredTags} />
        {values.requiredTags.length === 0 ? (
          <p className="text-sm text-slate-600">No tags are required.</p>
        ) : (
          <ul className="flex flex-col gap-4">
            {values.requiredTags.map((tag, index) => {
              const keyName = `requiredTags.${index}.key`;
              const valuesName = `requiredTags.${index}.allowedValues`;
              return (
                <li
                  // Rows have no identity of their own; the index is their name in the form too.
                  key={index}
                  className="grid gap-3 border-b border-slate-100 pb-4 last:border-b-0 last:pb-0 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)_auto] sm:items-start"
                >
                  <Field
                    id={`guardrails-tag-${index}-key`}
                    label={`Tag key ${index + 1}`}
                    errors={errors[keyName]}
                  >
                    {(props) => (
                      <Input
                        {...props}
                        name={keyName}
                        value={tag.key}
                        onChange={(event) => setTag(index, 'key', event.target.value)}
                        autoComplete="off"
                      />
                    )}
                  </Field>
                  <Field
                    id={`guardrails-tag-${index}-values`}
                    label={`Allowed values for tag ${index + 1}`}
                    hint="Separated by commas; empty for any value."
                    errors={errors[valuesName]}
                  >
                    {(props) => (
                      <Input
                        {...props}
                        name={valuesName}
                        value={tag.allowedValues}
                        onChange={(event) => setTag(index, 'allowedValues', event.target.value)}
                        autoComplete="off"
                      />
                    )}
                  </Field>
                  <Button
                    variant="secondary"
                    className="sm:mt-6"
                    aria-label={`Remove required tag ${index + 1}${tag.key ? ` (${tag.key})` : ''}`}
                    onClick={() =>
                      set(
                        'requiredTags',
                        values.requiredTags.filter((_, i) => i !== index),
                      )
                    }
                  >
                    Remove
                  </Button>
                </li>
              );
            })}
          </ul>
        )}
        <div>
          <Button
            variant="secondary"
            onClick={() => set('requiredTags', [...values.requiredTags, { key: '', allowedValues: '' }])}
          >
            Add a required tag
          </Button>
        </div>
      </Section>

      <Section
        title="Permissions boundary"
        description="A managed policy every role must carry as its permissions boundary, capping what the role can ever do."
      >
        <Field
          id="guardrails-permissionsBoundaryArn"
          label="Boundary policy ARN"
          hint={
            <>
              Empty: no boundary is required. Write <code className="font-mono">{'{accountId}'}</code> for the
              target account, e.g. arn:aws:iam::{'{accountId}'}:policy/RolesmithBoundary.
            </>
          }
          errors={errors.permissionsBoundaryArn}
        >
          {(props) => <Input {...props} {...text('permissionsBoundaryArn')} autoComplete="off" mono />}
        </Field>
      </Section>

      <Section
        title="Forbidden actions"
        description="No policy of a role (inline, new managed, or an attached AWS managed policy) may allow these. Each is checked against the IAM action catalogue, so a typo is caught instead of forbidding nothing."
      >
        <Field
          id="guardrails-forbiddenActions"
          label="Forbidden actions, one per line"
          hint="service:Action, with * and ? wildcards as in IAM, e.g. iam:CreateUser, iam:*AccessKey*, organizations:*."
          errors={errors.forbiddenActions}
        >
          {(props) => (
            <Textarea
              {...props}
              {...text('forbiddenActions')}
              rows={Math.min(24, Math.max(6, values.forbiddenActions.split('\n').length + 1))}
              spellCheck={false}
              mono
            />
          )}
        </Field>
      </Section>

      <Section
        title="Trusted accounts"
        description="A role may trust the target accounts (the organisation's own) and the accounts listed here, e.g. a consultancy's account. Trust in any other account, or in everyone (*), is refused."
      >
        <Field
          id="guardrails-trustedAccountAllowList"
          label="Allow-listed account ids"
          hint="12-digit account ids, separated by commas or new lines."
          errors={errors.trustedAccountAllowList}
        >
          {(props) => (
            <Textarea {...props} {...text('trustedAccountAllowList')} rows={3} spellCheck={false} mono />
          )}
        </Field>
      </Section>

      <Section
        title="Sessions and approvals"
        description="The longest session a role may allow, and how many different approvers a request needs."
      >
        <div className="grid gap-4 sm:grid-cols-3">
          <Field
            id="guardrails-maxSessionDurationCeiling"
            label="Maximum session duration ceiling (seconds)"
            hint={`3600 to 43200 (1 to 12 hours).${hours(values.maxSessionDurationCeiling)}`}
            errors={errors.maxSessionDurationCeiling}
          >
            {(props) => (
              <Input
                {...props}
                {...text('maxSessionDurationCeiling')}
                type="number"
                min={3600}
                max={43200}
                step={1}
                inputMode="numeric"
              />
            )}
          </Field>
          <Field
            id="guardrails-approvalsDefault"
            label="Approvals needed"
            hint="1 to 5, for a request without a privilege-escalation flag."
            errors={errors['approvals.default']}
          >
            {(props) => (
              <Input
                {...props}
                {...text('approvalsDefault', 'approvals.default')}
                type="number"
                min={1}
                max={5}
                inputMode="numeric"
              />
            )}
          </Field>
          <Field
            id="guardrails-approvalsPrivilegeEscalation"
            label="Approvals needed with a privilege-escalation flag"
            hint="1 to 5, at least as many as above (e.g. iam:PassRole, iam:Attach*Policy)."
            errors={errors['approvals.privilegeEscalation']}
          >
            {(props) => (
              <Input
                {...props}
                {...text('approvalsPrivilegeEscalation', 'approvals.privilegeEscalation')}
                type="number"
                min={1}
                max={5}
                inputMode="numeric"
              />
            )}
          </Field>
        </div>
      </Section>

      <SaveRow label="Save guardrails" pending={pending} status={status} isError={isError}>
        {isConflict ? (
          // A full load, not a client navigation: the form must start again from the stored version.
          <TextLink href="/guardrails" fullLoad className="text-sm">
            Load the latest guardrails
          </TextLink>
        ) : null}
      </SaveRow>
    </form>
  );
}
