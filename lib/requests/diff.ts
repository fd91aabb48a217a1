import { jsonEqual } from '@/lib/iam/json-equal';
import type { RoleSpec } from '@/lib/iam/role-spec';

/**
 * The difference between a provisioned role's specification and a change request's, for the
 * approver's view (provisioning computes its own IAM steps from the two specs). Pure.
 */
export interface SpecChange {
  /** RoleSpec field, with the item's name for lists: `tags[team]`, `inlinePolicies[s3-read]`. */
  field: string;
  change: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

function diffScalar(changes: SpecChange[], field: keyof RoleSpec, before: RoleSpec, after: RoleSpec): void {
  const a = before[field];
  const b = after[field];
  if (jsonEqual(a, b)) return;
  if (a === undefined) changes.push({ field, change: 'added', after: b });
  else if (b === undefined) changes.push({ field, change: 'removed', before: a });
  else changes.push({ field, change: 'changed', before: a, after: b });
}

function diffKeyed<T>(
  changes: SpecChange[],
  field: string,
  before: readonly T[],
  after: readonly T[],
  keyOf: (item: T) => string,
): void {
  const old = new Map(before.map((item) => [keyOf(item), item]));
  const next = new Map(after.map((item) => [keyOf(item), item]));
  for (const [key, item] of old) {
    const replacement = next.get(key);
    if (replacement === undefined)
      changes.push({ field: `${field}[${key}]`, change: 'removed', before: item });
    else if (!jsonEqual(item, replacement))
      changes.push({ field: `${field}[${key}]`, change: 'changed', before: item, after: replacement });
  }
  for (const [key, item] of next) {
    if (!old.has(key)) changes.push({ field: `${field}[${key}]`, change: 'added', after: item });
  }
}

/** Every change from `before` to `after`, scalar fields first, then list items by name. */
export function computeSpecDiff(before: RoleSpec, after: RoleSpec): SpecChange[] {
  const changes: SpecChange[] = [];
  for (const field of [
    'name',
    'path',
    'description',
    'maxSessionDuration',
    'trustedEntity',
    'permissionsBoundaryArn',
  ] as const) {
    diffScalar(changes, field, before, after);
  }
  diffKeyed(changes, 'managedPolicyArns', before.managedPolicyArns, after.managedPolicyArns, (arn) => arn);
  diffKeyed(
    changes,
    'newManagedPolicies',
    before.newManagedPolicies,
    after.newManagedPolicies,
    (policy) => policy.name,
  );
  diffKeyed(changes, 'inlinePolicies', before.inlinePolicies, after.inlinePolicies, (policy) => policy.name);
  diffKeyed(changes, 'tags', before.tags, after.tags, (tag) => tag.key);
  return changes;
}
