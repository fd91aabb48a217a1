/**
 * The semantic difference between a role as recorded and a change request, for approvers: what
 * the role may do that it could not (and the reverse), by service and access level, with
 * wildcards expanded against the catalogue (`s3:Get*` → the concrete actions); for actions on
 * both sides, the resources and conditions that changed; who may assume it; and every other field
 * that changes (managed policies, boundary, tags, session duration, description). Pure: the
 * catalogue and the documents of managed policies are handed in.
 *
 * The action lists describe each side's identity policies as written (Allow statements, and Deny
 * statements apart); whether the change grants new access is the verdict's question
 * (no-new-access.ts), which also weighs conditions, resources, denies and the boundary.
 */
import { ACCESS_LEVELS, type AccessLevel, type ActionInfo, type Catalogue } from '@/lib/iam/catalogue';
import { normalizePolicy, policyDocumentSchema, type NormalizedStatement } from '@/lib/iam/policy';
import { hasWildcard } from '@/lib/iam/policy-glob';
import { principalValues, type PrincipalValue } from '@/lib/iam/policy-containment';
import { diffPolicyTexts, type TextDiff } from '@/lib/iam/normalized-json';
import { roleDocuments, type PolicyDocumentLookup, type RoleDocument } from '@/lib/iam/role-documents';
import type { RoleSpec, RoleTag } from '@/lib/iam/role-spec';
import { describeWhoCanAssume } from '@/lib/iam/who-can-assume';

export interface ActionGroup {
  service: string;
  serviceName: string;
  level: AccessLevel;
  /** Full names (`s3:GetObject`), sorted. */
  actions: string[];
}

/** Actions whose resources or conditions differ between the two sides. */
export interface ScopeChange {
  actions: string[];
  /** Each granting (or denying) statement's scope, as words: `Resource: …; Condition: …`. */
  before: string[];
  after: string[];
  effect: 'Allow' | 'Deny';
}

export interface TrustPrincipal {
  type: PrincipalValue['type'];
  value: string;
  /** `Account 111122223333`, `Service ec2.amazonaws.com`, `Everyone (*)`, … */
  label: string;
}

export interface ValueChange<T> {
  before: T;
  after: T;
}

export interface DocumentChange {
  key: string;
  /** e.g. `Inline policy read-logs`, `Managed policy arn:…`, `Trust policy`. */
  title: string;
  /** The RoleSpec field on the side that has it (after, else before). */
  field: string;
  change: 'added' | 'removed' | 'changed';
  /** Normalised side-by-side; sides whose document is not known are empty. */
  diff: TextDiff;
  /** Whether each side's document is known (an attached managed policy's may not be). */
  known: { before: boolean; after: boolean };
}

export interface SemanticDiff {
  actionsAdded: ActionGroup[];
  actionsRemoved: ActionGroup[];
  deniesAdded: ActionGroup[];
  deniesRemoved: ActionGroup[];
  /** Action names the catalogue does not know, allowed on one side only. */
  unrecognizedAdded: string[];
  unrecognizedRemoved: string[];
  scopeChanges: ScopeChange[];
  trust: {
    principalsAdded: TrustPrincipal[];
    principalsRemoved: TrustPrincipal[];
    conditionsAdded: string[];
    conditionsRemoved: string[];
    whoCanAssume: ValueChange<string> | null;
  };
  managedPolicies: { attached: string[]; detached: string[] };
  newManagedPolicies: { added: string[]; removed: string[]; changed: string[] };
  inlinePolicies: { added: string[]; removed: string[]; changed: string[] };
  boundary: ValueChange<string | null> | null;
  tags: { added: RoleTag[]; removed: RoleTag[]; changed: { key: string; before: string; after: string }[] };
  maxSessionDuration: ValueChange<number> | null;
  description: ValueChange<string> | null;
  /** Managed policies (attached by ARN) whose documents are not known: their actions are not listed. */
  notCompared: string[];
  /** The documents that differ, normalised, for a side-by-side view; unchanged ones are left out. */
  documents: DocumentChange[];
}

function statementsOf(text: string | undefined): NormalizedStatement[] | null {
  if (text === undefined) return null;
  try {
    const parsed = policyDocumentSchema.safeParse(JSON.parse(text));
    return parsed.success ? normalizePolicy(parsed.data).statements : null;
  } catch {
    return null;
  }
}

function describeScope(statement: NormalizedStatement): string {
  const resources = statement.notResource
    ? `NotResource: ${statement.notResource.join(', ')}`
    : `Resource: ${(statement.resource ?? ['*']).join(', ')}`;
  const conditions = statement.conditions
    .map((c) => `${c.operator} ${c.key} = ${c.values.join(', ')}`)
    .sort()
    .join('; ');
  return conditions ? `${resources}; Condition: ${conditions}` : resources;
}

interface SideActions {
  /** Action → the scopes under which statements of this effect name it. */
  allow: Map<ActionInfo, Set<string>>;
  deny: Map<ActionInfo, Set<string>>;
  unrecognized: Set<string>;
}

function sideActions(documents: readonly RoleDocument[], catalogue: Catalogue): SideActions {
  const side: SideActions = { allow: new Map(), deny: new Map(), unrecognized: new Set() };
  let everything: ActionInfo[] | undefined;
  const all = () =>
    (everything ??= catalogue
      .listServices()
      .flatMap((service) => [...catalogue.listActions(service.prefix)]));
  for (const document of documents) {
    for (const statement of statementsOf(document.text) ?? []) {
      let actions: Iterable<ActionInfo>;
      if (statement.action) {
        const found = new Set<ActionInfo>();
        for (const pattern of statement.action) {
          const expanded = catalogue.expandAction(pattern);
          if (expanded.length === 0 && !hasWildcard(pattern) && statement.effect === 'Allow')
            side.unrecognized.add(pattern);
          for (const action of expanded) found.add(action);
        }
        actions = found;
      } else {
        const excluded = new Set((statement.notAction ?? []).flatMap((p) => [...catalogue.expandAction(p)]));
        actions = all().filter((action) => !excluded.has(action));
      }
      const target = statement.effect === 'Allow' ? side.allow : side.deny;
      const scope = describeScope(statement);
      for (const action of actions) {
        const scopes = target.get(action);
        if (scopes) scopes.add(scope);
        else target.set(action, new Set([scope]));
      }
    }
  }
  return side;
}

function group(actions: Iterable<ActionInfo>, catalogue: Catalogue): ActionGroup[] {
  const groups = new Map<string, ActionGroup>();
  for (const action of actions) {
    const key = `${action.service}\u0000${ACCESS_LEVELS.indexOf(action.accessLevel)}`;
    const existing = groups.get(key);
    if (existing) existing.actions.push(action.fullName);
    else
      groups.set(key, {
        service: action.service,
        serviceName: catalogue.getService(action.service)?.name ?? action.service,
        level: action.accessLevel,
        actions: [action.fullName],
      });
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, value]) => ({ ...value, actions: value.actions.sort() }));
}

function minus<K>(a: Map<K, unknown>, b: Map<K, unknown>): K[] {
  return [...a.keys()].filter((key) => !b.has(key));
}

function scopeChanges(
  before: Map<ActionInfo, Set<string>>,
  after: Map<ActionInfo, Set<string>>,
  effect: 'Allow' | 'Deny',
): ScopeChange[] {
  const groups = new Map<string, ScopeChange>();
  for (const [action, scopesBefore] of before) {
    const scopesAfter = after.get(action);
    if (!scopesAfter) continue;
    const a = [...scopesBefore].sort();
    const b = [...scopesAfter].sort();
    if (a.join('\n') === b.join('\n')) continue;
    const key = `${a.join('\n')}\u0000${b.join('\n')}`;
    const existing = groups.get(key);
    if (existing) existing.actions.push(action.fullName);
    else groups.set(key, { actions: [action.fullName], before: a, after: b, effect });
  }
  return [...groups.values()].map((change) => ({ ...change, actions: change.actions.sort() }));
}

function principalLabel(principal: PrincipalValue): string {
  if (principal.type === '*') return 'Everyone (*)';
  if (principal.type === 'AWS')
    return /^\d{12}$/.test(principal.value) ? `Account ${principal.value}` : principal.value;
  return `${principal.type === 'CanonicalUser' ? 'Canonical user' : principal.type} ${principal.value}`;
}

function trustFacts(text: string | undefined) {
  const principals = new Map<string, TrustPrincipal>();
  const conditions = new Set<string>();
  for (const statement of statementsOf(text) ?? []) {
    if (statement.effect !== 'Allow' || !statement.principal) continue;
    for (const value of principalValues(statement.principal))
      principals.set(`${value.type}\u0000${value.value}`, { ...value, label: principalLabel(value) });
    for (const c of statement.conditions) conditions.add(`${c.operator} ${c.key} = ${c.values.join(', ')}`);
  }
  return { principals, conditions };
}

function keyedChanges<T>(
  before: readonly T[],
  after: readonly T[],
  keyOf: (item: T) => string,
  same: (a: T, b: T) => boolean,
) {
  const old = new Map(before.map((item) => [keyOf(item), item]));
  const next = new Map(after.map((item) => [keyOf(item), item]));
  return {
    added: [...next.keys()].filter((key) => !old.has(key)),
    removed: [...old.keys()].filter((key) => !next.has(key)),
    changed: [...next.entries()]
      .filter(([key, item]) => old.has(key) && !same(old.get(key)!, item))
      .map(([key]) => key),
  };
}

function documentTitle(document: RoleDocument): string {
  switch (document.kind) {
    case 'inline':
      return `Inline policy ${document.name}`;
    case 'new-managed':
      return `Customer managed policy ${document.name} (created by Rolesmith)`;
    case 'managed':
      return `Managed policy ${document.name}`;
    case 'boundary':
      return `Permissions boundary ${document.name}`;
    case 'trust':
      return 'Trust policy';
  }
}

function documentChanges(before: RoleDocument[], after: RoleDocument[]): DocumentChange[] {
  const old = new Map(before.map((d) => [d.key, d]));
  const next = new Map(after.map((d) => [d.key, d]));
  const keys = [...new Set([...next.keys(), ...old.keys()])];
  const changes: DocumentChange[] = [];
  for (const key of keys) {
    const a = old.get(key);
    const b = next.get(key);
    const diff = diffPolicyTexts(a?.text, b?.text);
    // The same ARN on both sides is the same policy, even when its document is not known.
    if (a && b && a.arn === b.arn && !diff.isChanged) continue;
    const shown = (b ?? a)!;
    changes.push({
      key,
      title: documentTitle(shown),
      field: shown.field,
      change: !a ? 'added' : !b ? 'removed' : 'changed',
      diff,
      known: { before: a?.text !== undefined, after: b?.text !== undefined },
    });
  }
  return changes;
}

/** The semantic difference from `before` (the role as recorded) to `after` (the request). Never throws. */
export function semanticDiff(
  before: RoleSpec,
  after: RoleSpec,
  options: { catalogue: Catalogue; lookup: PolicyDocumentLookup },
): SemanticDiff {
  const { catalogue, lookup } = options;
  const old = roleDocuments(before, lookup);
  const next = roleDocuments(after, lookup);
  const a = sideActions(old.identity, catalogue);
  const b = sideActions(next.identity, catalogue);
  const oldTrust = trustFacts(old.trust.text);
  const newTrust = trustFacts(next.trust.text);
  const tagChanges = keyedChanges(
    before.tags,
    after.tags,
    (tag) => tag.key,
    (x, y) => x.value === y.value,
  );
  const tagsBefore = new Map(before.tags.map((tag) => [tag.key, tag]));
  const tagsAfter = new Map(after.tags.map((tag) => [tag.key, tag]));
  const whoBefore = describeWhoCanAssume(old.trust.text, { ownAccountId: before.accountId });
  const whoAfter = describeWhoCanAssume(next.trust.text, { ownAccountId: after.accountId });
  const optionalDocuments = (docs: ReturnType<typeof roleDocuments>) => [
    ...docs.identity,
    ...(docs.boundary ? [docs.boundary] : []),
    docs.trust,
  ];
  return {
    actionsAdded: group(minus(b.allow, a.allow), catalogue),
    actionsRemoved: group(minus(a.allow, b.allow), catalogue),
    deniesAdded: group(minus(b.deny, a.deny), catalogue),
    deniesRemoved: group(minus(a.deny, b.deny), catalogue),
    unrecognizedAdded: [...b.unrecognized].filter((x) => !a.unrecognized.has(x)).sort(),
    unrecognizedRemoved: [...a.unrecognized].filter((x) => !b.unrecognized.has(x)).sort(),
    scopeChanges: [...scopeChanges(a.allow, b.allow, 'Allow'), ...scopeChanges(a.deny, b.deny, 'Deny')],
    trust: {
      principalsAdded: [...newTrust.principals]
        .filter(([key]) => !oldTrust.principals.has(key))
        .map(([, p]) => p),
      principalsRemoved: [...oldTrust.principals]
        .filter(([key]) => !newTrust.principals.has(key))
        .map(([, p]) => p),
      conditionsAdded: [...newTrust.conditions].filter((c) => !oldTrust.conditions.has(c)),
      conditionsRemoved: [...oldTrust.conditions].filter((c) => !newTrust.conditions.has(c)),
      whoCanAssume: whoBefore === whoAfter ? null : { before: whoBefore, after: whoAfter },
    },
    managedPolicies: {
      attached: after.managedPolicyArns.filter((arn) => !before.managedPolicyArns.includes(arn)),
      detached: before.managedPolicyArns.filter((arn) => !after.managedPolicyArns.includes(arn)),
    },
    newManagedPolicies: keyedChanges(
      before.newManagedPolicies,
      after.newManagedPolicies,
      (p) => p.name,
      (x, y) => x.document === y.document && x.description === y.description,
    ),
    inlinePolicies: keyedChanges(
      before.inlinePolicies,
      after.inlinePolicies,
      (p) => p.name,
      (x, y) => x.document === y.document,
    ),
    boundary:
      before.permissionsBoundaryArn === after.permissionsBoundaryArn
        ? null
        : { before: before.permissionsBoundaryArn ?? null, after: after.permissionsBoundaryArn ?? null },
    tags: {
      added: tagChanges.added.map((key) => tagsAfter.get(key)!),
      removed: tagChanges.removed.map((key) => tagsBefore.get(key)!),
      changed: tagChanges.changed.map((key) => ({
        key,
        before: tagsBefore.get(key)!.value,
        after: tagsAfter.get(key)!.value,
      })),
    },
    maxSessionDuration:
      before.maxSessionDuration === after.maxSessionDuration
        ? null
        : { before: before.maxSessionDuration, after: after.maxSessionDuration },
    description:
      before.description === after.description
        ? null
        : { before: before.description, after: after.description },
    notCompared: [
      ...new Set([...old.identity, ...next.identity].filter((d) => d.text === undefined).map((d) => d.name)),
    ],
    documents: documentChanges(optionalDocuments(old), optionalDocuments(next)),
  };
}

/** The actions of one service in a list of {@link ActionGroup}s, folded as the console's policy summary. */
export interface ServiceActions {
  service: string;
  serviceName: string;
  /** Each access level with actions, in the catalogue's order, with its actions (sorted). */
  levels: { level: AccessLevel; actions: string[] }[];
  /** How many actions in all. */
  count: number;
  /** Whether these are every action the catalogue knows for the service. */
  isAll: boolean;
}

/**
 * Folds action groups (by service and access level) into one row per service, by service prefix,
 * saying whether a row covers the whole service: a change that adds or removes `*` reads as some
 * 400 services, not 15,000 actions.
 */
export function foldByService(groups: readonly ActionGroup[], catalogue: Catalogue): ServiceActions[] {
  const services = new Map<string, ServiceActions>();
  for (const group of groups) {
    let row = services.get(group.service);
    if (!row) {
      row = { service: group.service, serviceName: group.serviceName, levels: [], count: 0, isAll: false };
      services.set(group.service, row);
    }
    row.levels.push({ level: group.level, actions: group.actions });
    row.count += group.actions.length;
  }
  return [...services.values()]
    .map((row) => ({
      ...row,
      levels: row.levels.sort((a, b) => ACCESS_LEVELS.indexOf(a.level) - ACCESS_LEVELS.indexOf(b.level)),
      isAll: row.count > 0 && row.count === catalogue.listActions(row.service).length,
    }))
    .sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
}
