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

/** The event in words: what happened (an edit or an approval that keeps the state has its own). */
export function describeLastEvent(event: LastEvent): string {
  if (event.from === null) return 'Created';
  if (event.from !== event.to) return verbs[event.to];
  if (event.to === 'pending' && event.reason?.startsWith('approval ')) {
    return `Approved (${event.reason.split(':')[0]?.slice('approval '.length) ?? ''})`;
  }
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
