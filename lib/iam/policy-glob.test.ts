import { describe, expect, it } from 'vitest';
import { globCovers, globsIntersect, globToRegExp, hasWildcard } from '@/lib/iam/policy-glob';

describe('policy wildcards', () => {
  it.each([
    { pattern: 's3:Get*', text: 's3:GetObject', flags: 'i', matches: true },
    { pattern: 's3:Get*', text: 'S3:getobject', flags: 'i', matches: true },
    { pattern: 's3:Get*', text: 'S3:getobject', flags: '', matches: false },
    { pattern: 'arn:aws:s3:::logs/?', text: 'arn:aws:s3:::logs/a', flags: '', matches: true },
    { pattern: 'arn:aws:s3:::logs/?', text: 'arn:aws:s3:::logs/ab', flags: '', matches: false },
    { pattern: 'a.b(c)', text: 'a.b(c)', flags: '', matches: true },
    { pattern: 'a.b', text: 'axb', flags: '', matches: false },
    {
      pattern: 'ec2-instance-connect:Send*',
      text: 'ec2-instance-connect:sendsshpublickey',
      flags: 'i',
      matches: true,
    },
    { pattern: 'logs:*', text: 'logs:a\nb', flags: '', matches: false },
    { pattern: 'logs:*', text: 'logs:a\nb', flags: 's', matches: true },
    { pattern: 'LOGS:?', text: 'logs:\n', flags: 'is', matches: true },
  ])('$pattern matches $text ($flags): $matches', ({ pattern, text, flags, matches }) => {
    expect(globToRegExp(pattern, flags).test(text)).toBe(matches);
  });

  it('reuses compiled patterns but never shares a stateful one', () => {
    expect(globToRegExp('s3:*', 'i')).toBe(globToRegExp('s3:*', 'i'));
    expect(globToRegExp('s3:*', 'g')).not.toBe(globToRegExp('s3:*', 'g'));
    expect(globToRegExp('s3:*', 's')).toBe(globToRegExp('s3:*', 's'));
    expect(globToRegExp('s3:*', 's')).not.toBe(globToRegExp('s3:*', 'i'));
  });

  it.each([
    { a: 'arn:aws:s3:::logs/*', b: '*/*', intersect: true },
    { a: 'arn:aws:s3:::logs', b: 'arn:*:s3:::*/*', intersect: false },
    { a: 'logs/2026/*', b: '*/report.csv', intersect: true },
    { a: 'a?c', b: 'ab*', intersect: true },
    { a: 'abc', b: 'abd', intersect: false },
  ])('$a and $b intersect: $intersect', ({ a, b, intersect }) => {
    expect(globsIntersect(a, b)).toBe(intersect);
  });

  it('tells wildcards and coverage', () => {
    expect(hasWildcard('s3:Get*')).toBe(true);
    expect(hasWildcard('s3:GetObject')).toBe(false);
    expect(globCovers('s3:*', 's3:Get*', true)).toBe(true);
    expect(globCovers('S3:GET*', 's3:getobject', true)).toBe(true);
    expect(globCovers('s3:Get*', 's3:PutObject', true)).toBe(false);
    expect(globCovers('arn:aws:s3:::a/*', 'arn:aws:s3:::A/x', false)).toBe(false);
  });
});
