import type { Principal } from '@/lib/auth/principal';
import { getProvisioningProgress, hasProvisioning } from '@/lib/requests/progress';
import type { RequestDetail } from '@/lib/requests/requests';
import { ProvisioningActions } from '@/components/requests/provisioning-actions';
import { ProvisioningLive, RequestWatch } from '@/components/requests/provisioning-live';

/**
 * The request page's provisioning section (a server component): from approval to `provisioned`
 * or `failed` (and through a rollback), each step of the plan with its status, IAM call and
 * outcome, updated live; AWS's failure in plain words; for approvers of the account, *Retry* and
 * (role creations) *Roll back* once nothing runs. Renders nothing for a draft, pending, rejected
 * or cancelled request (a pending one gets an invisible watcher that refreshes the page when it is
 * decided).
 */
export async function ProvisioningSection({
  principal,
  detail,
}: {
  principal: Principal;
  detail: RequestDetail;
}) {
  const { request, can } = detail;
  // Nothing to show before approval; a pending request is watched so that its page follows the decision.
  if (request.state === 'pending') return <RequestWatch requestId={request.id} state={request.state} />;
  if (!hasProvisioning(request.state)) return null;
  const progress = await getProvisioningProgress(principal, request.id);
  if (!progress.ok) return null;
  const idle = !progress.value.isLive;
  const canRetry = idle && can.retry;
  const canRollback = idle && can.rollback;
  return (
    <section
      aria-labelledby="provisioning-heading"
      className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
    >
      <h2 id="provisioning-heading" className="text-lg font-semibold text-slate-900">
        Provisioning
      </h2>
      <ProvisioningLive initial={progress.value} renderedState={request.state} />
      {canRetry || canRollback ? (
        <ProvisioningActions
          requestId={request.id}
          roleName={request.roleName}
          accountId={request.accountId}
          canRetry={canRetry}
          canRollback={canRollback}
        />
      ) : null}
    </section>
  );
}
