import type { Metadata } from 'next';
import Link from 'next/link';
import { removeTargetAccountAction, saveTargetAccountAction } from '@/app/(admin)/accounts/actions';
import { AccountForm } from '@/components/admin/account-form';
import { ColorSwatch } from '@/components/admin/color-swatch';
import { RemoveAccountButton } from '@/components/admin/remove-account-button';
import { Badge } from '@/components/ui/badge';
import { PageHeader } from '@/components/ui/page-header';
import { listTargetAccountsForAdmin, type TargetAccountDetails } from '@/lib/accounts/accounts';
import { requireAdmin } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';

export const metadata: Metadata = { title: 'Target accounts' };

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
      <Link
        href={`/accounts/${account.id}`}
        aria-label={`Edit ${account.alias}`}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-indigo-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600"
      >
        Edit
      </Link>
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
      <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-600">Account id</dt>
        <dd className="font-mono">{account.id}</dd>
        <dt className="text-slate-600">Environment</dt>
        <dd>{account.environment}</dd>
        <dt className="text-slate-600">Colour</dt>
        <dd>
          <ColorSwatch color={account.color} />
        </dd>
        <dt className="text-slate-600">Reached via</dt>
        <dd>
          <Reach account={account} isSandbox={isSandbox} />
        </dd>
        <dt className="text-slate-600">Requests</dt>
        <dd>{account.requestCount}</dd>
      </dl>
      <div className="mt-3">
        <AccountActions account={account} idPrefix="remove-card" />
      </div>
    </li>
  );
}

export default async function AccountsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await requireAdmin();
  const accounts = await listTargetAccountsForAdmin(principal);
  if (!accounts.ok) throw new Error(accounts.message);
  const isSandbox = getEnv().ROLESMITH_MODE === 'sandbox';
  const { saved } = await searchParams;
  const savedAccount = accounts.value.find((account) => account.id === saved);

  return (
    <div className="flex min-w-0 flex-col gap-8">
      <PageHeader
        title="Target accounts"
        description={
          <>
            The AWS accounts in which Rolesmith creates roles. Requesters choose one of these; roles may
            always trust them (see also the trusted-account allow-list in{' '}
            <Link href="/guardrails" className="font-medium text-indigo-800 underline underline-offset-2">
              guardrails
            </Link>
            ).
          </>
        }
      />
      {savedAccount ? (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-2 text-sm text-emerald-900">
          Account {savedAccount.alias} ({savedAccount.id}) saved.
        </p>
      ) : null}

      <section aria-labelledby="accounts-heading" className="flex min-w-0 flex-col gap-3">
        <h2 id="accounts-heading" className="text-lg font-medium">
          Accounts ({accounts.value.length})
        </h2>
        {accounts.value.length === 0 ? (
          <p className="text-slate-700">No target accounts yet: add the first one below.</p>
        ) : (
          <div className="hidden overflow-x-auto rounded-lg border border-slate-200 bg-white md:block">
            <table className="w-full border-collapse text-left text-sm">
              <thead className="bg-slate-50">
                <tr className="border-b border-slate-300">
                  <th scope="col" className="px-3 py-2 font-medium">
                    Alias
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Account id
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Environment
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Colour
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    How Rolesmith reaches it
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Requests
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {accounts.value.map((account) => (
                  <tr key={account.id} className="border-b border-slate-200 align-top last:border-b-0">
                    <th scope="row" className="px-3 py-2 font-medium">
                      {account.alias}
                    </th>
                    <td className="px-3 py-2 font-mono">{account.id}</td>
                    <td className="px-3 py-2">{account.environment}</td>
                    <td className="px-3 py-2">
                      <ColorSwatch color={account.color} />
                    </td>
                    <td className="px-3 py-2">
                      <Reach account={account} isSandbox={isSandbox} />
                    </td>
                    <td className="px-3 py-2">{account.requestCount}</td>
                    <td className="px-3 py-2">
                      <AccountActions account={account} idPrefix="remove" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {accounts.value.length > 0 ? (
          <ul className="flex flex-col gap-3 md:hidden">
            {accounts.value.map((account) => (
              <AccountCard key={account.id} account={account} isSandbox={isSandbox} />
            ))}
          </ul>
        ) : null}
        <p className="text-xs text-slate-600">
          An account that requests name cannot be removed: their history and the roles created there stay
          attributable.
        </p>
      </section>

      <section aria-labelledby="add-heading" className="flex flex-col gap-3">
        <h2 id="add-heading" className="text-lg font-medium">
          Add an account
        </h2>
        <div className="rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
          <AccountForm action={saveTargetAccountAction} isSandbox={isSandbox} />
        </div>
      </section>
    </div>
  );
}
