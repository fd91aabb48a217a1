import 'server-only';

/**
 * A short-lived in-memory cache for the wizard's reads of a target account (its roles, its
 * customer managed policies): the wizard asks as the person types, and IAM (or the provisioner
 * role's quota of calls) should not see every keystroke. Per process, on `globalThis` (Next may
 * load this module more than once). Failed reads are not kept. Bounded: past
 * {@link maxEntries} keys the oldest is dropped.
 */

interface Entry {
  expiresAt: number;
  value: Promise<{ ok: boolean }>;
}

const maxEntries = 500;
const storeKey = Symbol.for('rolesmith.wizardReadCache');

function store(): Map<string, Entry> {
  const holder = globalThis as { [storeKey]?: Map<string, Entry> };
  holder[storeKey] ??= new Map();
  return holder[storeKey];
}

/**
 * `load()`'s result, shared for `ttlMs` by every caller with the same `key` (concurrent callers
 * share one call). A failed result (`ok: false`) or a rejection is forgotten at once.
 */
export function cachedRead<T extends { ok: boolean }>(
  key: string,
  ttlMs: number,
  load: () => Promise<T>,
  now: number = Date.now(),
): Promise<T> {
  const entries = store();
  const hit = entries.get(key);
  if (hit && hit.expiresAt > now) return hit.value as Promise<T>;
  const value = load();
  entries.delete(key);
  entries.set(key, { expiresAt: now + ttlMs, value });
  if (entries.size > maxEntries) {
    const oldest = entries.keys().next().value;
    if (oldest !== undefined) entries.delete(oldest);
  }
  const forget = () => {
    if (entries.get(key)?.value === value) entries.delete(key);
  };
  value.then((result) => {
    if (!result.ok) forget();
  }, forget);
  return value;
}

/** Forgets every cached read whose key starts with `prefix` (tests; after the portal changes an account). */
export function forgetCachedReads(prefix = ''): void {
  for (const key of store().keys()) if (key.startsWith(prefix)) store().delete(key);
}
