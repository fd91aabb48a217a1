import { formatUtc } from '@/components/ui/relative-time';
import { parsePartialApproval } from '@/components/requests/last-event';
import { stateLabels } from '@/components/requests/request-labels';
import type { TimelineEntry } from '@/lib/requests/timeline';

/** The reasons `lib/requests` records when nobody gave one: they only repeat the transition. */
const defaultReasons = new Set([
  'created',
  'submitted',
  'approved',
  'cancelled',
  // lib/requests/provisioning-transitions.ts
  'provisioning started',
  'provisioned',
  'rolled back',
]);

/** The event's reason as a person wrote it: a partial approval's comment without its count. */
function reasonWords(entry: Extract<TimelineEntry, { kind: 'event' }>): string | null {
  if (!entry.reason || defaultReasons.has(entry.reason)) return null;
  const partial =
    entry.from === 'pending' && entry.to === 'pending' ? parsePartialApproval(entry.reason) : null;
  return partial ? partial.comment || null : entry.reason;
}

function eventWords(entry: Extract<TimelineEntry, { kind: 'event' }>): string {
  if (entry.from === null) return `Created as ${stateLabels[entry.to].toLowerCase()}`;
  if (entry.from === 'pending' && entry.to === 'pending') {
    const partial = parsePartialApproval(entry.reason);
    return partial ? `Approved (${partial.count})` : 'Approved (more approvals needed)';
  }
  if (entry.from === entry.to) return `Updated (${stateLabels[entry.to].toLowerCase()})`;
  return `${stateLabels[entry.from]} → ${stateLabels[entry.to]}`;
}

/**
 * Every audit event (who, when, from → to, the reason) and every comment, oldest first, as one
 * ordered list; the next step the request waits for closes it.
 */
export function RequestTimeline({
  entries,
  waitingFor,
}: {
  entries: readonly TimelineEntry[];
  waitingFor: string | null;
}) {
  return (
    <ol className="flex flex-col gap-3 border-l-2 border-slate-200 pl-4" aria-label="Timeline">
      {entries.map((entry) => (
        <li key={entry.id} className="relative text-sm">
          <span
            aria-hidden="true"
            className={`absolute top-1.5 -left-[1.4rem] size-2.5 rounded-full ${entry.kind === 'comment' ? 'bg-sky-600' : 'bg-indigo-700'}`}
          />
          <p className="flex flex-wrap items-baseline gap-x-2">
            <span className="font-medium text-slate-900">
              {entry.kind === 'comment' ? `${entry.actorName} commented` : eventWords(entry)}
            </span>
            {entry.kind === 'event' ? <span className="text-slate-700">by {entry.actorName}</span> : null}
            <span className="text-xs text-slate-600">
              <time dateTime={entry.at.toISOString()}>{formatUtc(entry.at)}</time>
            </span>
          </p>
          {entry.kind === 'comment' ? (
            <p className="mt-1 rounded-md bg-slate-50 p-2 whitespace-pre-wrap text-slate-900">{entry.body}</p>
          ) : reasonWords(entry) ? (
            <p className="mt-1 text-slate-800">“{reasonWords(entry)}”</p>
          ) : null}
        </li>
      ))}
      {waitingFor ? (
        <li className="relative text-sm text-slate-700">
          <span
            aria-hidden="true"
            className="absolute top-1.5 -left-[1.4rem] size-2.5 rounded-full border-2 border-slate-400 bg-white"
          />
          {waitingFor}
        </li>
      ) : null}
    </ol>
  );
}
