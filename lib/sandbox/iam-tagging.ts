import 'server-only';
import type { Operation, OperationContext } from '@/lib/sandbox/operation';
import type { Params, Validator } from '@/lib/sandbox/protocol';
import {
  checkTagSemantics,
  mergeTags,
  paging,
  readTags,
  tagContext,
  tagKeysParam,
  tagPageXml,
  validator,
  withoutTagKeys,
} from '@/lib/sandbox/iam-params';
import type { Tag } from '@/lib/sandbox/store';

/** How the tagging operations of one resource type find, check and store a resource. */
export interface TaggableResource<R extends { tags: Tag[] }> {
  /** IAM's name for the type in its Action names: `Role` gives TagRole, UntagRole, ListRoleTags. */
  type: string;
  /** The tags-per-resource quota named in `LimitExceeded` (`TagsPerRole`). */
  quotaName: string;
  readName(v: Validator, params: Params): string;
  resource(context: OperationContext, name: string): string;
  load(context: OperationContext, name: string): R;
  save(context: OperationContext, record: R): void;
  /** Throws when the resource's tags may not change (a service-linked role). */
  guardWrite?(record: R): void;
}

/**
 * The three tagging operations IAM has for each taggable resource type (`Tag<Type>`,
 * `Untag<Type>`, `List<Type>Tags`), with the same parameter checks, authorization context
 * (`aws:RequestTag/…`, `aws:TagKeys`), quota and paging for every type.
 */
export function taggingOperations<R extends { tags: Tag[] }>(
  resource: TaggableResource<R>,
): Record<string, Operation> {
  const tag: Operation = (context) => {
    const v = validator();
    const name = resource.readName(v, context.params);
    const tags = readTags(v, context.params);
    v.required('tags', tags);
    v.throwIfAny();
    context.authorize(`iam:Tag${resource.type}`, resource.resource(context, name), tagContext(tags ?? []));
    const record = resource.load(context, name);
    resource.guardWrite?.(record);
    checkTagSemantics(tags ?? [], true);
    resource.save(context, { ...record, tags: mergeTags(record.tags, tags ?? [], resource.quotaName) });
    return null;
  };
  const untag: Operation = (context) => {
    const v = validator();
    const name = resource.readName(v, context.params);
    const keys = tagKeysParam(v, context.params);
    v.throwIfAny();
    context.authorize(`iam:Untag${resource.type}`, resource.resource(context, name), { 'aws:TagKeys': keys });
    const record = resource.load(context, name);
    resource.guardWrite?.(record);
    const remaining = withoutTagKeys(record.tags, keys);
    if (remaining.length !== record.tags.length) resource.save(context, { ...record, tags: remaining });
    return null;
  };
  const list: Operation = (context) => {
    const v = validator();
    const name = resource.readName(v, context.params);
    const { marker, maxItems } = paging(v, context.params);
    v.throwIfAny();
    context.authorize(`iam:List${resource.type}Tags`, resource.resource(context, name));
    return tagPageXml(resource.load(context, name).tags, marker, maxItems);
  };
  return {
    [`Tag${resource.type}`]: tag,
    [`Untag${resource.type}`]: untag,
    [`List${resource.type}Tags`]: list,
  };
}
