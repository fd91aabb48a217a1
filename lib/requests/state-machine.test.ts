import { describe, expect, it } from 'vitest';
import {
  canTransition,
  isTerminalState,
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
  ['failed', 'provisioning'],
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

  it.each(['provisioned', 'rejected', 'cancelled'] as const)('%s is terminal', (state) => {
    expect(isTerminalState(state)).toBe(true);
  });

  it.each(['draft', 'pending', 'approved', 'provisioning', 'failed'] as const)(
    '%s is not terminal',
    (state) => {
      expect(isTerminalState(state)).toBe(false);
    },
  );
});
