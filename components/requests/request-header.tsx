import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { TextLink } from '@/components/ui/button';
import { DescriptionList } from '@/components/ui/description-list';
import { RelativeTime } from '@/components/ui/relative-time';
import { kindLabels, stateLabels, stateTones } from '@/components/requests/request-labels';
import type { RoleRequest } from '@/lib/requests/model';
import type { RolePeople } from '@/lib/requests/role-people';

/** The "who uses the role" line: the owner and the people they named; none when it is not known. */
function rolePeopleItems(people: RolePeople | null): { term: string; details: string }[] {
  if (!people) return [];
  return [
    {
      term: people.tense === 'will' ? 'Who will use the role' : 'Who uses the role',
      details:
        people.users.length > 0
          ? `${people.owner.email}, ${people.users.join(', ')}`
          : `Only ${people.owner.name} (${people.owner.email})`,
    },
  ];
}

/**
 * The top of a request's page: role and account, the state with the approvals given and needed,
 * who asked and why, the kind, who will use the role, where it was started from, the JSON
 * download, and the page's one action (`action`).
 */
export function RequestHeader({
  request,
  accountAlias,
  approvalsGiven,
  people,
  action,
  now,
}: {
  request: RoleRequest;
  /** Who uses the role (`getRolePeople`): the role's owner and users for a change or delete. */
  people: RolePeople | null;
  accountAlias: string | null;
  approvalsGiven: number;
  action?: ReactNode;
  /** The time the page was rendered, for ages. */
  now: Date;
}) {
  const account = accountAlias ? `${accountAlias} (${request.accountId})` : request.accountId;
  const count =
    request.state === 'pending' && request.approvalsRequired > 1
      ? ` (${approvalsGiven} of ${request.approvalsRequired})`
      : '';
  return (
    <header className="flex flex-col gap-4 border-b border-slate-200 pb-5">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="flex flex-col gap-2">
          <h1 className="text-2xl font-semibold tracking-tight break-all text-slate-900">
            {request.roleName} · {account}
          </h1>
          <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
            <Badge tone={stateTones[request.state]} className="text-sm">
              {stateLabels[request.state]}
              {count}
            </Badge>
            <span>
              Requested by <span className="font-medium text-slate-900">{request.requester.name}</span>{' '}
              <RelativeTime at={request.createdAt} now={now} />
            </span>
          </p>
        </div>
        {action ? <div className="flex flex-wrap items-center gap-2">{action}</div> : null}
      </div>
      <blockquote className="max-w-3xl border-l-4 border-slate-300 pl-3 text-slate-900">
        <span className="sr-only">Justification: </span>“{request.justification}”
      </blockquote>
      <DescriptionList
        dense
        items={[
          { term: 'Kind', details: kindLabels[request.kind] },
          ...rolePeopleItems(people),
          {
            term: 'Approvals needed',
            details: `${request.approvalsRequired} (${approvalsGiven} given for this version)`,
          },
          ...(request.fromRequestId
            ? [
                {
                  term: 'Started again from',
                  details: (
                    <TextLink href={`/requests/${request.fromRequestId}`}>
                      the rejected request {request.fromRequestId.slice(0, 8)}
                    </TextLink>
                  ),
                },
              ]
            : []),
          {
            term: 'Request JSON',
            details: (
              <TextLink
                fullLoad
                href={`/api/requests/${request.id}/spec`}
                download={`${request.roleName}-request.json`}
              >
                Download the request as JSON
              </TextLink>
            ),
          },
        ]}
      />
    </header>
  );
}
