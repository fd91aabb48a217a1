/**
 * Formatting of JSON text as the policy editor's Format button does it: indentation and line
 * breaks only. Every key and scalar keeps its exact characters (escapes, number spelling, a
 * repeated key), so formatting never changes what the document says, unlike
 * `JSON.stringify(JSON.parse(text))`, which would drop a repeated key or respell `1.50`.
 *
 * Client-safe: the one import is the dependency-free positioned JSON parser.
 */
import { LineIndex, parseJsonWithPositions, type JsonNode } from '@/lib/iam/json-locate';

export type FormatJsonResult =
  { ok: true; text: string } | { ok: false; message: string; line: number; column: number };

/** The text indented by `indent` spaces (4, as the IAM console writes), or where it stops being JSON. */
export function formatJsonText(text: string, indent = 4): FormatJsonResult {
  const parsed = parseJsonWithPositions(text);
  if (!parsed.ok) {
    const { line, column } = new LineIndex(text).position(parsed.offset);
    return { ok: false, message: parsed.message, line, column };
  }
  const unit = ' '.repeat(indent);
  const emit = (node: JsonNode, depth: number): string => {
    const inner = unit.repeat(depth + 1);
    const outer = unit.repeat(depth);
    if (node.type === 'object') {
      if (node.properties.length === 0) return '{}';
      const members = node.properties.map(
        (property) =>
          `${inner}${text.slice(property.keyStart, property.keyEnd)}: ${emit(property.value, depth + 1)}`,
      );
      return `{\n${members.join(',\n')}\n${outer}}`;
    }
    if (node.type === 'array') {
      if (node.items.length === 0) return '[]';
      return `[\n${node.items.map((item) => `${inner}${emit(item, depth + 1)}`).join(',\n')}\n${outer}]`;
    }
    return text.slice(node.start, node.end);
  };
  return { ok: true, text: emit(parsed.root, 0) };
}
