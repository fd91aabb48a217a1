import type { BadgeTone } from '@/components/ui/badge';
import type { RequestKind, RequestState } from '@/lib/requests/model';

/** How the request pages write a request's state, and kind. */

export const stateTone: Record<RequestState, BadgeTone> = {
  draft: 'neutral',
  pending: 'info',
  approved: 'info',
  provisioning: 'info',
  provisioned: 'success',
  rejected: 'danger',
  cancelled: 'neutral',
  failed: 'danger',
  rolled_back: 'warning',
};

export const stateLabel: Record<RequestState, string> = {
  draft: 'Draft',
  pending: 'Pending approval',
  approved: 'Approved',
  provisioning: 'Provisioning',
  provisioned: 'Provisioned',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  failed: 'Failed',
  rolled_back: 'Rolled back',
};

export const kindLabel: Record<RequestKind, string> = {
  create: 'Create a role',
  change: 'Change a role',
  delete: 'Delete a role',
};

export const severityTone: Record<string, BadgeTone> = {
  critical: 'danger',
  high: 'danger',
  security_warning: 'danger',
  medium: 'warning',
  warning: 'warning',
  low: 'neutral',
  suggestion: 'neutral',
};

export const severityLabel: Record<string, string> = {
  critical: 'Critical',
  high: 'High',
  security_warning: 'Security warning',
  medium: 'Medium',
  warning: 'Warning',
  low: 'Low',
  suggestion: 'Suggestion',
};
