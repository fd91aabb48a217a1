import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import type { RequestApproval, RoleRequest } from '@/lib/requests/model';

/**
 * What an approval is bound to, in words: "Approved this version (version 2)", or, for one given
 * before the request changed, "Approved version 1 of the request". (The SHA-256 of the exact
 * specification it approved stays in the record and the audit log: a hash reads as noise here.)
 */
export function approvedVersionWords(approvalVersion: number, requestVersion: number): string {
  return approvalVersion === requestVersion
    ? `Approved this version (version ${approvalVersion})`
    : `Approved version ${approvalVersion} of the request`;
}

/**
 * The approvals given and needed (N of M), each with who, when, the comment and the version it is
 * bound to; approvals voided by a later edit are shown as voided.
 */
export function ApprovalsSection({
  request,
  approvals,
  now,
}: {
  request: RoleRequest;
  approvals: readonly RequestApproval[];
  now: Date;
}) {
  const current = approvals.filter(
    (approval) => !approval.voided && approval.requestVersion === request.version,
  );
  const waiting = request.state === 'pending' ? Math.max(0, request.approvalsRequired - current.length) : 0;
  return (
    <section aria-labelledby="approvals-heading" className="flex flex-col gap-3">
      <h2 id="approvals-heading" className="text-lg font-semibold text-slate-900">
        Approvals
      </h2>
      <p className="text-sm text-slate-800">
        {current.length} of {request.approvalsRequired} given for this version
        {request.approvalsRequired > 1 ? ' (each from a different approver)' : ''}.
      </p>
      {approvals.length > 0 ? (
        <ol className="flex flex-col gap-2">
          {approvals.map((approval, index) => {
            const isVoid = approval.voided || approval.requestVersion !== request.version;
            return (
              <li
                key={`${approval.approverId}-${approval.requestVersion}-${index}`}
                className={`rounded-md border p-3 text-sm ${isVoid ? 'border-slate-200 bg-slate-50 text-slate-600' : 'border-emerald-200 bg-emerald-50/40'}`}
              >
                <p className="flex flex-wrap items-center gap-2">
                  <span className={`font-medium ${isVoid ? 'line-through' : 'text-slate-900'}`}>
                    {approval.approverName}
                  </span>
                  {isVoid ? <Badge>Voided</Badge> : <Badge tone="success">Approved</Badge>}
                  <RelativeTime at={approval.at} now={now} />
                </p>
                {isVoid ? (
                  <p className="mt-1">The request changed after this approval, so it no longer counts.</p>
                ) : null}
                {approval.comment ? <p className="mt-1 text-slate-900">“{approval.comment}”</p> : null}
                <p className="mt-1 text-xs text-slate-600">
                  {approvedVersionWords(approval.requestVersion, request.version)}
                  {approval.acknowledged.length > 0 ? ` · ${approval.acknowledged.length} acknowledged` : ''}
                </p>
              </li>
            );
          })}
        </ol>
      ) : null}
      {waiting > 0 ? (
        <p className="text-sm text-slate-700">
          {waiting === 1 ? 'One more approval needed.' : `${waiting} more approvals needed.`}
        </p>
      ) : null}
    </section>
  );
}
