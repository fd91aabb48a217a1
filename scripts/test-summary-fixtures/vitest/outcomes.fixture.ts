import { beforeEach, describe, expect, it } from 'vitest';
import { skipWhen } from '../../../lib/testing/skip';

it('passes', () => {
  expect(1 + 1).toBe(2);
});

it('fails', () => {
  expect(1 + 1).toBe(3);
});

it('is skipped by a named condition', (context) => {
  skipWhen(context, true, 'the fixture always skips this one');
  expect.unreachable();
});

it.skip('is skipped with no reason', () => {
  expect.unreachable();
});

describe('a suite skipped in beforeEach', () => {
  beforeEach((context) => skipWhen(context, true, 'the whole suite needs something missing'));

  it('is skipped too', () => {
    expect.unreachable();
  });
});
