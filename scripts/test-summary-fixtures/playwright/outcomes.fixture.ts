import { expect, test } from '@playwright/test';

test('passes', () => {
  expect(1 + 1).toBe(2);
});

test('fails', () => {
  expect(1 + 1).toBe(3);
});

test('passes on retry', () => {
  expect(test.info().retry).toBe(1);
});

test('is skipped by a named condition', () => {
  test.skip(true, 'the fixture always skips this one');
});

test.skip('is skipped with no reason', () => {
  expect(true).toBe(false);
});

test.describe('a suite whose beforeAll throws', () => {
  test.beforeAll(() => {
    throw new Error('the suite could not be set up');
  });

  test('would pass', () => {
    expect(true).toBe(true);
  });

  test('would pass as well', () => {
    expect(true).toBe(true);
  });
});
