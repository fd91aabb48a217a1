import { describe, expect, it } from 'vitest';
import { describeActor, describeLastEvent } from '@/components/requests/last-event';
import type { LastEvent } from '@/lib/requests/request-lists';

const event = (overrides: Partial<LastEvent>): LastEvent => ({
  at: new Date('2026-12-07T10:00:00Z'),
  from: 'pending',
  to: 'approved',
  reason: null,
  actorId: 'demo-bob',
  actorName: 'Bob Brown',
  ...overrides,
});

describe('the last event in words', () => {
  it.each([
    { given: event({ from: null, to: 'draft', reason: 'created' }), text: 'Created' },
    { given: event({ from: 'draft', to: 'pending' }), text: 'Submitted' },
    { given: event({}), text: 'Approved' },
    {
      given: event({ from: 'pending', to: 'pending', reason: 'approval 1 of 2: fine' }),
      text: 'Approved (1 of 2)',
    },
    { given: event({ from: 'pending', to: 'pending', reason: 'edited' }), text: 'Edited' },
    { given: event({ from: 'provisioning', to: 'provisioned' }), text: 'Done' },
    { given: event({ from: 'failed', to: 'failed', reason: 'rollback' }), text: 'Rollback queued' },
  ])('$text', ({ given, text }) => {
    expect(describeLastEvent(given)).toBe(text);
  });

  it('names the actor: you, Rolesmith for the system, or the person', () => {
    expect(describeActor(event({ actorId: 'demo-alice' }), 'demo-alice')).toBe('you');
    expect(describeActor(event({ actorId: 'system:provisioner', actorName: null }), 'demo-alice')).toBe(
      'Rolesmith',
    );
    expect(describeActor(event({}), 'demo-alice')).toBe('Bob Brown');
    expect(describeActor(event({ actorName: null }), 'demo-alice')).toBe('demo-bob');
  });
});
