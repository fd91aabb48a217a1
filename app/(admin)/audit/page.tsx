import type { Metadata } from 'next';
import { Badge } from '@/components/ui/badge';
import { TextLink } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { CopyButton } from '@/components/ui/copy-button';
import { TableFilters, type Column } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Input, Select } from '@/components/ui/input';
import { ListResults } from '@/components/ui/list-results';
import { PageHeader } from '@/components/ui/page-header';
import { requireAdmin } from '@/lib/auth/session';
import { auditCreationWords, listAuditLog, type AuditEvent } from '@/lib/requests/audit-log';
import { describeState, REQUEST_STATES } from '@/lib/requests/state-machine';
import {
  listHref,
  listLinks,
  parseListParams,
  type ListSpec,
  type RawSearchParams,
} from '@/lib/search-params';

export const metadata: Metadata = { title: 'Audit log' };

/** The audit log's URL state: three filters and the keyset cursor `before` (newest first, fixed). */
const listSpec: ListSpec<'request' | 'actor' | 'state', never> = {
  pathname: '/audit',
  filters: ['request', 'actor', 'state'],
  cursor: 'before',
};

function Actor({ event }: { event: AuditEvent }) {
  if (event.actorName === null) return <span className="font-mono text-xs">{event.actorId}</span>;
  return (
    <span>
      {event.actorName}
      <span className="block text-xs text-slate-600">{event.actorEmail}</span>
    </span>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const principal = await requireAdmin();
  const params = parseListParams(await searchParams, listSpec);
  const { filters, cursor: before } = params;
  const log = await listAuditLog(principal, { ...filters, before });
  if (!log.ok && log.code !== 'invalid_input') throw new Error(log.message);
  const errors = log.ok ? {} : (log.fieldErrors ?? {});
  const isFiltered = Object.values(filters).some((value) => value !== '');
  const links = listLinks(listSpec, params, log.ok ? log.value.nextBefore : null);
  // The export takes the same filters (every page of them): see app/api/audit/export/route.ts.
  const exportHref = listHref({ ...listSpec, pathname: '/api/audit/export' }, params, { filters: {} });

  const columns: Column<AuditEvent>[] = [
    {
      id: 'at',
      header: 'Time (UTC)',
      className: 'whitespace-nowrap',
      cell: (event) => {
        const at = event.at.toISOString();
        return (
          <time dateTime={at}>
            {at.slice(0, 10)} {at.slice(11, 19)}
          </time>
        );
      },
    },
    { id: 'actor', header: 'Actor', cell: (event) => <Actor event={event} /> },
    {
      id: 'request',
      header: 'Request',
      cell: (event) => (
        <>
          <span className="font-medium">{event.roleName}</span>
          <span className="block text-xs text-slate-600">
            in {event.accountAlias ?? 'account'} <span className="font-mono">{event.accountId}</span>
          </span>
          <TextLink
            href={listHref(listSpec, params, { filters: { request: event.requestId } })}
            className="font-mono text-xs font-normal"
            aria-label={`Only events of request ${event.requestId}`}
          >
            {event.requestId.slice(0, 8)}
          </TextLink>
        </>
      ),
    },
    {
      id: 'change',
      header: 'Change',
      className: 'whitespace-nowrap',
      cell: (event) => (
        <>
          {event.from === null ? (
            <Badge tone="info">{auditCreationWords(event)}</Badge>
          ) : (
            <>
              <Badge>{describeState(event.from)}</Badge> <span aria-label="to">→</span>{' '}
              <Badge tone="info">{describeState(event.to)}</Badge>
            </>
          )}
        </>
      ),
    },
    {
      id: 'reason',
      header: 'Reason',
      className: 'max-w-xs break-words',
      cell: (event) => event.reason ?? <span className="text-slate-500">—</span>,
    },
    { id: 'version', header: 'Version', cell: (event) => event.requestVersion },
    {
      id: 'spec',
      header: 'Spec SHA-256',
      className: 'whitespace-nowrap',
      cell: (event) => (
        <span className="inline-flex items-center gap-1">
          <code className="font-mono text-xs" title={event.specSha256}>
            {event.specSha256.slice(0, 12)}
          </code>
          <CopyButton
            text={event.specSha256}
            variant="ghost"
            accessibleLabel={`Copy the specification's SHA-256 of event ${event.id}`}
          />
        </span>
      ),
    },
  ];

  return (
    <div className="flex min-w-0 flex-col gap-6">
      <PageHeader
        title="Audit log"
        description="Every state change of every request, as recorded in the same transaction as the change. The database refuses to alter or delete these events."
        actions={
          log.ok ? (
            <span className="flex flex-col items-end gap-1 text-right">
              <TextLink fullLoad href={exportHref} download className="text-sm">
                Export CSV
              </TextLink>
              <span id="export-note" className="max-w-xs text-xs text-slate-600">
                {isFiltered ? 'Every event matching the filters' : 'Every event'}, all pages, newest first.
              </span>
            </span>
          ) : null
        }
      />

      <TableFilters
        action="/audit"
        label="Filter the audit log"
        isFiltered={isFiltered}
        className="sm:grid-cols-[minmax(0,2fr)_minmax(0,2fr)_minmax(0,1fr)_auto]"
      >
        <Field id="audit-request" label="Request id" errors={errors.request}>
          {(props) => (
            <Input
              {...props}
              name="request"
              defaultValue={filters.request}
              autoComplete="off"
              spellCheck={false}
              mono
            />
          )}
        </Field>
        <Field id="audit-actor" label="Actor (user id or e-mail)" errors={errors.actor}>
          {(props) => <Input {...props} name="actor" defaultValue={filters.actor} autoComplete="off" />}
        </Field>
        <Field id="audit-state" label="Moved to state" errors={errors.state}>
          {(props) => (
            <Select {...props} name="state" defaultValue={filters.state}>
              <option value="">Any state</option>
              {REQUEST_STATES.map((state) => (
                <option key={state} value={state}>
                  {describeState(state)}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </TableFilters>

      <ListResults
        problem={
          log.ok ? null : (
            <Callout tone="error" role="alert">
              <p className="font-medium">{log.message} No events are shown until the filters are valid.</p>
            </Callout>
          )
        }
        empty={
          <EmptyState
            title={
              isFiltered || before ? 'No events match these filters.' : 'No request has changed state yet.'
            }
          >
            {isFiltered ? null : 'Events appear here as soon as someone submits a request.'}
          </EmptyState>
        }
        heading={{ id: 'events-heading', text: 'Events' }}
        summary={
          <>
            Newest first{before ? ', continuing from the previous page' : ''}. Times are in UTC.
            <span className="md:hidden"> Scroll the table sideways for every column.</span>
          </>
        }
        caption="Audit events"
        columns={columns}
        rows={log.ok ? log.value.events : []}
        rowKey={(event) => event.id}
        minWidth="min-w-[56rem]"
        pagination={{
          label: 'Audit log pages',
          firstHref: links.firstHref,
          firstLabel: '← Newest events',
          nextHref: links.nextHref,
          nextLabel: 'Older events →',
          endLabel: 'End of the log.',
        }}
      />
    </div>
  );
}
