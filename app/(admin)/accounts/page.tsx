import type { Metadata } from 'next';
import { removeTargetAccountAction, saveTargetAccountAction } from '@/app/(admin)/accounts/actions';
import { AccountForm } from '@/components/admin/account-form';
import { RemoveAccountButton } from '@/components/admin/remove-account-button';
import { ColorSwatch } from '@/components/roles/color-swatch';
import { Badge } from '@/components/ui/badge';
import { ButtonLink, TextLink } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { Card } from '@/components/ui/card';
import { DataTable, Pagination, TableFilters, type Column } from '@/components/ui/data-table';
import { DescriptionList } from '@/components/ui/description-list';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { PageHeader } from '@/components/ui/page-header';
import { listTargetAccountsForAdmin, type TargetAccountDetails } from '@/lib/accounts/accounts';
import { requireAdmin } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';
import {
  firstParam,
  listHref,
  listPage,
  parseListParams,
  type ListSpec,
  type RawSearchParams,
} from '@/lib/search-params';

export const metadata: Metadata = { title: 'Target accounts' };

const pageSize = 50;

type SortColumn = 'alias' | 'id' | 'environment' | 'requests';

/** The list's URL state: a text filter, the order, and the keyset cursor. */
const listSpec = {
  pathname: '/accounts',
  filters: ['q'],
  sort: {
    columns: ['alias', 'id', 'environment', 'requests'],
    default: { column: 'alias', direction: 'asc' },
  },
} as const satisfies ListSpec<'q', SortColumn>;

const sortValue: Record<SortColumn, (account: TargetAccountDetails) => string | number> = {
  alias: (account) => account.alias,
  id: (account) => account.id,
  environment: (account) => account.environment,
  requests: (account) => account.requestCount,
};

/** Whether an account matches the text filter (alias, id or environment, ignoring case). */
function matches(account: TargetAccountDetails, query: string): boolean {
  const needle = query.toLowerCase();
  return [account.alias, account.id, account.environment].some((value) =>
    value.toLowerCase().includes(needle),
  );
}

/** How Rolesmith reaches an account, in words. */
function Reach({ account, isSandbox }: { account: TargetAccountDetails; isSandbox: boolean }) {
  if (isSandbox) {
    return (
      <span>
        Sandbox emulator
        <span className="block text-xs text-slate-600">with the account&apos;s provisioner keys</span>
      </span>
    );
  }
  if (account.provisionerRoleArn === null) {
    return (
      <span>
        Portal&apos;s own account
        <span className="block text-xs text-slate-600">default AWS credentials</span>
      </span>
    );
  }
  return (
    <span className="flex flex-col gap-1">
      <span className="font-mono text-xs break-all">{account.provisionerRoleArn}</span>
      {account.externalId ? (
        <Badge tone="success" className="self-start">
          External ID set
        </Badge>
      ) : (
        <Badge tone="warning" className="self-start">
          No external ID
        </Badge>
      )}
    </span>
  );
}

function AccountActions({ account, idPrefix }: { account: TargetAccountDetails; idPrefix: string }) {
  return (
    <div className="flex flex-wrap items-start gap-2">
      <ButtonLink
        href={`/accounts/${account.id}`}
        variant="secondary"
        size="sm"
        aria-label={`Edit ${account.alias}`}
      >
        Edit
      </ButtonLink>
      {account.requestCount === 0 ? (
        <RemoveAccountButton
          action={removeTargetAccountAction}
          accountId={account.id}
          alias={account.alias}
          idPrefix={idPrefix}
        />
      ) : null}
    </div>
  );
}

/** One account as a card, for narrow screens where the table would not fit. */
function AccountCard({ account, isSandbox }: { account: TargetAccountDetails; isSandbox: boolean }) {
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4">
      <h3 className="flex items-center gap-2 font-medium">
        <ColorSwatch color={account.color} showValue={false} />
        {account.alias}
      </h3>
      <DescriptionList
        dense
        className="mt-2"
        items={[
          { term: 'Account id', details: <span className="font-mono">{account.id}</span> },
          { term: 'Environment', details: account.environment },
          { term: 'Colour', details: <ColorSwatch color={account.color} /> },
          { term: 'Reached via', details: <Reach account={account} isSandbox={isSandbox} /> },
          { term: 'Requests', details: account.requestCount },
        ]}
      />
      <div className="mt-3">
        <AccountActions account={account} idPrefix="remove-card" />
      </div>
    </li>
  );
}

export default async function AccountsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const principal = await requireAdmin();
  const accounts = await listTargetAccountsForAdmin(principal);
  if (!accounts.ok) throw new Error(accounts.message);
  const isSandbox = getEnv().ROLESMITH_MODE === 'sandbox';
  const raw = await searchParams;
  const saved = firstParam(raw.saved);
  const savedAccount = accounts.value.find((account) => account.id === saved);
  const params = parseListParams(raw, listSpec);
  const matching = params.filters.q
    ? accounts.value.filter((account) => matches(account, params.filters.q))
    : accounts.value;
  const page = listPage(matching, listSpec, params, {
    sortValue,
    id: (account) => account.id,
    limit: pageSize,
  });
  const { sort, links } = page;

  const columns: Column<TargetAccountDetails>[] = [
    { id: 'alias', header: 'Alias', rowHeader: true, sortable: true, cell: (account) => account.alias },
    {
      id: 'id',
      header: 'Account id',
      sortable: true,
      className: 'font-mono',
      cell: (account) => account.id,
    },
    { id: 'environment', header: 'Environment', sortable: true, cell: (account) => account.environment },
    { id: 'color', header: 'Colour', cell: (account) => <ColorSwatch color={account.color} /> },
    {
      id: 'reach',
      header: 'How Rolesmith reaches it',
      cell: (account) => <Reach account={account} isSandbox={isSandbox} />,
    },
    { id: 'requests', header: 'Requests', sortable: true, cell: (account) => account.requestCount },
    {
      id: 'actions',
      header: <span className="sr-only">Actions</span>,
      cell: (account) => <AccountActions account={account} idPrefix="remove" />,
    },
  ];

  return (
    <div className="flex min-w-0 flex-col gap-8">
      <PageHeader
        title="Target accounts"
        description={
          <>
            The AWS accounts in which Rolesmith creates roles. Requesters choose one of these; roles may
            always trust them (see also the trusted-account allow-list in{' '}
            <TextLink href="/guardrails">guardrails</TextLink>
            ).
          </>
        }
      />
      {savedAccount ? (
        <Callout tone="success" role="status">
          <p>
            Account {savedAccount.alias} ({savedAccount.id}) saved.
          </p>
        </Callout>
      ) : null}

      <section aria-labelledby="accounts-heading" className="flex min-w-0 flex-col gap-3">
        <h2 id="accounts-heading" className="text-lg font-semibold text-slate-900">
          Accounts ({accounts.value.length})
        </h2>
        {accounts.value.length === 0 ? (
          <EmptyState title="No target accounts yet">
            Add the first one below: requesters can ask for roles only in target accounts.
          </EmptyState>
        ) : (
          <>
            {accounts.value.length > 5 || params.filters.q ? (
              <TableFilters
                action="/accounts"
                label="Filter the target accounts"
                isFiltered={params.filters.q !== ''}
                className="sm:grid-cols-[minmax(0,24rem)_auto]"
              >
                <Field id="accounts-q" label="Alias, account id or environment">
                  {(props) => (
                    <Input
                      {...props}
                      name="q"
                      defaultValue={params.filters.q}
                      autoComplete="off"
                      spellCheck={false}
                    />
                  )}
                </Field>
                {sort.column !== 'alias' || sort.direction !== 'asc' ? (
                  <>
                    <input type="hidden" name="sort" value={sort.column} />
                    <input type="hidden" name="dir" value={sort.direction} />
                  </>
                ) : null}
              </TableFilters>
            ) : null}
            {page.rows.length === 0 ? (
              <EmptyState
                title="No account matches this filter"
                action={
                  <TextLink href={listHref(listSpec, params, { filters: { q: '' } })}>
                    Show every account
                  </TextLink>
                }
              />
            ) : (
              <>
                <DataTable
                  caption="Target accounts"
                  className="hidden md:block"
                  columns={columns}
                  rows={page.rows}
                  rowKey={(account) => account.id}
                  sort={sort}
                  sortHref={links.sortHref}
                />
                <ul className="flex flex-col gap-3 md:hidden">
                  {page.rows.map((account) => (
                    <AccountCard key={account.id} account={account} isSandbox={isSandbox} />
                  ))}
                </ul>
              </>
            )}
            <Pagination label="Target account pages" firstHref={links.firstHref} nextHref={links.nextHref} />
          </>
        )}
        <p className="text-xs text-slate-600">
          An account that requests name cannot be removed: their history and the roles created there stay
          attributable.
        </p>
      </section>

      <section aria-labelledby="add-heading" className="flex flex-col gap-3">
        <h2 id="add-heading" className="text-lg font-semibold text-slate-900">
          Add an account
        </h2>
        <Card>
          <AccountForm action={saveTargetAccountAction} isSandbox={isSandbox} />
        </Card>
      </section>
    </div>
  );
}
