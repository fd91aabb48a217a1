'use client';

import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { RadioGroup } from '@/components/ui/choice';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { EmptyState } from '@/components/ui/empty-state';
import { Field, FieldErrors } from '@/components/ui/field';
import { Input, Textarea } from '@/components/ui/input';
import { PolicyEditor } from '@/components/wizard/policy-editor';
import { QuotaMeter } from '@/components/wizard/quota-meter';
import { policySize } from '@/lib/iam/policy-size';
import type { WizardFieldErrors, WizardPreview } from '@/lib/wizard/preview-types';
import {
  customPolicyTitle,
  DEFAULT_MANAGED_POLICY_QUOTA,
  managedPolicyCount,
  newCustomPolicy,
  quotaRefusal,
  otherInlinePoliciesSize,
  removeCustomPolicy,
  replaceCustomPolicy,
} from '@/lib/wizard/permissions';
import type { CustomPolicyState, WizardState } from '@/lib/wizard/state';

/** IAM's quota of inline policy characters per role (without whitespace), until the preview says. */
const defaultInlineQuota = 10_240;

/** Where a finding jumps to: a document (`policy:<id>`) and a 1-based line and column. */
export interface DocumentJump {
  documentKey: string;
  line: number;
  column: number;
  nonce: number;
}

/**
 * *Custom policies*: the role's own policies, each inline or saved as a new customer managed
 * policy (the console's *Create policy* flow without leaving the wizard), with its name, its
 * description (managed only) and the policy editor; and the meter of the inline policies' size.
 */
export function CustomPolicies({
  state,
  update,
  preview,
  errors,
  touch,
  jumpTo,
}: {
  state: WizardState;
  update: (change: (state: WizardState) => WizardState) => void;
  preview: WizardPreview | null;
  errors: WizardFieldErrors;
  touch: (field: string) => void;
  jumpTo?: DocumentJump | null;
}) {
  const policies = state.customPolicies;
  const focusId = useRef<string | null>(null);

  // A new policy's name field takes the focus once it is rendered.
  useEffect(() => {
    if (!focusId.current) return;
    document.getElementById(`wizard-customPolicies-${focusId.current}-name`)?.focus();
    focusId.current = null;
  }, [policies]);

  const inlineUsed = policies
    .filter((policy) => policy.kind === 'inline')
    .reduce((sum, policy) => sum + policySize(policy.document), 0);
  const inlineMeter = {
    used: inlineUsed,
    quota: preview?.meters.inlinePoliciesSize.quota ?? defaultInlineQuota,
    unit: 'characters (without whitespace)',
  };

  const managedQuota = preview?.meters.managedPolicies.quota ?? DEFAULT_MANAGED_POLICY_QUOTA;
  const hasManagedRoom = managedPolicyCount(state) < managedQuota;
  const [refusal, setRefusal] = useState<string | null>(null);

  function add(kind: CustomPolicyState['kind']) {
    if (kind === 'managed' && !hasManagedRoom) {
      setRefusal(quotaRefusal('a new managed policy', managedQuota));
      return;
    }
    setRefusal(null);
    const policy = newCustomPolicy(kind);
    update((current) => ({ ...current, customPolicies: [...current.customPolicies, policy] }));
    focusId.current = policy.id;
  }

  return (
    <div className="flex flex-col gap-5">
      <p className="text-sm text-slate-700">
        Write the role&rsquo;s own policies in the visual editor or as JSON. An <strong>inline policy</strong>{' '}
        belongs to this role alone; a <strong>new managed policy</strong> is created in the target account
        with its own name and description, attached to this role, and can be attached to other roles later.
      </p>
      <div data-field="customPolicies" tabIndex={-1} className="focus-ring rounded-md">
        <QuotaMeter id="inline-policies-size" label="Inline policies size" meter={inlineMeter}>
          <FieldErrors id="inline-policies-size" errors={errors.customPolicies} />
        </QuotaMeter>
      </div>

      {policies.length === 0 ? (
        <EmptyState title="No custom policies">
          Add an inline policy, or create a new managed policy, if the managed policies do not grant exactly
          what the role needs.
        </EmptyState>
      ) : (
        <ol className="flex flex-col gap-5">
          {policies.map((policy) => (
            <li key={policy.id}>
              <CustomPolicyCard
                policy={policy}
                title={customPolicyTitle(policies, policy)}
                accountId={state.accountId}
                errors={errors}
                touch={touch}
                preview={preview}
                otherInlineSize={otherInlinePoliciesSize(policies, policy.id)}
                kindRefusal={
                  hasManagedRoom
                    ? null
                    : quotaRefusal(`${customPolicyTitle(policies, policy)} as a managed policy`, managedQuota)
                }
                jumpTo={jumpTo?.documentKey === `policy:${policy.id}` ? jumpTo : null}
                onChange={(next) => update((current) => replaceCustomPolicy(current, next))}
                onRemove={() => {
                  update((current) => removeCustomPolicy(current, policy.id));
                  document.getElementById('custom-policies-add-inline')?.focus();
                }}
              />
            </li>
          ))}
        </ol>
      )}

      <div className="flex flex-col gap-2">
        <div className="flex flex-wrap gap-3">
          <Button id="custom-policies-add-inline" variant="secondary" onClick={() => add('inline')}>
            Add inline policy
          </Button>
          <Button
            variant="secondary"
            aria-describedby="custom-policies-refusal"
            onClick={() => add('managed')}
          >
            Create new managed policy
          </Button>
        </div>
        <p id="custom-policies-refusal" aria-live="assertive" className="text-sm font-medium text-red-800">
          {refusal}
        </p>
      </div>
    </div>
  );
}

function CustomPolicyCard({
  policy,
  title,
  accountId,
  errors,
  touch,
  preview,
  otherInlineSize,
  kindRefusal,
  jumpTo,
  onChange,
  onRemove,
}: {
  policy: CustomPolicyState;
  title: string;
  accountId: string;
  errors: WizardFieldErrors;
  touch: (field: string) => void;
  preview: WizardPreview | null;
  otherInlineSize: number;
  /** Set when the role has no room for one more managed policy: why it cannot become one. */
  kindRefusal: string | null;
  jumpTo: DocumentJump | null;
  onChange: (next: CustomPolicyState) => void;
  onRemove: () => void;
}) {
  const base = `customPolicies.${policy.id}`;
  // Ids as the shell's error summary finds fields (`customPolicies.<id>.name` → `wizard-customPolicies-<id>-name`).
  const domId = `wizard-customPolicies-${policy.id}`;
  const headingId = `${domId}-title`;
  const documentErrors = errors[`${base}.document`];
  const [kindMessage, setKindMessage] = useState<string | null>(null);
  const previewDocument = preview?.documents.find((candidate) => candidate.key === `policy:${policy.id}`);
  const jump = jumpTo ? { line: jumpTo.line, column: jumpTo.column, nonce: jumpTo.nonce } : null;
  return (
    <section
      id={domId}
      tabIndex={-1}
      aria-labelledby={headingId}
      className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-xs"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <h3 id={headingId} className="text-base font-semibold break-all text-slate-900">
          {title}
        </h3>
        <ConfirmButton
          title={`Remove ${title}?`}
          description="Its document is removed from this request. This cannot be undone."
          confirmLabel="Remove policy"
          accessibleLabel={`Remove ${title}`}
          onConfirm={onRemove}
        >
          Remove
        </ConfirmButton>
      </div>
      <div className="flex flex-col gap-1">
        <RadioGroup
          id={`${domId}-kind`}
          name={`${domId}-kind`}
          legend="Policy type"
          value={policy.kind}
          onValueChange={(kind) => {
            if (kind === 'managed' && kindRefusal) {
              setKindMessage(kindRefusal);
              return;
            }
            setKindMessage(null);
            onChange({ ...policy, kind: kind === 'managed' ? 'managed' : 'inline' });
          }}
          options={[
            { value: 'inline', label: 'Inline policy', description: 'Embedded in this role only.' },
            {
              value: 'managed',
              label: 'New customer managed policy',
              description: 'Created in the target account and attached to this role.',
            },
          ]}
        />
        <p aria-live="assertive" className="text-sm font-medium text-red-800">
          {kindMessage}
        </p>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Field
          id={`${domId}-name`}
          label="Policy name"
          hint="Up to 128 letters, digits and + = , . @ - _ (no spaces)."
          errors={errors[`${base}.name`]}
        >
          {(props) => (
            <Input
              {...props}
              value={policy.name}
              maxLength={128}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => onChange({ ...policy, name: event.target.value })}
              onBlur={() => touch(`${base}.name`)}
            />
          )}
        </Field>
        {policy.kind === 'managed' ? (
          <Field
            id={`${domId}-description`}
            label="Description (optional)"
            hint="Up to 1,000 characters. IAM does not let a policy’s description change after it is created."
            errors={errors[`${base}.description`]}
          >
            {(props) => (
              <Textarea
                {...props}
                rows={2}
                value={policy.description}
                maxLength={1000}
                onChange={(event) => onChange({ ...policy, description: event.target.value })}
                onBlur={() => touch(`${base}.description`)}
              />
            )}
          </Field>
        ) : null}
      </div>
      <div className="flex flex-col gap-2" data-field={`${base}.document`}>
        <FieldErrors id={`${domId}-document`} errors={documentErrors} />
        <PolicyEditor
          describedBy={documentErrors?.length ? `${domId}-document-error` : undefined}
          invalid={Boolean(documentErrors?.length)}
          policy={policy}
          onChange={onChange}
          accountId={accountId}
          findings={previewDocument?.findings}
          jumpTo={jump}
          otherInlinePoliciesSize={policy.kind === 'inline' ? otherInlineSize : 0}
        />
      </div>
    </section>
  );
}
