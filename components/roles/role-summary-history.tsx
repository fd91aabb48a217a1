import { Badge } from '@/components/ui/badge';
import { TextLink } from '@/components/ui/button';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { UtcTime } from '@/components/roles/role-summary';
import type { AuditEvent } from '@/lib/db/queries/audit';
import type { RoleHistory, RoleHistoryRequest } from '@/lib/requests/roles';
import { describeState } from '@/lib/requests/state-machine';

const kindLabel: Record<RoleHistoryRequest['kind'], string> = {
  create: 'Create',
  change: 'Change',
  delete: 'Delete',
};

/** A request's short id, linked to its page when the viewer may open it. */
function RequestRef({ id, canOpen }: { id: string; canOpen: boolean }) {
  const short = id.slice(0, 8);
  return canOpen ? (
    <TextLink href={`/requests/${id}`} className="font-mono" aria-label={`Request ${short}`}>
      {short}
    </TextLink>
  ) : (
    <span className="font-mono">{short}</span>
  );
}

/**
 * *History*: the role's requests since it was created (oldest first), then the audit events of
 * those requests (newest first): who moved which request where, when and why.
 */
export function RoleHistorySection({ history }: { history: RoleHistory }) {
  if (history.requests.length === 0)
    return <EmptyState title="No history">Rolesmith has no requests recorded for this role.</EmptyState>;
  const openable = new Map(history.requests.map((request) => [request.id, request.canOpen]));
  return (
    <div className="flex flex-col gap-5">
      <section className="flex flex-col gap-2" aria-labelledby="history-requests">
        <h3 id="history-requests" className="text-base font-semibold text-slate-900">
          Requests
        </h3>
        <DataTable
          caption="Requests of this role"
          rows={history.requests}
          rowKey={(request) => request.id}
          columns={[
            {
              id: 'request',
              header: 'Request',
              rowHeader: true,
              cell: (request) => <RequestRef id={request.id} canOpen={request.canOpen} />,
            },
            { id: 'kind', header: 'Kind', cell: (request) => kindLabel[request.kind] },
            {
              id: 'state',
              header: 'State',
              cell: (request) => (
                <Badge tone={request.state === 'provisioned' ? 'success' : 'neutral'}>
                  {describeState(request.state)}
                </Badge>
              ),
            },
            { id: 'requester', header: 'Requested by', cell: (request) => request.requester.name },
            { id: 'at', header: 'Submitted', cell: (request) => <UtcTime at={request.createdAt} /> },
            { id: 'why', header: 'Justification', cell: (request) => request.justification },
          ]}
        />
      </section>
      <section className="flex flex-col gap-2" aria-labelledby="history-events">
        <h3 id="history-events" className="text-base font-semibold text-slate-900">
          Audit events
        </h3>
        <DataTable
          caption="Audit events of this role's requests"
          rows={history.events}
          rowKey={(event) => event.id}
          columns={[
            { id: 'at', header: 'Time', cell: (event: AuditEvent) => <UtcTime at={event.at} /> },
            {
              id: 'request',
              header: 'Request',
              cell: (event) => (
                <RequestRef id={event.requestId} canOpen={openable.get(event.requestId) ?? false} />
              ),
            },
            {
              id: 'change',
              header: 'State',
              cell: (event) =>
                event.from
                  ? `${describeState(event.from)} → ${describeState(event.to)}`
                  : describeState(event.to),
            },
            {
              id: 'actor',
              header: 'By',
              cell: (event) =>
                event.actorName ?? (event.actorId.startsWith('system:') ? 'Rolesmith' : event.actorId),
            },
            { id: 'reason', header: 'Reason', cell: (event) => event.reason ?? '' },
          ]}
        />
      </section>
    </div>
  );
}
