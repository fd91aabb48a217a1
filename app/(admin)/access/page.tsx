import type { Metadata } from 'next';
import { grantRoleAction, revokeRoleAction, signOutPersonAction } from '@/app/(admin)/access/actions';
import { GrantRoleForm } from '@/components/auth/grant-role-form';
import { RevokeRoleButton } from '@/components/auth/revoke-role-button';
import { SignOutPersonForm } from '@/components/auth/sign-out-person-form';
import { Card } from '@/components/ui/card';
import { DataTable, Pagination, type Column } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { listAssignments, type PortalRoleAssignment } from '@/lib/auth/assignments';
import { requireAdmin } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';
import { listPage, parseListParams, type ListSpec, type RawSearchParams } from '@/lib/search-params';

export const metadata: Metadata = { title: 'Access' };

const pageSize = 50;

type SortColumn = 'who' | 'role' | 'granted';

/** The portal-role list's URL state: its order and keyset cursor. */
const listSpec = {
  pathname: '/access',
  filters: [],
  sort: { columns: ['who', 'role', 'granted'], default: { column: 'who', direction: 'asc' } },
} as const satisfies ListSpec<never, SortColumn>;

const sortValue: Record<SortColumn, (assignment: PortalRoleAssignment) => string | number> = {
  who: (assignment) => `${assignment.subjectKind === 'group' ? 'group ' : ''}${assignment.subject}`,
  role: (assignment) => assignment.role,
  granted: (assignment) => assignment.grantedAt.getTime(),
};

export default async function AccessPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const principal = await requireAdmin();
  const assignments = await listAssignments(principal);
  if (!assignments.ok) throw new Error(assignments.message);
  const params = parseListParams(await searchParams, listSpec);
  const { rows, sort, links } = listPage(assignments.value, listSpec, params, {
    sortValue,
    id: (assignment) => assignment.id,
    limit: pageSize,
  });
  const columns: Column<PortalRoleAssignment>[] = [
    {
      id: 'who',
      header: 'Who',
      sortable: true,
      cell: (assignment) =>
        assignment.subjectKind === 'group' ? `Group ${assignment.subject}` : assignment.subject,
    },
    {
      id: 'role',
      header: 'Role',
      sortable: true,
      className: 'capitalize',
      cell: (assignment) => assignment.role,
    },
    {
      id: 'accounts',
      header: 'Accounts',
      cell: (assignment) => (assignment.accountIds ? assignment.accountIds.join(', ') : 'All accounts'),
    },
    {
      id: 'granted',
      header: 'Granted',
      sortable: true,
      className: 'text-slate-600',
      cell: (assignment) => (
        <>
          by {assignment.grantedBy} on{' '}
          <time dateTime={assignment.grantedAt.toISOString()}>
            {assignment.grantedAt.toISOString().slice(0, 10)}
          </time>
        </>
      ),
    },
    {
      id: 'actions',
      header: <span className="sr-only">Actions</span>,
      cell: (assignment) => (
        <RevokeRoleButton
          action={revokeRoleAction}
          assignmentId={assignment.id}
          label={`Revoke ${assignment.role} from ${assignment.subject}`}
        />
      ),
    },
  ];
  const env = getEnv();
  const bootstrapAdmins = env.ROLESMITH_MODE === 'aws' ? env.ROLESMITH_BOOTSTRAP_ADMINS : [];

  return (
    <div className="flex max-w-4xl flex-col gap-8">
      <PageHeader
        title="Access"
        description="Everyone who signs in may request roles. Approvers approve requests for their accounts; admins manage accounts, guardrails and these assignments. Changes apply on each person's next request."
      />

      <section aria-labelledby="assignments-heading" className="flex flex-col gap-3">
        <h2 id="assignments-heading" className="text-lg font-semibold text-slate-900">
          Portal roles
        </h2>
        {bootstrapAdmins.length > 0 ? (
          <p className="text-sm text-slate-600">
            Bootstrap admins (ROLESMITH_BOOTSTRAP_ADMINS): {bootstrapAdmins.join(', ')}
          </p>
        ) : null}
        {assignments.value.length === 0 ? (
          <EmptyState title="No portal roles are assigned">
            Grant the first one below. Everyone who signs in may request roles without one.
          </EmptyState>
        ) : (
          <>
            <DataTable
              caption="Portal roles"
              columns={columns}
              rows={rows}
              rowKey={(assignment) => assignment.id}
              sort={sort}
              sortHref={links.sortHref}
            />
            <Pagination label="Portal role pages" firstHref={links.firstHref} nextHref={links.nextHref} />
          </>
        )}
      </section>

      <section aria-labelledby="grant-heading" className="flex flex-col gap-3">
        <h2 id="grant-heading" className="text-lg font-semibold text-slate-900">
          Grant a role
        </h2>
        <Card>
          <GrantRoleForm action={grantRoleAction} />
        </Card>
      </section>

      <section aria-labelledby="sign-out-heading" className="flex flex-col gap-3">
        <h2 id="sign-out-heading" className="text-lg font-semibold text-slate-900">
          Sign someone out
        </h2>
        <Card className="flex flex-col gap-4">
          <p className="text-sm text-slate-700">
            Ends every session of that person (a lost laptop, someone leaving): their next request is signed
            out. Their portal roles stay; revoke those above.
          </p>
          <SignOutPersonForm action={signOutPersonAction} />
        </Card>
      </section>
    </div>
  );
}
