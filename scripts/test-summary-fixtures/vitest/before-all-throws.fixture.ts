import { beforeAll, expect, it } from 'vitest';

beforeAll(() => {
  throw new Error('the fixture could not be set up');
});

it('would pass', () => {
  expect(true).toBe(true);
});

it('would pass as well', () => {
  expect(true).toBe(true);
});
