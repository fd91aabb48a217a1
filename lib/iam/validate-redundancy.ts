/**
 * The validator's checks across statements: Sids used twice, a boundary that allows nothing, and
 * statements another statement already covers.
 */
import { globToRegExp, hasWildcard } from '@/lib/iam/policy-glob';
import type { StatementFacts, StringItem, ValidationContext } from '@/lib/iam/validate-context';

/** Runs the checks that compare statements, once every statement has been checked. */
export function checkAcrossStatements(context: ValidationContext): void {
  const sids = new Map<string, StatementFacts>();
  for (const facts of context.statements) {
    if (!facts.sid || facts.sid.value === '') continue;
    const first = sids.get(facts.sid.value);
    if (first)
      context.add(
        'duplicate_sid',
        `Sid "${facts.sid.value}" is already used by statement ${first.index}: give each statement a unique Sid.`,
        facts.sid.path,
        facts.sid.node.start,
      );
    else sids.set(facts.sid.value, facts);
  }
  if (
    context.kind === 'boundary' &&
    context.statements.length > 0 &&
    !context.statements.some((facts) => facts.effect === 'Allow')
  ) {
    context.add(
      'boundary_no_allow',
      'A permissions boundary with only Deny statements allows nothing, so the role could do nothing: add an Allow statement with the maximum permissions.',
      '/Statement',
      context.statements[0]!.offset,
    );
  }
  checkRedundantStatements(context);
}

function checkRedundantStatements(context: ValidationContext): void {
  // Statements are compared only within groups of the same effect, principals and conditions.
  const groups = new Map<string, { facts: StatementFacts; actions: Matcher; resources: Matcher | null }[]>();
  for (const facts of context.statements) {
    if (!facts.effect || !facts.actions || facts.actions.items.length === 0) continue;
    if (context.kind !== 'trust' && (!facts.resources || facts.resources.items.length === 0)) continue;
    const key = `${facts.effect}#${facts.actions.isNot ? 'N' : 'A'}#${facts.resources?.isNot ? 'N' : 'R'}#${facts.principalSignature}#${facts.conditionSignature}`;
    const group = groups.get(key) ?? [];
    group.push({
      facts,
      actions: new Matcher(facts.actions.items, true),
      resources: facts.resources ? new Matcher(facts.resources.items, false) : null,
    });
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    // Index the group so that each statement is compared only with those that could cover it:
    // the ones listing its first action exactly, and the ones with wildcard patterns.
    const byAction = new Map<string, typeof group>();
    const withPatterns: typeof group = [];
    for (const entry of group) {
      if (entry.actions.hasPatterns) withPatterns.push(entry);
      for (const value of entry.actions.values) {
        const list = byAction.get(value);
        if (list) list.push(entry);
        else byAction.set(value, [entry]);
      }
    }
    for (const candidate of group) {
      const others = candidate.facts.actions!.isNot
        ? [group]
        : [byAction.get(candidate.actions.values[0]!) ?? [], withPatterns];
      for (const other of others.flat()) {
        if (other === candidate) continue;
        const isNot = candidate.facts.actions!.isNot;
        // For NotAction, a statement excluding fewer actions covers one excluding more.
        const actionsCovered = isNot
          ? candidate.actions.coversAll(other.actions)
          : other.actions.coversAll(candidate.actions);
        if (!actionsCovered) continue;
        const resourcesCovered =
          candidate.resources === null ||
          other.resources === null ||
          (candidate.facts.resources!.isNot
            ? candidate.resources.coversAll(other.resources)
            : other.resources.coversAll(candidate.resources));
        if (!resourcesCovered) continue;
        // Two identical statements cover each other: report only the later one.
        const isMutual = isNot
          ? other.actions.coversAll(candidate.actions)
          : candidate.actions.coversAll(other.actions);
        const resourcesMutual =
          candidate.resources === null ||
          other.resources === null ||
          (candidate.resources.coversAll(other.resources) && other.resources.coversAll(candidate.resources));
        if (isMutual && resourcesMutual && candidate.facts.index < other.facts.index) continue;
        const what = candidate.facts.effect === 'Allow' ? 'grants' : 'denies';
        context.add(
          'redundant_statement',
          `Statement ${candidate.facts.index}${candidate.facts.sid?.value ? ` (${candidate.facts.sid.value})` : ''} is redundant: statement ${other.facts.index}${other.facts.sid?.value ? ` (${other.facts.sid.value})` : ''} already ${what} all of it. Remove it or merge the two.`,
          candidate.facts.path,
          candidate.facts.offset,
        );
        break;
      }
    }
  }
}

/** A list of action or resource patterns, for "covers all of" tests between statements. */
class Matcher {
  private readonly patterns: RegExp[] = [];
  readonly values: string[] = [];

  get hasPatterns(): boolean {
    return this.patterns.length > 0;
  }

  constructor(items: StringItem[], caseInsensitive: boolean) {
    for (const item of items) {
      const value = caseInsensitive ? item.value.toLowerCase() : item.value;
      this.values.push(value);
      if (hasWildcard(value)) this.patterns.push(globToRegExp(value));
    }
  }

  /** True when every value of `other` (read literally) is matched by one of ours. */
  coversAll(other: Matcher): boolean {
    for (const value of other.values) {
      // Lists are short, so a linear search is cheaper than building a set.
      if (this.values.includes(value)) continue;
      if (this.patterns.length === 0 || !this.patterns.some((pattern) => pattern.test(value))) return false;
    }
    return true;
  }
}
