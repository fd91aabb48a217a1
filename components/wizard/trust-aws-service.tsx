'use client';

import { useState } from 'react';
import { Callout } from '@/components/ui/callout';
import { Checkbox, ChoiceFieldset } from '@/components/ui/choice';
import { Field } from '@/components/ui/field';
import { Input, Textarea } from '@/components/ui/input';
import type { StepProps } from '@/components/wizard/step-props';
import { filterServicePresets, patchCard, trustsEc2 } from '@/components/wizard/trust-choices';
import { fieldDomId } from '@/components/wizard/wizard-steps';
import { describeNamePrefix } from '@/lib/iam/service-presets';
import type { AwsServiceCard } from '@/lib/wizard/state';

/**
 * The *AWS service* card: the console's services and use cases, filtered as the person types
 * (the list is small and already on the page), chosen ones as removable tokens, other service
 * principals by hand, and `sts:TagSession`.
 */
export function TrustAwsService({ state, update, errors, touch, servicePresets }: StepProps) {
  const card = state.awsService;
  const set = (change: Partial<AwsServiceCard>) =>
    update((current) => patchCard(current, 'awsService', change));
  const [query, setQuery] = useState('');
  const shown = filterServicePresets(servicePresets, query);
  const chosen = card.presetIds
    .map((id) => servicePresets.find((preset) => preset.id === id))
    .filter((preset) => preset !== undefined);
  const choose = (id: string, on: boolean) =>
    update((current) => {
      const ids = current.awsService.presetIds.filter((item) => item !== id);
      return patchCard(current, 'awsService', { presetIds: on ? [...ids, id] : ids });
    });
  const listId = fieldDomId('awsService.presetIds');

  return (
    <div className="flex flex-col gap-5">
      <ChoiceFieldset
        id={listId}
        legend="Service or use case"
        errors={errors['awsService.presetIds']}
        className="gap-3"
      >
        {chosen.length > 0 ? (
          <ul aria-label="Chosen use cases" className="flex flex-wrap gap-2">
            {chosen.map((preset) => (
              <li
                key={preset.id}
                className="inline-flex items-center gap-1 rounded-full bg-indigo-50 py-0.5 pr-1 pl-3 text-sm text-indigo-950 ring-1 ring-indigo-300 ring-inset"
              >
                {preset.useCase}
                <button
                  type="button"
                  aria-label={`Remove ${preset.useCase}`}
                  onClick={() => {
                    choose(preset.id, false);
                    // The button goes with its token: keep the keyboard in the list's area.
                    document.getElementById(`${listId}-search`)?.focus();
                  }}
                  className="focus-ring rounded-full px-1.5 text-indigo-800 hover:bg-indigo-100"
                >
                  <span aria-hidden="true">×</span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-700">None chosen yet.</p>
        )}
        <Field id={`${listId}-search`} label="Search services" className="max-w-md">
          {(control) => (
            <Input
              {...control}
              type="search"
              autoComplete="off"
              placeholder="e.g. Lambda, ECS task, ec2.amazonaws.com"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
            />
          )}
        </Field>
        <p role="status" className="text-xs text-slate-600">
          {shown.length === servicePresets.length
            ? `${shown.length} use cases`
            : `${shown.length} of ${servicePresets.length} use cases match`}
        </p>
        {shown.length > 0 ? (
          <ul className="max-h-80 divide-y divide-slate-200 overflow-y-auto rounded-lg border border-slate-200 bg-white">
            {shown.map((preset) => {
              const optionId = `${listId}-${preset.id}`;
              return (
                <li key={preset.id} className="flex items-start gap-3 px-3 py-2">
                  <input
                    type="checkbox"
                    id={optionId}
                    checked={card.presetIds.includes(preset.id)}
                    onChange={(event) => choose(preset.id, event.target.checked)}
                    onBlur={() => touch('awsService.presetIds')}
                    aria-describedby={`${optionId}-details`}
                    className="focus-ring mt-1 size-4 shrink-0 accent-indigo-700"
                  />
                  <div className="flex flex-col gap-0.5 text-sm">
                    <label htmlFor={optionId} className="font-medium text-slate-900">
                      {preset.service === preset.useCase
                        ? preset.service
                        : `${preset.service}: ${preset.useCase}`}
                    </label>
                    <span id={`${optionId}-details`} className="flex flex-col gap-0.5">
                      <span className="text-slate-700">{preset.description}</span>
                      <span className="flex flex-wrap gap-x-2 text-xs text-slate-700">
                        {preset.principals.map((principal) => (
                          <code
                            key={principal}
                            className="rounded bg-slate-100 px-1 font-mono text-slate-900"
                          >
                            {principal}
                          </code>
                        ))}
                        {preset.tagSession ? <span>with sts:TagSession</span> : null}
                      </span>
                      {preset.namePrefix ? (
                        <span className="text-xs text-amber-900">
                          {describeNamePrefix(preset.namePrefix)}.
                        </span>
                      ) : null}
                    </span>
                  </div>
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="text-sm text-slate-700">
            No use case matches &ldquo;{query}&rdquo;. Type its service principal under{' '}
            <em>Other service principals</em> instead.
          </p>
        )}
      </ChoiceFieldset>

      {trustsEc2(card, servicePresets) ? (
        <Callout tone="info" headingLevel={3} title="EC2 instance profile">
          <p>An instance profile named after the role is created with it, as the console does.</p>
        </Callout>
      ) : null}

      <Field
        id={fieldDomId('awsService.otherPrincipals')}
        label="Other service principals"
        hint="For a service not listed: one per line, e.g. scheduler.amazonaws.com."
        errors={errors['awsService.otherPrincipals']}
        className="max-w-md"
      >
        {(control) => (
          <Textarea
            {...control}
            mono
            rows={3}
            spellCheck={false}
            value={card.otherPrincipals}
            onChange={(event) => set({ otherPrincipals: event.target.value })}
            onBlur={() => touch('awsService.otherPrincipals')}
          />
        )}
      </Field>

      <Checkbox
        id={fieldDomId('awsService.tagSession')}
        label="Allow session tags (sts:TagSession)"
        hint="Lets the service pass session tags when it assumes the role (EKS Pod Identity needs it)."
        checked={card.tagSession}
        onChange={(event) => set({ tagSession: event.target.checked })}
      />
    </div>
  );
}
