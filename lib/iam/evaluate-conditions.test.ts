import { describe, expect, it } from 'vitest';
import { compileCondition, parseDate, parseOperator, splitArn } from './evaluate-conditions';

type Context = Record<string, string | string[]>;

function holds(operator: string, key: string, values: unknown, context: Context, variables = true): boolean {
  const map = new Map(Object.entries(context).map(([name, value]) => [name.toLowerCase(), value]));
  return compileCondition(operator, key, values, variables).evaluate(map);
}

interface Row {
  op: string;
  key?: string;
  values: unknown;
  context: Context;
  expected: boolean;
}

const run = (rows: Row[]) =>
  it.each(rows)('$op $values with $context → $expected', ({ op, key, values, context, expected }) => {
    expect(holds(op, key ?? 'k:x', values, context)).toBe(expected);
  });

describe('String operators', () => {
  run([
    { op: 'StringEquals', values: 'dev', context: { 'k:x': 'dev' }, expected: true },
    { op: 'StringEquals', values: 'dev', context: { 'k:x': 'Dev' }, expected: false },
    { op: 'StringEquals', values: ['ops', 'dev'], context: { 'k:x': 'dev' }, expected: true },
    { op: 'StringEquals', values: 'd*', context: { 'k:x': 'dev' }, expected: false },
    { op: 'StringEquals', values: 'd*', context: { 'k:x': 'd*' }, expected: true },
    { op: 'StringEquals', values: 'dev', context: {}, expected: false },
    { op: 'stringequals', values: 'dev', context: { 'K:X': 'dev' }, expected: true },
    { op: 'StringNotEquals', values: ['ops', 'dev'], context: { 'k:x': 'dev' }, expected: false },
    { op: 'StringNotEquals', values: ['ops', 'sec'], context: { 'k:x': 'dev' }, expected: true },
    { op: 'StringNotEquals', values: 'dev', context: {}, expected: true },
    { op: 'StringEqualsIgnoreCase', values: 'DEV', context: { 'k:x': 'dev' }, expected: true },
    { op: 'StringNotEqualsIgnoreCase', values: 'DEV', context: { 'k:x': 'dev' }, expected: false },
    { op: 'StringLike', values: 'repo:acme/*', context: { 'k:x': 'repo:acme/web:main' }, expected: true },
    { op: 'StringLike', values: 'd?v', context: { 'k:x': 'dev' }, expected: true },
    { op: 'StringLike', values: 'd?v', context: { 'k:x': 'deev' }, expected: false },
    { op: 'StringLike', values: 'a.c', context: { 'k:x': 'abc' }, expected: false },
    { op: 'StringLike', values: '*', context: { 'k:x': '' }, expected: true },
    { op: 'StringNotLike', values: ['o*', 'd*'], context: { 'k:x': 'dev' }, expected: false },
    { op: 'StringNotLike', values: ['o*', 's*'], context: { 'k:x': 'dev' }, expected: true },
  ]);
});

describe('Numeric operators', () => {
  run([
    { op: 'NumericEquals', values: '300', context: { 'k:x': '300' }, expected: true },
    { op: 'NumericEquals', values: '300', context: { 'k:x': '300.0' }, expected: true },
    { op: 'NumericEquals', values: 300, context: { 'k:x': '300' }, expected: true },
    { op: 'NumericNotEquals', values: ['300', '400'], context: { 'k:x': '300' }, expected: false },
    { op: 'NumericNotEquals', values: ['300', '400'], context: { 'k:x': '500' }, expected: true },
    { op: 'NumericLessThan', values: '3600', context: { 'k:x': '120' }, expected: true },
    { op: 'NumericLessThan', values: '3600', context: { 'k:x': '3600' }, expected: false },
    { op: 'NumericLessThanEquals', values: '3600', context: { 'k:x': '3600' }, expected: true },
    { op: 'NumericGreaterThan', values: '10', context: { 'k:x': '12.5' }, expected: true },
    { op: 'NumericGreaterThanEquals', values: '12.5', context: { 'k:x': '12.5' }, expected: true },
    { op: 'NumericEquals', values: '1', context: { 'k:x': 'one' }, expected: false },
    { op: 'NumericNotEquals', values: '1', context: { 'k:x': 'one' }, expected: false },
    { op: 'NumericEquals', values: 'x', context: { 'k:x': '1' }, expected: false },
  ]);
});

describe('Date operators', () => {
  run([
    {
      op: 'DateEquals',
      values: '2026-06-01T12:00:00Z',
      context: { 'k:x': '2026-06-01T12:00:00Z' },
      expected: true,
    },
    {
      op: 'DateEquals',
      values: '2026-06-01T12:00:00Z',
      context: { 'k:x': '2026-06-01T14:00:00+02:00' },
      expected: true,
    },
    { op: 'DateEquals', values: '1780315200', context: { 'k:x': '2026-06-01T12:00:00Z' }, expected: true },
    {
      op: 'DateNotEquals',
      values: '2026-06-01T12:00:00Z',
      context: { 'k:x': '2027-01-01T00:00:00Z' },
      expected: true,
    },
    {
      op: 'DateLessThan',
      values: '2027-01-01T00:00:00Z',
      context: { 'k:x': '2026-11-28T12:00:00Z' },
      expected: true,
    },
    {
      op: 'DateLessThanEquals',
      values: '2026-01-01',
      context: { 'k:x': '2026-01-01T00:00:00Z' },
      expected: true,
    },
    {
      op: 'DateGreaterThan',
      values: '2026-01-01T00:00:00Z',
      context: { 'k:x': '1767225600' },
      expected: false,
    },
    {
      op: 'DateGreaterThanEquals',
      values: '2026-01-01T00:00:00Z',
      context: { 'k:x': '1767225600' },
      expected: true,
    },
    { op: 'DateLessThan', values: 'tomorrow', context: { 'k:x': '2026-01-01T00:00:00Z' }, expected: false },
  ]);
  it('parses ISO 8601 and epoch seconds to milliseconds', () => {
    expect(parseDate('1767225600')).toBe(Date.UTC(2026, 0, 1));
    expect(parseDate('2026-01-01T00:00:00Z')).toBe(Date.UTC(2026, 0, 1));
    expect(parseDate('not a date')).toBeNull();
  });

  // The evaluator reads Date* values exactly as IAM's policy parser does (lib/iam/iam-date.ts: IAM
  // User Guide, "IAM JSON policy elements: Condition operators", "Date condition operators"; AWS's
  // answers recorded by moto's tests/test_iam/test_iam_policies.py), not as JavaScript's Date.parse.
  const yearStart = (year: number) => new Date(0).setUTCFullYear(year, 0, 1);
  it.each([
    [
      '2016-12-13t2:00:00.593194+23',
      Date.UTC(2016, 11, 12, 3, 0, 0, 593),
      'moto: lower-case t, one-digit hour, +23',
    ],
    ['01T', yearStart(1), 'moto: year 1, empty time'],
    ['2016-348', Date.UTC(2016, 11, 13), 'ordinal date: day 348 of 2016'],
    ['2016-W50-2', Date.UTC(2016, 11, 13), 'week date: Tuesday of ISO week 50'],
    ['2016-W50', Date.UTC(2016, 11, 15), 'week date without its day: that week’s Thursday'],
    ['2016-12-13T21.5', Date.UTC(2016, 11, 13, 21, 30), 'a fraction of the hour'],
    ['T10:00Z', Date.UTC(1970, 0, 1, 10), 'a time without a date'],
  ])('takes %s, which Date.parse refuses (%s)', (value, expected, why) => {
    expect(Number.isNaN(Date.parse(value)), why).toBe(true);
    expect(parseDate(value)).toBe(expected);
  });

  it.each([
    ['Tue, 01 Jan 2026 00:00:00 GMT', 'RFC 1123'],
    ['2026/01/01', 'slashes'],
    ['January 1, 2026', 'words'],
    ['2026-01-01 10:00:00', 'a space for the T'],
  ])('refuses %s, which Date.parse takes and IAM refuses (%s)', (value) => {
    expect(Number.isNaN(Date.parse(value))).toBe(false);
    expect(parseDate(value)).toBeNull();
  });

  it('refuses what IAM refuses, and reads a negative number as a year, as IAM does (moto)', () => {
    expect(parseDate('2016-12-13T2:00:00.593194+1')).toBeNull();
    expect(parseDate('2016-13-01')).toBeNull();
    expect(parseDate('9223372036854775808')).toBeNull();
    expect(parseDate('-5')).toBe(yearStart(-5));
  });
});

describe('Date operators read values as IAM does', () => {
  // 2016-12-13T02:00:00.593+23:00 is 2016-12-12T03:00:00.593Z.
  run([
    {
      op: 'DateLessThan',
      values: '2016-12-13t2:00:00.593194+23',
      context: { 'k:x': '2016-12-12T02:59:59Z' },
      expected: true,
    },
    {
      op: 'DateLessThan',
      values: '2016-12-13t2:00:00.593194+23',
      context: { 'k:x': '2016-12-12T03:00:01Z' },
      expected: false,
    },
  ]);
});

describe('Bool and BinaryEquals', () => {
  run([
    { op: 'Bool', values: 'true', context: { 'k:x': 'true' }, expected: true },
    { op: 'Bool', values: true, context: { 'k:x': 'TRUE' }, expected: true },
    { op: 'Bool', values: 'true', context: { 'k:x': 'false' }, expected: false },
    { op: 'Bool', values: 'true', context: {}, expected: false },
    { op: 'BoolIfExists', values: 'true', context: {}, expected: true },
    { op: 'BoolIfExists', values: 'true', context: { 'k:x': 'false' }, expected: false },
    { op: 'Bool', values: 'yes', context: { 'k:x': 'yes' }, expected: false },
    { op: 'BinaryEquals', values: 'QmluYXJ5', context: { 'k:x': 'QmluYXJ5' }, expected: true },
    { op: 'BinaryEquals', values: 'QmluYXJ5', context: { 'k:x': 'qmluyxj5' }, expected: false },
  ]);
});

describe('IpAddress and NotIpAddress', () => {
  run([
    { op: 'IpAddress', values: '203.0.113.0/24', context: { 'k:x': '203.0.113.9' }, expected: true },
    { op: 'IpAddress', values: '203.0.113.0/24', context: { 'k:x': '203.0.114.9' }, expected: false },
    {
      op: 'IpAddress',
      values: ['10.0.0.0/8', '2001:db8::/32'],
      context: { 'k:x': '2001:db8:1::5' },
      expected: true,
    },
    { op: 'IpAddress', values: '2001:db8::/32', context: { 'k:x': '2001:db9::5' }, expected: false },
    { op: 'IpAddress', values: '0.0.0.0/0', context: { 'k:x': '198.51.100.1' }, expected: true },
    { op: 'IpAddress', values: '203.0.113.9', context: { 'k:x': '203.0.113.9' }, expected: true },
    { op: 'IpAddress', values: '::ffff:0:0/96', context: { 'k:x': '::ffff:10.0.0.1' }, expected: true },
    { op: 'IpAddress', values: '10.0.0.0/8', context: { 'k:x': 'not-an-ip' }, expected: false },
    { op: 'NotIpAddress', values: '10.0.0.0/8', context: { 'k:x': 'not-an-ip' }, expected: false },
    {
      op: 'NotIpAddress',
      values: ['10.0.0.0/8', '192.168.0.0/16'],
      context: { 'k:x': '203.0.113.9' },
      expected: true,
    },
    {
      op: 'NotIpAddress',
      values: ['10.0.0.0/8', '192.168.0.0/16'],
      context: { 'k:x': '10.9.9.9' },
      expected: false,
    },
    { op: 'NotIpAddress', values: '10.0.0.0/8', context: { 'k:x': '2001:db8::1' }, expected: true },
    { op: 'NotIpAddress', values: '10.0.0.0/8', context: {}, expected: true },
  ]);
});

describe('Arn operators', () => {
  const arn = 'arn:aws:iam::111122223333:role/ops/Admin';
  run([
    { op: 'ArnEquals', values: arn, context: { 'k:x': arn }, expected: true },
    { op: 'ArnEquals', values: 'arn:aws:iam::*:role/ops/*', context: { 'k:x': arn }, expected: true },
    { op: 'ArnLike', values: 'arn:aws:iam::111122223333:role/*', context: { 'k:x': arn }, expected: true },
    { op: 'ArnLike', values: 'arn:aws:iam::111122223333:*', context: { 'k:x': arn }, expected: true },
    {
      op: 'ArnLike',
      values: 'arn:aws:iam::111122223333:role/ops/admin',
      context: { 'k:x': arn },
      expected: false,
    },
    { op: 'ArnLike', values: 'arn:aws:*:111122223333:role/*', context: { 'k:x': arn }, expected: false },
    {
      op: 'ArnLike',
      values: 'arn:aws:sns:*:*:topic',
      context: { 'k:x': 'arn:aws:sns:us-east-1:111122223333:topic' },
      expected: true,
    },
    {
      op: 'ArnLike',
      values: 'arn:aws:sns:*:topic',
      context: { 'k:x': 'arn:aws:sns:us-east-1:111122223333:topic' },
      expected: false,
    },
    { op: 'ArnNotEquals', values: 'arn:aws:iam::*:role/Deployer', context: { 'k:x': arn }, expected: true },
    {
      op: 'ArnNotLike',
      values: ['arn:aws:iam::*:role/Deployer', 'arn:aws:iam::*:role/ops/*'],
      context: { 'k:x': arn },
      expected: false,
    },
    {
      op: 'ArnLike',
      values: 'arn:aws:iam::111122223333:role/*',
      context: { 'k:x': 'not:an:arn' },
      expected: false,
    },
    {
      op: 'ArnNotLike',
      values: 'arn:aws:iam::111122223333:role/*',
      context: { 'k:x': 'not:an:arn' },
      expected: false,
    },
  ]);
  it('splits an ARN into six parts, keeping colons in the resource', () => {
    expect(splitArn('arn:aws:logs:us-east-1:111122223333:log-group:/app:*')).toEqual([
      'arn',
      'aws',
      'logs',
      'us-east-1',
      '111122223333',
      'log-group:/app:*',
    ]);
    expect(splitArn('arn:aws:s3')).toBeNull();
  });
});

describe('Null, IfExists and missing keys', () => {
  run([
    { op: 'Null', values: 'true', context: {}, expected: true },
    { op: 'Null', values: 'true', context: { 'k:x': 'v' }, expected: false },
    { op: 'Null', values: 'false', context: { 'k:x': 'v' }, expected: true },
    { op: 'Null', values: 'false', context: {}, expected: false },
    { op: 'Null', values: 'false', context: { 'k:x': [] }, expected: true },
    { op: 'StringEqualsIfExists', values: 'dev', context: {}, expected: true },
    { op: 'StringEqualsIfExists', values: 'dev', context: { 'k:x': 'ops' }, expected: false },
    { op: 'NumericLessThanIfExists', values: '10', context: {}, expected: true },
    { op: 'DateLessThan', values: '2027-01-01T00:00:00Z', context: {}, expected: false },
    { op: 'DateNotEquals', values: '2027-01-01T00:00:00Z', context: {}, expected: true },
    { op: 'ArnNotLike', values: 'arn:aws:iam::*:role/x', context: {}, expected: true },
    { op: 'UnknownOperator', values: 'x', context: { 'k:x': 'x' }, expected: false },
  ]);
});

describe('multi-valued keys and set operators', () => {
  run([
    {
      op: 'ForAnyValue:StringEquals',
      values: ['env', 'team'],
      context: { 'k:x': ['owner', 'team'] },
      expected: true,
    },
    {
      op: 'ForAnyValue:StringEquals',
      values: ['env', 'team'],
      context: { 'k:x': ['owner'] },
      expected: false,
    },
    { op: 'ForAnyValue:StringEquals', values: ['env'], context: { 'k:x': [] }, expected: false },
    { op: 'ForAnyValue:StringEquals', values: ['env'], context: {}, expected: false },
    { op: 'ForAnyValue:StringEqualsIfExists', values: ['env'], context: {}, expected: true },
    { op: 'ForAnyValue:StringEquals', values: ['env'], context: { 'k:x': 'env' }, expected: true },
    {
      op: 'ForAllValues:StringEquals',
      values: ['env', 'team'],
      context: { 'k:x': ['env', 'team'] },
      expected: true,
    },
    {
      op: 'ForAllValues:StringEquals',
      values: ['env', 'team'],
      context: { 'k:x': ['env', 'owner'] },
      expected: false,
    },
    { op: 'ForAllValues:StringEquals', values: ['env'], context: { 'k:x': [] }, expected: true },
    { op: 'ForAllValues:StringEquals', values: ['env'], context: {}, expected: true },
    {
      op: 'forallvalues:stringlike',
      values: ['e*', 't*'],
      context: { 'k:x': ['env', 'team'] },
      expected: true,
    },
    {
      op: 'ForAnyValue:StringNotEquals',
      values: ['env'],
      context: { 'k:x': ['env', 'team'] },
      expected: true,
    },
    { op: 'ForAnyValue:StringNotEquals', values: ['env'], context: { 'k:x': ['env'] }, expected: false },
    {
      op: 'ForAllValues:StringNotEquals',
      values: ['secret'],
      context: { 'k:x': ['env', 'team'] },
      expected: true,
    },
    {
      op: 'ForAllValues:StringNotEquals',
      values: ['secret'],
      context: { 'k:x': ['env', 'secret'] },
      expected: false,
    },
    { op: 'StringEquals', values: ['env'], context: { 'k:x': ['env'] }, expected: false },
    { op: 'StringNotEquals', values: ['env'], context: { 'k:x': ['team'] }, expected: false },
    {
      op: 'ForAnyValue:IpAddress',
      values: ['10.0.0.0/8'],
      context: { 'k:x': ['192.168.0.1', '10.0.0.1'] },
      expected: true,
    },
  ]);

  it('parses set operators and IfExists without regard to case', () => {
    expect(parseOperator('ForAnyValue:StringLikeIfExists')).toEqual({
      set: 'any',
      base: 'stringlike',
      ifExists: true,
    });
    expect(parseOperator('forallvalues:ArnEquals')).toEqual({
      set: 'all',
      base: 'arnequals',
      ifExists: false,
    });
    expect(parseOperator('Bool')).toEqual({ set: 'none', base: 'bool', ifExists: false });
  });
});

describe('policy variables in condition values', () => {
  run([
    {
      op: 'StringEquals',
      key: 'aws:PrincipalTag/team',
      values: '${aws:RequestTag/team}',
      context: { 'aws:PrincipalTag/team': 'dev', 'aws:RequestTag/team': 'dev' },
      expected: true,
    },
    {
      op: 'StringEquals',
      key: 'aws:PrincipalTag/team',
      values: '${aws:RequestTag/team}',
      context: { 'aws:PrincipalTag/team': 'dev', 'aws:RequestTag/team': 'ops' },
      expected: false,
    },
    {
      op: 'StringEquals',
      key: 'aws:PrincipalTag/team',
      values: '${aws:RequestTag/team}',
      context: { 'aws:PrincipalTag/team': 'dev' },
      expected: false,
    },
    {
      op: 'StringNotEquals',
      key: 'aws:PrincipalTag/team',
      values: '${aws:RequestTag/team}',
      context: { 'aws:PrincipalTag/team': 'dev' },
      expected: false,
    },
    {
      op: 'StringEquals',
      key: 'k:x',
      values: "${aws:RequestTag/team, 'shared'}",
      context: { 'k:x': 'shared' },
      expected: true,
    },
    {
      op: 'StringLike',
      key: 's3:prefix',
      values: 'home/${aws:username}/*',
      context: { 's3:prefix': 'home/alice/a', 'aws:username': 'alice' },
      expected: true,
    },
    {
      op: 'StringLike',
      key: 's3:prefix',
      values: 'home/${aws:username}/*',
      context: { 's3:prefix': 'home/alice/a', 'aws:username': 'a*' },
      expected: false,
    },
    {
      op: 'StringLike',
      key: 's3:prefix',
      values: 'home/${aws:username}',
      context: { 's3:prefix': 'home/alice', 'aws:username': ['alice'] },
      expected: false,
    },
    {
      op: 'StringEquals',
      key: 'k:x',
      values: 'a${*}b${?}c${$}',
      context: { 'k:x': 'a*b?c$' },
      expected: true,
    },
    {
      op: 'ArnLike',
      key: 'aws:PrincipalArn',
      values: 'arn:aws:iam::111122223333:user/${aws:username}',
      context: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/bob', 'aws:username': 'bob' },
      expected: true,
    },
    { op: 'Bool', key: 'k:x', values: '${k:y}', context: { 'k:x': 'true', 'k:y': 'TRUE' }, expected: true },
  ]);

  it('leaves ${…} literal in documents without Version 2012-10-17', () => {
    const context = { 'k:x': '${aws:username}', 'aws:username': 'alice' };
    expect(holds('StringEquals', 'k:x', '${aws:username}', context, false)).toBe(true);
    expect(holds('StringEquals', 'k:x', '${aws:username}', context, true)).toBe(false);
  });
});
