import type { BadgeTone } from '@/components/ui/badge';
import type { RoleSpec } from '@/lib/iam/role-spec';
import type { RequestKind, RequestState } from '@/lib/requests/model';

/** How the request pages write a request's state, kind and where a finding stands. */

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

/** A RoleSpec field in the words of the page's sections: "inline policy read-logs". */
export function fieldInWords(spec: RoleSpec, field: string): string {
  const [head, index] = field.split('.');
  const at = Number(index);
  if (head === 'trustedEntity') return 'the trust policy';
  if (head === 'inlinePolicies') return `inline policy ${spec.inlinePolicies[at]?.name ?? ''}`.trim();
  if (head === 'newManagedPolicies')
    return `new managed policy ${spec.newManagedPolicies[at]?.name ?? ''}`.trim();
  if (head === 'managedPolicyArns')
    return `managed policy ${spec.managedPolicyArns[at]?.split('/').pop() ?? ''}`.trim();
  if (head === 'permissionsBoundaryArn') return 'the permissions boundary';
  return field;
}

/** A JSON pointer into a policy in words: "/Statement/1/Action" → "statement 2, Action". */
export function pointerInWords(pointer: string): string {
  const parts = pointer.split('/').slice(1);
  if (parts[0] !== 'Statement' || parts[1] === undefined) return pointer;
  const rest = parts.slice(2).join(' › ');
  return `statement ${Number(parts[1]) + 1}${rest ? `, ${rest}` : ''}`;
}
