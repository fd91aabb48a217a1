import { describe, expect, it } from 'vitest';
import {
  escapePointerToken,
  LineIndex,
  locatePointer,
  parseJsonWithPositions,
  statementRanges,
  tokenEndAt,
  toPlainValue,
} from '@/lib/iam/json-locate';

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

describe('where values and keys end', () => {
  const text = '{"a": [1, "xy", true], "b~/": {"c": null}, "d": {}}';
  const parsed = parseJsonWithPositions(text);
  if (!parsed.ok) throw new Error('expected valid JSON');
  const root = parsed.root;

  it('records the end of every value and key (just after its last character)', () => {
    expect(root.end).toBe(text.length);
    if (root.type !== 'object') throw new Error('expected an object');
    const [a, b, d] = root.properties;
    expect(text.slice(a!.keyStart, a!.keyEnd)).toBe('"a"');
    expect(text.slice(a!.value.start, a!.value.end)).toBe('[1, "xy", true]');
    if (a!.value.type !== 'array') throw new Error('expected an array');
    expect(a!.value.items.map((item) => text.slice(item.start, item.end))).toEqual(['1', '"xy"', 'true']);
    expect(text.slice(b!.value.start, b!.value.end)).toBe('{"c": null}');
    expect(text.slice(d!.value.start, d!.value.end)).toBe('{}');
  });

  it('finds the token starting at an offset, and nothing inside a token', () => {
    expect(tokenEndAt(root, 0)).toBe(text.length);
    expect(tokenEndAt(root, text.indexOf('"xy"'))).toBe(text.indexOf('"xy"') + 4);
    expect(tokenEndAt(root, text.indexOf('"c"'))).toBe(text.indexOf('"c"') + 3);
    expect(tokenEndAt(root, text.indexOf('null'))).toBe(text.indexOf('null') + 4);
    expect(tokenEndAt(root, text.indexOf('xy'))).toBeNull();
    expect(tokenEndAt(root, text.indexOf(','))).toBeNull();
    expect(tokenEndAt(root, text.length)).toBeNull();
  });

  it('locates the value a JSON pointer designates', () => {
    const slice = (pointer: string) => {
      const span = locatePointer(root, pointer);
      return span && text.slice(span.start, span.end);
    };
    expect(slice('')).toBe(text);
    expect(slice('/a/1')).toBe('"xy"');
    expect(slice('/b~0~1/c')).toBe('null');
    expect(slice('/a/3')).toBeNull();
    expect(slice('/a/01')).toBeNull();
    expect(slice('/x')).toBeNull();
    expect(slice('a')).toBeNull();
  });
});

describe('statementRanges', () => {
  it('finds each statement of a pretty-printed policy', () => {
    const text = JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 's3:*', Resource: '*' },
          { Effect: 'Deny', Action: 'x:{y}', Resource: ['a', 'b'] },
        ],
      },
      null,
      2,
    );
    const lines = text.split('\n');
    const spans = statementRanges(text);
    expect(spans).toHaveLength(2);
    expect(lines[spans[0]!.start.line - 1]![spans[0]!.start.column - 1]).toBe('{');
    expect(lines[spans[0]!.end.line - 1]![spans[0]!.end.column - 2]).toBe('}');
    expect(spans[0]!.start).toEqual({ line: 4, column: 5 });
    expect(spans[1]!.end.line).toBe(lines.length - 2);
  });

  it('handles a single statement object on one line, and text without statements', () => {
    expect(statementRanges('{"Statement":{"Effect":"Allow"}}')).toEqual([
      { start: { line: 1, column: 14 }, end: { line: 1, column: 32 } },
    ]);
    expect(statementRanges('{"Version":"2012-10-17"}')).toEqual([]);
    expect(statementRanges('not json')).toEqual([]);
  });
});
