import type { Catalogue } from '@/lib/iam/catalogue';
import type { Finding, FindingSeverity } from '@/lib/iam/findings';
import { assessRoleRisk, type RiskSeverity, type RoleRiskFlag } from '@/lib/iam/risk';
import type { RoleSpec } from '@/lib/iam/role-spec';
import { trustPolicyText } from '@/lib/iam/trust-builder';
import { policySize, validatePolicy } from '@/lib/iam/validate';
import type { FieldErrors } from '@/lib/iam/guardrail-check';
import type { RoleRequest } from '@/lib/requests/model';
import { flagKey } from '@/lib/wizard/state';

/**
 * What the server learns about a RoleSpec at submission, beyond its schema, using `lib/iam`:
 * validator errors (they block submission, per field), the other findings and the risk flags
 * (stored on the request for the approver), and whether a privilege-escalation flag was raised
 * (which raises the number of approvals). Pure: the caller passes the IAM catalogue and the
 * managed policies' documents.
 */

/** A finding about one field of the RoleSpec, as stored on the request for the approver. */
export interface RequestFinding {
  severity: FindingSeverity;
  code: string;
  message: string;
  /** RoleSpec field, e.g. `inlinePolicies.1.document` or `trustedEntity`. */
  field: string;
  /** JSON pointer inside the policy document, when the finding is about one. */
  path?: string;
  line?: number;
  column?: number;
}

/** A risk flag of the role, as stored on the request. */
export interface RequestRiskFlag {
  code: string;
  severity: RiskSeverity;
  title: string;
  explanation: string;
  /** RoleSpec field the flag comes from. */
  field: string;
  pointers: string[];
}

export interface Assessment {
  /** Problems that block submission, per field. */
  fieldErrors: FieldErrors;
  findings: RequestFinding[];
  risks: RequestRiskFlag[];
  hasPrivilegeEscalation: boolean;
  /** Every finding of each document validated, errors included, by RoleSpec field (for editors' markers). */
  documents: { field: string; findings: Finding[] }[];
}

/** Risk codes that count as privilege escalation for the approvals guardrail. */
export function isPrivilegeEscalation(code: string): boolean {
  return code === 'full_admin' || code === 'allow_not_action' || code.startsWith('privesc_');
}

function fieldOfRisk(spec: RoleSpec, flag: RoleRiskFlag): string {
  switch (flag.policy.kind) {
    case 'trust':
      return spec.trustedEntity.type === 'custom' ? 'trustedEntity.document' : 'trustedEntity';
    case 'inline':
      return `inlinePolicies.${spec.inlinePolicies.findIndex((policy) => policy.name === flag.policy.name)}.document`;
    case 'new_managed':
      return `newManagedPolicies.${spec.newManagedPolicies.findIndex((policy) => policy.name === flag.policy.name)}.document`;
    case 'managed':
      return `managedPolicyArns.${spec.managedPolicyArns.indexOf(flag.policy.name)}`;
    case 'boundary':
      return 'permissionsBoundaryArn';
  }
}

function record(result: Assessment, field: string, findings: readonly Finding[]): void {
  result.documents.push({ field, findings: [...findings] });
  for (const finding of findings) {
    if (finding.severity === 'error') {
      (result.fieldErrors[field] ??= []).push(
        `${finding.message} (line ${finding.line}, column ${finding.column})`,
      );
    } else {
      result.findings.push({ ...finding, field });
    }
  }
}

/**
 * Assesses a RoleSpec. `organizationAccountIds` are the accounts whose trust is not third-party;
 * `catalogue` enables the validator's action, resource and condition-key checks;
 * `resolveManagedPolicy` gives the document of an attached managed policy when known (AWS managed
 * policies), so that its risks are flagged too.
 */
export function assessRoleSpec(
  spec: RoleSpec,
  organizationAccountIds: readonly string[],
  catalogue: Catalogue | null,
  resolveManagedPolicy?: (arn: string) => string | undefined,
): Assessment {
  const result: Assessment = {
    fieldErrors: {},
    findings: [],
    risks: [],
    hasPrivilegeEscalation: false,
    documents: [],
  };
  const trustField = spec.trustedEntity.type === 'custom' ? 'trustedEntity.document' : 'trustedEntity';
  const entity = spec.trustedEntity;
  const isForThirdParty =
    entity.type === 'aws_account' &&
    entity.accountId !== spec.accountId &&
    !organizationAccountIds.includes(entity.accountId);
  record(
    result,
    trustField,
    validatePolicy(trustPolicyText(entity), 'trust', {
      catalogue,
      accountId: spec.accountId,
      isForThirdParty,
    }),
  );

  const inlineSizes = spec.inlinePolicies.map((policy) => policySize(policy.document));
  const totalInline = inlineSizes.reduce((sum, size) => sum + size, 0);
  spec.inlinePolicies.forEach((policy, index) => {
    const findings = validatePolicy(policy.document, 'identity', {
      catalogue,
      accountId: spec.accountId,
      identityPolicyType: 'inline',
      otherInlinePoliciesSize: totalInline - (inlineSizes[index] ?? 0),
    });
    record(result, `inlinePolicies.${index}.document`, findings);
  });
  spec.newManagedPolicies.forEach((policy, index) => {
    const findings = validatePolicy(policy.document, 'identity', {
      catalogue,
      accountId: spec.accountId,
      identityPolicyType: 'managed',
    });
    record(result, `newManagedPolicies.${index}.document`, findings);
  });

  for (const flag of assessRoleRisk(spec, { organizationAccountIds, resolveManagedPolicy })) {
    result.risks.push({
      code: flag.code,
      severity: flag.severity,
      title: flag.title,
      explanation: flag.explanation,
      field: fieldOfRisk(spec, flag),
      pointers: flag.pointers,
    });
  }
  result.hasPrivilegeEscalation = result.risks.some((risk) => isPrivilegeEscalation(risk.code));
  return result;
}

/**
 * The codes an approver must acknowledge: every security warning of the validator and every
 * critical or high risk flag.
 */
export function acknowledgementCodes(
  findings: readonly RequestFinding[],
  risks: readonly RequestRiskFlag[],
): string[] {
  return [
    ...new Set([
      ...findings.filter((finding) => finding.severity === 'security_warning').map((finding) => finding.code),
      ...risks
        .filter((risk) => risk.severity === 'critical' || risk.severity === 'high')
        .map((risk) => risk.code),
    ]),
  ];
}

/**
 * Where the requester's justification of a finding or risk flag is kept: `flagKey(code, RoleSpec
 * field, JSON pointer)` for a finding, `flagKey(code, RoleSpec field)` for a risk flag (one flag
 * per code and policy, whatever statements it points at, so that editing a statement keeps it).
 */
export function justificationKeyOf(item: RequestFinding | RequestRiskFlag): string {
  return 'pointers' in item
    ? flagKey(item.code, item.field)
    : flagKey(item.code, item.field, item.path ?? '');
}

/**
 * The findings and risk flags that need a written justification at submission: exactly those an
 * approver must acknowledge ({@link acknowledgementCodes}: security warnings, critical and high
 * risk flags), each keyed by {@link justificationKeyOf}.
 */
export function justificationsNeeded(
  findings: readonly RequestFinding[],
  risks: readonly RequestRiskFlag[],
): { key: string; title: string }[] {
  const needed = new Map<string, string>();
  for (const finding of findings)
    if (finding.severity === 'security_warning') needed.set(justificationKeyOf(finding), finding.message);
  for (const risk of risks)
    if (risk.severity === 'critical' || risk.severity === 'high')
      needed.set(justificationKeyOf(risk), risk.title);
  return [...needed].map(([key, title]) => ({ key, title }));
}

/**
 * One item an approver acknowledges before approving (a security warning or a critical or high
 * risk flag), identified by its key: `flagKey(code, field, pointer)`.
 * (h-review's stand-in for h-ack's contract; h-ack's implementation replaces it at the merge.)
 */
export interface AcknowledgementItem {
  key: string;
  kind: 'finding' | 'risk';
  code: string;
  severity: FindingSeverity | RiskSeverity;
  title: string;
  explanation: string;
  field: string;
  pointer: string;
}

/** The items an approver must acknowledge, each once (see {@link AcknowledgementItem}). */
export function acknowledgementItems(
  request: Pick<RoleRequest, 'findings' | 'risks'>,
): AcknowledgementItem[] {
  const items = new Map<string, AcknowledgementItem>();
  for (const risk of request.risks)
    if (risk.severity === 'critical' || risk.severity === 'high')
      items.set(justificationKeyOf(risk), {
        key: justificationKeyOf(risk),
        kind: 'risk',
        code: risk.code,
        severity: risk.severity,
        title: risk.title,
        explanation: risk.explanation,
        field: risk.field,
        pointer: '',
      });
  for (const finding of request.findings)
    if (finding.severity === 'security_warning')
      items.set(justificationKeyOf(finding), {
        key: justificationKeyOf(finding),
        kind: 'finding',
        code: finding.code,
        severity: finding.severity,
        title: finding.code,
        explanation: finding.message,
        field: finding.field,
        pointer: finding.path ?? '',
      });
  return [...items.values()];
}
