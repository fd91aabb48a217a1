/** A piece of JSON text and what it is, for highlighting. */
export interface JsonToken {
  kind: 'key' | 'string' | 'number' | 'literal' | 'punctuation' | 'text';
  text: string;
}

// One alternative per token kind, tried in order at each position; whatever matches none of them
// (white space, or anything in text that is not JSON) is plain text.
const tokenPattern =
  /("(?:[^"\\\n]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([{}[\],:])/g;

/**
 * Splits JSON text into tokens (keys, strings, numbers, literals, punctuation, the rest) without
 * parsing it, so text that is not valid JSON still shows, unhighlighted where it breaks. Joining
 * the tokens' text gives back the input exactly.
 */
export function tokenizeJson(source: string): JsonToken[] {
  const tokens: JsonToken[] = [];
  let last = 0;
  const push = (kind: JsonToken['kind'], text: string) => {
    if (text === '') return;
    const previous = tokens.at(-1);
    if (previous && previous.kind === kind && kind === 'text') previous.text += text;
    else tokens.push({ kind, text });
  };
  for (const match of source.matchAll(tokenPattern)) {
    push('text', source.slice(last, match.index));
    const [whole, string, colon, number, literal, punctuation] = match;
    if (string !== undefined) {
      push(colon === undefined ? 'string' : 'key', string);
      if (colon !== undefined) {
        push('text', colon.slice(0, -1));
        push('punctuation', ':');
      }
    } else if (number !== undefined) push('number', number);
    else if (literal !== undefined) push('literal', literal);
    else if (punctuation !== undefined) push('punctuation', punctuation);
    last = match.index + whole.length;
  }
  push('text', source.slice(last));
  return tokens;
}
