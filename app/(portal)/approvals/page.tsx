import type { Metadata } from 'next';
import { ListProblem } from '@/components/requests/list-problem';
import {
  accountOptions,
  kindLabels,
  kindOptions,
  RiskBadge,
  riskLabels,
} from '@/components/requests/request-labels';
import { Badge } from '@/components/ui/badge';
import { TextLink } from '@/components/ui/button';
import { TableFilters, type Column } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { ListResults } from '@/components/ui/list-results';
import { PageHeader } from '@/components/ui/page-header';
import { RelativeTime } from '@/components/ui/relative-time';
import { SelectFilter } from '@/components/ui/select-filter';
import { listTargetAccounts } from '@/lib/accounts/accounts';
import { requireRole } from '@/lib/auth/session';
import { approvalScope, listApprovalQueue, riskLevelOf, type QueueItem } from '@/lib/requests/request-lists';
import { listLinks, parseListParams, type ListSpec, type RawSearchParams } from '@/lib/search-params';

export const metadata: Metadata = { title: 'Approvals' };

type QueueFilterName = 'account' | 'kind' | 'risk' | 'requester' | 'age' | 'order' | 'size';

/**
 * The queue's URL state: its filters, the order (oldest first unless `order` says otherwise), the
 * page size `size` (25 when absent) and the cursor.
 */
const listSpec: ListSpec<QueueFilterName, never> = {
  pathname: '/approvals',
  filters: ['account', 'kind', 'risk', 'requester', 'age', 'order', 'size'],
  cursor: 'after',
};

const orderLabels = { oldest: 'Oldest first', newest: 'Newest first', risk: 'Highest risk first' } as const;
const ageLabels = { '1h': 'More than 1 hour', '1d': 'More than 1 day', '1w': 'More than 1 week' } as const;

function Decision({ item }: { item: QueueItem }) {
  if (item.isOwn) return <span className="text-slate-700">Your request: another approver decides</span>;
  if (item.isApprovedByViewer) return <span className="text-slate-700">You approved it</span>;
  return (
    <TextLink
      href={`/requests/${item.id}`}
      aria-label={`Review ${item.roleName} in ${item.accountAlias ?? item.accountId}`}
    >
      Review
    </TextLink>
  );
}

export default async function ApprovalsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const principal = await requireRole('approver');
  const params = parseListParams(await searchParams, listSpec);
  const { filters, cursor: after } = params;
  const scope = approvalScope(principal);
  const [queue, allAccounts] = await Promise.all([
    listApprovalQueue(principal, { ...filters, pageSize: filters.size || undefined, after }),
    listTargetAccounts(),
  ]);
  if (!queue.ok && queue.code !== 'invalid_input') throw new Error(queue.message);
  const errors = queue.ok ? {} : (queue.fieldErrors ?? {});
  const accounts =
    scope === 'all' ? allAccounts : allAccounts.filter((account) => scope.includes(account.id));
  const isFiltered = (Object.keys(filters) as QueueFilterName[]).some(
    (name) => name !== 'order' && name !== 'size' && filters[name] !== '',
  );
  const links = listLinks(listSpec, params, queue.ok ? queue.value.nextAfter : null);
  const now = new Date();
  // Nothing to filter yet: the empty list says so and leads on, without a form to puzzle over.
  const showFilters = isFiltered || after !== '' || !queue.ok || queue.value.items.length > 0;
  const order = filters.order in orderLabels ? (filters.order as keyof typeof orderLabels) : 'oldest';

  const columns: Column<QueueItem>[] = [
    {
      id: 'request',
      header: 'Request',
      rowHeader: true,
      cell: (item) => (
        <>
          <TextLink href={`/requests/${item.id}`}>{item.roleName}</TextLink>
          {item.isOwn ? (
            <Badge tone="info" className="ml-2">
              Yours
            </Badge>
          ) : null}
          <span className="block text-xs font-normal text-slate-600">
            in {item.accountAlias ?? 'removed account'} <span className="font-mono">{item.accountId}</span>
          </span>
        </>
      ),
    },
    { id: 'kind', header: 'Kind', cell: (item) => kindLabels[item.kind] },
    {
      id: 'requester',
      header: 'Requester',
      cell: (item) =>
        item.isOwn ? (
          'You'
        ) : (
          <>
            {item.requester.name}
            <span className="block text-xs text-slate-600">{item.requester.email}</span>
          </>
        ),
    },
    { id: 'risk', header: 'Risk', cell: (item) => <RiskBadge level={riskLevelOf(item.maxRisk)} /> },
    {
      id: 'age',
      header: 'Waiting',
      className: 'whitespace-nowrap',
      cell: (item) => <RelativeTime at={item.createdAt} now={now} />,
    },
    {
      id: 'approvals',
      header: 'Approvals',
      className: 'whitespace-nowrap',
      cell: (item) => (
        <span aria-label={`${item.approvalsGiven} of ${item.approvalsRequired} approvals given`}>
          {item.approvalsGiven} / {item.approvalsRequired}
        </span>
      ),
    },
    { id: 'decision', header: 'Decision', cell: (item) => <Decision item={item} /> },
  ];

  return (
    <div className="flex min-w-0 flex-col gap-6">
      <PageHeader
        title="Approvals"
        description={
          scope === 'all'
            ? 'Requests waiting for a decision, in every account. Your own requests are marked; someone else decides them.'
            : 'Requests waiting for a decision in the accounts you approve for. Your own requests are marked; someone else decides them.'
        }
      />

      {showFilters ? (
        <TableFilters
          action="/approvals"
          label="Filter the approvals queue"
          isFiltered={isFiltered || order !== 'oldest'}
          className="sm:grid-cols-3 lg:grid-cols-[minmax(0,1.7fr)_repeat(5,minmax(0,1fr))_auto]"
        >
          {filters.size ? <input type="hidden" name="size" value={filters.size} /> : null}
          <SelectFilter
            id="queue-account"
            name="account"
            label="Account"
            value={filters.account}
            anyLabel="Any account"
            options={accountOptions(accounts)}
            errors={errors.account}
          />
          <SelectFilter
            id="queue-kind"
            name="kind"
            label="Kind"
            value={filters.kind}
            anyLabel="Any kind"
            options={kindOptions}
            errors={errors.kind}
          />
          <SelectFilter
            id="queue-risk"
            name="risk"
            label="Risk at least"
            value={filters.risk}
            anyLabel="Any risk"
            options={(['low', 'medium', 'high', 'critical'] as const).map((level) => ({
              value: level,
              label: riskLabels[level],
            }))}
            errors={errors.risk}
          />
          <Field id="queue-requester" label="Requester" errors={errors.requester}>
            {(props) => (
              <Input
                {...props}
                name="requester"
                defaultValue={filters.requester}
                autoComplete="off"
                placeholder="Name or e-mail"
                className="h-9"
              />
            )}
          </Field>
          <SelectFilter
            id="queue-age"
            name="age"
            label="Waiting"
            value={filters.age}
            anyLabel="Any time"
            options={Object.entries(ageLabels).map(([value, label]) => ({ value, label }))}
            errors={errors.age}
          />
          <SelectFilter
            id="queue-order"
            name="order"
            label="Sort by"
            value={order === 'oldest' ? '' : order}
            anyLabel={orderLabels.oldest}
            options={[
              { value: 'newest', label: orderLabels.newest },
              { value: 'risk', label: orderLabels.risk },
            ]}
            errors={errors.order}
          />
        </TableFilters>
      ) : null}

      <ListResults
        problem={
          queue.ok ? null : <ListProblem message={queue.message} errors={errors} firstHref="/approvals" />
        }
        empty={
          <EmptyState
            title={
              isFiltered || after
                ? 'No pending requests match these filters.'
                : 'No requests are waiting for approval.'
            }
            action={
              isFiltered ? (
                <TextLink href="/approvals">Show the whole queue</TextLink>
              ) : principal.roles.admin ? (
                <TextLink href="/audit">See what was decided in the audit log</TextLink>
              ) : (
                <TextLink href="/requests">Go to my requests</TextLink>
              )
            }
          >
            {isFiltered ? null : 'A request appears here as soon as someone submits it.'}
          </EmptyState>
        }
        heading={{ id: 'queue-heading', text: 'Pending requests' }}
        summary={
          <>
            {orderLabels[order]}
            {after ? ', continuing from the previous page' : ''}. Risk is the highest severity among the
            request&apos;s risk flags and security warnings.
          </>
        }
        caption="Requests waiting for approval"
        columns={columns}
        rows={queue.ok ? queue.value.items : []}
        rowKey={(item) => item.id}
        minWidth="min-w-[60rem]"
        pagination={{
          label: 'Approvals queue pages',
          firstHref: links.firstHref,
          firstLabel: '← First page',
          nextHref: links.nextHref,
          nextLabel: 'Next page →',
        }}
      />
    </div>
  );
}
