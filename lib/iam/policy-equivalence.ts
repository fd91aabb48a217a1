/**
 * When two policy documents mean the same thing, as IAM treats them: IAM returns documents
 * URL-encoded and reformatted (keys reordered, whitespace changed), and a single value and a
 * one-element list are the same to it, as is the order of values in a list of strings (`Action`,
 * `Resource`, a principal list or a condition's values are sets). Statement order, being a list of
 * objects, is kept. Pure.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The document in a form where equivalent documents are equal: keys sorted, a one-element list
 * written as its element, lists of strings sorted and without repeats, an empty `Condition` and an
 * empty `Sid` left out.
 */
export function comparablePolicy(value: unknown): Json {
  if (Array.isArray(value)) {
    let items = value.map(comparablePolicy);
    if (items.every((item) => typeof item === 'string')) {
      items = [...new Set(items)].sort();
    }
    return items.length === 1 ? items[0]! : items;
  }
  if (isRecord(value)) {
    const result: Record<string, Json> = {};
    for (const key of Object.keys(value).sort()) {
      const item = value[key];
      if (item === undefined) continue;
      if (key === 'Condition' && isRecord(item) && Object.keys(item).length === 0) continue;
      if (key === 'Sid' && item === '') continue;
      result[key] = comparablePolicy(item);
    }
    return result;
  }
  return value as Json;
}

/** The JSON text a document parses to, URL-decoded first when IAM encoded it; `undefined` if none. */
function parseDocument(text: string): unknown {
  const attempts = [text];
  if (text.includes('%')) {
    try {
      attempts.push(decodeURIComponent(text));
    } catch {
      // Not URL-encoded after all: a `%` inside a JSON string.
    }
  }
  for (const attempt of attempts) {
    try {
      return JSON.parse(attempt) as unknown;
    } catch {
      // Try the next reading.
    }
  }
  return undefined;
}

/**
 * Whether two policy documents (JSON text, either possibly URL-encoded as IAM returns them) are
 * equivalent (see {@link comparablePolicy}). Text that does not parse equals only the same text.
 */
export function samePolicyDocument(a: string, b: string): boolean {
  if (a === b) return true;
  const left = parseDocument(a);
  const right = parseDocument(b);
  if (left === undefined || right === undefined) return false;
  return JSON.stringify(comparablePolicy(left)) === JSON.stringify(comparablePolicy(right));
}
