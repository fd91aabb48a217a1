import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { AcknowledgementsProvider } from '@/components/requests/acknowledgements';
import { ApprovalsSection } from '@/components/requests/approvals-section';
import { CancelRequestForm } from '@/components/requests/cancel-request-form';
import { ChangeDiff } from '@/components/requests/change-diff';
import { CommentForm } from '@/components/requests/comment-form';
import { DecisionForm } from '@/components/requests/decision-form';
import { DeleteSummary } from '@/components/requests/delete-summary';
import { FindingsSection } from '@/components/requests/findings-section';
import { ProvisioningSection } from '@/components/requests/provisioning-section';
import { RequestHeader } from '@/components/requests/request-header';
import { stateLabels } from '@/components/requests/request-labels';
import { RequestTimeline } from '@/components/requests/request-timeline';
import { SpecReviewSections } from '@/components/requests/spec-review';
import { NavHint } from '@/components/shell/nav-hint';
import { ButtonLink } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { getTargetAccount } from '@/lib/accounts/accounts';
import { canApproveFor, hasPortalRole } from '@/lib/auth/principal';
import { requirePrincipal } from '@/lib/auth/session';
import { acknowledgementItems } from '@/lib/requests/assess';
import type { RoleRequest } from '@/lib/requests/model';
import { getRequest } from '@/lib/requests/requests';
import { reviewRoleSpec } from '@/lib/requests/review';
import { getRolePeople } from '@/lib/requests/role-people';
import { markRequestSeen } from '@/lib/requests/seen';
import { RefreshNavigationBadges } from '@/components/requests/refresh-navigation-badges';
import { getRequestTimeline } from '@/lib/requests/timeline';

export const metadata: Metadata = { title: 'Request' };

const decisionFormId = 'request-decision';

function waitingFor(request: RoleRequest, approvalsGiven: number): string | null {
  switch (request.state) {
    case 'pending': {
      const more = request.approvalsRequired - approvalsGiven;
      return more === 1 ? 'Waiting for an approval' : `Waiting for ${more} more approvals`;
    }
    case 'approved':
      return 'Approved: waiting for Rolesmith to create the role';
    case 'provisioning':
      return 'Rolesmith is creating the role';
    default:
      return null;
  }
}

/**
 * One request, for its requester and its approvers: what will be created (nothing summarised
 * away), the findings and risk flags with the requester's justifications (each acknowledged one by
 * one by the approver who decides), the approvals given and needed, the timeline of events and
 * comments, and the one action the viewer may take. 404 for anyone who may not see the request,
 * as for one that does not exist.
 */
export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const principal = await requirePrincipal();
  const { id } = await params;
  const [detail, timeline] = await Promise.all([
    getRequest(principal, id),
    getRequestTimeline(principal, id),
  ]);
  if (!detail.ok || !timeline.ok) notFound();
  // The requester opened their request: its state change no longer counts in their badge.
  const clearedChange =
    detail.value.request.requester.id === principal.id && (await markRequestSeen(principal, id));
  const now = new Date();
  const { request, approvals } = detail.value;
  const [account, review, people] = await Promise.all([
    getTargetAccount(request.accountId),
    reviewRoleSpec(request.spec),
    getRolePeople(request),
  ]);
  const isOwn = request.requester.id === principal.id;
  const current = approvals.filter(
    (approval) => !approval.voided && approval.requestVersion === request.version,
  );
  const mayDecide = request.state === 'pending' && !isOwn && canApproveFor(principal, request.accountId);
  const items = acknowledgementItems(request);
  const myApproval = current.find((approval) => approval.approverId === principal.id);

  const action =
    isOwn && request.state === 'pending' ? (
      <CancelRequestForm requestId={request.id} roleName={request.roleName} />
    ) : isOwn && request.state === 'rejected' ? (
      <ButtonLink href={`/roles/new?from=${request.id}`}>Start again from this request</ButtonLink>
    ) : request.state === 'provisioned' && request.kind !== 'delete' ? (
      <ButtonLink
        href={`/roles/${request.accountId}/${encodeURIComponent(request.roleName)}`}
        variant={isOwn ? 'primary' : 'secondary'}
      >
        Open the role’s summary
      </ButtonLink>
    ) : null;

  const body = (
    <div className="flex flex-col gap-6">
      {clearedChange ? <RefreshNavigationBadges /> : null}
      {/* Someone else's request is reviewed from Approvals (a role user has no item for it). */}
      {isOwn ? null : <NavHint href={hasPortalRole(principal, 'approver') ? '/approvals' : null} />}
      <RequestHeader
        request={request}
        accountAlias={account?.alias ?? null}
        approvalsGiven={current.length}
        people={people}
        action={action}
        now={now}
      />
      <ProvisioningSection principal={principal} detail={detail.value} />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div className="flex min-w-0 flex-col gap-6">
          {request.kind === 'change' ? (
            <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
              <ChangeDiff request={request} />
            </div>
          ) : request.kind === 'delete' ? (
            <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
              <DeleteSummary request={request} />
            </div>
          ) : null}
          <section
            aria-labelledby="created-heading"
            className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
          >
            <h2 id="created-heading" className="text-lg font-semibold text-slate-900">
              {request.kind === 'delete'
                ? 'The role to delete'
                : request.kind === 'change'
                  ? 'The role after the change'
                  : 'What will be created'}
            </h2>
            <SpecReviewSections
              spec={request.spec}
              review={review}
              policyVersions={request.managedPolicyVersions}
            />
          </section>
          <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <FindingsSection
              request={request}
              items={items}
              decisionForm={mayDecide ? decisionFormId : null}
            />
          </div>
          {mayDecide ? (
            <DecisionForm
              id={decisionFormId}
              requestId={request.id}
              specSha256={request.specSha256}
              version={request.version}
              hasApproved={myApproval !== undefined}
            />
          ) : myApproval && request.state !== 'pending' ? (
            <Callout tone="success" role="status" title="Approved by you">
              {myApproval.comment ? `“${myApproval.comment}” · ` : ''}
              {request.state === 'approved' || request.state === 'provisioning'
                ? 'Rolesmith is creating the role.'
                : `The request is now ${stateLabels[request.state].toLowerCase()}.`}
            </Callout>
          ) : isOwn && request.state === 'pending' && canApproveFor(principal, request.accountId) ? (
            <Callout tone="info" title="You requested this">
              Another approver must review it: nobody approves their own request.
            </Callout>
          ) : null}
        </div>
        <aside className="flex min-w-0 flex-col gap-6" aria-label="Approvals and timeline">
          <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <ApprovalsSection request={request} approvals={approvals} now={now} />
          </div>
          <section
            aria-labelledby="timeline-heading"
            className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
          >
            <h2 id="timeline-heading" className="text-lg font-semibold text-slate-900">
              Timeline
            </h2>
            <RequestTimeline entries={timeline.value} waitingFor={waitingFor(request, current.length)} />
            {request.state !== 'draft' ? <CommentForm requestId={request.id} /> : null}
          </section>
        </aside>
      </div>
    </div>
  );

  return mayDecide ? (
    <AcknowledgementsProvider keys={items.map((item) => item.key)}>{body}</AcknowledgementsProvider>
  ) : (
    body
  );
}
