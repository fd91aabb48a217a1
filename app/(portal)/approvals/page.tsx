import type { Metadata } from 'next';
import { ListProblem } from '@/components/requests/list-problem';
import { kindLabels, RiskBadge, riskLabels } from '@/components/requests/request-labels';
import { Badge } from '@/components/ui/badge';
import { TextLink } from '@/components/ui/button';
import { DataTable, Pagination, TableFilters, type Column } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Input, Select } from '@/components/ui/input';
import { PageHeader } from '@/components/ui/page-header';
import { RelativeTime } from '@/components/ui/relative-time';
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

      <TableFilters
        action="/approvals"
        label="Filter the approvals queue"
        isFiltered={isFiltered || order !== 'oldest'}
        className="sm:grid-cols-3 lg:grid-cols-[repeat(6,minmax(0,1fr))_auto]"
      >
        {filters.size ? <input type="hidden" name="size" value={filters.size} /> : null}
        <Field id="queue-account" label="Account" errors={errors.account}>
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
        <Field id="queue-kind" label="Kind" errors={errors.kind}>
          {(props) => (
            <Select {...props} name="kind" defaultValue={filters.kind}>
              <option value="">Any kind</option>
              {(['create', 'change', 'delete'] as const).map((kind) => (
                <option key={kind} value={kind}>
                  {kindLabels[kind]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="queue-risk" label="Risk at least" errors={errors.risk}>
          {(props) => (
            <Select {...props} name="risk" defaultValue={filters.risk}>
              <option value="">Any risk</option>
              {(['low', 'medium', 'high', 'critical'] as const).map((level) => (
                <option key={level} value={level}>
                  {riskLabels[level]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="queue-requester" label="Requester" errors={errors.requester}>
          {(props) => (
            <Input
              {...props}
              name="requester"
              defaultValue={filters.requester}
              autoComplete="off"
              placeholder="Name or e-mail"
            />
          )}
        </Field>
        <Field id="queue-age" label="Waiting" errors={errors.age}>
          {(props) => (
            <Select {...props} name="age" defaultValue={filters.age}>
              <option value="">Any time</option>
              {(Object.keys(ageLabels) as (keyof typeof ageLabels)[]).map((age) => (
                <option key={age} value={age}>
                  {ageLabels[age]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="queue-order" label="Sort by" errors={errors.order}>
          {(props) => (
            <Select {...props} name="order" defaultValue={order === 'oldest' ? '' : order}>
              <option value="">{orderLabels.oldest}</option>
              <option value="newest">{orderLabels.newest}</option>
              <option value="risk">{orderLabels.risk}</option>
            </Select>
          )}
        </Field>
      </TableFilters>

      {!queue.ok ? (
        <ListProblem message={queue.message} errors={errors} firstHref="/approvals" />
      ) : queue.value.items.length === 0 ? (
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
      ) : (
        <section aria-labelledby="queue-heading" className="flex min-w-0 flex-col gap-3">
          <h2 id="queue-heading" className="sr-only">
            Pending requests
          </h2>
          <p className="text-sm text-slate-700">
            {orderLabels[order]}
            {after ? ', continuing from the previous page' : ''}. Risk is the highest severity among the
            request&apos;s risk flags and security warnings.
          </p>
          <DataTable
            caption="Requests waiting for approval"
            columns={columns}
            rows={queue.value.items}
            rowKey={(item) => item.id}
            minWidth="min-w-[60rem]"
          />
          <Pagination
            label="Approvals queue pages"
            firstHref={links.firstHref}
            firstLabel="← First page"
            nextHref={links.nextHref}
            nextLabel="Next page →"
          />
        </section>
      )}
    </div>
  );
}
