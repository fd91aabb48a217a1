import 'server-only';
import type { Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import { listJobProgressRecords } from '@/lib/db/queries/provisioning';
import { explainAwsError } from '@/lib/provisioning/aws-error-words';
import { jobProgress, type FailureInWords, type JobProgress } from '@/lib/provisioning/progress';
import type { RequestKind, RequestState } from '@/lib/requests/model';
import { loadVisibleRequest } from '@/lib/requests/visible';
import { fail, ok, type Result } from '@/lib/result';

/** States before approval or after an end without provisioning: no provisioning to show. */
const WITHOUT_PROVISIONING: readonly RequestState[] = ['draft', 'pending', 'rejected', 'cancelled'];

/**
 * A request's provisioning as its page shows it live: every job (the first attempt, retries,
 * rollbacks; newest first) with its steps, and whether more is to come. Plain JSON (times as ISO
 * strings), as the progress route sends it.
 */
export interface ProvisioningProgress {
  requestId: string;
  kind: RequestKind;
  state: RequestState;
  accountId: string;
  roleName: string;
  /** Newest first; empty before approval (and for a request never provisioned). */
  jobs: JobProgress[];
  /** The request's recorded failure (AWS's code and message), in plain words. */
  failure: FailureInWords | null;
  /**
   * Whether something is still to come: the request is approved or provisioning, or a job of it
   * (a rollback of a failed request) is unfinished. The page polls while it is.
   */
  isLive: boolean;
  /** The role's summary page, once the role is verified (provisioned); null otherwise. */
  roleHref: string | null;
}

const isUnfinished = (job: JobProgress) =>
  job.status === 'queued' || job.status === 'running' || job.status === 'retrying';

/** Whether a request in this state has provisioning to show (from its approval on). */
export function hasProvisioning(state: RequestState): boolean {
  return !WITHOUT_PROVISIONING.includes(state);
}

/**
 * The provisioning progress of one request, for anyone who may see it (its requester, approvers
 * of its account, admins); `not_found` when it does not exist or the principal may not see it.
 * Reads the request and its jobs' plans and intent records; makes no AWS call.
 */
export async function getProvisioningProgress(
  principal: Principal,
  requestId: string,
): Promise<Result<ProvisioningProgress>> {
  if (!/^[0-9a-f-]{36}$/i.test(requestId)) return fail('not_found', 'Request not found');
  const db = await getDb();
  const request = await loadVisibleRequest(db, principal, requestId);
  if (!request) return fail('not_found', 'Request not found');
  const jobs = hasProvisioning(request.state)
    ? (await listJobProgressRecords(db, request.id)).map(jobProgress).reverse()
    : [];
  const { state } = request;
  return ok({
    requestId: request.id,
    kind: request.kind,
    state,
    accountId: request.accountId,
    roleName: request.roleName,
    jobs,
    failure: request.failure
      ? { ...request.failure, explanation: explainAwsError(request.failure.code) }
      : null,
    isLive: state === 'approved' || state === 'provisioning' || jobs.some(isUnfinished),
    roleHref:
      state === 'provisioned' && request.kind !== 'delete'
        ? `/roles/${request.accountId}/${encodeURIComponent(request.roleName)}`
        : null,
  });
}
