import { ACCESS_LEVELS, type AccessLevel, type ActionInfo, type Catalogue } from '@/lib/iam/catalogue';
import type { NormalizedPolicy, NormalizedStatement } from '@/lib/iam/policy';
import { hasWildcard } from '@/lib/iam/policy-glob';

/**
 * The console's policy summary: per service, which access levels a policy grants (List, Read,
 * Write, Permissions management, Tagging), fully or in part, on which resources and whether only
 * under conditions. Allowed actions come from `Action` patterns expanded against the catalogue,
 * or from `NotAction` (every catalogued action it does not cover). Explicit denies are subtracted
 * where that can be decided without a request: a Deny with no condition on all resources.
 */

export interface LevelAccess {
  level: AccessLevel;
  /** `full` when every action of this level in the service is granted. */
  scope: 'full' | 'limited';
  granted: number;
  total: number;
}

export interface ServiceAccess {
  prefix: string;
  name: string;
  /** Levels with at least one granted action, in the console's order. */
  levels: LevelAccess[];
  /** Every action of the service is granted. */
  isFullAccess: boolean;
  /** `all` when some granting statement covers all resources (`*`, or `NotResource`). */
  resources: 'all' | 'specific';
  /** Every granting statement has a condition. */
  isConditional: boolean;
  /** Statements that grant actions of this service (indexes into the policy's `Statement`). */
  statements: number[];
  /** Granted action names, sorted (`s3:GetObject`, …). */
  actions: string[];
}

export interface AccessSummary {
  services: ServiceAccess[];
  /** Allowed action names the catalogue does not know (a typo or an undocumented action). */
  unrecognizedActions: { action: string; statements: number[] }[];
}

interface Grant {
  statements: Set<number>;
  broad: boolean;
  unconditional: boolean;
}

function coversAllResources(statement: NormalizedStatement): boolean {
  return statement.notResource !== undefined || (statement.resource ?? []).includes('*');
}

function allActions(catalogue: Catalogue): ActionInfo[] {
  return catalogue.listServices().flatMap((service) => [...catalogue.listActions(service.prefix)]);
}

function expand(catalogue: Catalogue, patterns: readonly string[]): Set<ActionInfo> {
  const result = new Set<ActionInfo>();
  for (const pattern of patterns) for (const action of catalogue.expandAction(pattern)) result.add(action);
  return result;
}

/** The catalogued actions a statement's Action or NotAction names. */
function statementActions(
  statement: NormalizedStatement,
  catalogue: Catalogue,
  everything: () => ActionInfo[],
): Set<ActionInfo> {
  if (statement.action) return expand(catalogue, statement.action);
  const excluded = expand(catalogue, statement.notAction ?? []);
  return new Set(everything().filter((action) => !excluded.has(action)));
}

/**
 * The access summary of one or more identity policies (their statements are combined, as the
 * role's effective permissions before boundaries). Services are sorted by prefix.
 */
export function summarizeAccess(
  policies: NormalizedPolicy | readonly NormalizedPolicy[],
  catalogue: Catalogue,
): AccessSummary {
  const statements = (Array.isArray(policies) ? policies : [policies]).flatMap(
    (policy: NormalizedPolicy) => policy.statements,
  );
  let everythingCache: ActionInfo[] | undefined;
  const everything = () => (everythingCache ??= allActions(catalogue));

  const denied = new Set<ActionInfo>();
  for (const statement of statements) {
    if (
      statement.effect === 'Deny' &&
      statement.conditions.length === 0 &&
      (statement.resource ?? []).includes('*')
    ) {
      for (const action of statementActions(statement, catalogue, everything)) denied.add(action);
    }
  }

  const grants = new Map<ActionInfo, Grant>();
  const unrecognized = new Map<string, Set<number>>();
  for (const statement of statements) {
    if (statement.effect !== 'Allow') continue;
    for (const action of statementActions(statement, catalogue, everything)) {
      if (denied.has(action)) continue;
      const grant = grants.get(action) ?? {
        statements: new Set<number>(),
        broad: false,
        unconditional: false,
      };
      grant.statements.add(statement.index);
      grant.broad ||= coversAllResources(statement);
      grant.unconditional ||= statement.conditions.length === 0;
      grants.set(action, grant);
    }
    for (const pattern of statement.action ?? []) {
      if (!hasWildcard(pattern) && catalogue.getAction(pattern) === null) {
        unrecognized.set(pattern, (unrecognized.get(pattern) ?? new Set<number>()).add(statement.index));
      }
    }
  }

  const byService = new Map<string, ActionInfo[]>();
  for (const action of grants.keys())
    byService.set(action.service, [...(byService.get(action.service) ?? []), action]);

  const services: ServiceAccess[] = [...byService.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([prefix, granted]) => {
      const info = catalogue.getService(prefix);
      const all = catalogue.listActions(prefix);
      const levels = ACCESS_LEVELS.map((level): LevelAccess => {
        const total = all.filter((action) => action.accessLevel === level).length;
        const count = granted.filter((action) => action.accessLevel === level).length;
        return { level, scope: count === total ? 'full' : 'limited', granted: count, total };
      }).filter((entry) => entry.granted > 0);
      const grantList = granted.map((action) => grants.get(action)!);
      return {
        prefix,
        name: info?.name ?? prefix,
        levels,
        isFullAccess: granted.length === all.length,
        resources: grantList.some((grant) => grant.broad) ? 'all' : 'specific',
        isConditional: grantList.every((grant) => !grant.unconditional),
        statements: [...new Set(grantList.flatMap((grant) => [...grant.statements]))].sort((a, b) => a - b),
        actions: granted.map((action) => action.fullName).sort(),
      };
    });

  return {
    services,
    unrecognizedActions: [...unrecognized.entries()].map(([action, indexes]) => ({
      action,
      statements: [...indexes].sort((a, b) => a - b),
    })),
  };
}

/** The console's wording of a service's access: "Full access", or "Full: List, Read; Limited: Write". */
export function formatServiceAccess(service: Pick<ServiceAccess, 'levels' | 'isFullAccess'>): string {
  if (service.isFullAccess) return 'Full access';
  const full = service.levels.filter((entry) => entry.scope === 'full').map((entry) => entry.level);
  const limited = service.levels.filter((entry) => entry.scope === 'limited').map((entry) => entry.level);
  return [
    full.length > 0 ? `Full: ${full.join(', ')}` : '',
    limited.length > 0 ? `Limited: ${limited.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
