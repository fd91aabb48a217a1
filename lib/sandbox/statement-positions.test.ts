import { describe, expect, it } from 'vitest';
import { statementPositions } from '@/lib/sandbox/statement-positions';

describe('statementPositions', () => {
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
    const spans = statementPositions(text);
    expect(spans).toHaveLength(2);
    expect(lines[spans[0]!.start.line - 1]![spans[0]!.start.column - 1]).toBe('{');
    expect(lines[spans[0]!.end.line - 1]![spans[0]!.end.column - 2]).toBe('}');
    expect(spans[0]!.start).toEqual({ line: 4, column: 5 });
    expect(spans[1]!.end.line).toBe(lines.length - 2);
  });

  it('handles a single statement object on one line, and text without statements', () => {
    expect(statementPositions('{"Statement":{"Effect":"Allow"}}')).toEqual([
      { start: { line: 1, column: 14 }, end: { line: 1, column: 32 } },
    ]);
    expect(statementPositions('{"Version":"2012-10-17"}')).toEqual([]);
    expect(statementPositions('not json')).toEqual([]);
  });
});
