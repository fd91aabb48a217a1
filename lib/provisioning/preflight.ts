import 'server-only';

import type { AwsResult } from '@/lib/aws/errors';
import type { IamAccountClient } from '@/lib/aws/iam-client';
import type { RoleSpec } from '@/lib/iam/role-spec';
import { roleToProvision } from '@/lib/provisioning/from-spec';
import { customerPolicyArn } from '@/lib/provisioning/plan';
import { fail, ok, type Result } from '@/lib/result';

/** What the preflight needs to know about a request (a `RoleRequest` has these members). */
export interface PreflightSubject {
  kind: 'create' | 'change' | 'delete';
  spec: RoleSpec;
  baseSpec: RoleSpec | null;
}

/** What the preflight read, for the approver's view. */
export interface PreflightReport {
  attachedPoliciesPerRoleQuota: number | null;
  /** Managed policies the role will have attached (existing ARNs plus new customer policies). */
  managedPolicyCount: number;
}

/**
 * Reads the target account at approval time and checks that the request can be carried out:
 * the role name is still free (create) or the role exists (change, delete), every managed policy
 * and the permissions boundary exist, the new customer managed policy names are free, and the
 * role stays within the account's `AttachedPoliciesPerRoleQuota` (GetAccountSummary). Read-only;
 * the reads run in parallel.
 *
 * Returns `conflict` (a role or policy name taken, role gone, quota) or `invalid_input` (a policy
 * that does not exist) with every reason found, each under the spec field it concerns in `fieldErrors`; or the
 * AWS failure when the account could not be read (e.g. throttling), so that nothing is approved
 * unchecked.
 */
export async function preflightCheck(
  iam: IamAccountClient,
  subject: PreflightSubject,
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

  const [liveRole, summary, policies, boundaryPolicy, takenNames] = await Promise.all([
    iam.getRole(role.name),
    subject.kind === 'delete' ? Promise.resolve(null) : iam.getAccountSummary(),
    Promise.all(existingArns.map(async (arn) => ({ arn, result: await iam.getPolicy(arn) }))),
    boundary ? iam.getPolicy(boundary) : Promise.resolve(null),
    Promise.all(
      newPolicies.map(async (policy) => ({
        policy,
        result: await iam.getPolicy(customerPolicyArn(role.accountId, policy.path, policy.name)),
      })),
    ),
  ]);

  const unreadable = [
    liveRole,
    summary,
    boundaryPolicy,
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
  // A name someone else took, or a quota, is a conflict; a policy that does not exist is bad input.
  let isTaken = false;
  const add = (field: string, message: string) => (problems[field] ??= []).push(message);
  const roleExists = liveRole.ok;
  if (subject.kind === 'create' && roleExists) {
    add(
      'name',
      `A role called ${role.name} already exists in account ${role.accountId}; choose another name`,
    );
  }
  if (subject.kind !== 'create' && !roleExists) {
    add('name', `Role ${role.name} no longer exists in account ${role.accountId}`);
  }
  for (const { arn, result } of policies) {
    if (!result.ok)
      add('managedPolicyArns', `Managed policy ${arn} does not exist in account ${role.accountId}`);
  }
  if (boundary && boundaryPolicy && !boundaryPolicy.ok) {
    add(
      'permissionsBoundaryArn',
      `Permissions boundary ${boundary} does not exist in account ${role.accountId}`,
    );
  }
  for (const { policy, result } of takenNames) {
    if (result.ok) isTaken = true;
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
    add(
      'managedPolicyArns',
      `Account ${role.accountId} allows ${quota} managed policies per role; this role would have ${managedPolicyCount}`,
    );
  }
  const fields = Object.keys(problems);
  if (fields.length === 0) return ok({ attachedPoliciesPerRoleQuota: quota, managedPolicyCount });
  const messages = fields.flatMap((field) => problems[field] ?? []);
  const isConflict =
    isTaken || Boolean(problems.name) || messages.some((message) => message.includes('allows'));
  return fail(
    isConflict ? 'conflict' : 'invalid_input',
    `Cannot be provisioned as approved: ${messages.join('. ')}.`,
    problems,
  );
}

/**
 * The approval hook (`PreflightCheck` of `lib/requests/approve`): reads the request's target
 * account as the portal reaches it and returns `ok(null)` or the reasons it cannot be created.
 */
export async function preflightRequest(
  request: PreflightSubject & { accountId: string },
): Promise<Result<null>> {
  const { iamForAccount } = await import('@/lib/provisioning/request-binding');
  const result = await preflightCheck(await iamForAccount(request.accountId), request);
  return result.ok ? ok(null) : result;
}
