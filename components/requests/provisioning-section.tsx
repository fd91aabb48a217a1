import type { Principal } from '@/lib/auth/principal';
import { getProvisioningProgress, hasProvisioning } from '@/lib/requests/progress';
import type { RequestDetail } from '@/lib/requests/requests';
import { ProvisioningActions } from '@/components/requests/provisioning-actions';
import { ProvisioningLive } from '@/components/requests/provisioning-live';

/**
 * The request page's provisioning section (a server component): from approval to `provisioned`
 * or `failed` (and through a rollback), each step of the plan with its status, IAM call and
 * outcome, updated live; AWS's failure in plain words; for approvers of the account, *Retry* and
 * (role creations) *Roll back* once nothing runs. Renders nothing for a draft, pending, rejected
 * or cancelled request.
 */
export async function ProvisioningSection({
  principal,
  detail,
}: {
  principal: Principal;
  detail: RequestDetail;
}) {
  const { request, can } = detail;
  if (!hasProvisioning(request.state)) return null;
  const progress = await getProvisioningProgress(principal, request.id);
  if (!progress.ok) return null;
  const idle = !progress.value.isLive;
  const canRetry = idle && can.retry;
  const canRollback = idle && can.rollback;
  return (
    <section aria-labelledby="provisioning-heading" className="space-y-3">
      <h2 id="provisioning-heading" className="text-lg font-semibold text-slate-900">
        Provisioning
      </h2>
      <ProvisioningLive initial={progress.value} />
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
