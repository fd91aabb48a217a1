import { canonicalJson } from '@/lib/iam/spec-hash';

/**
 * JSON equality, the one way Rolesmith compares JSON: two values are equal when their canonical
 * JSON is (see `canonicalJson`: object keys in any order, arrays in their order, `undefined`
 * members dropped). Planning and executing use the same rule, so a document whose keys were only
 * reordered is neither planned as a change nor written.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

/**
 * {@link jsonEqual} of two JSON texts, such as policy documents (whitespace and key order do not
 * count). A text that does not parse equals only the same text.
 */
export function jsonTextEqual(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return jsonEqual(JSON.parse(a), JSON.parse(b));
  } catch {
    return false;
  }
}
