'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { FieldErrors } from '@/components/ui/field';
import { PolicyDetails } from '@/components/wizard/policy-details';
import { PolicySearchFields, usePolicySearch } from '@/components/wizard/policy-search';
import { QuotaMeter } from '@/components/wizard/quota-meter';
import type { QuotaMeter as QuotaMeterValue } from '@/lib/wizard/preview-types';
import {
  managedPolicyCount,
  POLICY_TYPE_LABELS,
  policyNameOfArn,
  policyTypeOfArn,
  quotaRefusal,
  toggleManagedPolicy,
} from '@/lib/wizard/permissions';
import type { WizardState } from '@/lib/wizard/state';

/**
 * *Managed policies*: search the account's managed policies (AWS managed and customer managed)
 * as you type, filter by type, select with a checkbox against the quota (an attempt beyond it
 * is refused with a sentence beside the meter), see a policy's access summary and JSON, and
 * remove selected ones.
 */
export function ManagedPolicies({
  state,
  update,
  meter,
  errors,
}: {
  state: WizardState;
  update: (change: (state: WizardState) => WizardState) => void;
  /** The preview's meter (its quota is the account's own where IAM reports it). */
  meter: QuotaMeterValue;
  /** Errors of `managedPolicyArns`. */
  errors?: readonly string[];
}) {
  const id = useId();
  const search = usePolicySearch(state.accountId);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [open, setOpen] = useState<{ arn: string; name: string } | null>(null);
  const detailsHeading = useRef<HTMLHeadingElement>(null);
  const detailsId = `${id}-details`;

  // The details panel sits under the table: opening it moves the focus (and the view) to it.
  useEffect(() => {
    if (!open) return;
    detailsHeading.current?.focus();
    detailsHeading.current?.scrollIntoView({ block: 'nearest' });
  }, [open]);

  function closeDetails() {
    if (!open) return;
    const arn = open.arn;
    setOpen(null);
    document.getElementById(`${id}-details-button-${arn}`)?.focus();
  }
  const selected = state.managedPolicyArns;
  // Counted here, not from the preview, so that the meter moves with each click.
  const newManaged = state.customPolicies.filter((policy) => policy.kind === 'managed').length;
  const shownMeter = { ...meter, used: managedPolicyCount(state), unit: 'selected' };
  const showDescriptions = search.policies.some((policy) => policy.description);

  function toggle(arn: string) {
    const outcome = toggleManagedPolicy(state, arn, meter.quota);
    if (outcome.refused) {
      setRefusal(quotaRefusal(policyNameOfArn(arn), meter.quota));
      return;
    }
    setRefusal(null);
    update((current) => toggleManagedPolicy(current, arn, meter.quota).state);
  }

  function remove(arn: string) {
    setRefusal(null);
    update((current) => ({
      ...current,
      managedPolicyArns: current.managedPolicyArns.filter((a) => a !== arn),
    }));
  }

  if (!state.accountId) {
    return (
      <p className="text-sm text-slate-700">
        Choose the target account on step 1 to see its managed policies.
      </p>
    );
  }

  return (
    <div className="flex flex-col gap-5">
      <p className="text-sm text-slate-700">
        Attach up to {meter.quota} managed policies: AWS managed ones, and the customer managed policies of
        the target account. The new managed policies this role creates count too.
      </p>
      <QuotaMeter id={`${id}-meter`} label="Managed policies" meter={shownMeter}>
        {newManaged > 0 ? (
          <p className="text-xs text-slate-600">
            {selected.length} attached here, and {newManaged} new managed{' '}
            {newManaged === 1 ? 'policy' : 'policies'} (Custom policies).
          </p>
        ) : null}
        <p id={`${id}-refusal`} aria-live="assertive" className="text-sm font-medium text-red-800">
          {refusal}
        </p>
        <FieldErrors id={`${id}-meter`} errors={errors} />
      </QuotaMeter>

      <section
        aria-labelledby={`${id}-selected`}
        data-field="managedPolicyArns"
        tabIndex={-1}
        className="focus-ring flex flex-col gap-2 rounded-md"
      >
        <h3 id={`${id}-selected`} className="text-sm font-semibold text-slate-900">
          Selected policies ({selected.length})
        </h3>
        {selected.length === 0 ? (
          <p className="text-sm text-slate-700">None yet: select policies in the table below.</p>
        ) : (
          <ul className="flex flex-col divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
            {selected.map((arn) => {
              const name = policyNameOfArn(arn);
              return (
                <li key={arn} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
                  <span className="flex min-w-0 flex-wrap items-center gap-2">
                    <span className="font-medium break-all text-slate-900">{name}</span>
                    <Badge>{POLICY_TYPE_LABELS[policyTypeOfArn(arn)]}</Badge>
                  </span>
                  <Button variant="ghost" size="sm" aria-label={`Remove ${name}`} onClick={() => remove(arn)}>
                    Remove
                  </Button>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby={`${id}-available`} className="flex flex-col gap-3">
        <h3 id={`${id}-available`} className="text-sm font-semibold text-slate-900">
          Available policies
        </h3>
        <PolicySearchFields id={`${id}-search`} search={search} />
        {search.policies.length > 0 ? (
          <div
            role="region"
            aria-label="Managed policies matching the search"
            tabIndex={0}
            className="focus-ring max-h-[32rem] overflow-auto rounded-lg border border-slate-200 bg-white"
          >
            <table className="w-full border-collapse text-left text-sm">
              <caption className="sr-only">Managed policies matching the search</caption>
              <thead className="sticky top-0 z-10 bg-slate-50">
                <tr className="border-b border-slate-300">
                  <th scope="col" className="w-10 px-3 py-2 font-medium text-slate-900">
                    <span className="sr-only">Selected</span>
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium text-slate-900">
                    Policy name
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium text-slate-900">
                    Type
                  </th>
                  {showDescriptions ? (
                    <th scope="col" className="px-3 py-2 font-medium text-slate-900">
                      Description
                    </th>
                  ) : null}
                  <th scope="col" className="px-3 py-2 font-medium text-slate-900">
                    <span className="sr-only">Details</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {search.policies.map((policy) => {
                  const isSelected = selected.includes(policy.arn);
                  const isOpen = open?.arn === policy.arn;
                  const checkboxId = `${id}-select-${policy.arn}`;
                  return (
                    <tr
                      key={policy.arn}
                      className={`border-b border-slate-200 ${isSelected ? 'bg-indigo-50' : ''}`}
                    >
                      <td className="px-3 py-2 align-middle">
                        <input
                          type="checkbox"
                          id={checkboxId}
                          checked={isSelected}
                          onChange={() => toggle(policy.arn)}
                          aria-label={`Select ${policy.name}`}
                          aria-describedby={`${id}-refusal`}
                          className="focus-ring size-4 accent-indigo-700"
                        />
                      </td>
                      <th scope="row" className="px-3 py-2 font-medium break-all text-slate-900">
                        <label htmlFor={checkboxId} className="cursor-pointer">
                          {policy.name}
                        </label>
                      </th>
                      <td className="px-3 py-2 whitespace-nowrap text-slate-700">
                        {POLICY_TYPE_LABELS[policy.type]}
                      </td>
                      {showDescriptions ? (
                        <td className="px-3 py-2 text-slate-700">{policy.description ?? ''}</td>
                      ) : null}
                      <td className="px-3 py-2 text-right">
                        <Button
                          id={`${id}-details-button-${policy.arn}`}
                          variant="ghost"
                          size="sm"
                          aria-expanded={isOpen}
                          aria-controls={isOpen ? detailsId : undefined}
                          aria-label={`${isOpen ? 'Hide' : 'Show'} ${policy.name} details`}
                          onClick={() =>
                            isOpen ? closeDetails() : setOpen({ arn: policy.arn, name: policy.name })
                          }
                        >
                          {isOpen ? 'Hide' : 'Details'}
                        </Button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
        {search.hasMore ? (
          <div>
            <Button variant="secondary" onClick={search.loadMore} disabled={search.loading}>
              Show more policies
            </Button>
          </div>
        ) : null}
        {open ? (
          <section
            id={detailsId}
            aria-labelledby={`${detailsId}-title`}
            className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4"
          >
            <div className="flex items-center justify-between gap-3">
              <h4
                id={`${detailsId}-title`}
                ref={detailsHeading}
                tabIndex={-1}
                className="focus-ring rounded-sm text-base font-semibold break-all text-slate-900"
              >
                {open.name}
              </h4>
              <Button
                variant="secondary"
                size="sm"
                aria-label={`Close ${open.name} details`}
                onClick={closeDetails}
              >
                Close
              </Button>
            </div>
            <PolicyDetails
              key={open.arn}
              accountId={state.accountId}
              arn={open.arn}
              name={open.name}
              headingLevel={5}
            />
          </section>
        ) : null}
      </section>
    </div>
  );
}
