import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AccessKit } from '@/components/roles/access-kit';
import { DeletedRole, RoleHeading } from '@/components/roles/deleted-role';
import { DriftPending, DriftSection } from '@/components/roles/drift-section';
import { RoleSummaryCard, RoleTagsSection, RoleTrustSection } from '@/components/roles/role-summary';
import { loadRoleSummary } from '@/components/roles/role-summary-data';
import { RoleHistoryLoader, RoleHistoryPending } from '@/components/roles/role-summary-history';
import { RequestDeletion } from '@/components/roles/request-deletion';
import { RolePermissionsPending, RolePermissionsSection } from '@/components/roles/role-summary-permissions';
import { ButtonLink } from '@/components/ui/button';
import { Tabs } from '@/components/ui/tabs';
import { getEnv } from '@/lib/env';

type Params = Promise<{ account: string; name: string[] }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { account, name } = await params;
  const { role, deleted } = await loadRoleSummary(account, name.join('/'));
  return { title: role ? `${role.roleName} · Role` : `${deleted.roleName} (deleted) · Role` };
}

/**
 * A role's summary, laid out like the console's: the header, the access kit, the summary, then
 * *Trust relationships*, *Permissions*, *Tags* and *History*. The address is
 * `/roles/<account>/<path segments>/<name>`, or `/roles/<account>/<name>` whatever the path.
 * The header offers *Request deletion* (and *Request a change*) to everyone who sees the page: the
 * role's owners and its approvers. A role Rolesmith deleted shows {@link DeletedRole} instead.
 */
export default async function RoleSummaryPage({ params }: { params: Params }) {
  const { account, name } = await params;
  const { principal, role, deleted } = await loadRoleSummary(account, name.join('/'));
  if (!role) return <DeletedRole role={deleted} />;

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <RoleHeading roleName={role.roleName} accountId={role.accountId} account={role.account} />
        <div className="flex flex-wrap items-start justify-end gap-2">
          <ButtonLink
            variant="secondary"
            href={`/roles/new?${new URLSearchParams({ change: `${role.accountId}/${role.roleName}` }).toString()}`}
          >
            Request a change
          </ButtonLink>
          <RequestDeletion accountId={role.accountId} roleName={role.roleName} />
        </div>
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
          {
            id: 'history',
            label: 'History',
            content: (
              <Suspense fallback={<RoleHistoryPending />}>
                <RoleHistoryLoader
                  principal={principal}
                  accountId={role.accountId}
                  roleName={role.roleName}
                />
              </Suspense>
            ),
          },
        ]}
      />
    </div>
  );
}
