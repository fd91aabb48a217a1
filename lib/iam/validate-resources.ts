/**
 * The validator's checks of Resource and NotResource: ARN format, entries listed twice or covered
 * by a wildcard, and (with the catalogue) whether resources and actions fit each other.
 */
import { globToRegExp, hasWildcard } from '@/lib/iam/policy-glob';
import {
  describeActions,
  reportCoveredEntries,
  reportRepeatedEntry,
  type ExpandedAction,
  type ListPattern,
  type ListElement,
  type StringItem,
  type ValidationContext,
} from '@/lib/iam/validate-context';
import { checkResourceArn } from '@/lib/iam/validate-values';

/** Checks a statement's resources against their format and, with the catalogue, its actions. */
export function checkResources(
  context: ValidationContext,
  resources: ListElement,
  actions: ListElement | null,
  expanded: ExpandedAction[],
): void {
  const patterns: ListPattern[] = [];
  const valid: StringItem[] = [];
  for (const item of resources.items) {
    if (valid.some((other) => other.value === item.value)) {
      reportRepeatedEntry(context, 'redundant_resource', resources.key, item);
      continue;
    }
    const problem = checkResourceArn(item.value);
    if (problem) {
      context.add('invalid_arn', problem, item.path, item.node.start);
      continue;
    }
    valid.push(item);
    if (hasWildcard(item.value)) patterns.push({ regex: globToRegExp(item.value), item });
  }
  if (patterns.length > 0)
    reportCoveredEntries(
      context,
      'redundant_resource',
      resources.key,
      valid,
      valid.map((item) => item.value),
      patterns,
    );
  const catalogue = context.catalogue;
  if (!catalogue || !actions || actions.isNot || resources.isNot || valid.length === 0) return;
  // Only check when every action was resolved: "*" or an unknown action could apply to anything.
  if (expanded.length === 0 || expanded.some((entry) => entry.actions === null)) return;
  if (expanded.some((entry) => hasWildcard(entry.item.value.slice(0, entry.item.value.indexOf(':'))))) return;
  const hasStar = valid.some((item) => item.value === '*');

  // Resources matching no resource type of any action.
  const matchedByAction = expanded.map(() => hasStar);
  const onlyStar = expanded.every((entry) => entry.actions!.every((action) => action.isWildcardOnly));
  for (const item of valid) {
    if (item.value === '*') continue;
    let isMatched = false;
    let fitsService = false;
    for (let at = 0; at < expanded.length; at += 1) {
      const entry = expanded[at]!;
      const list = entry.actions!;
      const service = list[0]?.service;
      if (service === undefined) continue;
      const types = catalogue.matchResourceTypes(service, item.value);
      if (types.size === 0) continue;
      fitsService = true;
      for (const action of list) {
        if (action.resourceTypes.some((type) => types.has(type.name.toLowerCase()))) {
          isMatched = true;
          matchedByAction[at] = true;
          break;
        }
      }
    }
    // Actions that support only "*" get their own finding (action_matches_no_resource) below.
    if (isMatched || (onlyStar && fitsService)) continue;
    if (!fitsService) {
      context.add(
        'resource_matches_no_action',
        `"${item.value}" matches no resource type of the services of ${describeActions(expanded)}: check the ARN's service and format against the resource types the actions support.`,
        item.path,
        item.node.start,
      );
    } else {
      context.add(
        'resource_type_mismatch',
        `"${item.value}" is a ${[...new Set(expanded.flatMap((entry) => [...catalogue.matchResourceTypes(entry.actions![0]!.service, item.value)]))].join(' or ')} ARN, but ${describeActions(expanded)} ${expanded.length === 1 ? 'takes' : 'take'} other resource types: use the ARN form the actions take (e.g. arn:aws:s3:::bucket/* for objects), or move it to a statement with matching actions.`,
        item.path,
        item.node.start,
      );
    }
  }
  // Explicitly named actions that none of the resources apply to.
  for (let at = 0; at < expanded.length; at += 1) {
    const entry = expanded[at]!;
    if (matchedByAction[at] || hasWildcard(entry.item.value)) continue;
    const action = entry.actions![0]!;
    const message = action.isWildcardOnly
      ? `${action.fullName} supports only "Resource": "*", so this statement does not apply to it: move it to a statement with "Resource": "*".`
      : `${action.fullName} applies to none of this statement's resources (it takes ${action.resourceTypes.map((type) => type.name).join(', ')}): add a matching ARN or move the action.`;
    context.add('action_matches_no_resource', message, entry.item.path, entry.item.node.start);
  }
}
