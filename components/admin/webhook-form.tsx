'use client';

import { startTransition, useState } from 'react';
import { ExpectedVersion, SaveRow, useVersionedForm } from '@/components/admin/versioned-form';
import { Callout } from '@/components/ui/callout';
import { Checkbox, ChoiceFieldset, RadioGroup } from '@/components/ui/choice';
import { CopyButton } from '@/components/ui/copy-button';
import { Field } from '@/components/ui/field';
import { Input, Textarea } from '@/components/ui/input';
import { useFormValues } from '@/components/ui/use-form-values';
import type { SavedWebhook, WebhookEvent } from '@/lib/notifications/webhook-settings';
import type { Result } from '@/lib/result';

export interface WebhookFormValues {
  url: string;
  enabled: boolean;
  events: WebhookEvent[];
  allowedHosts: string;
}

const eventLabels: Record<WebhookEvent, { label: string; hint: string }> = {
  submitted: { label: 'Submitted', hint: 'A request was submitted for approval.' },
  approved: { label: 'Approved', hint: 'A request got its last approval and is queued to be provisioned.' },
  rejected: { label: 'Rejected', hint: 'An approver rejected a request, with a comment.' },
  provisioned: { label: 'Provisioned', hint: 'The role was created, changed or deleted as requested.' },
  failed: { label: 'Failed', hint: 'Provisioning stopped on an AWS error.' },
};

const fieldLabels: [RegExp, string][] = [
  [/^url$/, 'URL'],
  [/^events/, 'events'],
  [/^allowedHosts/, 'allowed private hosts'],
  [/^secret/, 'signing secret'],
];

/**
 * The webhook's settings, saved together (compare-and-set on `version`). The signing secret is
 * never shown: the form offers to keep it (once one is set), to generate a new one (shown here
 * once, after saving) or to enter one.
 */
export function WebhookForm({
  action,
  initial,
  version: loadedVersion,
  secretCreatedAt,
  events,
}: {
  action: (previous: Result<SavedWebhook> | null, formData: FormData) => Promise<Result<SavedWebhook>>;
  initial: WebhookFormValues;
  version: number;
  /** When the stored secret was set (ISO), or null when there is none yet. */
  secretCreatedAt: string | null;
  events: readonly WebhookEvent[];
}) {
  const { values, set, bind } = useFormValues(initial);
  const [hasSecret, setHasSecret] = useState(secretCreatedAt !== null);
  const [secretChoice, setSecretChoice] = useState(secretCreatedAt ? 'keep' : 'generate');
  const [secret, setSecret] = useState('');
  const { state, formAction, pending, version, errors, status, isError } = useVersionedForm(action, {
    version: loadedVersion,
    versionOf: (saved) => saved.settings.version,
    fieldLabels,
    savedMessage: (saved) =>
      `Webhook saved. ${saved.settings.enabled ? 'Notifications are on.' : 'Notifications are off.'}`,
    onSaved: () => {
      setHasSecret(true);
      setSecretChoice('keep');
      setSecret('');
    },
  });
  const newSecret = state?.ok ? state.value.newSecret : null;

  return (
    <form
      action={formAction}
      // Submitted from here, not through `action`: React resets a form after its action, which
      // would put the (controlled) checkboxes and radios back to how they were first rendered.
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        startTransition(() => formAction(data));
      }}
      className="flex flex-col gap-5"
      noValidate
    >
      <ExpectedVersion version={version} />
      <Field
        id="webhook-url"
        label="Endpoint URL"
        hint="Rolesmith POSTs JSON here, e.g. a Slack incoming webhook: https:// (in sandbox mode, http:// to a receiver on this machine too), without a user name or password."
        errors={errors.url}
      >
        {(props) => (
          <Input
            {...props}
            {...bind('url')}
            type="url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </Field>

      <Checkbox
        id="webhook-enabled"
        name="enabled"
        label="Send notifications"
        hint="When off, nothing is queued; Send test still works."
        checked={values.enabled}
        onChange={(event) => set('enabled', event.target.checked)}
      />

      <ChoiceFieldset id="webhook-events" legend="Events" errors={errors.events}>
        <div className="mt-1 grid gap-2 sm:grid-cols-2">
          {events.map((event) => (
            <Checkbox
              key={event}
              id={`webhook-event-${event}`}
              name="events"
              value={event}
              label={eventLabels[event].label}
              hint={eventLabels[event].hint}
              checked={values.events.includes(event)}
              onChange={(change) =>
                set(
                  'events',
                  change.target.checked
                    ? events.filter((item) => item === event || values.events.includes(item))
                    : values.events.filter((item) => item !== event),
                )
              }
            />
          ))}
        </div>
      </ChoiceFieldset>

      <RadioGroup
        id="webhook-secretChoice"
        name="secretChoice"
        legend="Signing secret"
        hint={
          hasSecret
            ? 'A secret is set. It is never shown again; replace it to get a new one.'
            : 'Receivers check each delivery’s X-Rolesmith-Signature with this secret.'
        }
        errors={errors.secretChoice}
        inline={false}
        value={secretChoice}
        onValueChange={setSecretChoice}
        options={[
          ...(hasSecret ? [{ value: 'keep', label: 'Keep the current secret' }] : []),
          {
            value: 'generate',
            label: hasSecret ? 'Replace secret with a generated one' : 'Generate a secret',
            description: 'Shown once, after saving: copy it to the receiver then.',
          },
          {
            value: 'enter',
            label: hasSecret ? 'Replace secret with one I enter' : 'Enter a secret',
            description: 'E.g. one the receiving service gave you.',
          },
        ]}
      />
      {secretChoice === 'enter' ? (
        <Field
          id="webhook-secret"
          label="New signing secret"
          hint="24 to 256 characters, no spaces."
          errors={errors.secret}
        >
          {(props) => (
            <Input
              {...props}
              name="secret"
              type="password"
              autoComplete="new-password"
              mono
              value={secret}
              onChange={(event) => setSecret(event.target.value)}
            />
          )}
        </Field>
      ) : null}

      <Field
        id="webhook-allowedHosts"
        label="Allowed private hosts"
        hint="In aws mode Rolesmith refuses to send to loopback, private, link-local and cloud-metadata addresses. List here the hosts (one per line) that may resolve to a private address, e.g. an internal chat server."
        errors={errors.allowedHosts}
      >
        {(props) => <Textarea {...props} {...bind('allowedHosts')} rows={3} mono spellCheck={false} />}
      </Field>

      {newSecret ? (
        <Callout tone="warning" title="Copy the new signing secret now" role="status">
          <p>Rolesmith stores it encrypted and will not show it again.</p>
          <div className="flex flex-wrap items-center gap-3">
            <code className="rounded bg-white px-2 py-1 font-mono text-sm break-all text-slate-900">
              {newSecret}
            </code>
            <CopyButton text={newSecret} label="Copy" accessibleLabel="Copy the signing secret" />
          </div>
        </Callout>
      ) : null}

      <SaveRow label="Save" pending={pending} status={status} isError={isError} />
    </form>
  );
}
