'use client';

import { useEffect, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Tabs } from '@/components/ui/tabs';
import { BoundaryPicker } from '@/components/wizard/boundary-picker';
import { CustomPolicies } from '@/components/wizard/custom-policies';
import { ManagedPolicies } from '@/components/wizard/managed-policies';
import type { StepProps } from '@/components/wizard/step-props';
import {
  DEFAULT_MANAGED_POLICY_QUOTA,
  errorCountsPerTab,
  tabOfField,
  PERMISSIONS_TABS,
  type PermissionsTab,
} from '@/lib/wizard/permissions';

/**
 * Step 2, *Add permissions*, as the console's tabs: managed policies, the role's custom
 * policies (inline or new managed) and the permissions boundary. The findings, risk flags and
 * meters of the preview column are the shell's (it renders `FindingsPanel`).
 */
export function PermissionsStep({ state, update, preview, errors, touch, jumpTo, revealField }: StepProps) {
  const [tab, setTab] = useState<PermissionsTab>('managed');
  const requiredBoundaryArn = preview?.guardrails.requiredBoundaryArn ?? null;
  const managedMeter = preview?.meters.managedPolicies ?? {
    used: state.managedPolicyArns.length,
    quota: DEFAULT_MANAGED_POLICY_QUOTA,
    unit: 'managed policies',
  };

  // A finding in a custom policy opens its tab (the editor then moves to the spot).
  const [seenJump, setSeenJump] = useState(jumpTo);
  if (jumpTo !== seenJump) {
    setSeenJump(jumpTo);
    if (jumpTo?.documentKey.startsWith('policy:')) setTab('custom');
  }

  // The error summary points at a field in a closed tab: open that tab (the shell focuses the field).
  const [seenReveal, setSeenReveal] = useState(revealField);
  if (revealField !== seenReveal) {
    setSeenReveal(revealField);
    const holder = revealField ? tabOfField(revealField.field) : null;
    if (holder) setTab(holder);
  }

  // A boundary the guardrails require is preset (and locked in the picker).
  useEffect(() => {
    if (requiredBoundaryArn && state.permissionsBoundaryArn !== requiredBoundaryArn) {
      update((current) => ({ ...current, permissionsBoundaryArn: requiredBoundaryArn }));
    }
  }, [requiredBoundaryArn, state.permissionsBoundaryArn, update]);

  // When the errors shown change (Next was pressed) and the open tab has none, open the first that has.
  const errorsPerTab = errorCountsPerTab(errors);
  const errorSignature = Object.keys(errors).sort().join('|');
  const [seenErrors, setSeenErrors] = useState(errorSignature);
  if (errorSignature !== seenErrors) {
    setSeenErrors(errorSignature);
    const firstWithErrors = PERMISSIONS_TABS.find((id) => errorsPerTab[id] > 0);
    if (errorsPerTab[tab] === 0 && firstWithErrors) setTab(firstWithErrors);
  }

  // A tab's badge: its errors when it has some, else how many things it holds.
  const badge = (id: PermissionsTab, content: string | null) =>
    errorsPerTab[id] > 0 ? (
      <Badge tone="danger">
        {errorsPerTab[id]} {errorsPerTab[id] === 1 ? 'error' : 'errors'}
      </Badge>
    ) : content ? (
      <Badge tone="info">{content}</Badge>
    ) : null;
  const countOf = (n: number) => (n > 0 ? String(n) : null);

  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-slate-700">
        Attach managed policies, write the role&rsquo;s own policies, and optionally set a permissions
        boundary. Inline policies and the maximum session duration (on the next step) are set here, in this
        wizard: the IAM console allows both only after the role is created.
      </p>
      <Tabs
        label="Add permissions"
        selectedTab={tab}
        onSelectTab={(id) => setTab(id as PermissionsTab)}
        tabs={[
          {
            id: 'managed',
            label: (
              <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
                Managed policies {badge('managed', countOf(state.managedPolicyArns.length))}
              </span>
            ),
            content: (
              <ManagedPolicies
                state={state}
                update={update}
                meter={managedMeter}
                errors={errors.managedPolicyArns}
              />
            ),
          },
          {
            id: 'custom',
            label: (
              <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
                Custom policies {badge('custom', countOf(state.customPolicies.length))}
              </span>
            ),
            content: (
              <CustomPolicies
                state={state}
                update={update}
                preview={preview}
                errors={errors}
                touch={touch}
                jumpTo={jumpTo}
              />
            ),
          },
          {
            id: 'boundary',
            label: (
              <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
                Permissions boundary {badge('boundary', state.permissionsBoundaryArn ? 'Set' : null)}
              </span>
            ),
            content: (
              <BoundaryPicker
                state={state}
                update={update}
                requiredBoundaryArn={requiredBoundaryArn}
                errors={errors.permissionsBoundaryArn}
              />
            ),
          },
        ]}
      />
    </div>
  );
}
