/**
 * An offline "check no new access", modelled on IAM Access Analyzer's CheckNoNewAccess: does a
 * change to a role let it do anything it could not do before, or let anyone assume it who could
 * not before? Answers "grants no new access" only when containment is proven; anything that
 * cannot be proven (a managed policy whose document is not known, a condition this module cannot
 * compare, a NotAction or NotResource without a bound) answers "may grant new access" with the
 * statements responsible and why. Conservative by construction: an approver trusts a "no".
 *
 * What is proven, for every request (action, resource, context) the evaluator (evaluate.ts)
 * decides for the role: allowed after ⇒ allowed before, where allowed = some identity policy
 * allows ∧ none denies ∧ the permissions boundary (when there is one) allows and does not deny.
 * Each Allow statement of the new identity policies is cut into pieces (policy-containment.ts);
 * each piece must be (1) within an Allow of the old identity policies — or, when the new role has
 * a boundary, every boundary Allow meeting the piece must be; (2) out of reach of every old Deny
 * (disjoint from it, or the old Deny within a new Deny); (3) when the old boundary is replaced,
 * within it, in the same way. The trust policy is checked alike: every principal who may assume
 * the role after may assume it before, under no weaker conditions.
 *
 * Pure: documents of managed policies come through the caller's lookup; with a catalogue, each
 * finding is illustrated by a concrete request the evaluator allows after and refused before.
 */
import type { Catalogue } from '@/lib/iam/catalogue';
import { compilePolicy, evaluate, type ParsedPolicy, type PolicySet } from '@/lib/iam/evaluate';
import { normalizePolicy, policyDocumentSchema, type PolicyDocument } from '@/lib/iam/policy';
import {
  containmentGap,
  isComparableOperator,
  statementPieces,
  statementShape,
  statementsDisjoint,
  type ContainmentGap,
  type PatternSet,
  type StatementShape,
} from '@/lib/iam/policy-containment';
import { roleDocuments, type PolicyDocumentLookup, type RoleDocument } from '@/lib/iam/role-documents';
import type { RoleSpec } from '@/lib/iam/role-spec';

/** A statement (or a whole policy) the verdict holds responsible. */
export interface ResponsibleStatement {
  /** `after`: in the requested specification; `before`: in the role as recorded. */
  side: 'after' | 'before';
  /** RoleSpec field: `inlinePolicies.0.document`, `managedPolicyArns.1`, `trustedEntity`, … */
  field: string;
  /** The policy's name or ARN, or `Trust policy`. */
  policy: string;
  /** Index in the document's Statement list, or null for the whole policy. */
  statementIndex: number | null;
  sid: string | undefined;
  /** JSON pointer in the document: `/Statement/1` (`/Statement` for a lone statement), '' for the whole policy. */
  pointer: string;
  /** Why, in plain words; the first ones found (at most five). */
  reasons: string[];
}

export interface AccessVerdict {
  /** True only when containment is proven. */
  grantsNoNewAccess: boolean;
  statements: ResponsibleStatement[];
}

export interface NoNewAccessVerdict {
  /** Both parts prove no new access. */
  grantsNoNewAccess: boolean;
  /** What the role may do (identity policies and permissions boundary). */
  permissions: AccessVerdict;
  /** Who may assume the role (trust policy). */
  trust: AccessVerdict;
}

export interface NoNewAccessOptions {
  /** Documents of managed policies attached by ARN (and of boundaries). */
  lookup: PolicyDocumentLookup;
  /** With the catalogue, findings are illustrated by concrete requests found with the evaluator. */
  catalogue?: Catalogue;
}

interface PreparedStatement {
  document: RoleDocument;
  index: number;
  sid: string | undefined;
  pointer: string;
  shape: StatementShape;
  pieces: StatementShape[];
}

interface PreparedDocument {
  document: RoleDocument;
  /** Null when the text is unknown or cannot be read. */
  statements: PreparedStatement[] | null;
  compiled: ParsedPolicy | null;
  unreadable: boolean;
}

const MAX_REASONS = 5;

function parseDocument(text: string): PolicyDocument | null {
  try {
    const parsed = policyDocumentSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function prepare(document: RoleDocument): PreparedDocument {
  if (document.text === undefined) return { document, statements: null, compiled: null, unreadable: false };
  const parsed = parseDocument(document.text);
  const compiled = compilePolicy(document.text);
  if (parsed === null || !compiled.ok)
    return { document, statements: null, compiled: null, unreadable: true };
  const variables = parsed.Version === '2012-10-17';
  const lone = !Array.isArray(parsed.Statement);
  const statements = normalizePolicy(parsed).statements.map((statement): PreparedStatement => {
    const shape = statementShape(statement, variables);
    return {
      document,
      index: statement.index,
      sid: statement.sid,
      pointer: lone ? '/Statement' : `/Statement/${statement.index}`,
      shape,
      pieces: statementPieces(shape),
    };
  });
  return { document, statements, compiled: compiled.value, unreadable: false };
}

function responsible(
  side: ResponsibleStatement['side'],
  document: RoleDocument,
  statement: PreparedStatement | null,
  reasons: string[],
): ResponsibleStatement {
  return {
    side,
    field: document.field,
    policy: document.name,
    statementIndex: statement?.index ?? null,
    sid: statement?.sid,
    pointer: statement?.pointer ?? '',
    reasons: reasons.slice(0, MAX_REASONS),
  };
}

// ---------------------------------------------------------------------------------------------
// Words

function describeSet(set: PatternSet, noun: string): string {
  const list = set.patterns.join(', ');
  return set.negated ? `every ${noun} except ${list}` : list;
}

function describePrincipals(shape: StatementShape): string {
  if (shape.principals === null) return 'anyone';
  const names = shape.principals.values.map((p) =>
    p.type === '*'
      ? 'everyone (*)'
      : p.type === 'AWS' && /^\d{12}$/.test(p.value)
        ? `account ${p.value}`
        : p.value,
  );
  return shape.principals.negated ? `everyone except ${names.join(', ')}` : names.join(', ');
}

function describeConditions(shape: StatementShape): string {
  return shape.conditions
    .map(
      (c) =>
        `${c.key} (${c.set === 'none' ? '' : c.set === 'any' ? 'ForAnyValue:' : 'ForAllValues:'}${c.base}${c.ifExists ? 'IfExists' : ''} ${c.values.join(' or ')})`,
    )
    .join(', ');
}

function where(statement: PreparedStatement, side: 'before' | 'after'): string {
  const sid = statement.sid ? ` (${statement.sid})` : '';
  const when = side === 'before' ? 'in the role as it is' : 'in the request';
  return `statement ${statement.index}${sid} of ${statement.document.name} ${when}`;
}

const GAP_RANK: Record<Exclude<ContainmentGap, null>, number> = {
  principal: 0,
  action: 1,
  resource: 2,
  condition: 3,
};

/** Why `piece` is not within any of `allows`: the closest statement's first gap. */
function describeGap(
  piece: StatementShape,
  allows: readonly PreparedStatement[],
  ownAccountId: string | null,
  trust: boolean,
): string {
  let best: { gap: Exclude<ContainmentGap, null>; statement: PreparedStatement } | null = null;
  for (const statement of allows) {
    const gap = containmentGap(statement.shape, piece, ownAccountId);
    if (gap !== null && (best === null || GAP_RANK[gap] > GAP_RANK[best.gap])) best = { gap, statement };
  }
  const actions = describeSet(piece.actions, 'action');
  const resources = describeSet(piece.resources, 'resource');
  const uncomparable = piece.conditions.filter((c) => !isComparableOperator(c.base));
  if (trust) {
    const who = describePrincipals(piece);
    if (best === null || best.gap === 'principal')
      return `Lets ${who} assume the role (${actions}), which it did not allow before.`;
    if (best.gap === 'action')
      return `Lets ${who} call ${actions}, which the trust policy did not allow before.`;
    return `Lets ${who} assume the role under weaker conditions than ${where(best.statement, 'before')} (${describeConditions(best.statement.shape) || 'none'}).`;
  }
  if (best === null || best.gap === 'action' || best.gap === 'principal')
    return `Allows ${actions}, which no statement allowed before.`;
  if (best.gap === 'resource')
    return `Allows ${actions} on ${resources}, beyond the resources allowed before (${describeSet(best.statement.shape.resources, 'resource')}).`;
  if (uncomparable.length > 0)
    return `Uses the condition operator ${uncomparable[0]!.base}, which cannot be compared with the conditions before.`;
  return `Allows ${actions} on ${resources} without the conditions of ${where(best.statement, 'before')} (${describeConditions(best.statement.shape)}), or with looser ones.`;
}

// ---------------------------------------------------------------------------------------------
// The checks

interface Side {
  allows: PreparedStatement[];
  denies: PreparedStatement[];
}

function split(statements: readonly PreparedStatement[]): Side {
  return {
    allows: statements.filter((s) => s.shape.effect === 'Allow'),
    denies: statements.filter((s) => s.shape.effect === 'Deny'),
  };
}

/** Two statements with the same key match the same requests (Sid and position aside). */
function shapeKey(statement: PreparedStatement): string {
  return JSON.stringify(statement.shape);
}

function covered(
  piece: StatementShape,
  allows: readonly PreparedStatement[],
  ownAccountId: string | null,
): boolean {
  return allows.some((statement) => containmentGap(statement.shape, piece, ownAccountId) === null);
}

/** Every request within `deny` is within one of `denies`. */
function subsumed(deny: PreparedStatement, denies: readonly PreparedStatement[]): boolean {
  return deny.pieces.every((piece) => denies.some((other) => containmentGap(other.shape, piece) === null));
}

/**
 * Through the new boundary: every boundary Allow that may meet the piece is within `allows`, so
 * whatever the piece allows past the boundary was allowed before.
 */
function coveredThroughBoundary(
  piece: StatementShape,
  boundaryAllows: readonly PreparedStatement[] | null,
  allows: readonly PreparedStatement[],
): boolean {
  if (boundaryAllows === null) return false;
  return boundaryAllows
    .filter((statement) => !statementsDisjoint(statement.shape, piece))
    .every((statement) => statement.pieces.every((p) => covered(p, allows, null)));
}

function knownStatements(documents: readonly PreparedDocument[]): PreparedStatement[] {
  return documents.flatMap((document) => document.statements ?? []);
}

const PRINCIPAL_TAG = /aws:principaltag\//i;
// In a trust policy the resource is the role itself: aws:ResourceTag tests the role's tags.
const RESOURCE_TAG = /aws:resourcetag\//i;

/** Whether the statement tests tags matching `pattern` (in a condition key, a value or a resource). */
function testsTags(statement: PreparedStatement, pattern: RegExp): boolean {
  return (
    statement.shape.conditions.some((c) => pattern.test(c.key) || c.values.some((v) => pattern.test(v))) ||
    statement.shape.resources.patterns.some((p) => pattern.test(p))
  );
}

const TAG_REASON = "Tests the role's own tags, which the change alters.";

function tagsDiffer(before: RoleSpec, after: RoleSpec): boolean {
  const text = (spec: RoleSpec) =>
    JSON.stringify([...spec.tags].map((t) => [t.key.toLowerCase(), t.value]).sort());
  return text(before) !== text(after);
}

function checkPermissions(before: RoleSpec, after: RoleSpec, options: NoNewAccessOptions): AccessVerdict {
  const old = roleDocuments(before, options.lookup);
  const next = roleDocuments(after, options.lookup);
  const oldDocs = old.identity.map(prepare);
  const newDocs = next.identity.map(prepare);
  const found: ResponsibleStatement[] = [];

  const opaque = (docs: PreparedDocument[]) => docs.filter((d) => d.statements === null);
  const oldOpaque = opaque(oldDocs);
  const newOpaque = opaque(newDocs);
  for (const doc of newOpaque) {
    const why = doc.unreadable
      ? 'Its document cannot be read, so what it allows cannot be compared.'
      : 'Its document is not known here, so what it allows cannot be compared.';
    if (!oldOpaque.some((o) => o.document.key === doc.document.key))
      found.push(responsible('after', doc.document, null, [why]));
  }
  for (const doc of oldOpaque) {
    if (!newOpaque.some((n) => n.document.key === doc.document.key))
      found.push(
        responsible('before', doc.document, null, [
          'The change detaches this policy, whose document is not known here: it may hold a Deny that limited the role.',
        ]),
      );
  }

  // The same boundary ARN with the same document (a boundary may be one of the role's own new
  // managed policies, whose document the change may edit).
  const sameBoundary =
    before.permissionsBoundaryArn === after.permissionsBoundaryArn &&
    old.boundary?.text === next.boundary?.text;
  const newBoundary = next.boundary ? prepare(next.boundary) : null;
  const oldBoundary = !sameBoundary && old.boundary ? prepare(old.boundary) : null;
  const newSide = split(knownStatements(newDocs));
  const oldSide = split(knownStatements(oldDocs));
  const newBoundarySide = newBoundary?.statements ? split(newBoundary.statements) : null;
  const oldBoundarySide = oldBoundary?.statements ? split(oldBoundary.statements) : null;
  const newDenies = [...newSide.denies, ...(newBoundarySide?.denies ?? [])];

  if (oldBoundary && oldBoundary.statements === null) {
    found.push(
      responsible('before', oldBoundary.document, null, [
        'The change removes or replaces this permissions boundary, whose document is not known here, so what it used to limit cannot be compared.',
      ]),
    );
  }
  if (oldBoundary) {
    for (const doc of newOpaque.filter((d) => oldOpaque.some((o) => o.document.key === d.document.key)))
      found.push(
        responsible('after', doc.document, null, [
          `Its document is not known here, and the permissions boundary ${oldBoundary.document.name} that limited it is removed or replaced.`,
        ]),
      );
  }

  const denyReason = (deny: PreparedStatement) =>
    `Is no longer limited by the Deny of ${where(deny, 'before')}, which the change removes or narrows.`;
  const oldDenies = [...oldSide.denies, ...(oldBoundarySide?.denies ?? [])];
  // An opaque policy kept on both sides may allow anything: every old Deny must still apply.
  if (newOpaque.length > 0) {
    for (const deny of oldDenies.filter((d) => !subsumed(d, newDenies))) {
      found.push(
        responsible('before', deny.document, deny, [
          `The change removes or narrows this Deny, and ${newOpaque[0]!.document.name}, whose document is not known here, may allow what it denied.`,
        ]),
      );
    }
  }

  // Old denies the new ones do not take over; each must stay out of reach of what the new role allows.
  const liveOldDenies = oldDenies.filter((deny) => !subsumed(deny, newDenies));
  const oldAllowKeys = new Set(oldSide.allows.map(shapeKey));
  const checkPiece = (piece: StatementShape): string | null => {
    if (
      !covered(piece, oldSide.allows, null) &&
      !coveredThroughBoundary(piece, newBoundarySide?.allows ?? null, oldSide.allows)
    )
      return describeGap(piece, oldSide.allows, null, false);
    for (const deny of liveOldDenies) if (!statementsDisjoint(piece, deny.shape)) return denyReason(deny);
    if (oldBoundarySide) {
      if (
        !covered(piece, oldBoundarySide.allows, null) &&
        !coveredThroughBoundary(piece, newBoundarySide?.allows ?? null, oldBoundarySide.allows)
      )
        return `Allows ${describeSet(piece.actions, 'action')} on ${describeSet(piece.resources, 'resource')}, outside the permissions boundary ${oldBoundary!.document.name} that limited the role before.`;
    }
    return null;
  };

  const witness = options.catalogue
    ? witnessFinder(
        oldDocs,
        newDocs,
        oldBoundary ?? (sameBoundary && old.boundary ? prepare(old.boundary) : null),
        newBoundary,
        before,
        options.catalogue,
      )
    : null;
  for (const statement of newSide.allows) {
    // A statement kept as it was needs no piece-by-piece proof unless an old Deny or boundary lapses.
    if (liveOldDenies.length === 0 && !oldBoundarySide && oldAllowKeys.has(shapeKey(statement))) continue;
    const reasons = [...new Set(statement.pieces.map(checkPiece).filter((r): r is string => r !== null))];
    if (reasons.length === 0) continue;
    const example = witness?.(statement);
    found.push(
      responsible(
        'after',
        statement.document,
        statement,
        example ? [...reasons.slice(0, MAX_REASONS - 1), example] : reasons,
      ),
    );
  }

  if (tagsDiffer(before, after)) {
    const tagged = [
      ...knownStatements(newDocs).map((s) => ['after', s] as const),
      ...(newBoundary?.statements ?? []).map((s) => ['after', s] as const),
      ...knownStatements(oldDocs).map((s) => ['before', s] as const),
    ].filter(([, s]) => testsTags(s, PRINCIPAL_TAG));
    for (const [side, statement] of tagged)
      found.push(responsible(side, statement.document, statement, [TAG_REASON]));
  }
  return { grantsNoNewAccess: found.length === 0, statements: found };
}

function checkTrust(before: RoleSpec, after: RoleSpec): AccessVerdict {
  const old = prepare(roleDocuments(before, () => undefined).trust);
  const next = prepare(roleDocuments(after, () => undefined).trust);
  if (next.statements === null)
    return {
      grantsNoNewAccess: false,
      statements: [responsible('after', next.document, null, ['The trust policy cannot be read.'])],
    };
  const oldSide = split(old.statements ?? []);
  const newSide = split(next.statements);
  const own = after.accountId;
  const found: ResponsibleStatement[] = [];
  for (const statement of newSide.allows) {
    const reasons = new Set<string>();
    for (const piece of statement.pieces) {
      if (!covered(piece, oldSide.allows, own)) {
        reasons.add(describeGap(piece, oldSide.allows, own, true));
        continue;
      }
      const deny = oldSide.denies.find(
        (d) => !statementsDisjoint(piece, d.shape) && !subsumed(d, newSide.denies),
      );
      if (deny)
        reasons.add(
          `Is no longer limited by the Deny of ${where(deny, 'before')}, which the change removes or narrows.`,
        );
    }
    if (reasons.size > 0) found.push(responsible('after', statement.document, statement, [...reasons]));
  }
  if (tagsDiffer(before, after)) {
    const tagged = [
      ...newSide.allows.map((s) => ['after', s] as const),
      ...newSide.denies.map((s) => ['after', s] as const),
      ...[...oldSide.allows, ...oldSide.denies].map((s) => ['before', s] as const),
    ].filter(([, s]) => testsTags(s, RESOURCE_TAG));
    for (const [side, statement] of tagged)
      found.push(responsible(side, statement.document, statement, [TAG_REASON]));
  }
  return { grantsNoNewAccess: found.length === 0, statements: found };
}

// ---------------------------------------------------------------------------------------------
// Examples, found with the evaluator

const MAX_TRIES = 400;

function concrete(pattern: string): string {
  return pattern.replace(/\*/g, 'example').replace(/\?/g, 'x');
}

function satisfyingContext(shape: StatementShape): Record<string, string> {
  const context: Record<string, string> = {};
  for (const condition of shape.conditions) {
    const value = condition.values[0];
    if (value === undefined || condition.ifExists) continue;
    if (condition.base === 'null') continue;
    if (condition.base.includes('not')) continue;
    if (condition.base === 'ipaddress') context[condition.key] = value.split('/')[0]!;
    else if (condition.base.startsWith('string') || condition.base.startsWith('arn'))
      context[condition.key] = concrete(value);
    else context[condition.key] = value;
  }
  return context;
}

/**
 * A finder of one request the evaluator allows after and refuses before, for a new Allow
 * statement, described in words; undefined when none is found among a few candidates.
 */
function witnessFinder(
  oldDocs: PreparedDocument[],
  newDocs: PreparedDocument[],
  oldBoundary: PreparedDocument | null,
  newBoundary: PreparedDocument | null,
  before: RoleSpec,
  catalogue: Catalogue,
): ((statement: PreparedStatement) => string | undefined) | null {
  const compiled = (docs: PreparedDocument[]) => docs.map((d) => d.compiled);
  const oldPolicies = compiled(oldDocs);
  const newPolicies = compiled(newDocs);
  if (oldPolicies.includes(null) || newPolicies.includes(null)) return null;
  if ((oldBoundary && !oldBoundary.compiled) || (newBoundary && !newBoundary.compiled)) return null;
  const oldSet: PolicySet = {
    identityPolicies: oldPolicies as ParsedPolicy[],
    ...(oldBoundary?.compiled ? { permissionsBoundary: oldBoundary.compiled } : {}),
  };
  const newSet: PolicySet = {
    identityPolicies: newPolicies as ParsedPolicy[],
    ...(newBoundary?.compiled ? { permissionsBoundary: newBoundary.compiled } : {}),
  };
  const principal = {
    arn: `arn:aws:sts::${before.accountId}:assumed-role/${before.name}/rolesmith-check`,
    accountId: before.accountId,
    kind: 'assumed-role' as const,
  };
  return (statement) => {
    const { shape } = statement;
    if (shape.actions.negated) return undefined;
    const actions = shape.actions.patterns.flatMap((p) =>
      /[*?]/.test(p)
        ? catalogue
            .expandAction(p)
            .slice(0, 60)
            .map((a) => a.fullName)
        : [p],
    );
    const resources = shape.resources.negated
      ? ['*']
      : shape.resources.patterns.filter((p) => !p.includes('${')).map((p) => (p === '*' ? '*' : concrete(p)));
    const contexts: Record<string, string>[] = [{}, satisfyingContext(shape)];
    let tries = 0;
    for (const action of actions)
      for (const resource of resources)
        for (const context of contexts) {
          if ((tries += 1) > MAX_TRIES) return undefined;
          const request = {
            principal,
            action,
            resource,
            resourceAccount: resource.split(':')[4] || before.accountId,
            context,
          };
          if (
            evaluate(request, newSet).decision === 'allowed' &&
            evaluate(request, oldSet).decision !== 'allowed'
          ) {
            const keys = Object.keys(context);
            const given =
              keys.length > 0 ? ` (with ${keys.map((k) => `${k} = ${context[k]}`).join(', ')})` : '';
            return `For example, ${action} on ${resource}${given} is allowed after the change and was not before.`;
          }
        }
    return undefined;
  };
}

/**
 * The verdict for a change from `before` (the role as recorded) to `after` (the request). Never
 * throws for specifications that passed `roleSpecSchema`.
 */
export function checkNoNewAccess(
  before: RoleSpec,
  after: RoleSpec,
  options: NoNewAccessOptions,
): NoNewAccessVerdict {
  const permissions = checkPermissions(before, after, options);
  const trust = checkTrust(before, after);
  return { grantsNoNewAccess: permissions.grantsNoNewAccess && trust.grantsNoNewAccess, permissions, trust };
}
