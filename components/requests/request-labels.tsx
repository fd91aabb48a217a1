import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { RequestKind, RequestState } from '@/lib/requests/model';
import type { RiskLevel } from '@/lib/requests/request-lists';

/** Words for a request's state, as the lists show them. */
export const stateLabels: Record<RequestState, string> = {
  draft: 'Draft',
  pending: 'Pending approval',
  approved: 'Approved',
  provisioning: 'Being created',
  provisioned: 'Created',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  failed: 'Failed',
  rolled_back: 'Rolled back',
};

export const stateTones: Record<RequestState, BadgeTone> = {
  draft: 'neutral',
  pending: 'warning',
  approved: 'info',
  provisioning: 'info',
  provisioned: 'success',
  rejected: 'danger',
  cancelled: 'neutral',
  failed: 'danger',
  rolled_back: 'neutral',
};

export function StateBadge({ state }: { state: RequestState }) {
  return <Badge tone={stateTones[state]}>{stateLabels[state]}</Badge>;
}

/** Words for a request's kind. */
export const kindLabels: Record<RequestKind, string> = {
  create: 'Create',
  change: 'Change',
  delete: 'Delete',
};

/** The kinds as a filter's options. */
export const kindOptions = (['create', 'change', 'delete'] as const).map((kind) => ({
  value: kind,
  label: kindLabels[kind],
}));

/** Target accounts as a filter's options: "alias (id)". */
export function accountOptions(accounts: readonly { id: string; alias: string }[]) {
  return accounts.map((account) => ({ value: account.id, label: `${account.alias} (${account.id})` }));
}

export const riskLabels: Record<RiskLevel, string> = {
  none: 'None',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

const riskTones: Record<RiskLevel, BadgeTone> = {
  none: 'neutral',
  low: 'info',
  medium: 'warning',
  high: 'danger',
  critical: 'danger',
};

/** The highest severity among a request's risk flags and security warnings. */
export function RiskBadge({ level }: { level: RiskLevel }) {
  return (
    <Badge tone={riskTones[level]} className={level === 'critical' ? 'font-semibold uppercase' : ''}>
      {riskLabels[level]}
    </Badge>
  );
}
