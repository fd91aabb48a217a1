import { describe, expect, it } from 'vitest';
import { compileStringMatcher, compileSubstitution, resolveVariable } from './evaluate-variables';

const context = new Map<string, string | readonly string[]>([
  ['aws:username', 'alice'],
  ['aws:principaltag/team', 'dev'],
  ['aws:tagkeys', ['env', 'team']],
  ['aws:empty', ''],
  ['k:dots', 'a.b'],
]);

describe('compileStringMatcher', () => {
  it.each([
    { pattern: 'abc', value: 'abc', wildcards: false, ignoreCase: false, expected: true },
    { pattern: 'abc', value: 'ABC', wildcards: false, ignoreCase: false, expected: false },
    { pattern: 'abc', value: 'ABC', wildcards: false, ignoreCase: true, expected: true },
    { pattern: 'a*c', value: 'abbbc', wildcards: true, ignoreCase: false, expected: true },
    { pattern: 'a*c', value: 'abbbc', wildcards: false, ignoreCase: false, expected: false },
    { pattern: 'a?c', value: 'abc', wildcards: true, ignoreCase: false, expected: true },
    { pattern: 'a?c', value: 'ac', wildcards: true, ignoreCase: false, expected: false },
    { pattern: 'a(b)+c', value: 'a(b)+c', wildcards: true, ignoreCase: false, expected: true },
    { pattern: '*', value: 'anything', wildcards: true, ignoreCase: false, expected: true },
    {
      pattern: 'home/${aws:username}/*',
      value: 'home/alice/x',
      wildcards: true,
      ignoreCase: false,
      expected: true,
    },
    {
      pattern: 'home/${AWS:UserName}/*',
      value: 'home/alice/x',
      wildcards: true,
      ignoreCase: false,
      expected: true,
    },
    {
      pattern: 'home/${aws:username}/*',
      value: 'home/bob/x',
      wildcards: true,
      ignoreCase: false,
      expected: false,
    },
    { pattern: '${k:dots}', value: 'aXb', wildcards: true, ignoreCase: false, expected: false },
    { pattern: '${k:dots}', value: 'a.b', wildcards: true, ignoreCase: false, expected: true },
    {
      pattern: "${k:missing, 'fallback'}",
      value: 'fallback',
      wildcards: false,
      ignoreCase: false,
      expected: true,
    },
    {
      pattern: "${aws:empty, 'fallback'}",
      value: 'fallback',
      wildcards: false,
      ignoreCase: false,
      expected: true,
    },
    { pattern: '${*}${?}${$}', value: '*?$', wildcards: true, ignoreCase: false, expected: true },
    { pattern: '${*}', value: 'x', wildcards: true, ignoreCase: false, expected: false },
    {
      pattern: '${unterminated',
      value: '${unterminated',
      wildcards: false,
      ignoreCase: false,
      expected: true,
    },
  ])(
    '$pattern ~ $value (wildcards $wildcards, ignoreCase $ignoreCase) → $expected',
    ({ pattern, value, wildcards, ignoreCase, expected }) => {
      expect(
        compileStringMatcher(pattern, { wildcards, variables: true, ignoreCase }).test(value, context),
      ).toBe(expected);
    },
  );

  it.each(['${k:missing}', '${aws:tagkeys}', '${aws:empty}'])(
    'returns null when %s cannot be resolved',
    (pattern) => {
      expect(
        compileStringMatcher(pattern, { wildcards: true, variables: true, ignoreCase: false }).test(
          'x',
          context,
        ),
      ).toBeNull();
    },
  );

  it('reports whether a pattern depends on the context', () => {
    expect(
      compileStringMatcher('a*', { wildcards: true, variables: true, ignoreCase: false }).hasVariables,
    ).toBe(false);
    expect(
      compileStringMatcher('${aws:username}', { wildcards: true, variables: true, ignoreCase: false })
        .hasVariables,
    ).toBe(true);
    expect(
      compileStringMatcher('${aws:username}', { wildcards: true, variables: false, ignoreCase: false })
        .hasVariables,
    ).toBe(false);
  });
});

describe('compileSubstitution and resolveVariable', () => {
  it('substitutes values and defaults', () => {
    expect(compileSubstitution('team-${aws:PrincipalTag/team}', true).resolve(context)).toBe('team-dev');
    expect(compileSubstitution('${k:none}', true).resolve(context)).toBeNull();
    expect(compileSubstitution('${k:none}', false).resolve(context)).toBe('${k:none}');
    expect(resolveVariable('k:none', 'd', context)).toBe('d');
    expect(resolveVariable('aws:tagkeys', undefined, context)).toBeNull();
  });
});
