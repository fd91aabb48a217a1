/**
 * The validator's checks of Action and NotAction: format, known services and actions (with the
 * catalogue), and entries listed twice or covered by a wildcard in the same list.
 */
import {
  reportCoveredEntries,
  reportRepeatedEntry,
  type ExpandedAction,
  type ListPattern,
  type ListElement,
  type StringItem,
  type ValidationContext,
} from '@/lib/iam/validate-context';
import { didYouMean, SUGGESTION_LIMIT, suggestActions, suggestServices } from '@/lib/iam/did-you-mean';
import { globToRegExp, hasWildcard } from '@/lib/iam/policy-glob';
import { reportVariableInElement } from '@/lib/iam/validate-variables';

/** Checks a statement's actions; returns what each entry grants, for the resource and condition checks. */
export function checkActions(context: ValidationContext, actions: ListElement): ExpandedAction[] {
  const catalogue = context.catalogue;
  const expanded: ExpandedAction[] = [];
  // Lists are short: arrays are cheaper than sets here.
  const seenLower: string[] = [];
  const seenItems: StringItem[] = [];
  const patterns: ListPattern[] = [];
  for (const item of actions.items) {
    const value = item.value;
    const lower = value.toLowerCase();
    if (seenLower.includes(lower)) {
      reportRepeatedEntry(context, 'redundant_action', actions.key, item);
      continue;
    }
    seenLower.push(lower);
    seenItems.push(item);
    if (hasWildcard(value) && lower !== '*') patterns.push({ regex: globToRegExp(lower), item });
    if (value === '*') {
      expanded.push({ item, actions: null });
      continue;
    }
    if (value.includes('${')) {
      reportVariableInElement(context, actions.key, item);
      expanded.push({ item, actions: null });
      continue;
    }
    const colon = value.indexOf(':');
    if (colon === -1) {
      context.add(
        'invalid_action_format',
        `Action "${value}" has no service prefix: write it as service:Action, e.g. s3:GetObject.`,
        item.path,
        item.node.start,
      );
      expanded.push({ item, actions: null });
      continue;
    }
    if (value.indexOf(':', colon + 1) !== -1) {
      context.add(
        'invalid_action_format',
        `Action "${value}" has more than one colon: write it as service:Action.`,
        item.path,
        item.node.start,
      );
      expanded.push({ item, actions: null });
      continue;
    }
    const service = value.slice(0, colon);
    if (!/^[A-Za-z0-9.*?-]+$/.test(service)) {
      context.add(
        'invalid_action_format',
        `"${service}" is not a valid service prefix in "${value}": use the service's prefix, e.g. s3, ec2, iam.`,
        item.path,
        item.node.start,
      );
      expanded.push({ item, actions: null });
      continue;
    }
    if (!catalogue) {
      expanded.push({ item, actions: null });
      continue;
    }
    const matched = catalogue.expandAction(value);
    if (matched.length === 0) {
      if (!hasWildcard(service) && catalogue.getService(service) === null) {
        const services = suggestServices(catalogue, service);
        const name = value.slice(colon + 1);
        // The closest action of each close service, when one is close too (s4:GetObject → s3:GetObject).
        const suggestions = hasWildcard(name)
          ? services.map((prefix) => `${prefix}:${name}`)
          : services.map((prefix) => suggestActions(catalogue, prefix, name)[0] ?? `${prefix}:${name}`);
        context.add(
          'unknown_service',
          `"${service}" is not a known AWS service prefix in "${value}".${didYouMean(
            suggestions,
            ' Check the spelling (e.g. s3, ec2, iam, lambda).',
          )}`,
          item.path,
          item.node.start,
          undefined,
          suggestions,
        );
      } else if (hasWildcard(value)) {
        context.add(
          'action_wildcard_matches_nothing',
          `"${value}" matches no action: check the spelling, or pick actions from the list of ${service} actions.`,
          item.path,
          item.node.start,
        );
      } else {
        const name = value.slice(colon + 1);
        let suggestions = suggestActions(catalogue, service, name);
        // A name cut short is far from the whole one: offer the actions it starts (s3:GetObj).
        if (suggestions.length === 0)
          suggestions = catalogue
            .searchActions(name, { service, limit: SUGGESTION_LIMIT })
            .actions.map((action) => action.fullName);
        context.add(
          'unknown_action',
          `"${value}" is not an action of ${service}.${didYouMean(suggestions, ' Check the spelling.')}`,
          item.path,
          item.node.start,
          undefined,
          suggestions,
        );
      }
      expanded.push({ item, actions: null });
      continue;
    }
    expanded.push({ item, actions: matched });
  }
  // An action already covered by a wildcard pattern in the same list.
  if (patterns.length > 0)
    reportCoveredEntries(context, 'redundant_action', actions.key, seenItems, seenLower, patterns);
  return expanded;
}
