import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parsePartialApproval } from '@/components/requests/last-event';
import { RequestTimeline } from '@/components/requests/request-timeline';
import type { RequestState } from '@/lib/requests/model';
import type { TimelineEntry } from '@/lib/requests/timeline';

const event = (reason: string | null): Extract<TimelineEntry, { kind: 'event' }> => ({
  kind: 'event',
  id: 'event-1',
  at: new Date('2026-12-08T01:28:57Z'),
  actorId: 'demo-bob',
  actorName: 'Bob Brown',
  from: 'pending',
  to: 'pending',
  reason,
  requestVersion: 1,
});

const text = (entries: TimelineEntry[]) =>
  renderToStaticMarkup(<RequestTimeline entries={entries} waitingFor={null} />).replace(/<[^>]+>/g, ' ');

describe('the timeline’s partial approvals', () => {
  it('say the count in the title and quote only the approver’s comment', () => {
    const words = text([event('approval 1 of 2: Looks fine')]);
    expect(words).toContain('Approved (1 of 2)');
    expect(words).toContain('“Looks fine”');
    expect(words).not.toContain('approval 1 of 2');
  });

  it('quote nothing when the approver wrote no comment', () => {
    const words = text([event('approval 2 of 3')]);
    expect(words).toContain('Approved (2 of 3)');
    expect(words).not.toContain('“');
  });

  it('parse only the reason approve.ts records', () => {
    expect(parsePartialApproval('approval 1 of 2: a: b')).toEqual({ count: '1 of 2', comment: 'a: b' });
    expect(parsePartialApproval('approval 1 of 2')).toEqual({ count: '1 of 2', comment: '' });
    expect(parsePartialApproval('approved')).toBeNull();
    expect(parsePartialApproval(null)).toBeNull();
  });
});

describe('the timeline’s reasons', () => {
  it('quote nothing that only repeats the move (Rolesmith’s own provisioning reasons)', () => {
    const moves: [RequestState, RequestState, string][] = [
      ['approved', 'provisioning', 'provisioning started'],
      ['provisioning', 'provisioned', 'provisioned'],
      ['failed', 'rolled_back', 'rolled back'],
    ];
    for (const [from, to, reason] of moves) {
      const words = text([{ ...event(reason), from, to }]);
      expect(words).not.toContain('“');
    }
  });

  it('quote a failure’s AWS message', () => {
    const words = text([
      { ...event('NoSuchEntity: The role cannot be found.'), from: 'provisioning', to: 'failed' },
    ]);
    expect(words).toContain('“NoSuchEntity: The role cannot be found.”');
  });
});
