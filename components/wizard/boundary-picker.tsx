'use client';

import { useId, useState, type ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { RadioGroup } from '@/components/ui/choice';
import { FieldErrors } from '@/components/ui/field';
import { PolicyDetails } from '@/components/wizard/policy-details';
import { PolicySearchFields, usePolicySearch } from '@/components/wizard/policy-search';
import { POLICY_TYPE_LABELS, policyNameOfArn, policyTypeOfArn } from '@/lib/wizard/permissions';
import type { WizardState } from '@/lib/wizard/state';

/**
 * *Permissions boundary*: none, or one managed policy picked by the same search as the managed
 * policies. When a guardrail requires a boundary it is preset, and locked with a sentence why.
 */
export function BoundaryPicker({
  state,
  update,
  requiredBoundaryArn,
  errors,
}: {
  state: WizardState;
  update: (change: (state: WizardState) => WizardState) => void;
  /** The guardrails' boundary (preset and locked), or null. */
  requiredBoundaryArn: string | null;
  /** Errors of `permissionsBoundaryArn`. */
  errors?: readonly string[];
}) {
  const id = useId();
  const chosen = state.permissionsBoundaryArn;
  // "Use a permissions boundary" stays chosen while the person searches, before a policy is picked.
  const [wantsBoundary, setWantsBoundary] = useState(Boolean(chosen));
  const [showDetails, setShowDetails] = useState(false);

  if (requiredBoundaryArn) {
    const name = policyNameOfArn(requiredBoundaryArn);
    return (
      <div className="flex flex-col gap-4" data-field="permissionsBoundaryArn">
        <Callout tone="info" title="Permissions boundary set by guardrails" headingLevel={3}>
          <p>Your organisation&rsquo;s guardrails require this boundary.</p>
        </Callout>
        <SelectedBoundary arn={requiredBoundaryArn} />
        <DetailsToggle
          accountId={state.accountId}
          arn={requiredBoundaryArn}
          name={name}
          open={showDetails}
          onToggle={() => setShowDetails(!showDetails)}
        />
        <FieldErrors id={`${id}-boundary`} errors={errors} />
      </div>
    );
  }

  const usesBoundary = wantsBoundary || Boolean(chosen);
  return (
    <div className="flex flex-col gap-4" data-field="permissionsBoundaryArn">
      <p className="text-sm text-slate-700">
        A permissions boundary is a managed policy that sets the most this role&rsquo;s policies can grant:
        the role may do only what both its permissions and its boundary allow.
      </p>
      <RadioGroup
        id={`${id}-boundary`}
        name="permissionsBoundary"
        legend="Permissions boundary"
        inline={false}
        value={usesBoundary ? 'use' : 'none'}
        onValueChange={(value) => {
          setWantsBoundary(value === 'use');
          if (value === 'none') update((current) => ({ ...current, permissionsBoundaryArn: '' }));
        }}
        options={[
          {
            value: 'none',
            label: 'No boundary',
            description: 'The role’s policies alone decide what it may do.',
          },
          {
            value: 'use',
            label: 'Use a permissions boundary',
            description: 'Pick a managed policy to limit the role’s maximum permissions.',
          },
        ]}
        errors={errors}
      />
      {usesBoundary ? (
        chosen ? (
          <div className="flex flex-col gap-2">
            <SelectedBoundary arn={chosen}>
              <Button
                variant="ghost"
                size="sm"
                aria-label={`Change the boundary ${policyNameOfArn(chosen)}`}
                onClick={() => update((current) => ({ ...current, permissionsBoundaryArn: '' }))}
              >
                Change
              </Button>
            </SelectedBoundary>
            <DetailsToggle
              accountId={state.accountId}
              arn={chosen}
              name={policyNameOfArn(chosen)}
              open={showDetails}
              onToggle={() => setShowDetails(!showDetails)}
            />
          </div>
        ) : (
          <BoundarySearch
            accountId={state.accountId}
            onPick={(arn) => update((current) => ({ ...current, permissionsBoundaryArn: arn }))}
          />
        )
      ) : null}
    </div>
  );
}

function SelectedBoundary({ arn, children }: { arn: string; children?: ReactNode }) {
  return (
    <div className="flex items-center justify-between gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm">
      <span className="flex min-w-0 flex-col">
        <span className="flex flex-wrap items-center gap-2">
          <span className="font-medium text-slate-900">Boundary: {policyNameOfArn(arn)}</span>
          <Badge>{POLICY_TYPE_LABELS[policyTypeOfArn(arn)]}</Badge>
        </span>
        <span className="font-mono text-xs break-all text-slate-600">{arn}</span>
      </span>
      {children}
    </div>
  );
}

function DetailsToggle({
  accountId,
  arn,
  name,
  open,
  onToggle,
}: {
  accountId: string;
  arn: string;
  name: string;
  open: boolean;
  onToggle: () => void;
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-2">
      <div>
        <Button
          variant="secondary"
          size="sm"
          aria-expanded={open}
          aria-controls={open ? id : undefined}
          onClick={onToggle}
        >
          {open ? `Hide ${name} details` : `Show ${name} details`}
        </Button>
      </div>
      {open ? (
        <div id={id} className="rounded-lg border border-slate-200 bg-slate-50 p-3">
          <PolicyDetails key={arn} accountId={accountId} arn={arn} name={name} />
        </div>
      ) : null}
    </div>
  );
}

function BoundarySearch({ accountId, onPick }: { accountId: string; onPick: (arn: string) => void }) {
  const id = useId();
  const search = usePolicySearch(accountId);
  if (!accountId) {
    return <p className="text-sm text-slate-700">Choose the target account on step 1 to pick a boundary.</p>;
  }
  return (
    <div className="flex flex-col gap-2">
      <PolicySearchFields id={`${id}-search`} search={search} label="Search for a boundary policy" />
      {search.policies.length > 0 ? (
        <ul className="flex max-h-80 flex-col divide-y divide-slate-200 overflow-y-auto rounded-lg border border-slate-200 bg-white">
          {search.policies.map((policy) => (
            <li key={policy.arn} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
              <span className="flex min-w-0 flex-wrap items-center gap-2">
                <span className="font-medium break-all text-slate-900">{policy.name}</span>
                <Badge>{POLICY_TYPE_LABELS[policy.type]}</Badge>
              </span>
              <Button
                variant="secondary"
                size="sm"
                aria-label={`Use ${policy.name} as the boundary`}
                onClick={() => onPick(policy.arn)}
              >
                Use as boundary
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      {search.hasMore ? (
        <div>
          <Button variant="secondary" onClick={search.loadMore} disabled={search.loading}>
            Show more policies
          </Button>
        </div>
      ) : null}
    </div>
  );
}
