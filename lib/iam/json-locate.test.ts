import { describe, expect, it } from 'vitest';
import { escapePointerToken, LineIndex, parseJsonWithPositions, toPlainValue } from '@/lib/iam/json-locate';

describe('parseJsonWithPositions', () => {
  it.each([
    '{}',
    '[]',
    '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9\\"\\\\\\/"], "b": {"c": ""}}',
    ' \n\t"top" ',
    '0',
  ])('parses %s like JSON.parse', (text) => {
    const result = parseJsonWithPositions(text);
    expect(result.ok).toBe(true);
    if (result.ok) expect(toPlainValue(result.root)).toEqual(JSON.parse(text));
  });

  it.each([
    { text: '{"a": 1,}', offset: 8, message: /trailing comma/ },
    { text: '[1, 2,]', offset: 6, message: /trailing comma/ },
    { text: '{"a" 1}', offset: 5, message: /expected ':'/ },
    { text: "{'a': 1}", offset: 1, message: /double quotes/ },
    { text: '{"a": 1 "b": 2}', offset: 8, message: /expected ',' or '}'/ },
    { text: '{"a": "x', offset: 6, message: /Unterminated string/ },
    { text: '{"a": tru}', offset: 6, message: /expected a value/ },
    { text: '{"a": 01}', offset: 7, message: /expected ',' or '}'/ },
    { text: '{"a": "\\x"}', offset: 7, message: /Invalid escape/ },
    { text: '{} {}', offset: 3, message: /after the end/ },
    { text: '', offset: 0, message: /empty/ },
    { text: '{"a": [1', offset: 8, message: /ends too early/ },
  ])('reports $text at offset $offset', ({ text, offset, message }) => {
    const result = parseJsonWithPositions(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.offset).toBe(offset);
      expect(result.message).toMatch(message);
    }
  });

  it('records where every value and key starts', () => {
    const text = '{\n  "Statement": [\n    {"Effect": "Allow"}\n  ]\n}';
    const result = parseJsonWithPositions(text);
    if (!result.ok || result.root.type !== 'object') throw new Error('expected an object');
    const statement = result.root.properties[0]!;
    expect(statement.keyStart).toBe(text.indexOf('"Statement"'));
    if (statement.value.type !== 'array') throw new Error('expected an array');
    const first = statement.value.items[0]!;
    expect(first.start).toBe(text.indexOf('{"Effect"'));
    const lines = new LineIndex(text);
    expect(lines.position(first.start)).toEqual({ line: 3, column: 5 });
    expect(lines.position(0)).toEqual({ line: 1, column: 1 });
  });
});

describe('LineIndex', () => {
  it('counts CRLF and CR line ends once each', () => {
    const lines = new LineIndex('a\r\nb\rc\nd');
    expect(lines.position(3)).toEqual({ line: 2, column: 1 });
    expect(lines.position(5)).toEqual({ line: 3, column: 1 });
    expect(lines.position(7)).toEqual({ line: 4, column: 1 });
  });
});

describe('escapePointerToken', () => {
  it('escapes ~ and / as RFC 6901 says', () => {
    expect(escapePointerToken('aws:PrincipalTag/team~x')).toBe('aws:PrincipalTag~1team~0x');
    expect(escapePointerToken(3)).toBe('3');
  });
});
