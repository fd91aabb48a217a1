import type { Catalogue } from '@/lib/iam/catalogue';
import { FINDING_CODES } from '@/lib/iam/finding-codes';
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

/** Whether a managed policy ARN is AWS's own (`arn:aws:iam::aws:policy/…`), not an account's. */
export function isAwsManagedArn(arn: string): boolean {
  return arn.split(':')[4] === 'aws';
}

/**
 * Records a document's findings. Errors block submission (per field), except in a document that
 * already exists in the account (`existing`: an attached customer managed policy or the
 * boundary): IAM accepted it, the requester cannot fix it here, so its errors are kept only with
 * the document (for the editors' markers).
 */
function record(result: Assessment, field: string, findings: readonly Finding[], existing = false): void {
  result.documents.push({ field, findings: [...findings] });
  for (const finding of findings) {
    if (existing && finding.severity === 'error') continue;
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
 * `resolveManagedPolicy` gives the document of an attached managed policy or of the permissions
 * boundary when known (AWS managed policies from the bundled data, customer managed ones read from
 * the account): an attached policy's risks are flagged, a customer managed one's document is
 * validated (findings under `managedPolicyArns.<index>`), and the boundary's findings are kept
 * under `permissionsBoundaryArn`. Errors of those existing documents do not block submission.
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

  // Attached customer managed policies, when their documents are known (their default versions,
  // read from the account): validated like the role's own. AWS managed ones are AWS's to vouch for.
  spec.managedPolicyArns.forEach((arn, index) => {
    const document = isAwsManagedArn(arn) ? undefined : resolveManagedPolicy?.(arn);
    if (document === undefined) return;
    const findings = validatePolicy(document, 'identity', {
      catalogue,
      accountId: spec.accountId,
      identityPolicyType: 'managed',
    });
    record(result, `managedPolicyArns.${index}`, findings, true);
  });
  // The permissions boundary (AWS or customer managed), when its document is known: its findings
  // are kept for the approver (it grants nothing, so it raises no risk flag: see assessRoleRisk).
  const boundary = spec.permissionsBoundaryArn
    ? resolveManagedPolicy?.(spec.permissionsBoundaryArn)
    : undefined;
  if (boundary !== undefined) {
    const findings = validatePolicy(boundary, 'boundary', { catalogue, accountId: spec.accountId });
    record(result, 'permissionsBoundaryArn', findings, true);
  }

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
 * One thing an approver must acknowledge before approving: a security warning of the validator or
 * a critical or high risk flag, identified by its code and where it stands (not by code alone).
 *
 * `key` is `flagKey(code, field, pointer)` and is also the key of the requester's justification in
 * `RoleRequest.flagJustifications` ({@link justificationKeyOf}), so that the review page shows the
 * justification beside the item it answers. A finding is about one place (its JSON pointer); a
 * risk flag is one item per code and policy, keyed without pointer and listing every statement
 * responsible in `pointers`: `assessRoleRisk` raises one flag per code and policy whatever the
 * number of statements, the requester justifies it once (editing a statement keeps the
 * justification), and so the approver acknowledges what the requester explained, once. An edit of
 * the statements cannot slip through: the approval is bound to the specification's hash.
 */
export interface AcknowledgementItem {
  /** `flagKey(code, field, pointer)`: unique per item; what the approve form posts. */
  key: string;
  kind: 'finding' | 'risk';
  code: string;
  severity: FindingSeverity | RiskSeverity;
  /** The risk flag's title, or the finding's code in words. */
  title: string;
  /** The risk flag's explanation, or the finding's message. */
  explanation: string;
  /** RoleSpec field, e.g. `inlinePolicies.0.document`. */
  field: string;
  /** JSON pointer in that document (`''` when none, and for a risk flag: see `pointers`). */
  pointer: string;
  /** Every statement the item is about, as JSON pointers (a finding's one pointer, a flag's statements). */
  pointers: string[];
  /** Where it stands, in words ("inline policy s3-read, statement 2"); names policies when the spec is given. */
  where: string;
}

/**
 * Whether an approver must acknowledge a finding or risk flag (and the requester justify it):
 * critical and high risk flags, and security warnings, except the permissions boundary's. A
 * boundary grants nothing: its warnings (e.g. Allow with NotAction, the usual way to write "all but
 * IAM") are shown to the approver with the request's findings, but matter only through what the
 * role's own policies grant, which are flagged themselves.
 */
export function needsAcknowledgement(item: RequestFinding | RequestRiskFlag): boolean {
  return 'pointers' in item
    ? item.severity === 'critical' || item.severity === 'high'
    : item.severity === 'security_warning' && item.field !== 'permissionsBoundaryArn';
}

/** A finding code in words: the validator's title for it, else the code with spaces. */
export function findingTitle(code: string): string {
  const known = (FINDING_CODES as Record<string, { title: string } | undefined>)[code];
  if (known) return known.title;
  const words = code.replaceAll('_', ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function statementInWords(pointer: string): string {
  const statement = /^\/Statement\/(\d+)$/.exec(pointer);
  if (statement) return `statement ${Number(statement[1]) + 1}`;
  const within = /^\/Statement\/(\d+)\/(.+)$/.exec(pointer);
  if (within) return `statement ${Number(within[1]) + 1}, ${within[2]?.replaceAll('/', ' ')}`;
  return pointer ? `at ${pointer}` : '';
}

/**
 * Where a RoleSpec field stands, in words: "the trust policy", "inline policy s3-read" (names from
 * `spec` when given, else the position), "managed policy ReadOnlyAccess", "the permissions boundary".
 */
export function fieldInWords(
  field: string,
  spec?: Pick<
    RoleSpec,
    'inlinePolicies' | 'newManagedPolicies' | 'managedPolicyArns' | 'permissionsBoundaryArn'
  >,
): string {
  const [head, index] = field.split('.');
  const position = Number(index);
  const nth = `number ${position + 1}`;
  switch (head) {
    case 'trustedEntity':
      return 'the trust policy';
    case 'inlinePolicies':
      return `inline policy ${spec?.inlinePolicies[position]?.name ?? nth}`;
    case 'newManagedPolicies':
      return `new managed policy ${spec?.newManagedPolicies[position]?.name ?? nth}`;
    case 'managedPolicyArns': {
      const arn = spec?.managedPolicyArns[position];
      return `managed policy ${arn ? (arn.split('/').pop() ?? arn) : nth}`;
    }
    case 'permissionsBoundaryArn': {
      const arn = spec?.permissionsBoundaryArn;
      return arn ? `the permissions boundary ${arn.split('/').pop() ?? arn}` : 'the permissions boundary';
    }
    default:
      return field;
  }
}

/**
 * What an approver must acknowledge, one item per key: critical and high risk flags (most severe
 * first, as stored), then security warnings. Pass the request's `spec` too to name its policies in
 * `where`. The approval must acknowledge exactly these keys ({@link acknowledgementProblems}).
 */
export function acknowledgementItems(
  request: Pick<RoleRequest, 'findings' | 'risks'> & { spec?: RoleSpec },
): AcknowledgementItem[] {
  const items = new Map<string, AcknowledgementItem>();
  const place = (field: string, pointers: readonly string[]) =>
    [fieldInWords(field, request.spec), ...pointers.map(statementInWords)].filter(Boolean).join(', ');
  for (const risk of request.risks) {
    if (!needsAcknowledgement(risk)) continue;
    const key = justificationKeyOf(risk);
    if (items.has(key)) continue;
    items.set(key, {
      key,
      kind: 'risk',
      code: risk.code,
      severity: risk.severity,
      title: risk.title,
      explanation: risk.explanation,
      field: risk.field,
      pointer: '',
      pointers: [...risk.pointers],
      where: place(risk.field, risk.pointers),
    });
  }
  for (const finding of request.findings) {
    if (!needsAcknowledgement(finding)) continue;
    const key = justificationKeyOf(finding);
    if (items.has(key)) continue;
    const pointer = finding.path ?? '';
    items.set(key, {
      key,
      kind: 'finding',
      code: finding.code,
      severity: finding.severity,
      title: findingTitle(finding.code),
      explanation: finding.message,
      field: finding.field,
      pointer,
      pointers: pointer ? [pointer] : [],
      where: place(finding.field, pointer ? [pointer] : []),
    });
  }
  return [...items.values()];
}

/**
 * Why a set of acknowledged keys is not exactly the set required, in plain words (empty when it
 * is): the items not acknowledged, by title and place; and keys this version of the request does
 * not have (a page loaded before an edit must not approve another set).
 */
export function acknowledgementProblems(
  required: readonly AcknowledgementItem[],
  acknowledged: readonly string[],
): string[] {
  const given = new Set(acknowledged);
  const known = new Set(required.map((item) => item.key));
  const problems = required
    .filter((item) => !given.has(item.key))
    .map((item) => `Acknowledge ${item.title} (${item.where})`);
  const unknown = [...given].filter((key) => !known.has(key));
  if (unknown.length > 0)
    problems.push(
      `${unknown.length === 1 ? 'One acknowledgement does' : `${unknown.length} acknowledgements do`} not match this version of the request; reload it and review what it asks for now`,
    );
  return problems;
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
 * approver must acknowledge ({@link acknowledgementItems}: security warnings, critical and high
 * risk flags), each keyed by {@link justificationKeyOf}: the finding's message, the flag's title.
 */
export function justificationsNeeded(
  findings: readonly RequestFinding[],
  risks: readonly RequestRiskFlag[],
): { key: string; title: string }[] {
  return acknowledgementItems({ findings: [...findings], risks: [...risks] }).map((item) => ({
    key: item.key,
    title: item.kind === 'finding' ? item.explanation : item.title,
  }));
}
