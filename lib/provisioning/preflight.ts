import 'server-only';

import type { AwsResult } from '@/lib/aws/errors';
import type { IamAccountClient } from '@/lib/aws/iam-client';
import type { LivePolicy } from '@/lib/aws/types';
import { normalizePolicy, parsePolicyDocument } from '@/lib/iam/policy';
import { assessPermissionsRisk, type RiskSeverity } from '@/lib/iam/risk';
import type { RoleSpec } from '@/lib/iam/role-spec';
import { roleToProvision } from '@/lib/provisioning/from-spec';
import { trustAllowsEc2 } from '@/lib/provisioning/instance-profile';
import { customerPolicyArn } from '@/lib/provisioning/plan';
import { checkGuardrails, type Guardrails } from '@/lib/iam/guardrail-check';
import { fail, ok, type Result } from '@/lib/result';

/** What the preflight needs to know about a request (a `RoleRequest` has these members). */
export interface PreflightSubject {
  kind: 'create' | 'change' | 'delete';
  spec: RoleSpec;
  baseSpec: RoleSpec | null;
  /**
   * The default version of each customer managed policy (attached, or the boundary) read when the
   * request was submitted; a default version that changed since refuses the request.
   */
  managedPolicyVersions?: readonly { arn: string; versionId: string }[];
}

/** A risk flag of an attached customer managed policy, read from the target account. */
export interface CustomerPolicyRisk {
  /** The customer managed policy's ARN. */
  policyArn: string;
  /** Its default version, the one that was read. */
  versionId: string;
  code: string;
  severity: RiskSeverity;
  title: string;
  explanation: string;
  /** The statements responsible, as JSON pointers into the version's document. */
  pointers: string[];
}

/** What the preflight read, for the approver's view. */
export interface PreflightReport {
  attachedPoliciesPerRoleQuota: number | null;
  /** Managed policies the role will have attached (existing ARNs plus new customer policies). */
  managedPolicyCount: number;
  /**
   * Risk flags of the attached customer managed policies (existing ARNs in the target account),
   * whose documents are unknown at submission and read here from their default versions.
   */
  customerPolicyRisks: CustomerPolicyRisk[];
}

/** Whether a managed policy ARN is a customer managed policy (an account's, not `aws`). */
export function isCustomerManaged(arn: string): boolean {
  return /^arn:[\w-]+:iam::\d{12}:policy\//.test(arn);
}

/**
 * Reads the target account at approval time and checks that the request can be carried out:
 * the role name is still free (create) or the role exists (change, delete), every managed policy
 * and the permissions boundary exist, the new customer managed policy names are free, and the
 * role stays within the account's `AttachedPoliciesPerRoleQuota` (GetAccountSummary). Each
 * attached customer managed policy's default version is read (GetPolicy, GetPolicyVersion): one
 * that allows an action the `guardrails` forbid is refused, naming the policy and the actions, and
 * its risk flags are reported. A role that becomes one EC2 may assume needs its name free for an
 * instance profile too (GetInstanceProfile). The default version of each customer managed policy
 * (attached, or the boundary) must still be the one read at submission (`managedPolicyVersions`):
 * their documents are not in the spec's hash, so a new default version is a role the approver
 * did not see. Read-only; the reads run in parallel.
 *
 * Returns `conflict` (a role or policy name taken, role gone, quota, a default version changed) or `invalid_input` (a policy
 * that does not exist, a customer managed policy allowing a forbidden action) with every reason found, each under the spec field it concerns in `fieldErrors`; or the
 * AWS failure when the account could not be read (e.g. throttling), so that nothing is approved
 * unchecked.
 */
export async function preflightCheck(
  iam: IamAccountClient,
  subject: PreflightSubject,
  guardrails: Guardrails | null = null,
): Promise<Result<PreflightReport>> {
  const spec = subject.spec;
  const role = roleToProvision(spec);
  const basePolicies = new Set(
    (subject.baseSpec?.newManagedPolicies ?? []).map((policy) => policy.name.toLowerCase()),
  );
  const newPolicies =
    subject.kind === 'delete'
      ? []
      : role.newPolicies.filter((policy) => !basePolicies.has(policy.name.toLowerCase()));
  const baseArns = new Set(subject.baseSpec?.managedPolicyArns ?? []);
  const existingArns =
    subject.kind === 'delete'
      ? []
      : role.managedPolicyArns.filter((arn) => subject.kind === 'create' || !baseArns.has(arn));
  const boundary = subject.kind === 'delete' ? null : role.permissionsBoundaryArn;
  // Attached customer managed policies are read for the guardrails, even those already attached.
  const customerArns =
    subject.kind === 'delete' ? [] : [...new Set(role.managedPolicyArns.filter(isCustomerManaged))];
  const policiesToRead = [...new Set([...existingArns, ...customerArns])];
  // Provisioning makes an instance profile of the role's name when the trust gains EC2.
  const needsProfile =
    subject.kind !== 'delete' &&
    trustAllowsEc2(role.trustPolicy) &&
    !(subject.baseSpec && trustAllowsEc2(roleToProvision(subject.baseSpec).trustPolicy));

  const [liveRole, summary, policies, boundaryPolicy, takenNames, liveProfile] = await Promise.all([
    iam.getRole(role.name),
    subject.kind === 'delete' ? Promise.resolve(null) : iam.getAccountSummary(),
    Promise.all(policiesToRead.map(async (arn) => ({ arn, result: await iam.getPolicy(arn) }))),
    boundary ? iam.getPolicy(boundary) : Promise.resolve(null),
    Promise.all(
      newPolicies.map(async (policy) => ({
        policy,
        result: await iam.getPolicy(customerPolicyArn(role.accountId, policy.path, policy.name)),
      })),
    ),
    needsProfile ? iam.getInstanceProfile(role.name) : Promise.resolve(null),
  ]);

  const unreadable = [
    liveRole,
    summary,
    boundaryPolicy,
    liveProfile,
    ...policies.map((p) => p.result),
    ...takenNames.map((p) => p.result),
  ].find(
    (result): result is Exclude<AwsResult<unknown>, { ok: true }> =>
      result !== null && !result.ok && result.aws.code !== 'NoSuchEntity',
  );
  if (unreadable) {
    return fail(unreadable.code, `Could not check account ${role.accountId}: ${unreadable.message}`);
  }

  const problems: Record<string, string[]> = {};
  // A name someone else took, or a quota, is a conflict; a policy that does not exist or that
  // allows a forbidden action is bad input.
  let hasConflict = false;
  const add = (field: string, message: string) => (problems[field] ??= []).push(message);
  const roleExists = liveRole.ok;
  if (subject.kind === 'create' && roleExists) {
    add(
      'name',
      `A role called ${role.name} already exists in account ${role.accountId}; choose another name`,
    );
  }
  if (liveProfile?.ok) {
    add(
      'name',
      `An instance profile called ${role.name} already exists in account ${role.accountId}, and a role ` +
        'EC2 may assume gets an instance profile of its own name; choose another name',
    );
  }
  if (subject.kind !== 'create' && !roleExists) {
    add('name', `Role ${role.name} no longer exists in account ${role.accountId}`);
  }
  for (const { arn, result } of policies) {
    if (!result.ok && existingArns.includes(arn))
      add('managedPolicyArns', `Managed policy ${arn} does not exist in account ${role.accountId}`);
  }
  const customer = await readCustomerPolicies(
    iam,
    policies.filter(({ arn }) => customerArns.includes(arn)),
  );
  if (!customer.ok)
    return fail(customer.code, `Could not check account ${role.accountId}: ${customer.message}`);
  for (const message of forbiddenInCustomerPolicies(spec, customer.value, guardrails))
    add('managedPolicyArns', message);
  const customerPolicyRisks = customer.value.flatMap(customerPolicyRisksOf);
  // Default versions as they are now, of the customer managed policies read above.
  const defaultVersions = new Map<string, string | null>();
  for (const { arn, result } of policies)
    if (result.ok) defaultVersions.set(arn, result.value.defaultVersionId);
  if (boundary && boundaryPolicy?.ok) defaultVersions.set(boundary, boundaryPolicy.value.defaultVersionId);
  for (const kept of subject.managedPolicyVersions ?? []) {
    // Not read (a delete, or no longer in the spec), or gone (reported above): nothing to compare.
    if (!defaultVersions.has(kept.arn)) continue;
    const now = defaultVersions.get(kept.arn) ?? 'none';
    if (now === kept.versionId) continue;
    hasConflict = true;
    add(
      kept.arn === boundary && !role.managedPolicyArns.includes(kept.arn)
        ? 'permissionsBoundaryArn'
        : 'managedPolicyArns',
      `The default version of policy ${kept.arn.split('/').pop() ?? kept.arn} changed from ${kept.versionId} to ${now} since the request was submitted; the requester must resubmit so the approver sees it`,
    );
  }
  if (boundary && boundaryPolicy && !boundaryPolicy.ok) {
    add(
      'permissionsBoundaryArn',
      `Permissions boundary ${boundary} does not exist in account ${role.accountId}`,
    );
  }
  for (const { policy, result } of takenNames) {
    if (result.ok) hasConflict = true;
    if (result.ok)
      add(
        'newManagedPolicies',
        `A policy called ${policy.name} already exists in account ${role.accountId}; choose another name`,
      );
  }
  const managedPolicyCount = new Set([
    ...role.managedPolicyArns,
    ...role.newPolicies.map((p) => customerPolicyArn(role.accountId, p.path, p.name)),
  ]).size;
  const quota = summary && summary.ok ? summary.value.attachedPoliciesPerRoleQuota : null;
  if (subject.kind !== 'delete' && quota !== null && managedPolicyCount > quota) {
    hasConflict = true;
    add(
      'managedPolicyArns',
      `Account ${role.accountId} allows ${quota} managed policies per role; this role would have ${managedPolicyCount}`,
    );
  }
  const fields = Object.keys(problems);
  if (fields.length === 0)
    return ok({ attachedPoliciesPerRoleQuota: quota, managedPolicyCount, customerPolicyRisks });
  const messages = fields.flatMap((field) => problems[field] ?? []);
  const isConflict = hasConflict || Boolean(problems.name);
  return fail(
    isConflict ? 'conflict' : 'invalid_input',
    `Cannot be provisioned as approved: ${messages.join('. ')}.`,
    problems,
  );
}

interface CustomerPolicyDocument {
  arn: string;
  versionId: string;
  document: string;
}

/** The default version of each customer managed policy that exists (GetPolicyVersion, in parallel). */
async function readCustomerPolicies(
  iam: IamAccountClient,
  policies: { arn: string; result: AwsResult<LivePolicy> }[],
): Promise<Result<CustomerPolicyDocument[]>> {
  const read = await Promise.all(
    policies.flatMap(({ arn, result }) => {
      const versionId = result.ok ? result.value.defaultVersionId : null;
      return versionId
        ? [iam.getPolicyVersion(arn, versionId).then((version) => ({ arn, versionId, version }))]
        : [];
    }),
  );
  const documents: CustomerPolicyDocument[] = [];
  for (const { arn, versionId, version } of read) {
    // A version deleted since GetPolicy: the policy changed under us; nothing to check in it.
    if (!version.ok && version.aws.code === 'NoSuchEntity') continue;
    if (!version.ok) return version;
    documents.push({ arn, versionId, document: version.value });
  }
  return ok(documents);
}

/** The guardrails' forbidden actions that a customer managed policy allows, one message per policy. */
function forbiddenInCustomerPolicies(
  spec: RoleSpec,
  documents: CustomerPolicyDocument[],
  guardrails: Guardrails | null,
): string[] {
  if (!guardrails || guardrails.forbiddenActions.length === 0 || documents.length === 0) return [];
  const byArn = new Map(documents.map((document) => [document.arn, document]));
  // The submission's own check of attached policies, now that their documents are known.
  const errors = checkGuardrails(spec, guardrails, {
    organizationAccountIds: [],
    resolveManagedPolicy: (arn) => byArn.get(arn)?.document,
  });
  return spec.managedPolicyArns.flatMap((arn, index) => {
    const found = byArn.get(arn);
    const messages = errors[`managedPolicyArns.${index}`];
    if (!found || !messages) return [];
    return messages.map(
      (message) =>
        `Customer managed policy ${arn} (default version ${found.versionId}) cannot be attached: ${message}`,
    );
  });
}

function customerPolicyRisksOf(policy: CustomerPolicyDocument): CustomerPolicyRisk[] {
  const parsed = parsePolicyDocument(policy.document);
  if (!parsed.ok) return [];
  return assessPermissionsRisk(normalizePolicy(parsed.value)).map((flag) => ({
    policyArn: policy.arn,
    versionId: policy.versionId,
    code: flag.code,
    severity: flag.severity,
    title: flag.title,
    explanation: flag.explanation,
    pointers: flag.pointers,
  }));
}
