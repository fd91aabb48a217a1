import 'server-only';
import type { RequestContext } from '@/lib/sandbox/authorize';
import { AwsError, Validator, el, members, type Params } from '@/lib/sandbox/protocol';
import type { Tag } from '@/lib/sandbox/store';

// What the emulator's IAM operations share: IAM's parameter constraints (reference 4), the readers
// that check them, tags, and `Marker`/`MaxItems` pages.

// ------------------------------------------------------------------------------------------------
// Constraints (reference 4)

export const roleNamePattern = /^[\w+=,.@-]+$/;
export const rolePathPattern = /^(\/|\/[\u0021-\u007E]+\/)$/;
export const pathPrefixPattern = /^\/[\u0021-\u007F]*$/;
export const policyPathPattern = /^((\/[A-Za-z0-9.,+@=_-]+)*)\/$/;
export const descriptionPattern = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;
const documentPattern = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;
export const tagKeyPattern = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const tagValuePattern = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const markerPattern = /^[\u0020-\u00FF]+$/;
export const versionIdPattern = /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/;

export const shown = {
  roleName: '[\\w+=,.@-]+',
  path: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
  pathPrefix: '\\u002F[\\u0021-\\u007F]*',
  policyPath: '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/',
  description: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*',
  document: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
  tagKey: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+',
  tagValue: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*',
  marker: '[\\u0020-\\u00FF]+',
  versionId: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?',
};

export function validator(): Validator {
  return new Validator(false);
}

export function roleName(v: Validator, params: Params, member = 'roleName', name = 'RoleName'): string {
  const value = params.get(name);
  v.required(member, value);
  v.string(member, value, 1, 64, roleNamePattern, shown.roleName);
  return value ?? '';
}

export function policyDocument(v: Validator, params: Params, member: string, name: string): string {
  const value = params.get(name);
  v.required(member, value);
  v.string(member, value, 1, 131072, documentPattern, shown.document);
  return value ?? '';
}

export function arnParam(
  v: Validator,
  params: Params,
  member: string,
  name: string,
  required = true,
): string | undefined {
  const value = params.get(name);
  if (required) v.required(member, value);
  v.string(member, value, 20, 2048);
  return value;
}

export function paging(v: Validator, params: Params): { marker?: string; maxItems: number } {
  const marker = params.get('Marker');
  v.string('marker', marker, 1, 320, markerPattern, shown.marker);
  const maxItems = v.integer('maxItems', params.get('MaxItems'), 1, 1000) ?? 100;
  return { marker, maxItems };
}

/** Reads `Tags.member.N.Key/Value`, checking lengths and patterns. */
export function readTags(v: Validator, params: Params, name = 'Tags', member = 'tags'): Tag[] | undefined {
  const structs = params.structs(name);
  if (!structs) return undefined;
  v.listLength(member, structs, 50);
  return structs.map((struct, index) => {
    const key = struct.Key;
    const value = struct.Value;
    v.required(`${member}.${index + 1}.member.key`, key);
    v.required(`${member}.${index + 1}.member.value`, value);
    v.string(`${member}.${index + 1}.member.key`, key, 1, 128, tagKeyPattern, shown.tagKey);
    v.string(`${member}.${index + 1}.member.value`, value, 0, 256, tagValuePattern, shown.tagValue);
    return { Key: key ?? '', Value: value ?? '' };
  });
}

/** Semantic tag checks: duplicates (case-insensitive for roles) and the reserved `aws:` prefix. */
export function checkTagSemantics(tags: readonly Tag[], caseInsensitive: boolean): void {
  const keys = tags.map((tag) => (caseInsensitive ? tag.Key.toLowerCase() : tag.Key));
  if (new Set(keys).size !== keys.length) {
    throw new AwsError(
      'InvalidInput',
      caseInsensitive
        ? 'Duplicate tag keys found. Please note that Tag keys are case insensitive.'
        : 'Duplicate tag keys found.',
    );
  }
  if (tags.some((tag) => tag.Key.toLowerCase().startsWith('aws:'))) {
    throw new AwsError('InvalidInput', 'Tag keys beginning with "aws:" are reserved for AWS use.');
  }
}

/**
 * Tags after a Tag<Resource> call: a key already present (in any case) takes the new key and value,
 * new keys are appended; more than 50 is `LimitExceeded` (`Cannot exceed quota for <quotaName>: 50`).
 */
export function mergeTags(existing: readonly Tag[], incoming: readonly Tag[], quotaName: string): Tag[] {
  const merged = [...existing];
  for (const tag of incoming) {
    const index = merged.findIndex((item) => item.Key.toLowerCase() === tag.Key.toLowerCase());
    if (index >= 0) merged[index] = tag;
    else merged.push(tag);
  }
  if (merged.length > 50) throw new AwsError('LimitExceeded', `Cannot exceed quota for ${quotaName}: 50`);
  return merged;
}

/** Reads `TagKeys.member.N` of an Untag<Resource> call (required, at most 50, each a valid key). */
export function tagKeysParam(v: Validator, params: Params): string[] {
  const keys = params.list('TagKeys');
  v.required('tagKeys', keys);
  v.listLength('tagKeys', keys, 50);
  if (keys?.some((key) => key.length < 1 || key.length > 128 || !tagKeyPattern.test(key))) {
    v.fail(
      'tagKeys',
      undefined,
      `Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ${shown.tagKey}, Member must not be null]`,
    );
  }
  return keys ?? [];
}

/** Tags without the given keys (compared regardless of case). */
export function withoutTagKeys(tags: readonly Tag[], keys: readonly string[]): Tag[] {
  const remove = new Set(keys.map((key) => key.toLowerCase()));
  return tags.filter((tag) => !remove.has(tag.Key.toLowerCase()));
}

export function paginate<T>(
  items: T[],
  sortKey: (item: T) => string,
  marker: string | undefined,
  maxItems: number,
) {
  let start = 0;
  if (marker !== undefined) {
    let after: string;
    try {
      after = Buffer.from(marker, 'base64url').toString('utf8');
    } catch {
      after = '';
    }
    if (!after.startsWith('m1:')) throw new AwsError('ValidationError', 'Invalid Marker.');
    const last = after.slice(3);
    start = items.findIndex((item) => sortKey(item) > last);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + maxItems);
  const isTruncated = start + maxItems < items.length;
  const next =
    isTruncated && page.length > 0
      ? Buffer.from(`m1:${sortKey(page[page.length - 1]!)}`).toString('base64url')
      : undefined;
  return { page, isTruncated, marker: next };
}

export function pageXml(isTruncated: boolean, marker: string | undefined): string {
  return el('IsTruncated', isTruncated) + el('Marker', marker);
}

export const tagsXml = (tags: readonly Tag[]) =>
  members(
    'Tags',
    tags.map((tag) => el('Key', tag.Key) + el('Value', tag.Value)),
  );

/** One page of a resource's tags in key order, as List<Resource>Tags answers. */
export function tagPageXml(tags: readonly Tag[], marker: string | undefined, maxItems: number): string {
  const sorted = [...tags].sort((a, b) => (a.Key < b.Key ? -1 : 1));
  const result = paginate(sorted, (tag) => tag.Key, marker, maxItems);
  return tagsXml(result.page) + pageXml(result.isTruncated, result.marker);
}

export function tagContext(tags: readonly Tag[]): RequestContext {
  const context: RequestContext = { 'aws:TagKeys': tags.map((tag) => tag.Key) };
  for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
  return context;
}

export function policyName(v: Validator, params: Params): string {
  const value = params.get('PolicyName');
  v.required('policyName', value);
  v.string('policyName', value, 1, 128, roleNamePattern, shown.roleName);
  return value ?? '';
}
