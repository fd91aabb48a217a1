'use client';

import { useEffect, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Tabs } from '@/components/ui/tabs';
import { BoundaryPicker } from '@/components/wizard/boundary-picker';
import { CustomPolicies } from '@/components/wizard/custom-policies';
import { ManagedPolicies } from '@/components/wizard/managed-policies';
import type { StepProps } from '@/components/wizard/step-props';
import { DEFAULT_MANAGED_POLICY_QUOTA } from '@/lib/wizard/permissions';

type PermissionsTab = 'managed' | 'custom' | 'boundary';

/**
 * Step 2, *Add permissions*, as the console's tabs: managed policies, the role's custom
 * policies (inline or new managed) and the permissions boundary. The findings, risk flags and
 * meters of the preview column are the shell's (it renders `FindingsPanel`).
 */
export function PermissionsStep({ state, update, preview, errors, touch, jumpTo }: StepProps) {
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

  // A boundary the guardrails require is preset (and locked in the picker).
  useEffect(() => {
    if (requiredBoundaryArn && state.permissionsBoundaryArn !== requiredBoundaryArn) {
      update((current) => ({ ...current, permissionsBoundaryArn: requiredBoundaryArn }));
    }
  }, [requiredBoundaryArn, state.permissionsBoundaryArn, update]);

  const count = (n: number) => (n > 0 ? <Badge tone="info">{n}</Badge> : null);

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
              <span className="inline-flex items-center gap-1.5">
                Managed policies {count(state.managedPolicyArns.length)}
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
              <span className="inline-flex items-center gap-1.5">
                Custom policies {count(state.customPolicies.length)}
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
              <span className="inline-flex items-center gap-1.5">
                Permissions boundary {state.permissionsBoundaryArn ? <Badge tone="info">Set</Badge> : null}
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
