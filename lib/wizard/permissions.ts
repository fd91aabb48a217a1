/**
 * Step 2 of the wizard (*Add permissions*) as plain functions over the wizard state: selecting
 * managed policies within the quota, adding and changing custom policies, and the URLs of the
 * account reads the step asks as the person types.
 *
 * Client-safe: no zod, no server imports. `policySize` is lib/iam's dependency-free size count,
 * the one IAM's quotas use (so the browser counts exactly as the server does).
 */
import { policySize } from '@/lib/iam/policy-size';
import type { CustomPolicyState, WizardState } from '@/lib/wizard/state';

/** A new custom policy's document: no statement yet (the visual builder's "Add permissions" starts there). */
export const NEW_POLICY_DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [] }, null, 4);

/** IAM's quota of managed policies per role when the account reports none. */
export const DEFAULT_MANAGED_POLICY_QUOTA = 10;

export type ManagedPolicyType = 'aws' | 'customer';

/** `aws` for an AWS managed policy (`arn:<partition>:iam::aws:policy/…`), `customer` otherwise. */
export function policyTypeOfArn(arn: string): ManagedPolicyType {
  return /^arn:[^:]+:iam::aws:/.test(arn) ? 'aws' : 'customer';
}

/** A managed policy's name: the ARN's last path segment. */
export function policyNameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export const POLICY_TYPE_LABELS: Record<ManagedPolicyType, string> = {
  aws: 'AWS managed',
  customer: 'Customer managed',
};

export interface ToggleOutcome {
  state: WizardState;
  /** The selection was refused: the quota is reached (the state is unchanged). */
  refused: boolean;
}

/**
 * How many managed policies the role will have: those attached, and the new customer managed
 * policies it creates (IAM's quota of managed policies per role counts both).
 */
export function managedPolicyCount(state: Pick<WizardState, 'managedPolicyArns' | 'customPolicies'>): number {
  return (
    state.managedPolicyArns.length + state.customPolicies.filter((policy) => policy.kind === 'managed').length
  );
}

/**
 * Selects `arn` when it is not selected (and the role has room under `quota`), or removes it.
 * A selection beyond the quota is refused (`refused: true`, the state unchanged), so that the
 * step can say why instead of ignoring the click.
 */
export function toggleManagedPolicy(state: WizardState, arn: string, quota: number): ToggleOutcome {
  if (state.managedPolicyArns.includes(arn)) {
    return {
      state: { ...state, managedPolicyArns: state.managedPolicyArns.filter((selected) => selected !== arn) },
      refused: false,
    };
  }
  if (managedPolicyCount(state) >= quota) return { state, refused: true };
  return { state: { ...state, managedPolicyArns: [...state.managedPolicyArns, arn] }, refused: false };
}

/** Why one more managed policy (attached, or `name` created) was refused (shown where it was asked). */
export function quotaRefusal(name: string, quota: number): string {
  return `You cannot add ${name}: a role can have at most ${quota} managed policies, counting the new ones it creates. Remove one first.`;
}

/** An id for a new custom policy: random, and safe in an insecure context (no `randomUUID`). */
export function newPolicyId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return `p${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** A new, empty custom policy of `kind`, edited in the visual builder first. */
export function newCustomPolicy(kind: CustomPolicyState['kind'], id = newPolicyId()): CustomPolicyState {
  return { id, kind, name: '', description: '', document: NEW_POLICY_DOCUMENT, editor: 'visual' };
}

/** The state with custom policy `id` replaced by `next`. */
export function replaceCustomPolicy(state: WizardState, next: CustomPolicyState): WizardState {
  return {
    ...state,
    customPolicies: state.customPolicies.map((policy) => (policy.id === next.id ? next : policy)),
  };
}

/**
 * The state without custom policy `id`, and without the justifications written for its
 * findings and flags (keyed `code@policy:<id>` or `code@policy:<id>#<pointer>`, as the preview
 * keys them by document), which would otherwise outlive it.
 */
export function removeCustomPolicy(state: WizardState, id: string): WizardState {
  const where = `@policy:${id}`;
  const isOfPolicy = (key: string) => key.endsWith(where) || key.includes(`${where}#`);
  return {
    ...state,
    customPolicies: state.customPolicies.filter((policy) => policy.id !== id),
    flagJustifications: Object.fromEntries(
      Object.entries(state.flagJustifications).filter(([key]) => !isOfPolicy(key)),
    ),
  };
}

/** The size (as IAM counts it: no whitespace) of the role's inline policies other than `id`. */
export function otherInlinePoliciesSize(policies: readonly CustomPolicyState[], id: string): number {
  return policies
    .filter((policy) => policy.kind === 'inline' && policy.id !== id)
    .reduce((sum, policy) => sum + policySize(policy.document), 0);
}

/** How a custom policy is called before it has a name: "Inline policy 2", "New managed policy 1". */
export function customPolicyTitle(policies: readonly CustomPolicyState[], policy: CustomPolicyState): string {
  const kindName = policy.kind === 'inline' ? 'Inline policy' : 'New managed policy';
  if (policy.name.trim()) return `${kindName} ${policy.name.trim()}`;
  const sameKind = policies.filter((other) => other.kind === policy.kind);
  return `${kindName} ${sameKind.indexOf(policy) + 1} (unnamed)`;
}

/** Step 2's tabs, in order. */
export const PERMISSIONS_TABS = ['managed', 'custom', 'boundary'] as const;
export type PermissionsTab = (typeof PERMISSIONS_TABS)[number];

/** How many fields of each tab of step 2 have an error (field keys as in `WizardFieldErrors`). */
/** The step-2 tab that holds a wizard field, or null for a field of another step. */
export function tabOfField(field: string): PermissionsTab | null {
  const head = field.split('.')[0];
  if (head === 'managedPolicyArns') return 'managed';
  if (head === 'customPolicies') return 'custom';
  if (head === 'permissionsBoundaryArn') return 'boundary';
  return null;
}

export function errorCountsPerTab(errors: Record<string, readonly string[]>): Record<PermissionsTab, number> {
  const counts: Record<PermissionsTab, number> = { managed: 0, custom: 0, boundary: 0 };
  for (const [field, messages] of Object.entries(errors)) {
    const tab = tabOfField(field);
    if (messages.length > 0 && tab) counts[tab] += 1;
  }
  return counts;
}

export interface PolicySearchQuery {
  q: string;
  type: ManagedPolicyType | 'all';
  cursor?: string | null;
}

/** `GET /api/accounts/<id>/policies?q=&type=&cursor=` for a search. */
export function policiesSearchUrl(accountId: string, { q, type, cursor }: PolicySearchQuery): string {
  const params = new URLSearchParams();
  if (q.trim()) params.set('q', q.trim());
  if (type !== 'all') params.set('type', type);
  if (cursor) params.set('cursor', cursor);
  const query = params.toString();
  return `/api/accounts/${encodeURIComponent(accountId)}/policies${query ? `?${query}` : ''}`;
}

/** `GET /api/accounts/<id>/policies/<arn>`: one policy's document and access summary (the ARN as one segment). */
export function policyDetailsUrl(accountId: string, arn: string): string {
  return `/api/accounts/${encodeURIComponent(accountId)}/policies/${encodeURIComponent(arn)}`;
}
