import { Badge } from '@/components/ui/badge';
import { CodeViewer } from '@/components/ui/code-viewer';
import { AccessSummaryTable } from '@/components/wizard/access-summary-table';
import type { RoleSpec } from '@/lib/iam/role-spec';
import { summarizeRoleAccess, type RolePolicyView } from '@/lib/requests/role-access';
import { provisionerIam } from '@/lib/wizard/account-reads';

const typeLabel: Record<RolePolicyView['type'], string> = {
  aws: 'AWS managed',
  created: 'Customer managed (created with the role)',
  customer: 'Customer managed',
  inline: 'Inline',
};

/** JSON folded until asked for, with the policy's own access summary. */
function PolicyDetails({ policy }: { policy: RolePolicyView }) {
  if (policy.document === null)
    return (
      <p className="text-sm text-slate-700">
        {policy.unreadable ??
          'Rolesmith did not create this policy, so it keeps no copy of its document; it is in the account.'}
      </p>
    );
  return (
    <details>
      <summary className="focus-ring cursor-pointer rounded-sm text-sm text-indigo-800 underline underline-offset-2">
        JSON and access summary of {policy.name}
      </summary>
      <div className="mt-2 flex flex-col gap-3">
        {policy.type === 'customer' ? (
          <p className="text-sm text-slate-700">
            Its default version, read from the account now (Rolesmith did not create this policy).
          </p>
        ) : null}
        <AccessSummaryTable
          services={policy.access?.services ?? []}
          caption={`Access granted by ${policy.name}`}
          unrecognizedActions={policy.access?.unrecognizedActions.map((entry) => entry.action) ?? []}
        />
        <CodeViewer json={policy.document} label={`${policy.name} policy document`} />
      </div>
    </details>
  );
}

function PolicyList({ title, policies }: { title: string; policies: readonly RolePolicyView[] }) {
  return (
    <section className="flex flex-col gap-2" aria-label={title}>
      <h3 className="text-base font-semibold text-slate-900">
        {title} <span className="font-normal text-slate-600">({policies.length})</span>
      </h3>
      {policies.length === 0 ? (
        <p className="text-sm text-slate-700">None</p>
      ) : (
        <ul className="flex flex-col divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
          {policies.map((policy) => (
            <li key={`${policy.type}:${policy.name}`} className="flex flex-col gap-2 px-4 py-3">
              <span className="flex flex-wrap items-center gap-2">
                <span className="font-medium text-slate-900">{policy.name}</span>
                <Badge tone={policy.type === 'aws' ? 'neutral' : 'info'}>{typeLabel[policy.type]}</Badge>
              </span>
              {policy.arn ? (
                <span className="font-mono text-xs break-all text-slate-700">{policy.arn}</span>
              ) : null}
              <PolicyDetails policy={policy} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * *Permissions*: the access summary by service and access level (as the wizard shows it), the
 * managed and inline policies (JSON and each one's summary on demand; customer managed policies
 * Rolesmith did not create read from the account), and the boundary. Async (reads the IAM
 * catalogue and the account): the page streams it behind a Suspense boundary.
 */
export async function RolePermissionsSection({ spec }: { spec: RoleSpec }) {
  const { policies, access, unknownPolicies } = await summarizeRoleAccess(spec, {
    accountIam: provisionerIam,
  });
  return (
    <div className="flex flex-col gap-5">
      <section className="flex flex-col gap-2" aria-labelledby="permissions-access">
        <h3 id="permissions-access" className="text-base font-semibold text-slate-900">
          Access by service and access level
        </h3>
        <AccessSummaryTable
          services={access.services}
          caption="Access by service and access level"
          unrecognizedActions={access.unrecognizedActions.map((entry) => entry.action)}
          emptyText="The role's policies grant no access."
        />
        {unknownPolicies.length > 0 ? (
          <p className="text-sm text-slate-700">
            Not included: {unknownPolicies.join(', ')} (their documents could not be read from the account).
          </p>
        ) : null}
        {spec.permissionsBoundaryArn ? (
          <p className="text-sm text-slate-700">The permissions boundary limits this access further.</p>
        ) : null}
      </section>
      <PolicyList title="Managed policies" policies={policies.filter((policy) => policy.type !== 'inline')} />
      <PolicyList title="Inline policies" policies={policies.filter((policy) => policy.type === 'inline')} />
      <section className="flex flex-col gap-1" aria-labelledby="permissions-boundary">
        <h3 id="permissions-boundary" className="text-base font-semibold text-slate-900">
          Permissions boundary
        </h3>
        {spec.permissionsBoundaryArn ? (
          <span className="font-mono text-xs break-all text-slate-900">{spec.permissionsBoundaryArn}</span>
        ) : (
          <p className="text-sm text-slate-700">Not set</p>
        )}
      </section>
    </div>
  );
}

/** What the *Permissions* tab shows while the access summary is computed. */
export function RolePermissionsPending() {
  return (
    <p role="status" className="text-sm text-slate-700">
      Computing the access summary…
    </p>
  );
}
