import type { Metadata } from 'next';
import Link from 'next/link';
import { describedBy, Field, inputClass } from '@/components/admin/field';
import { Badge } from '@/components/ui/badge';
import { PageHeader } from '@/components/ui/page-header';
import { requireAdmin } from '@/lib/auth/session';
import { listAuditLog, type AuditEvent } from '@/lib/requests/audit-log';
import { describeState, REQUEST_STATES } from '@/lib/requests/state-machine';

export const metadata: Metadata = { title: 'Audit log' };

type SearchParams = Record<string, string | string[] | undefined>;

const linkClass = 'font-medium text-indigo-800 underline underline-offset-2 hover:text-indigo-950';

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/** The audit page's URL with these filters (empty ones left out). */
function auditHref(params: Record<string, string>): string {
  const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== ''));
  const text = query.toString();
  return text ? `/audit?${text}` : '/audit';
}

function Actor({ event }: { event: AuditEvent }) {
  if (event.actorName === null) return <span className="font-mono text-xs">{event.actorId}</span>;
  return (
    <span>
      {event.actorName}
      <span className="block text-xs text-slate-600">{event.actorEmail}</span>
    </span>
  );
}

function EventRow({ event, filters }: { event: AuditEvent; filters: Record<string, string> }) {
  const at = event.at.toISOString();
  return (
    <tr className="border-b border-slate-200 align-top last:border-b-0">
      <td className="px-3 py-2 whitespace-nowrap">
        <time dateTime={at}>
          {at.slice(0, 10)} {at.slice(11, 19)}
        </time>
      </td>
      <td className="px-3 py-2">
        <Actor event={event} />
      </td>
      <td className="px-3 py-2">
        <span className="font-medium">{event.roleName}</span>
        <span className="block text-xs text-slate-600">
          in {event.accountAlias ?? 'account'} <span className="font-mono">{event.accountId}</span>
        </span>
        <Link
          href={auditHref({ ...filters, request: event.requestId, before: '' })}
          className="font-mono text-xs text-indigo-800 underline underline-offset-2"
          aria-label={`Only events of request ${event.requestId}`}
        >
          {event.requestId.slice(0, 8)}
        </Link>
      </td>
      <td className="px-3 py-2 whitespace-nowrap">
        {event.from === null ? (
          <Badge tone="info">created</Badge>
        ) : (
          <Badge>{describeState(event.from)}</Badge>
        )}{' '}
        <span aria-label="to">→</span> <Badge tone="info">{describeState(event.to)}</Badge>
      </td>
      <td className="max-w-xs px-3 py-2 break-words">
        {event.reason ?? <span className="text-slate-500">—</span>}
      </td>
      <td className="px-3 py-2">{event.requestVersion}</td>
      <td className="px-3 py-2">
        <code className="font-mono text-xs" title={event.specSha256}>
          {event.specSha256.slice(0, 12)}
        </code>
      </td>
    </tr>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await requireAdmin();
  const params = await searchParams;
  const filters = { request: first(params.request), actor: first(params.actor), state: first(params.state) };
  const before = first(params.before);
  const log = await listAuditLog(principal, { ...filters, before });
  if (!log.ok && log.code !== 'invalid_input') throw new Error(log.message);
  const errors = log.ok ? {} : (log.fieldErrors ?? {});
  const isFiltered = Object.values(filters).some((value) => value !== '');

  return (
    <div className="flex min-w-0 flex-col gap-6">
      <PageHeader
        title="Audit log"
        description="Every state change of every request, as recorded in the same transaction as the change. The database refuses to alter or delete these events."
      />

      <form
        method="get"
        action="/audit"
        role="search"
        aria-label="Filter the audit log"
        className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-[minmax(0,2fr)_minmax(0,2fr)_minmax(0,1fr)_auto] sm:items-end"
      >
        <Field id="audit-request" label="Request id" errors={errors.request}>
          <input
            {...describedBy('audit-request', { errors: errors.request })}
            name="request"
            defaultValue={filters.request}
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass} font-mono`}
          />
        </Field>
        <Field id="audit-actor" label="Actor (user id or e-mail)" errors={errors.actor}>
          <input
            {...describedBy('audit-actor', { errors: errors.actor })}
            name="actor"
            defaultValue={filters.actor}
            autoComplete="off"
            className={inputClass}
          />
        </Field>
        <Field id="audit-state" label="Moved to state" errors={errors.state}>
          <select
            {...describedBy('audit-state', { errors: errors.state })}
            name="state"
            defaultValue={filters.state}
            className={inputClass}
          >
            <option value="">Any state</option>
            {REQUEST_STATES.map((state) => (
              <option key={state} value={state}>
                {describeState(state)}
              </option>
            ))}
          </select>
        </Field>
        <div className="flex items-center gap-3 sm:pb-0.5">
          <button
            type="submit"
            className="rounded-md bg-indigo-700 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            Filter
          </button>
          {isFiltered ? (
            <Link href="/audit" className={`text-sm ${linkClass}`}>
              Clear
            </Link>
          ) : null}
        </div>
      </form>

      {!log.ok ? (
        <p role="alert" className="text-sm font-medium text-red-700">
          {log.message} No events are shown until the filters are valid.
        </p>
      ) : log.value.events.length === 0 ? (
        <p className="text-slate-700">
          {isFiltered || before ? 'No events match these filters.' : 'No request has changed state yet.'}
        </p>
      ) : (
        <section aria-labelledby="events-heading" className="flex min-w-0 flex-col gap-3">
          <h2 id="events-heading" className="sr-only">
            Events
          </h2>
          <p className="text-sm text-slate-700">
            Newest first{before ? ', continuing from the previous page' : ''}. Times are in UTC.
            <span className="md:hidden"> Scroll the table sideways for every column.</span>
          </p>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full min-w-[56rem] border-collapse text-left text-sm">
              <thead className="bg-slate-50">
                <tr className="border-b border-slate-300">
                  {['Time (UTC)', 'Actor', 'Request', 'Change', 'Reason', 'Version', 'Spec SHA-256'].map(
                    (label) => (
                      <th key={label} scope="col" className="px-3 py-2 font-medium">
                        {label}
                      </th>
                    ),
                  )}
                </tr>
              </thead>
              <tbody>
                {log.value.events.map((event) => (
                  <EventRow key={event.id} event={event} filters={filters} />
                ))}
              </tbody>
            </table>
          </div>
          <nav aria-label="Audit log pages" className="flex flex-wrap gap-4 text-sm">
            {before ? (
              <Link href={auditHref(filters)} className={linkClass}>
                ← Newest events
              </Link>
            ) : null}
            {log.value.nextBefore ? (
              <Link href={auditHref({ ...filters, before: log.value.nextBefore })} className={linkClass}>
                Older events →
              </Link>
            ) : (
              <span className="text-slate-600">End of the log.</span>
            )}
          </nav>
        </section>
      )}
    </div>
  );
}
