import type { Metadata } from 'next';
import { RoleDriftBadge, TrustedEntityCell } from '@/components/roles/roles-list-cells';
import { Badge } from '@/components/ui/badge';
import { ButtonLink, TextLink } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { TableFilters, type Column } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Input, Select } from '@/components/ui/input';
import { ListResults } from '@/components/ui/list-results';
import { PageHeader } from '@/components/ui/page-header';
import { entityCardTitles } from '@/components/wizard/trust-choices';
import { listTargetAccounts } from '@/lib/accounts/accounts';
import { requirePrincipal } from '@/lib/auth/session';
import {
  DRIFT_FILTERS,
  listRoles,
  TRUSTED_ENTITY_TYPES,
  type DriftFilter,
  type RoleListItem,
} from '@/lib/requests/roles-list';
import { listLinks, parseListParams, type ListSpec, type RawSearchParams } from '@/lib/search-params';

export const metadata: Metadata = { title: 'Roles' };

/** The roles list's URL state: four filters and the keyset cursor `after` (by name, fixed). */
const listSpec: ListSpec<'account' | 'type' | 'owner' | 'drift', never> = {
  pathname: '/roles',
  filters: ['account', 'type', 'owner', 'drift'],
};

const driftFilterLabels: Record<DriftFilter, string> = {
  drifted: 'Drifted',
  matches: 'Matches',
  unknown: 'Could not check',
  unchecked: 'Not checked yet',
};

/** `/roles/<account>/<name>`: the role summary page (names are IAM-safe: letters, digits, +=,.@-_). */
function summaryHref(role: Pick<RoleListItem, 'accountId' | 'roleName'>): string {
  return `/roles/${role.accountId}/${encodeURIComponent(role.roleName)}`;
}

function Owner({ role }: { role: RoleListItem }) {
  return (
    <span>
      {role.requesterName}
      <span className="block text-xs text-slate-600">{role.requesterEmail}</span>
      {role.roleUsers.length > 0 ? (
        <span className="block text-xs text-slate-600">Used by {role.roleUsers.join(', ')}</span>
      ) : null}
    </span>
  );
}

export default async function RolesPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const principal = await requirePrincipal();
  const params = parseListParams(await searchParams, listSpec);
  const { filters, cursor: after } = params;
  const [list, accounts] = await Promise.all([
    listRoles(principal, { ...filters, after }),
    listTargetAccounts(),
  ]);
  if (!list.ok && list.code !== 'invalid_input') throw new Error(list.message);
  const errors = list.ok ? {} : (list.fieldErrors ?? {});
  const isFiltered = Object.values(filters).some((value) => value !== '');
  const links = listLinks(listSpec, params, list.ok ? list.value.nextAfter : null);

  const columns: Column<RoleListItem>[] = [
    {
      id: 'name',
      header: 'Role name',
      rowHeader: true,
      cell: (role) => (
        <>
          <TextLink href={summaryHref(role)}>{role.roleName}</TextLink>
          {role.path !== '/' ? (
            <span className="block font-mono text-xs text-slate-600">path {role.path}</span>
          ) : null}
        </>
      ),
    },
    {
      id: 'account',
      header: 'Account',
      cell: (role) => (
        <>
          {role.accountAlias}
          <span className="block font-mono text-xs text-slate-600">{role.accountId}</span>
        </>
      ),
    },
    {
      id: 'trusted',
      header: 'Trusted entity',
      cell: (role) => <TrustedEntityCell entity={role.trustedEntity} />,
    },
    { id: 'owner', header: 'Owner', cell: (role) => <Owner role={role} /> },
    {
      id: 'changed',
      header: 'Last changed (UTC)',
      className: 'whitespace-nowrap',
      cell: (role) => {
        const at = role.updatedAt.toISOString();
        return (
          <time dateTime={at}>
            {at.slice(0, 10)} {at.slice(11, 16)}
          </time>
        );
      },
    },
    {
      id: 'drift',
      header: 'Drift',
      className: 'whitespace-nowrap',
      cell: (role) => <RoleDriftBadge drift={role.drift} />,
    },
    {
      id: 'actions',
      header: <span className="sr-only">Actions</span>,
      className: 'whitespace-nowrap',
      cell: (role) => (
        <TextLink
          href={`/roles/new?copy=${encodeURIComponent(`${role.accountId}/${role.roleName}`)}`}
          aria-label={`Create role from ${role.roleName}`}
          className="text-sm"
        >
          Create role from this one
        </TextLink>
      ),
    },
  ];

  return (
    <div className="flex min-w-0 flex-col gap-6">
      <PageHeader
        title="Roles"
        description="The roles Rolesmith created in your target accounts: the ones you requested or use, and, for approvers, those of your accounts. Drift shows whether a role was changed in AWS outside Rolesmith, as last checked."
        actions={<ButtonLink href="/roles/new">Create role</ButtonLink>}
      />

      <TableFilters
        action="/roles"
        label="Filter the roles"
        isFiltered={isFiltered}
        className="sm:grid-cols-2 lg:grid-cols-[minmax(0,1.3fr)_minmax(0,1.2fr)_minmax(0,1.5fr)_minmax(0,1fr)_auto]"
      >
        <Field id="roles-account" label="Account" errors={errors.account}>
          {(props) => (
            <Select {...props} name="account" defaultValue={filters.account}>
              <option value="">Any account</option>
              {accounts.map((account) => (
                <option key={account.id} value={account.id}>
                  {account.alias} ({account.id})
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="roles-type" label="Trusted entity type" errors={errors.type}>
          {(props) => (
            <Select {...props} name="type" defaultValue={filters.type}>
              <option value="">Any type</option>
              {TRUSTED_ENTITY_TYPES.map((type) => (
                <option key={type} value={type}>
                  {entityCardTitles[type]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="roles-owner" label="Owner (name or e-mail)" errors={errors.owner}>
          {(props) => <Input {...props} name="owner" defaultValue={filters.owner} autoComplete="off" />}
        </Field>
        <Field id="roles-drift" label="Drift" errors={errors.drift}>
          {(props) => (
            <Select {...props} name="drift" defaultValue={filters.drift}>
              <option value="">Any</option>
              {DRIFT_FILTERS.map((drift) => (
                <option key={drift} value={drift}>
                  {driftFilterLabels[drift]}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </TableFilters>

      <ListResults
        problem={
          list.ok ? null : (
            <Callout tone="error" role="alert">
              <p className="font-medium">{list.message} No roles are shown until the filters are valid.</p>
            </Callout>
          )
        }
        empty={
          isFiltered || after ? (
            <EmptyState title="No roles match these filters.">
              <TextLink href="/roles">Show every role</TextLink>
            </EmptyState>
          ) : (
            <EmptyState
              title="You have no roles yet."
              action={<ButtonLink href="/roles/new">Create role</ButtonLink>}
            >
              A role appears here once its request is approved and Rolesmith has created it in the account.
            </EmptyState>
          )
        }
        // Not "Roles": the table's region has that name, and two landmarks must not share one.
        heading={{ id: 'roles-heading', text: 'Role list' }}
        summary={
          <>
            By name{after ? ', continuing from the previous page' : ''}.{' '}
            {isFiltered ? <Badge tone="info">Filtered</Badge> : null}
            <span className="md:hidden"> Scroll the table sideways for every column.</span>
          </>
        }
        caption="Roles"
        columns={columns}
        rows={list.ok ? list.value.roles : []}
        rowKey={(role) => `${role.accountId}/${role.roleName}`}
        minWidth="min-w-[64rem]"
        pagination={{
          label: 'Roles pages',
          firstHref: links.firstHref,
          firstLabel: '← First roles',
          nextHref: links.nextHref,
          nextLabel: 'More roles →',
        }}
      />
    </div>
  );
}
