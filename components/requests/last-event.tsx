import { RelativeTime } from '@/components/ui/relative-time';
import type { LastEvent } from '@/lib/requests/request-lists';
import type { RequestState } from '@/lib/requests/model';

/** What moving into each state is called in a list's "Last event" column. */
const verbs: Record<RequestState, string> = {
  draft: 'Saved as draft',
  pending: 'Submitted',
  approved: 'Approved',
  provisioning: 'Creation started',
  provisioned: 'Done',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  failed: 'Failed',
  rolled_back: 'Rolled back',
};

/**
 * An approval that is not yet the last one records "approval 1 of 2: <comment>" as its reason
 * (`partialApprovalReason` in lib/requests/approve.ts): its count ("1 of 2") and the approver's
 * comment (empty when none), or null for any other reason.
 */
export function parsePartialApproval(reason: string | null): { count: string; comment: string } | null {
  const match = /^approval (\d+ of \d+)(?:: ([\s\S]*))?$/.exec(reason ?? '');
  return match ? { count: match[1] ?? '', comment: match[2] ?? '' } : null;
}

/** The event in words: what happened (an edit or an approval that keeps the state has its own). */
export function describeLastEvent(event: LastEvent): string {
  if (event.from === null) return 'Created';
  if (event.from !== event.to) return verbs[event.to];
  const partial = event.to === 'pending' ? parsePartialApproval(event.reason) : null;
  if (partial) return `Approved (${partial.count})`;
  if (event.to === 'failed') return event.reason?.startsWith('rollback') ? 'Rollback queued' : 'Failed';
  return 'Edited';
}

/** Who did it: "you", Rolesmith for the system, or the person's name. */
export function describeActor(event: LastEvent, viewerId: string): string {
  if (event.actorId === viewerId) return 'you';
  if (event.actorId.startsWith('system:')) return 'Rolesmith';
  return event.actorName ?? event.actorId;
}

/** "Approved by Bob Brown", with how long ago under it. */
export function LastEventCell({
  event,
  viewerId,
  now,
}: {
  event: LastEvent | null;
  viewerId: string;
  now: Date;
}) {
  if (!event) return <span className="text-slate-500">—</span>;
  return (
    <>
      {describeLastEvent(event)} by {describeActor(event, viewerId)}
      <span className="block text-xs text-slate-600">
        <RelativeTime at={event.at} now={now} />
      </span>
    </>
  );
}
