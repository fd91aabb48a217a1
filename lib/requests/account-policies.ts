import 'server-only';
import { getTargetAccount } from '@/lib/accounts/accounts';
import { DEFAULT_MANAGED_POLICIES_PER_ROLE, type RoleSpec } from '@/lib/iam/role-spec';
import { isAwsManagedArn } from '@/lib/requests/assess';
import type { PolicyVersionRef } from '@/lib/requests/model';
import { fail, ok, type FieldErrors, type Result } from '@/lib/result';
import { managedPoliciesQuotaOf, provisionerIam, type AccountIam } from '@/lib/wizard/account-reads';

/**
 * What submission reads of the target account, fresh (no cache): the default version of each
 * customer managed policy the role attaches and of a customer managed permissions boundary
 * (GetPolicy, then GetPolicyVersion), so that their documents are assessed with the request and
 * their version ids kept with it; and the account's managed-policies-per-role quota.
 */

export interface SubmissionReadOptions {
  /** How the target account's IAM is reached: the provisioner's by default; tests pass the emulator's. */
  accountIam?: AccountIam;
}

export interface AccountPolicies {
  /** The default version's document of each customer managed policy read, by ARN. */
  documents: Map<string, string>;
  /** The default version id of each, in the spec's order (attached policies, then the boundary). */
  versions: PolicyVersionRef[];
}

/** The customer managed policies of a spec whose default versions count: attached ones, then the boundary. */
function customerManagedArns(spec: Pick<RoleSpec, 'managedPolicyArns' | 'permissionsBoundaryArn'>): string[] {
  const arns = [
    ...spec.managedPolicyArns,
    ...(spec.permissionsBoundaryArn ? [spec.permissionsBoundaryArn] : []),
  ];
  return [...new Set(arns.filter((arn) => !isAwsManagedArn(arn)))];
}

/**
 * Reads the default version of each customer managed policy `spec` attaches or uses as its
 * boundary. A policy that does not exist in the account is a field error on the field naming it
 * (`managedPolicyArns.<index>`, `permissionsBoundaryArn`); an account that cannot be read is the
 * AWS failure, so that nothing is submitted unassessed.
 */
export async function readAccountPolicies(
  spec: Pick<RoleSpec, 'accountId' | 'managedPolicyArns' | 'permissionsBoundaryArn'>,
  options: SubmissionReadOptions = {},
): Promise<Result<AccountPolicies>> {
  const arns = customerManagedArns(spec);
  const documents = new Map<string, string>();
  if (arns.length === 0) return ok({ documents, versions: [] });
  const account = await getTargetAccount(spec.accountId);
  if (!account)
    return fail('invalid_input', 'Check the account.', {
      accountId: [`Account ${spec.accountId} is not a target account`],
    });
  const couldNotRead = (message: string) =>
    fail('aws_error', `Could not read the managed policies of account ${spec.accountId}: ${message}`);
  let iam;
  try {
    iam = await (options.accountIam ?? provisionerIam)(account);
  } catch (error) {
    return couldNotRead(error instanceof Error ? error.message : String(error));
  }
  const read = await Promise.all(
    arns.map(async (arn) => {
      const policy = await iam.getPolicy(arn);
      if (!policy.ok) return { arn, policy, version: null };
      const versionId = policy.value.defaultVersionId;
      return {
        arn,
        policy,
        versionId,
        version: versionId ? await iam.getPolicyVersion(arn, versionId) : null,
      };
    }),
  );
  const fieldErrors: FieldErrors = {};
  const versions: PolicyVersionRef[] = [];
  for (const { arn, policy, versionId, version } of read) {
    const missing =
      (!policy.ok && policy.aws.code === 'NoSuchEntity') ||
      (version && !version.ok && version.aws.code === 'NoSuchEntity') ||
      (policy.ok && !versionId);
    if (missing) {
      const message = `Managed policy ${arn} does not exist in account ${spec.accountId}`;
      spec.managedPolicyArns.forEach((attached, index) => {
        if (attached === arn) (fieldErrors[`managedPolicyArns.${index}`] ??= []).push(message);
      });
      if (spec.permissionsBoundaryArn === arn)
        (fieldErrors.permissionsBoundaryArn ??= []).push(
          `Permissions boundary ${arn} does not exist in account ${spec.accountId}`,
        );
      continue;
    }
    if (!policy.ok) return couldNotRead(policy.message);
    if (!version || !versionId) continue;
    if (!version.ok) return couldNotRead(version.message);
    documents.set(arn, version.value);
    versions.push({ arn, versionId });
  }
  if (Object.keys(fieldErrors).length > 0)
    return fail(
      'invalid_input',
      'The role does not meet the rules; fix the highlighted fields.',
      fieldErrors,
    );
  return ok({ documents, versions });
}

/**
 * How many managed policies a role of the account may have, as the wizard's preview counts them
 * ({@link managedPoliciesQuotaOf}). IAM's quota is never below its default (accounts may only
 * raise it), so a role with at most that many needs no read: only a larger one asks the account.
 */
export async function managedPoliciesQuotaFor(
  spec: Pick<RoleSpec, 'accountId' | 'managedPolicyArns' | 'newManagedPolicies'>,
  options: SubmissionReadOptions = {},
): Promise<number> {
  const count = spec.managedPolicyArns.length + spec.newManagedPolicies.length;
  if (count <= DEFAULT_MANAGED_POLICIES_PER_ROLE) return DEFAULT_MANAGED_POLICIES_PER_ROLE;
  return managedPoliciesQuotaOf(spec.accountId, options.accountIam);
}
