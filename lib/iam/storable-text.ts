/**
 * Text PostgreSQL can store. A `text` column refuses NUL (U+0000) and a `jsonb` one refuses the
 * `\u0000` escape and unpaired UTF-16 surrogates (which JSON.stringify writes as `\ud800`), so
 * input holding either must be refused as invalid before it reaches the database, where it would
 * fail as a server error. Client-safe: no imports.
 */

const NUL_OR_LONE_SURROGATE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The message for a field holding such a character. */
export const unstorableTextMessage = 'must not contain NUL characters or unpaired surrogates';

/** Whether `text` has no NUL character and no unpaired surrogate. */
export function isStorableText(text: string): boolean {
  return !NUL_OR_LONE_SURROGATE.test(text);
}

/** Whether every string and key inside a JSON-like value is {@link isStorableText} (iterative: any depth). */
export function isStorableJson(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') {
      if (!isStorableText(node)) return false;
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (!isStorableText(key)) return false;
        stack.push(child);
      }
    }
  }
  return true;
}
