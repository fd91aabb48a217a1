import { describe, expect, it } from 'vitest';

import { jsonEqual, jsonTextEqual } from '@/lib/iam/json-equal';

describe('jsonEqual', () => {
  it.each([
    { a: { x: 1, y: [1, { p: true, q: null }] }, b: { y: [1, { q: null, p: true }], x: 1 }, equal: true },
    { a: [1, 2], b: [2, 1], equal: false },
    { a: { x: 1, gone: undefined }, b: { x: 1 }, equal: true },
    { a: undefined, b: null, equal: true },
    { a: { x: '1' }, b: { x: 1 }, equal: false },
  ])('$a vs $b: $equal', ({ a, b, equal }) => {
    expect(jsonEqual(a, b)).toBe(equal);
  });
});

describe('jsonTextEqual', () => {
  it.each([
    {
      a: '{"Version":"2012-10-17","Statement":[]}',
      b: '{ "Statement": [], "Version": "2012-10-17" }',
      equal: true,
    },
    { a: '{"a":[1,2]}', b: '{"a":[2,1]}', equal: false },
    { a: 'not json', b: 'not json', equal: true },
    { a: 'not json', b: '{}', equal: false },
  ])('$a vs $b: $equal', ({ a, b, equal }) => {
    expect(jsonTextEqual(a, b)).toBe(equal);
  });
});
