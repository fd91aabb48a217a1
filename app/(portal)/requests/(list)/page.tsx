import type { Metadata } from 'next';
import { LastEventCell } from '@/components/requests/last-event';
import { ListProblem } from '@/components/requests/list-problem';
import {
  accountOptions,
  kindOptions,
  StateBadge,
  stateLabels,
  kindLabels,
} from '@/components/requests/request-labels';
import { Badge } from '@/components/ui/badge';
import { ButtonLink, TextLink } from '@/components/ui/button';
import { TableFilters, type Column } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ListResults } from '@/components/ui/list-results';
import { PageHeader } from '@/components/ui/page-header';
import { RelativeTime } from '@/components/ui/relative-time';
import { SelectFilter } from '@/components/ui/select-filter';
import { listTargetAccounts } from '@/lib/accounts/accounts';
import { requirePrincipal } from '@/lib/auth/session';
import { listMyRequests, type OwnRequestItem } from '@/lib/requests/request-lists';
import { REQUEST_STATES } from '@/lib/requests/state-machine';
import { listLinks, parseListParams, type ListSpec, type RawSearchParams } from '@/lib/search-params';

export const metadata: Metadata = { title: 'My requests' };

/**
 * My requests' URL state: three filters, the page size `size` (25 when absent) and the keyset
 * cursor `after` (newest first, fixed).
 */
const listSpec: ListSpec<'state' | 'kind' | 'account' | 'size', never> = {
  pathname: '/requests',
  filters: ['state', 'kind', 'account', 'size'],
  cursor: 'after',
};

export default async function RequestsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const principal = await requirePrincipal();
  const params = parseListParams(await searchParams, listSpec);
  const { filters, cursor: after } = params;
  const [list, accounts] = await Promise.all([
    listMyRequests(principal, { ...filters, pageSize: filters.size || undefined, after }),
    listTargetAccounts(),
  ]);
  if (!list.ok && list.code !== 'invalid_input') throw new Error(list.message);
  const errors = list.ok ? {} : (list.fieldErrors ?? {});
  const isFiltered = [filters.state, filters.kind, filters.account].some((value) => value !== '');
  const links = listLinks(listSpec, params, list.ok ? list.value.nextAfter : null);
  const now = new Date();
  // Nothing to filter yet: the empty list says so and leads on, without a form to puzzle over.
  const showFilters = isFiltered || after !== '' || !list.ok || list.value.items.length > 0;

  const columns: Column<OwnRequestItem>[] = [
    {
      id: 'role',
      header: 'Role',
      rowHeader: true,
      cell: (item) => (
        <>
          <TextLink href={`/requests/${item.id}`}>{item.roleName}</TextLink>
          {item.hasUnseenChange ? (
            <Badge tone="info" className="ml-2">
              Updated
            </Badge>
          ) : null}
        </>
      ),
    },
    {
      id: 'state',
      header: 'State',
      className: 'whitespace-nowrap',
      cell: (item) => <StateBadge state={item.state} />,
    },
    { id: 'kind', header: 'Kind', cell: (item) => kindLabels[item.kind] },
    {
      id: 'account',
      header: 'Account',
      cell: (item) => (
        <>
          {item.accountAlias ?? 'Removed account'}
          <span className="block font-mono text-xs text-slate-600">{item.accountId}</span>
        </>
      ),
    },
    {
      id: 'age',
      header: 'Requested',
      className: 'whitespace-nowrap',
      cell: (item) => <RelativeTime at={item.createdAt} now={now} />,
    },
    {
      id: 'last',
      header: 'Last event',
      cell: (item) => <LastEventCell event={item.lastEvent} viewerId={principal.id} now={now} />,
    },
  ];

  return (
    <div className="flex min-w-0 flex-col gap-6">
      <PageHeader
        title="My requests"
        description="The roles you asked for, newest first: where each request stands and what happened last."
        actions={<ButtonLink href="/roles/new">Create role</ButtonLink>}
      />

      {showFilters ? (
        <TableFilters
          action="/requests"
          label="Filter my requests"
          isFiltered={isFiltered}
          className="sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_minmax(0,1fr)_auto]"
        >
          {filters.size ? <input type="hidden" name="size" value={filters.size} /> : null}
          <SelectFilter
            id="requests-state"
            name="state"
            label="State"
            value={filters.state}
            anyLabel="Any state"
            options={REQUEST_STATES.map((state) => ({ value: state, label: stateLabels[state] }))}
            errors={errors.state}
          />
          <SelectFilter
            id="requests-kind"
            name="kind"
            label="Kind"
            value={filters.kind}
            anyLabel="Any kind"
            options={kindOptions}
            errors={errors.kind}
          />
          <SelectFilter
            id="requests-account"
            name="account"
            label="Account"
            value={filters.account}
            anyLabel="Any account"
            options={accountOptions(accounts)}
            errors={errors.account}
          />
        </TableFilters>
      ) : null}

      <ListResults
        problem={
          list.ok ? null : <ListProblem message={list.message} errors={errors} firstHref="/requests" />
        }
        empty={
          <EmptyState
            title={
              isFiltered || after ? 'No requests match these filters.' : 'You have not requested a role yet.'
            }
            action={
              isFiltered ? (
                <TextLink href="/requests">Show all my requests</TextLink>
              ) : (
                <TextLink href="/roles/new">Request your first role</TextLink>
              )
            }
          >
            {isFiltered ? null : 'A request you submit appears here, with its state and what happened last.'}
          </EmptyState>
        }
        heading={{ id: 'requests-heading', text: 'Requests' }}
        summary={
          <>
            Newest first{after ? ', continuing from the previous page' : ''}. Hover a time for the exact time
            (UTC).
          </>
        }
        caption="My requests"
        columns={columns}
        rows={list.ok ? list.value.items : []}
        rowKey={(item) => item.id}
        minWidth="min-w-[52rem]"
        pagination={{
          label: 'My requests pages',
          firstHref: links.firstHref,
          firstLabel: '← Newest requests',
          nextHref: links.nextHref,
          nextLabel: 'Older requests →',
        }}
      />
    </div>
  );
}
