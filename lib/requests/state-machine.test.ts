import { describe, expect, it } from 'vitest';
import {
  canTransition,
  describeState,
  isTerminalState,
  OPEN_STATES,
  REQUEST_STATES,
  type RequestState,
} from '@/lib/requests/state-machine';

const allowed: [RequestState, RequestState][] = [
  ['draft', 'draft'],
  ['draft', 'pending'],
  ['draft', 'cancelled'],
  ['pending', 'pending'],
  ['pending', 'approved'],
  ['pending', 'rejected'],
  ['pending', 'cancelled'],
  ['approved', 'provisioning'],
  ['provisioning', 'provisioned'],
  ['provisioning', 'failed'],
  ['failed', 'failed'],
  ['failed', 'provisioning'],
  ['failed', 'rolled_back'],
  ['failed', 'cancelled'],
];

describe('request state machine', () => {
  it('allows exactly the transitions of DESIGN.md', () => {
    for (const from of REQUEST_STATES) {
      for (const to of REQUEST_STATES) {
        const expected = allowed.some(([a, b]) => a === from && b === to);
        expect(canTransition(from, to), `${from} → ${to}`).toBe(expected);
      }
    }
  });

  it.each(['provisioned', 'rejected', 'cancelled', 'rolled_back'] as const)('%s is terminal', (state) => {
    expect(isTerminalState(state)).toBe(true);
  });

  it.each(['draft', 'pending', 'approved', 'provisioning', 'failed'] as const)(
    '%s is not terminal',
    (state) => {
      expect(isTerminalState(state)).toBe(false);
    },
  );

  it.each(REQUEST_STATES)('rolled_back → %s is illegal', (to) => {
    expect(canTransition('rolled_back', to)).toBe(false);
  });

  it('reaches rolled_back only from failed', () => {
    expect(REQUEST_STATES.filter((from) => canTransition(from, 'rolled_back'))).toEqual(['failed']);
  });

  it('does not count rolled_back as open, so its role name is free again', () => {
    expect(OPEN_STATES).not.toContain('rolled_back');
    expect(describeState('rolled_back')).toBe('rolled back');
  });
});
