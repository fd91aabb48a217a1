/** A 1-based line and column in a policy document's text. */
export interface TextPosition {
  line: number;
  column: number;
}

/**
 * The start (`{`) and end (just after `}`) of each statement of a policy document, in order, as
 * IAM's simulator reports matched statements' `StartPosition` and `EndPosition`. Returns an empty
 * list for text that is not a JSON object with a `Statement`.
 */
export function statementPositions(text: string): { start: TextPosition; end: TextPosition }[] {
  let line = 1;
  let column = 1;
  let depth = 0;
  let index = 0;
  const advance = () => {
    if (text[index] === '\n') {
      line += 1;
      column = 1;
    } else column += 1;
    index += 1;
  };
  const readString = (): string => {
    let value = '';
    advance();
    while (index < text.length && text[index] !== '"') {
      if (text[index] === '\\') {
        value += text[index]! + (text[index + 1] ?? '');
        advance();
      } else value += text[index]!;
      advance();
    }
    advance();
    return value;
  };
  // Find the top-level "Statement" key.
  let lastKey: string | null = null;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"') {
      const value = readString();
      if (depth === 1) lastKey = value;
      continue;
    }
    if (char === ':' && depth === 1 && lastKey === 'Statement') {
      advance();
      break;
    }
    if (char === '{' || char === '[') depth += 1;
    else if (char === '}' || char === ']') depth -= 1;
    advance();
  }
  while (index < text.length && /\s/.test(text[index]!)) advance();
  if (index >= text.length) return [];
  const spans: { start: TextPosition; end: TextPosition }[] = [];
  const single = text[index] === '{';
  if (!single && text[index] !== '[') return [];
  if (!single) advance();
  let nested = 0;
  let start: TextPosition | null = null;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"') {
      readString();
      continue;
    }
    if (char === '{' || char === '[') {
      if (nested === 0 && char === '{') start = { line, column };
      nested += 1;
    } else if (char === '}' || char === ']') {
      if (nested === 0) break;
      nested -= 1;
      if (nested === 0 && char === '}' && start) {
        advance();
        spans.push({ start, end: { line, column } });
        start = null;
        if (single) break;
        continue;
      }
    }
    advance();
  }
  return spans;
}
