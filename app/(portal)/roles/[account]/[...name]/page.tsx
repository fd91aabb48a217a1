import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AccessKit } from '@/components/roles/access-kit';
import { DriftPending, DriftSection } from '@/components/roles/drift-section';
import { RoleSummaryCard, RoleTagsSection, RoleTrustSection } from '@/components/roles/role-summary';
import { loadRoleSummary } from '@/components/roles/role-summary-data';
import { RoleHistorySection } from '@/components/roles/role-summary-history';
import { RolePermissionsPending, RolePermissionsSection } from '@/components/roles/role-summary-permissions';
import { Tabs } from '@/components/ui/tabs';
import { getEnv } from '@/lib/env';
import { getRoleHistory } from '@/lib/requests/roles';

type Params = Promise<{ account: string; name: string[] }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { account, name } = await params;
  const { role } = await loadRoleSummary(account, name.join('/'));
  return { title: `${role.roleName} · Role` };
}

/**
 * A role's summary, laid out like the console's: the header, the access kit, the summary, then
 * *Trust relationships*, *Permissions*, *Tags* and *History*. The address is
 * `/roles/<account>/<path segments>/<name>`, or `/roles/<account>/<name>` whatever the path.
 * Later *Request a change* and *Request deletion* buttons go in the header's `actions`.
 */
export default async function RoleSummaryPage({ params }: { params: Params }) {
  const { account, name } = await params;
  const { principal, role } = await loadRoleSummary(account, name.join('/'));
  const history = await getRoleHistory(principal, role.accountId, role.roleName);
  if (!history.ok) throw new Error(`The role's history could not be read: ${history.message}`);
  const accountLabel = role.account ? `${role.account.alias} (${role.accountId})` : role.accountId;

  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm text-slate-700">Role</p>
        <h1 className="text-2xl font-semibold tracking-tight break-words text-slate-900">
          {role.roleName} <span className="font-normal text-slate-700">· {accountLabel}</span>
        </h1>
      </div>
      <AccessKit role={role} sandbox={getEnv().ROLESMITH_MODE === 'sandbox'} />
      {/* Reads the live role from IAM: streamed after the page has painted, never blocking it. */}
      <Suspense fallback={<DriftPending />}>
        <DriftSection principal={principal} accountId={role.accountId} roleName={role.roleName} />
      </Suspense>
      <RoleSummaryCard role={role} />
      <Tabs
        label="Role details"
        tabs={[
          { id: 'trust', label: 'Trust relationships', content: <RoleTrustSection role={role} /> },
          {
            id: 'permissions',
            label: 'Permissions',
            content: (
              <Suspense fallback={<RolePermissionsPending />}>
                <RolePermissionsSection spec={role.spec} />
              </Suspense>
            ),
          },
          {
            id: 'tags',
            label: `Tags (${role.spec.tags.length})`,
            content: <RoleTagsSection tags={role.spec.tags} />,
          },
          { id: 'history', label: 'History', content: <RoleHistorySection history={history.value} /> },
        ]}
      />
    </div>
  );
}
