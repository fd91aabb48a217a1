/**
 * "Did you mean": the names of the catalogue closest to a misspelt action, service prefix or
 * condition key, by edit distance (Access Analyzer's *Invalid action* finding suggests the same
 * way). Computed only for names the catalogue does not know, over one service's names at a time;
 * the lower-cased lists are built once per catalogue and service.
 */
import type { Catalogue } from '@/lib/iam/catalogue';

/** At most this many suggestions per finding. */
export const SUGGESTION_LIMIT = 3;

interface NameList {
  /** Names as the catalogue spells them. */
  names: string[];
  /** The same names lower-cased, for comparison. */
  lower: string[];
}

const cache = new WeakMap<Catalogue, Map<string, NameList>>();

function names(
  catalogue: Catalogue,
  id: string,
  build: () => string[],
  compared: (name: string) => string = (name) => name.toLowerCase(),
): NameList {
  let byId = cache.get(catalogue);
  if (!byId) {
    byId = new Map();
    cache.set(catalogue, byId);
  }
  let list = byId.get(id);
  if (!list) {
    const built = build();
    list = { names: built, lower: built.map(compared) };
    byId.set(id, list);
  }
  return list;
}

// Two rows of the distance table, reused between calls (names are short).
let previousRow = new Int32Array(64);
let currentRow = new Int32Array(64);
let beforeRow = new Int32Array(64);

/**
 * The optimal-string-alignment distance between `a` and `b` (insertions, deletions,
 * substitutions and swaps of two neighbours each cost 1), or `limit + 1` as soon as it must
 * exceed `limit`.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const width = b.length + 1;
  if (previousRow.length < width) {
    previousRow = new Int32Array(width * 2);
    currentRow = new Int32Array(width * 2);
    beforeRow = new Int32Array(width * 2);
  }
  let before = beforeRow;
  let previous = previousRow;
  let current = currentRow;
  for (let j = 0; j < width; j += 1) previous[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j < width; j += 1) {
      const cb = b.charCodeAt(j - 1);
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb)
        value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    const spare = before;
    before = previous;
    previous = current;
    current = spare;
  }
  return previous[b.length]!;
}

/** How far a name of this length may be from a suggestion: about a third of it, at least 1. */
function allowedDistance(length: number): number {
  return Math.max(1, Math.min(4, Math.floor(length / 3)));
}

/** The entries of `list` closest to `query` (case-insensitive), best first; empty when none is close. */
function closest(query: string, list: NameList): string[] {
  const lower = query.toLowerCase();
  const limit = allowedDistance(lower.length);
  const found: { name: string; distance: number }[] = [];
  for (let index = 0; index < list.lower.length; index += 1) {
    const distance = editDistance(lower, list.lower[index]!, limit);
    if (distance <= limit) found.push({ name: list.names[index]!, distance });
  }
  found.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name));
  return found.slice(0, SUGGESTION_LIMIT).map((entry) => entry.name);
}

/** The actions of `service` closest to the action name `name` (`GetObjekt`), as `service:Name`. */
export function suggestActions(catalogue: Catalogue, service: string, name: string): string[] {
  const prefix = service.toLowerCase();
  const list = names(catalogue, `action:${prefix}`, () =>
    catalogue.listActions(prefix).map((action) => action.name),
  );
  return closest(name, list).map((action) => `${prefix}:${action}`);
}

/** The service prefixes closest to an unknown one (`s4` → `s3`). */
export function suggestServices(catalogue: Catalogue, service: string): string[] {
  const list = names(catalogue, 'services', () => catalogue.listServices().map((info) => info.prefix));
  return closest(service, list);
}

/**
 * The variable part of a documented key: `aws:RequestTag/${TagKey}`, `aws:PrincipalTag/tag-key`,
 * `s3:ExistingObjectTag/<key>`.
 */
const KEY_VARIABLE = /\/.*$/;

/**
 * The condition keys closest to an unknown one: among the global keys for `aws:`, otherwise among
 * the keys of the service of its prefix. A documented key with a variable
 * (`aws:RequestTag/${TagKey}`) is compared without it and suggested with the author's own suffix
 * (`aws:RequestTagg/team` → `aws:RequestTag/team`).
 */
export function suggestConditionKeys(catalogue: Catalogue, key: string): string[] {
  const colon = key.indexOf(':');
  if (colon === -1) return [];
  const prefix = key.slice(0, colon).toLowerCase();
  const slash = key.indexOf('/', colon);
  const base = slash === -1 ? key : key.slice(0, slash);
  const suffix = slash === -1 ? '' : key.slice(slash);
  const list = names(
    catalogue,
    `keys:${prefix}`,
    () =>
      (prefix === 'aws' ? catalogue.listGlobalConditionKeys() : catalogue.listConditionKeys(prefix)).map(
        (info) => info.key,
      ),
    (documented) => documented.replace(KEY_VARIABLE, '').toLowerCase(),
  );
  return closest(base, list).map((documented) =>
    suffix !== '' && KEY_VARIABLE.test(documented) ? documented.replace(KEY_VARIABLE, suffix) : documented,
  );
}

/** ` Did you mean "s3:GetObject"?` (or a list of them) for a message; `fallback` when there is none. */
export function didYouMean(suggestions: readonly string[], fallback: string): string {
  if (suggestions.length === 0) return fallback;
  const quoted = suggestions.map((name) => `"${name}"`);
  const listed =
    quoted.length === 1 ? quoted[0]! : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]!}`;
  return ` Did you mean ${listed}?`;
}
