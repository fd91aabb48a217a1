/**
 * A small JSON parser that records where every value starts and ends in the text, so findings can
 * point at the offending token (1-based line and column of its start and end), and that reports
 * syntax errors with a position. Strict RFC 8259 JSON, as IAM accepts it. Also the one scanner for
 * policy statements' positions (the emulator's simulation reports them).
 */

export type JsonNode = JsonObject | JsonArray | JsonString | JsonNumber | JsonLiteral;

interface NodeBase {
  /** Offset of the value's first character in the text. */
  start: number;
  /** Offset just after the value's last character. */
  end: number;
}
export interface JsonProperty {
  key: string;
  /** Offset of the key's opening quote. */
  keyStart: number;
  /** Offset just after the key's closing quote. */
  keyEnd: number;
  value: JsonNode;
}
export interface JsonObject extends NodeBase {
  type: 'object';
  properties: JsonProperty[];
}
export interface JsonArray extends NodeBase {
  type: 'array';
  items: JsonNode[];
}
export interface JsonString extends NodeBase {
  type: 'string';
  value: string;
}
export interface JsonNumber extends NodeBase {
  type: 'number';
  value: number;
  /** The number as written (`10`, `1.50`), since IAM compares condition values as text. */
  raw: string;
}
export interface JsonLiteral extends NodeBase {
  type: 'boolean' | 'null';
  value: boolean | null;
}

export type JsonParseResult =
  | {
      ok: true;
      root: JsonNode;
      /** Whitespace characters outside strings (what IAM leaves out when it measures a policy's size). */
      whitespace: number;
    }
  | { ok: false; message: string; offset: number };

/** Thrown inside the parser only; `parseJsonWithPositions` turns it into a result. */
class SyntaxFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const describeChar = (text: string, offset: number): string =>
  offset >= text.length ? 'the end of the text' : `'${text[offset]}'`;

/**
 * Parses JSON text into positioned nodes. Never throws: a syntax error comes back as
 * `{ ok: false, message, offset }` with the offset of the offending character.
 */
export function parseJsonWithPositions(text: string): JsonParseResult {
  let i = 0;
  const n = text.length;

  let whitespace = 0;
  const skip = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) {
        i += 1;
        whitespace += 1;
      } else break;
    }
  };

  const parseString = (): JsonString => {
    const start = i;
    i += 1;
    let chunkStart = i;
    let value = '';
    for (;;) {
      if (i >= n) throw new SyntaxFailure('Unterminated string: add the closing quote', start);
      const c = text.charCodeAt(i);
      if (c === 34) {
        value += text.slice(chunkStart, i);
        i += 1;
        return { type: 'string', start, end: i, value };
      }
      if (c < 32)
        throw new SyntaxFailure('Control character in a string: escape it (e.g. \\n) or remove it', i);
      if (c === 92) {
        value += text.slice(chunkStart, i);
        const e = text[i + 1];
        switch (e) {
          case '"':
          case '\\':
          case '/':
            value += e;
            i += 2;
            break;
          case 'b':
            value += '\b';
            i += 2;
            break;
          case 'f':
            value += '\f';
            i += 2;
            break;
          case 'n':
            value += '\n';
            i += 2;
            break;
          case 'r':
            value += '\r';
            i += 2;
            break;
          case 't':
            value += '\t';
            i += 2;
            break;
          case 'u': {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex))
              throw new SyntaxFailure('Invalid \\u escape: use four hexadecimal digits', i);
            value += String.fromCharCode(parseInt(hex, 16));
            i += 6;
            break;
          }
          default:
            throw new SyntaxFailure(`Invalid escape sequence '\\${e ?? ''}' in a string`, i);
        }
        chunkStart = i;
      } else i += 1;
    }
  };

  const parseNumber = (): JsonNumber => {
    const start = i;
    const match = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    match.lastIndex = i;
    const found = match.exec(text);
    if (!found) throw new SyntaxFailure(`Unexpected ${describeChar(text, i)}: expected a value`, i);
    i += found[0].length;
    return { type: 'number', start, end: i, value: Number(found[0]), raw: found[0] };
  };

  const parseLiteral = (word: 'true' | 'false' | 'null'): JsonLiteral => {
    const start = i;
    if (!text.startsWith(word, i))
      throw new SyntaxFailure(`Unexpected ${describeChar(text, i)}: expected a value`, i);
    i += word.length;
    return word === 'null'
      ? { type: 'null', start, end: i, value: null }
      : { type: 'boolean', start, end: i, value: word === 'true' };
  };

  const parseValue = (depth: number): JsonNode => {
    if (depth > 64) throw new SyntaxFailure('The document is nested too deeply', i);
    skip();
    const c = text.charCodeAt(i);
    if (c === 123) return parseObject(depth);
    if (c === 91) return parseArray(depth);
    if (c === 34) return parseString();
    if (c === 116) return parseLiteral('true');
    if (c === 102) return parseLiteral('false');
    if (c === 110) return parseLiteral('null');
    if (c === 45 || (c >= 48 && c <= 57)) return parseNumber();
    throw new SyntaxFailure(`Unexpected ${describeChar(text, i)}: expected a value`, i);
  };

  const parseObject = (depth: number): JsonObject => {
    const node: JsonObject = { type: 'object', start: i, end: i, properties: [] };
    i += 1;
    skip();
    if (text.charCodeAt(i) === 125) {
      i += 1;
      node.end = i;
      return node;
    }
    for (;;) {
      skip();
      if (text.charCodeAt(i) !== 34) {
        const hint =
          text.charCodeAt(i) === 125
            ? ': remove the trailing comma'
            : ': property names must be in double quotes';
        throw new SyntaxFailure(`Unexpected ${describeChar(text, i)}${hint}`, i);
      }
      const key = parseString();
      skip();
      if (text.charCodeAt(i) !== 58)
        throw new SyntaxFailure(
          `Unexpected ${describeChar(text, i)}: expected ':' after the property name`,
          i,
        );
      i += 1;
      const value = parseValue(depth + 1);
      node.properties.push({ key: key.value, keyStart: key.start, keyEnd: key.end, value });
      skip();
      const c = text.charCodeAt(i);
      if (c === 44) {
        i += 1;
        continue;
      }
      if (c === 125) {
        i += 1;
        node.end = i;
        return node;
      }
      throw new SyntaxFailure(
        `Unexpected ${describeChar(text, i)}: expected ',' or '}' after a property value`,
        i,
      );
    }
  };

  const parseArray = (depth: number): JsonArray => {
    const node: JsonArray = { type: 'array', start: i, end: i, items: [] };
    i += 1;
    skip();
    if (text.charCodeAt(i) === 93) {
      i += 1;
      node.end = i;
      return node;
    }
    for (;;) {
      skip();
      if (text.charCodeAt(i) === 93) throw new SyntaxFailure("Unexpected ']': remove the trailing comma", i);
      node.items.push(parseValue(depth + 1));
      skip();
      const c = text.charCodeAt(i);
      if (c === 44) {
        i += 1;
        continue;
      }
      if (c === 93) {
        i += 1;
        node.end = i;
        return node;
      }
      throw new SyntaxFailure(
        `Unexpected ${describeChar(text, i)}: expected ',' or ']' after an array item`,
        i,
      );
    }
  };

  try {
    const root = parseValue(0);
    skip();
    if (i < n)
      throw new SyntaxFailure(`Unexpected ${describeChar(text, i)} after the end of the document`, i);
    return { ok: true, root, whitespace };
  } catch (error) {
    if (error instanceof SyntaxFailure) {
      const message =
        text.trim() === ''
          ? 'The text is empty: write a policy document'
          : error.offset >= n && !error.message.startsWith('Unterminated')
            ? "The text ends too early: close every open '{' and '['"
            : error.message;
      return { ok: false, message, offset: error.offset };
    }
    throw error;
  }
}

/** Converts offsets in one text to 1-based line and column numbers. */
export class LineIndex {
  private starts: number[] | null = null;

  constructor(private readonly text: string) {}

  /** The 1-based line and column of `offset` (clamped to the text). */
  position(offset: number): { line: number; column: number } {
    if (this.starts === null) {
      const starts = [0];
      const text = this.text;
      for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) starts.push(k + 1);
      // A lone CR (old Mac line end) also ends a line.
      if (text.includes('\r')) {
        for (let k = text.indexOf('\r'); k !== -1; k = text.indexOf('\r', k + 1)) {
          if (text.charCodeAt(k + 1) !== 10) starts.push(k + 1);
        }
        starts.sort((a, b) => a - b);
      }
      this.starts = starts;
    }
    const starts = this.starts;
    const at = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: at - starts[low]! + 1 };
  }
}

/** Escapes one reference token of a JSON pointer (RFC 6901): `~` → `~0`, `/` → `~1`. */
export function escapePointerToken(token: string | number): string {
  return typeof token === 'number' ? String(token) : token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Converts a JSON node back to a plain value (as `JSON.parse` would give). */
export function toPlainValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const property of node.properties) result[property.key] = toPlainValue(property.value);
      return result;
    }
    case 'array':
      return node.items.map(toPlainValue);
    default:
      return node.value;
  }
}

/** A 1-based line and column in a text. */
export interface TextPosition {
  line: number;
  column: number;
}

/** A range of a text: `end` is the position just after its last character (exclusive). */
export interface TextRange {
  start: TextPosition;
  end: TextPosition;
}

/** Offsets of a value or key in the text: `end` is just after its last character. */
export interface TextSpan {
  start: number;
  end: number;
}

/**
 * Where the value or key that starts at `offset` ends (just after its last character), or null
 * when no value or key starts there. Two tokens never start at the same offset, so the start
 * names the token. Walks down from the root: no index to build.
 */
export function tokenEndAt(root: JsonNode, offset: number): number | null {
  let node: JsonNode = root;
  for (;;) {
    if (node.start === offset) return node.end;
    if (offset < node.start || offset >= node.end) return null;
    let next: JsonNode | undefined;
    if (node.type === 'object') {
      for (const property of node.properties) {
        if (property.keyStart === offset) return property.keyEnd;
        if (offset < property.keyStart) break;
        if (offset >= property.value.start && offset < property.value.end) {
          next = property.value;
          break;
        }
      }
    } else if (node.type === 'array') {
      for (const item of node.items) {
        if (offset < item.start) break;
        if (offset < item.end) {
          next = item;
          break;
        }
      }
    }
    if (next === undefined) return null;
    node = next;
  }
}

/**
 * The value a JSON pointer (RFC 6901, e.g. `/Statement/0/Action`) designates, or null when the
 * document has no such value. `''` designates the whole document. When a key appears twice, the
 * last one counts, as with `JSON.parse`.
 */
export function nodeAtPointer(root: JsonNode, pointer: string): JsonNode | null {
  if (pointer !== '' && !pointer.startsWith('/')) return null;
  let node: JsonNode = root;
  for (const raw of pointer === '' ? [] : pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    let next: JsonNode | undefined;
    if (node.type === 'object') {
      for (const property of node.properties) if (property.key === token) next = property.value;
    } else if (node.type === 'array' && /^(0|[1-9]\d*)$/.test(token)) next = node.items[Number(token)];
    if (next === undefined) return null;
    node = next;
  }
  return node;
}

/** Where the value a JSON pointer designates starts and ends in the text, or null (see {@link nodeAtPointer}). */
export function locatePointer(root: JsonNode, pointer: string): TextSpan | null {
  const node = nodeAtPointer(root, pointer);
  return node === null ? null : { start: node.start, end: node.end };
}

/**
 * The range of each statement of a policy document, in order, from its `{` to just after its `}`
 * (as IAM's simulator reports matched statements' `StartPosition` and `EndPosition`). A single
 * statement object counts as statement 0. Returns an empty list for text that is not valid JSON
 * or has no `Statement`.
 */
export function statementRanges(text: string): TextRange[] {
  const parsed = parseJsonWithPositions(text);
  if (!parsed.ok) return [];
  const statement = nodeAtPointer(parsed.root, '/Statement');
  const statements =
    statement?.type === 'array' ? statement.items : statement?.type === 'object' ? [statement] : [];
  const lines = new LineIndex(text);
  return statements.map((node) => ({ start: lines.position(node.start), end: lines.position(node.end) }));
}
