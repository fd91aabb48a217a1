import 'server-only';

import type { AwsFailure } from '@/lib/aws/errors';
import type { IamAccountClient } from '@/lib/aws/iam-client';
import type { LiveRoleState } from '@/lib/iam/role-drift';
import { newManagedPolicyArn, type RoleSpec } from '@/lib/iam/role-spec';
import { trustPolicyText } from '@/lib/iam/trust-builder';
import { trustAllowsEc2 } from '@/lib/provisioning/instance-profile';

/** The live role as read, `deleted` when IAM has no role of that name, or the AWS failure that stopped the read. */
export type LiveRoleRead = { ok: true; role: LiveRoleState | 'deleted' } | AwsFailure;

/**
 * Reads a role Rolesmith recorded from IAM, everything drift compares: GetRole (trust policy,
 * boundary, description, session duration), ListAttachedRolePolicies, ListRolePolicies with
 * GetRolePolicy each, ListRoleTags, every list paginated; the default version of each customer
 * managed policy Rolesmith created for it (GetPolicy, GetPolicyVersion); and, when the recorded
 * trust lets EC2 in, the instance profiles holding it. Read-only. The first failed call ends the
 * read with AWS's code and message (throttling has already been retried by the client).
 */
export async function readLiveRole(iam: IamAccountClient, recorded: RoleSpec): Promise<LiveRoleRead> {
  const role = await iam.getRole(recorded.name);
  if (!role.ok) return role.code === 'not_found' ? { ok: true, role: 'deleted' } : role;

  const [attached, inlineNames, tags] = await Promise.all([
    iam.listAttachedRolePolicies(recorded.name),
    iam.listRolePolicies(recorded.name),
    iam.listRoleTags(recorded.name),
  ]);
  if (!attached.ok) return attached;
  if (!inlineNames.ok) return inlineNames;
  if (!tags.ok) return tags;

  const inlinePolicies: LiveRoleState['inlinePolicies'] = [];
  for (const name of inlineNames.value) {
    const document = await iam.getRolePolicy(recorded.name, name);
    if (!document.ok) return document;
    inlinePolicies.push({ name, document: document.value });
  }

  const attachedArns = new Set(attached.value.map((policy) => policy.arn));
  const customerPolicyDocuments: Record<string, string> = {};
  for (const policy of recorded.newManagedPolicies) {
    const arn = newManagedPolicyArn(recorded.accountId, policy.name);
    if (!attachedArns.has(arn)) continue;
    const live = await iam.getPolicy(arn);
    if (!live.ok) return live;
    if (live.value.defaultVersionId === null) continue;
    const document = await iam.getPolicyVersion(arn, live.value.defaultVersionId);
    if (!document.ok) return document;
    customerPolicyDocuments[arn] = document.value;
  }

  let instanceProfiles: string[] | null = null;
  if (trustAllowsEc2(trustPolicyText(recorded.trustedEntity))) {
    const profiles = await iam.listInstanceProfilesForRole(recorded.name);
    if (!profiles.ok) return profiles;
    instanceProfiles = profiles.value;
  }

  return {
    ok: true,
    role: {
      path: role.value.path,
      description: role.value.description,
      maxSessionDurationSeconds: role.value.maxSessionDurationSeconds,
      trustPolicy: role.value.trustPolicy,
      permissionsBoundaryArn: role.value.permissionsBoundaryArn,
      tags: tags.value,
      attachedPolicies: attached.value,
      inlinePolicies,
      customerPolicyDocuments,
      instanceProfiles,
    },
  };
}
