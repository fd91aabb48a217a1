import type { FindingSeverity } from '@/lib/iam/findings';
import { normalizePolicy, parsePolicyDocument } from '@/lib/iam/policy';
import type { RoleSpec } from '@/lib/iam/role-spec';
import { actionsOverlap, type FieldErrors } from '@/lib/requests/guardrails';

/**
 * What the server learns about a RoleSpec at submission, beyond its schema: policy documents that
 * IAM would refuse (errors, per field), risk flags, and security warnings an approver must
 * acknowledge. Pure.
 */

/** A finding about one field of the RoleSpec, as stored on the request for the approver. */
export interface RequestFinding {
  severity: FindingSeverity;
  code: string;
  message: string;
  /** RoleSpec field, e.g. `inlinePolicies.1.document` or `trustedEntity`. */
  field: string;
  /** JSON pointer inside a policy document, when the finding is about one. */
  path?: string;
}

export type RiskFlag = 'privilege_escalation' | 'admin_wildcard' | 'third_party_trust';

export interface Assessment {
  /** Problems that block submission, per field. */
  fieldErrors: FieldErrors;
  findings: RequestFinding[];
  riskFlags: RiskFlag[];
}

// Actions that let a role give itself or others more power (DESIGN.md, "Validation, findings and risk").
const ESCALATION_ACTIONS = [
  'iam:PassRole',
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:AttachRolePolicy',
  'iam:AttachUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:PutRolePolicy',
  'iam:PutUserPolicy',
  'iam:PutGroupPolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  'iam:AddUserToGroup',
  'iam:DeleteRolePermissionsBoundary',
];

const ESCALATING_MANAGED_POLICIES = new Set([
  'arn:aws:iam::aws:policy/AdministratorAccess',
  'arn:aws:iam::aws:policy/IAMFullAccess',
]);

function assessPermissionPolicy(field: string, document: string, result: Assessment, flags: Set<RiskFlag>): void {
  const parsed = parsePolicyDocument(document);
  if (!parsed.ok) {
    (result.fieldErrors[field] ??= []).push(parsed.message);
    return;
  }
  for (const statement of normalizePolicy(parsed.value).statements) {
    if (statement.effect !== 'Allow') continue;
    const actions = statement.action ?? ['*'];
    const path = `/Statement/${statement.index}`;
    if (actions.includes('*') || statement.notAction !== undefined) {
      flags.add('admin_wildcard');
      result.findings.push({
        severity: 'security_warning',
        code: 'admin_wildcard',
        message: 'This statement allows every action (Action "*" or NotAction); grant only the actions the role needs',
        field,
        path,
      });
    }
    const escalating = ESCALATION_ACTIONS.filter((candidate) => actions.some((action) => actionsOverlap(action, candidate)));
    if (escalating.length > 0) {
      flags.add('privilege_escalation');
      result.findings.push({
        severity: 'security_warning',
        code: 'privilege_escalation',
        message: `This statement allows ${escalating.slice(0, 4).join(', ')}${escalating.length > 4 ? '…' : ''}, which can be used to gain more permissions`,
        field,
        path,
      });
    }
  }
}

/**
 * Assesses a RoleSpec. `organizationAccountIds` are the accounts whose trust is not third-party.
 */
export function assessRoleSpec(spec: RoleSpec, organizationAccountIds: readonly string[]): Assessment {
  const result: Assessment = { fieldErrors: {}, findings: [], riskFlags: [] };
  const flags = new Set<RiskFlag>();
  spec.inlinePolicies.forEach((policy, index) =>
    assessPermissionPolicy(`inlinePolicies.${index}.document`, policy.document, result, flags),
  );
  spec.newManagedPolicies.forEach((policy, index) =>
    assessPermissionPolicy(`newManagedPolicies.${index}.document`, policy.document, result, flags),
  );
  spec.managedPolicyArns.forEach((arn, index) => {
    if (ESCALATING_MANAGED_POLICIES.has(arn)) {
      flags.add('privilege_escalation');
      result.findings.push({
        severity: 'security_warning',
        code: 'privilege_escalation',
        message: `${arn} lets the role change IAM permissions, including its own`,
        field: `managedPolicyArns.${index}`,
      });
    }
  });
  const entity = spec.trustedEntity;
  if (entity.type === 'aws_account' && entity.accountId !== spec.accountId && !organizationAccountIds.includes(entity.accountId)) {
    flags.add('third_party_trust');
    if (!entity.externalId) {
      result.findings.push({
        severity: 'security_warning',
        code: 'third_party_without_external_id',
        message: `Account ${entity.accountId} is outside the organisation; require an external ID so that it cannot be used as a confused deputy`,
        field: 'trustedEntity.externalId',
      });
    }
  }
  if (entity.type === 'custom') {
    const parsed = parsePolicyDocument(entity.document);
    if (!parsed.ok) (result.fieldErrors['trustedEntity.document'] ??= []).push(parsed.message);
  }
  result.riskFlags = [...flags];
  return result;
}

/** The codes of the security warnings an approver must acknowledge. */
export function securityWarningCodes(findings: readonly RequestFinding[]): string[] {
  return [...new Set(findings.filter((finding) => finding.severity === 'security_warning').map((finding) => finding.code))];
}
