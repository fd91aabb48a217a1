import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { CodeViewer } from '@/components/ui/code-viewer';
import { DescriptionList } from '@/components/ui/description-list';
import { AccessSummaryTable } from '@/components/wizard/access-summary-table';
import { ManagedPolicyJson } from '@/components/wizard/managed-policy-json';
import type { RoleSpec } from '@/lib/iam/role-spec';
import type { PolicyVersionRef } from '@/lib/requests/model';
import type { SpecReview } from '@/lib/requests/review';
import { POLICY_TYPE_LABELS } from '@/lib/wizard/permissions';

/** One part of "What will be created", titled as the wizard's step it comes from. */
export function ReviewPart({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section
      aria-labelledby={id}
      className="flex flex-col gap-3 border-t border-slate-200 pt-4 first:border-t-0 first:pt-0"
    >
      <h3 id={id} className="text-base font-semibold text-slate-900">
        {title}
      </h3>
      <div className="flex flex-col gap-3 text-sm">{children}</div>
    </section>
  );
}

/** A policy's JSON, folded until asked for (the console's "{ } JSON" toggle). */
function PolicyJson({ label, json }: { label: string; json: string }) {
  return (
    <details>
      <summary className="focus-ring cursor-pointer rounded-sm text-indigo-800 underline underline-offset-2">
        Show JSON
      </summary>
      <CodeViewer json={json} label={label} className="mt-2" />
    </details>
  );
}

function hours(seconds: number): string {
  const value = seconds / 3600;
  return `${value} ${value === 1 ? 'hour' : 'hours'}`;
}

/**
 * What the request will create, nothing summarised away: the trust policy (highlighted) with the
 * who-can-assume sentence, access by service and access level, each policy's JSON (inline, new
 * managed, attached managed by name), the permissions boundary, tags, session duration, path and
 * description. A server component; only a customer managed policy's JSON is fetched on demand.
 */
export function SpecReviewSections({
  spec,
  review,
  policyVersions = [],
}: {
  spec: RoleSpec;
  review: SpecReview;
  /** Customer managed policies' default versions, read at submission (kept with the request). */
  policyVersions?: readonly PolicyVersionRef[];
}) {
  const versionOf = (arn: string) => policyVersions.find((version) => version.arn === arn)?.versionId;
  return (
    <div className="flex flex-col gap-5">
      <ReviewPart id="review-trust" title="Trusted entity">
        <p className="text-slate-900">
          <span className="font-medium">Who can assume it: </span>
          {review.whoCanAssume}
        </p>
        <CodeViewer json={review.trustPolicy} label="Trust policy" />
      </ReviewPart>

      <ReviewPart id="review-permissions" title="Permissions">
        <AccessSummaryTable
          services={review.accessSummary.services}
          caption="Access by service and access level"
          unrecognizedActions={review.accessSummary.unrecognizedActions.map((entry) => entry.action)}
          emptyText="No permissions: the role will be able to do nothing."
        />
        {review.hasUnsummarizedPolicies ? (
          <p className="text-slate-700">
            Customer managed policies are read from the account, so their access is not in this table: open
            each one’s JSON below.
          </p>
        ) : null}
        <h4 className="font-semibold text-slate-900">Policies</h4>
        {review.managedPolicies.length + spec.inlinePolicies.length + spec.newManagedPolicies.length === 0 ? (
          <p className="text-slate-700">None</p>
        ) : (
          <ul className="flex flex-col gap-3">
            {review.managedPolicies.map((policy) => (
              <li key={policy.arn} className="flex flex-col gap-1">
                <span>
                  <span className="font-medium">{policy.name}</span>{' '}
                  <Badge>{POLICY_TYPE_LABELS[policy.type]}</Badge>
                </span>
                <span className="font-mono text-xs break-all text-slate-600">{policy.arn}</span>
                {versionOf(policy.arn) ? (
                  <span className="text-slate-700">
                    Default version {versionOf(policy.arn)} when submitted: Rolesmith refuses to create the
                    role if it changed since.
                  </span>
                ) : null}
                {policy.document !== null ? (
                  <PolicyJson label={`Managed policy ${policy.name}`} json={policy.document} />
                ) : (
                  <ManagedPolicyJson accountId={spec.accountId} arn={policy.arn} />
                )}
              </li>
            ))}
            {spec.inlinePolicies.map((policy) => (
              <li key={`inline-${policy.name}`} className="flex flex-col gap-1">
                <span>
                  <span className="font-medium">{policy.name}</span> <Badge tone="info">Inline</Badge>
                </span>
                <CodeViewer json={policy.document} label={`Inline policy ${policy.name}`} />
              </li>
            ))}
            {spec.newManagedPolicies.map((policy) => (
              <li key={`managed-${policy.name}`} className="flex flex-col gap-1">
                <span>
                  <span className="font-medium">{policy.name}</span>{' '}
                  <Badge tone="info">New customer managed</Badge>
                </span>
                {policy.description ? <span className="text-slate-700">{policy.description}</span> : null}
                <CodeViewer json={policy.document} label={`New managed policy ${policy.name}`} />
              </li>
            ))}
          </ul>
        )}
      </ReviewPart>

      <ReviewPart id="review-boundary" title="Permissions boundary">
        <p>
          {spec.permissionsBoundaryArn ? (
            <span className="font-mono break-all">
              {spec.permissionsBoundaryArn}
              {versionOf(spec.permissionsBoundaryArn)
                ? ` (default version ${versionOf(spec.permissionsBoundaryArn)} when submitted)`
                : ''}
            </span>
          ) : (
            'No permissions boundary'
          )}
        </p>
      </ReviewPart>

      <ReviewPart id="review-details" title="Role details">
        <DescriptionList
          dense
          items={[
            { term: 'Role name', details: <span className="font-mono break-all">{spec.name}</span> },
            { term: 'Path', details: <span className="font-mono">{spec.path}</span> },
            { term: 'Maximum session duration', details: hours(spec.maxSessionDuration) },
            { term: 'Description', details: spec.description || 'None' },
          ]}
        />
      </ReviewPart>

      <ReviewPart id="review-tags" title="Tags">
        {spec.tags.length === 0 ? (
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
              {spec.tags.map((tag) => (
                <tr key={tag.key} className="border-b border-slate-100">
                  <td className="py-1 pr-3 font-mono break-all">{tag.key}</td>
                  <td className="py-1 font-mono break-all">{tag.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </ReviewPart>
    </div>
  );
}
