'use client';

import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { DescriptionList } from '@/components/ui/description-list';
import { JsonBlock } from '@/components/wizard/json-block';
import { JsonDetails, ManagedPolicyJson } from '@/components/wizard/managed-policy-json';
import { FindingCounts } from '@/components/wizard/preview-column';
import type { AccountOption } from '@/components/wizard/step-props';
import { entityLabel, stepTitle } from '@/components/wizard/wizard-steps';
import { AccessSummaryTable } from '@/components/wizard/access-summary-table';
import { POLICY_TYPE_LABELS, policyNameOfArn, policyTypeOfArn } from '@/lib/wizard/permissions';
import type { WizardPreview, WizardStepId } from '@/lib/wizard/preview-types';
import type { WizardState } from '@/lib/wizard/state';

function ReviewSection({
  id,
  title,
  editLabel,
  onEdit,
  children,
}: {
  id: string;
  title: string;
  /** What the Edit button says to a screen reader ("Edit Select trusted entity"). */
  editLabel: string;
  onEdit: () => void;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <div className="flex items-center justify-between gap-3 border-b border-slate-200 pb-2">
        <h3 id={id} className="text-base font-semibold text-slate-900">
          {title}
        </h3>
        <Button variant="secondary" size="sm" aria-label={editLabel} onClick={onEdit}>
          Edit
        </Button>
      </div>
      <div className="mt-3 flex flex-col gap-3 text-sm">{children}</div>
    </section>
  );
}

/**
 * The review on *Name, review, and create*: one section per part of the request, in the order of
 * the steps, each with an Edit button that returns to where it was entered.
 */
export function ReviewSections({
  state,
  preview,
  accounts,
  goTo,
  onEditTags,
}: {
  state: WizardState;
  preview: WizardPreview | null;
  accounts: readonly AccountOption[];
  goTo: (step: WizardStepId) => void;
  onEditTags: () => void;
}) {
  const account = accounts.find((option) => option.id === state.accountId);
  const summary = preview?.accessSummary;
  const requiredBoundary = preview?.guardrails.requiredBoundaryArn ?? null;
  const boundary = state.permissionsBoundaryArn || requiredBoundary || '';
  const access = preview?.access ?? null;
  const documents = preview?.documents ?? [];
  const serious = documents.flatMap((document) =>
    document.findings
      .filter((finding) => finding.severity === 'error' || finding.severity === 'security_warning')
      .map((finding) => ({ document, finding })),
  );
  const edit = (step: WizardStepId) => `Edit ${stepTitle(step)}`;

  return (
    <div className="flex flex-col gap-4">
      <ReviewSection
        id="review-trust"
        title={`Step 1: ${stepTitle('trust')}`}
        editLabel={edit('trust')}
        onEdit={() => goTo('trust')}
      >
        <DescriptionList
          dense
          items={[
            {
              term: 'Target account',
              details: account ? `${account.alias} (${account.id})` : state.accountId || 'Not chosen',
            },
            { term: 'Trusted entity type', details: entityLabel(state.entity) },
            { term: 'Who can assume it', details: preview?.whoCanAssume ?? 'Not complete yet' },
          ]}
        />
        {preview?.trustPolicy ? (
          <JsonDetails summary="Trust policy JSON">
            <JsonBlock text={preview.trustPolicy} className="mt-2" />
          </JsonDetails>
        ) : null}
      </ReviewSection>

      <ReviewSection
        id="review-permissions"
        title={`Step 2: ${stepTitle('permissions')}`}
        editLabel={edit('permissions')}
        onEdit={() => goTo('permissions')}
      >
        <AccessSummaryTable
          services={summary?.services ?? []}
          caption="Access by service and access level"
          unrecognizedActions={summary?.unrecognizedActions.map((entry) => entry.action) ?? []}
          emptyText="No permissions yet: the role will be able to do nothing."
        />
        <h4 className="font-semibold text-slate-900">Policies</h4>
        {state.managedPolicyArns.length + state.customPolicies.length === 0 ? (
          <p className="text-slate-700">None</p>
        ) : (
          <ul className="flex flex-col gap-2">
            {state.managedPolicyArns.map((arn) => (
              <li key={arn} className="flex flex-col gap-1">
                <span>
                  <span className="font-medium">{policyNameOfArn(arn)}</span>{' '}
                  <Badge>{POLICY_TYPE_LABELS[policyTypeOfArn(arn)]}</Badge>
                </span>
                <ManagedPolicyJson accountId={state.accountId} arn={arn} />
              </li>
            ))}
            {state.customPolicies.map((policy) => (
              <li key={policy.id} className="flex flex-col gap-1">
                <span>
                  <span className="font-medium">{policy.name || '(no name yet)'}</span>{' '}
                  <Badge tone="info">{policy.kind === 'inline' ? 'Inline' : 'New customer managed'}</Badge>
                </span>
                {policy.kind === 'managed' && policy.description ? (
                  <span className="text-slate-700">{policy.description}</span>
                ) : null}
                <JsonDetails summary="Show JSON">
                  <JsonBlock text={policy.document} className="mt-2" />
                </JsonDetails>
              </li>
            ))}
          </ul>
        )}
      </ReviewSection>

      <ReviewSection
        id="review-boundary"
        title="Permissions boundary"
        editLabel="Edit Permissions boundary"
        onEdit={() => goTo('permissions')}
      >
        <p>
          {boundary ? (
            <>
              <span className="font-mono break-all">{boundary}</span>
              {requiredBoundary && boundary === requiredBoundary ? ' (set by a guardrail)' : ''}
            </>
          ) : (
            'No permissions boundary'
          )}
        </p>
      </ReviewSection>

      <ReviewSection id="review-tags" title="Tags" editLabel="Edit Tags" onEdit={onEditTags}>
        {state.tags.length === 0 ? (
          <p className="text-slate-700">No tags (Rolesmith adds its own).</p>
        ) : (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Tags</caption>
            <thead className="border-b border-slate-200 text-xs text-slate-600 uppercase">
              <tr>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Key
                </th>
                <th scope="col" className="py-1 font-medium">
                  Value
                </th>
              </tr>
            </thead>
            <tbody>
              {state.tags.map((tag, index) => (
                <tr key={index} className="border-b border-slate-100">
                  <td className="py-1 pr-3 font-mono break-all">{tag.key}</td>
                  <td className="py-1 font-mono break-all">{tag.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </ReviewSection>

      <ReviewSection
        id="review-findings"
        title="Findings and risk flags"
        editLabel="Edit findings and risk flags (Add permissions)"
        onEdit={() => goTo('permissions')}
      >
        <FindingCounts documents={documents} />
        {serious.length > 0 ? (
          <ul className="flex flex-col gap-1">
            {serious.map(({ document, finding }, index) => (
              <li key={index}>
                <Badge tone={finding.severity === 'error' ? 'danger' : 'warning'}>
                  {finding.severity === 'error' ? 'Error' : 'Security warning'}
                </Badge>{' '}
                {document.title}, line {finding.line}: {finding.message}
              </li>
            ))}
          </ul>
        ) : null}
        {(preview?.risks ?? []).length > 0 ? (
          <ul className="flex flex-col gap-2">
            {(preview?.risks ?? []).map((risk) => (
              <li key={risk.key}>
                <span className="font-medium">{risk.title}</span>{' '}
                {state.flagJustifications[risk.key]?.trim() ? (
                  <Badge tone="success">Justified</Badge>
                ) : (
                  <Badge tone="danger">Needs a justification</Badge>
                )}
                <p className="text-slate-700">{risk.explanation}</p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-slate-700">No risk flags.</p>
        )}
      </ReviewSection>

      <section
        aria-labelledby="review-access"
        className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
      >
        <h3
          id="review-access"
          className="border-b border-slate-200 pb-2 text-base font-semibold text-slate-900"
        >
          What you will get
        </h3>
        <div className="mt-3 flex flex-col gap-3 text-sm">
          {access ? (
            <>
              <DescriptionList
                dense
                items={[{ term: 'Role ARN', details: <span className="font-mono">{access.roleArn}</span> }]}
              />
              <div>
                <h4 className="font-semibold text-slate-900">Switch role in the console</h4>
                {access.switchRole.ok ? (
                  <p className="mt-1 flex flex-wrap items-center gap-2">
                    <span className="font-mono break-all">{access.switchRole.url}</span>
                    <CopyButton text={access.switchRole.url} accessibleLabel="Copy the switch-role link" />
                  </p>
                ) : (
                  <p className="mt-1">{access.switchRole.message}</p>
                )}
              </div>
              <div>
                <div className="flex items-center justify-between gap-2">
                  <h4 className="font-semibold text-slate-900">AWS CLI profile</h4>
                  {access.cliProfile.ok ? (
                    <CopyButton text={access.cliProfile.text} accessibleLabel="Copy the AWS CLI profile" />
                  ) : null}
                </div>
                {access.cliProfile.ok ? (
                  <JsonBlock text={access.cliProfile.text} label="AWS CLI profile" className="mt-2" />
                ) : (
                  <p className="mt-1">{access.cliProfile.message}</p>
                )}
              </div>
            </>
          ) : (
            <p className="text-slate-700">
              Enter a role name to see the switch-role link and the AWS CLI profile.
            </p>
          )}
        </div>
      </section>
    </div>
  );
}
