import { beforeAll, describe, expect, it } from 'vitest';

it('passes outside the broken suite', () => {
  expect(true).toBe(true);
});

describe('a suite whose beforeAll throws', () => {
  beforeAll(() => {
    throw new Error('the suite could not be set up');
  });

  it('would pass', () => {
    expect(true).toBe(true);
  });
});
