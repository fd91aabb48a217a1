import { RoleHistorySection } from '@/components/roles/role-summary-history';
import { UtcTime } from '@/components/roles/role-summary';
import { TextLink } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import type { DeletedRoleSummary } from '@/lib/requests/roles';

/** A role page's heading: "Role", then the name and the account (alias and id). */
export function RoleHeading({
  roleName,
  accountId,
  account,
}: {
  roleName: string;
  accountId: string;
  account: { alias: string } | null;
}) {
  const accountLabel = account ? `${account.alias} (${accountId})` : accountId;
  return (
    <div>
      <p className="text-sm text-slate-700">Role</p>
      <h1 className="text-2xl font-semibold tracking-tight break-words text-slate-900">
        {roleName} <span className="font-normal text-slate-700">· {accountLabel}</span>
      </h1>
    </div>
  );
}

/**
 * What a deleted role's summary address shows: that it was deleted, when and by which request
 * (and whom), its ARN as it was, and the history of its last life.
 */
export function DeletedRole({ role }: { role: DeletedRoleSummary }) {
  const by = role.deletedBy;
  return (
    <div className="flex flex-col gap-6">
      <RoleHeading roleName={role.roleName} accountId={role.accountId} account={role.account} />
      <Callout tone="warning" title="This role was deleted">
        <p>
          Rolesmith deleted <span className="font-mono break-all">{role.arn}</span> on{' '}
          <UtcTime at={role.deletedAt} />
          {by ? (
            <>
              {' '}
              for request{' '}
              {by.canOpen ? (
                <TextLink href={`/requests/${by.id}`} className="font-mono">
                  {by.id.slice(0, 8)}
                </TextLink>
              ) : (
                <span className="font-mono">{by.id.slice(0, 8)}</span>
              )}
              , requested by {by.requester.name}: “{by.justification}”
            </>
          ) : null}
          .
        </p>
        <p className="mt-1">Its access kit no longer works. Request a new role to get this access again.</p>
      </Callout>
      <section className="flex flex-col gap-3" aria-labelledby="deleted-role-history">
        <h2 id="deleted-role-history" className="text-lg font-semibold text-slate-900">
          History
        </h2>
        <RoleHistorySection history={role.history} />
      </section>
    </div>
  );
}
