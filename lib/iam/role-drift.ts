import { samePolicyDocument } from '@/lib/iam/policy-equivalence';
import { newManagedPolicyArn, type RoleSpec } from '@/lib/iam/role-spec';
import { recognizeTrustPolicy, trustPolicyText } from '@/lib/iam/trust-builder';

/**
 * Drift: how a role in IAM differs from what Rolesmith recorded for it. The comparison is pure: the
 * caller reads the live role (`lib/requests/drift.ts`) and passes it in.
 */

/**
 * A role as read from IAM, every document as JSON text: decoded, as `lib/aws` returns them (the
 * comparison also accepts them URL-encoded; the live spec keeps them as given).
 */
export interface LiveRoleState {
  path: string;
  description: string | null;
  maxSessionDurationSeconds: number | null;
  trustPolicy: string;
  permissionsBoundaryArn: string | null;
  tags: { key: string; value: string }[];
  attachedPolicies: { name: string; arn: string }[];
  inlinePolicies: { name: string; document: string }[];
  /**
   * The default version's document of each customer managed policy Rolesmith created for the role
   * and that is still attached, by ARN (absent when it could not be read).
   */
  customerPolicyDocuments: Record<string, string>;
  /** The instance profiles holding the role; `null` when not read (the role does not trust EC2). */
  instanceProfiles: string[] | null;
}

/** One way the live role differs from the record. `sentence` marks names with backticks. */
export type DriftDifference = { sentence: string } & (
  | { kind: 'role_deleted' }
  | { kind: 'trust_policy_changed' }
  | { kind: 'managed_policy_attached'; policyArn: string }
  | { kind: 'managed_policy_detached'; policyArn: string }
  | { kind: 'managed_policy_changed'; policyArn: string }
  | { kind: 'inline_policy_added'; policyName: string }
  | { kind: 'inline_policy_removed'; policyName: string }
  | { kind: 'inline_policy_changed'; policyName: string }
  | { kind: 'boundary_changed'; recorded: string | null; live: string | null }
  | { kind: 'tag_added'; key: string; live: string }
  | { kind: 'tag_removed'; key: string; recorded: string }
  | { kind: 'tag_changed'; key: string; live: string; recorded: string }
  | { kind: 'description_changed'; recorded: string; live: string }
  | { kind: 'max_session_duration_changed'; recorded: number; live: number | null }
  | { kind: 'instance_profile_missing'; profileName: string }
);

export type DriftKind = DriftDifference['kind'];

/** The name part of a policy ARN, shown in sentences (`AdministratorAccess`, `team/Reader`). */
export function policyNameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** Tags under `rolesmith:` are Rolesmith's own bookkeeping (the request id), not the role's spec. */
const isPortalTag = (key: string) => key.toLowerCase().startsWith('rolesmith:');

function hours(seconds: number | null): string {
  if (seconds === null) return 'not set';
  const value = seconds / 3600;
  return Number.isInteger(value) ? `${value} hour${value === 1 ? '' : 's'}` : `${seconds} seconds`;
}

/** The sentence for a deleted role, and its difference. */
export const roleDeletedDifference: DriftDifference = {
  kind: 'role_deleted',
  sentence: 'The role was deleted outside Rolesmith',
};

/**
 * Every difference between the recorded spec and the live role, in the order the summary page
 * shows its sections: trust, permissions (managed, inline, boundary), tags, details. An unchanged
 * role gives none: documents are compared for meaning (see `samePolicyDocument`), tag keys
 * ignore case as IAM's do, and Rolesmith's own `rolesmith:` tags are left out.
 */
export function compareRole(recorded: RoleSpec, live: LiveRoleState): DriftDifference[] {
  const differences: DriftDifference[] = [];

  if (!samePolicyDocument(trustPolicyText(recorded.trustedEntity), live.trustPolicy)) {
    differences.push({
      kind: 'trust_policy_changed',
      sentence: 'The trust policy was changed outside Rolesmith',
    });
  }

  const newPolicyArns = new Set(
    recorded.newManagedPolicies.map((policy) => newManagedPolicyArn(recorded.accountId, policy.name)),
  );
  const expected = new Set([...recorded.managedPolicyArns, ...newPolicyArns]);
  const attached = new Set(live.attachedPolicies.map((policy) => policy.arn));
  for (const policy of live.attachedPolicies) {
    if (!expected.has(policy.arn)) {
      differences.push({
        kind: 'managed_policy_attached',
        policyArn: policy.arn,
        sentence: `\`${policy.name || policyNameOfArn(policy.arn)}\` was attached outside Rolesmith`,
      });
    }
  }
  for (const arn of expected) {
    if (!attached.has(arn)) {
      differences.push({
        kind: 'managed_policy_detached',
        policyArn: arn,
        sentence: `\`${policyNameOfArn(arn)}\` was detached outside Rolesmith`,
      });
    }
  }
  for (const policy of recorded.newManagedPolicies) {
    const arn = newManagedPolicyArn(recorded.accountId, policy.name);
    const document = live.customerPolicyDocuments[arn];
    if (attached.has(arn) && document !== undefined && !samePolicyDocument(policy.document, document)) {
      differences.push({
        kind: 'managed_policy_changed',
        policyArn: arn,
        sentence: `The policy \`${policy.name}\` was changed outside Rolesmith`,
      });
    }
  }

  const liveInline = new Map(live.inlinePolicies.map((policy) => [policy.name, policy.document]));
  const recordedInline = new Set(recorded.inlinePolicies.map((policy) => policy.name));
  for (const policy of live.inlinePolicies) {
    if (!recordedInline.has(policy.name)) {
      differences.push({
        kind: 'inline_policy_added',
        policyName: policy.name,
        sentence: `The inline policy \`${policy.name}\` was added outside Rolesmith`,
      });
    }
  }
  for (const policy of recorded.inlinePolicies) {
    const document = liveInline.get(policy.name);
    if (document === undefined) {
      differences.push({
        kind: 'inline_policy_removed',
        policyName: policy.name,
        sentence: `The inline policy \`${policy.name}\` was deleted outside Rolesmith`,
      });
    } else if (!samePolicyDocument(policy.document, document)) {
      differences.push({
        kind: 'inline_policy_changed',
        policyName: policy.name,
        sentence: `The inline policy \`${policy.name}\` was changed outside Rolesmith`,
      });
    }
  }

  const recordedBoundary = recorded.permissionsBoundaryArn ?? null;
  if (recordedBoundary !== live.permissionsBoundaryArn) {
    differences.push({
      kind: 'boundary_changed',
      recorded: recordedBoundary,
      live: live.permissionsBoundaryArn,
      sentence:
        live.permissionsBoundaryArn === null
          ? `The permissions boundary \`${policyNameOfArn(recordedBoundary ?? '')}\` was removed outside Rolesmith`
          : recordedBoundary === null
            ? `The permissions boundary \`${policyNameOfArn(live.permissionsBoundaryArn)}\` was set outside Rolesmith`
            : `The permissions boundary is \`${policyNameOfArn(live.permissionsBoundaryArn)}\` in AWS; Rolesmith recorded \`${policyNameOfArn(recordedBoundary)}\``,
    });
  }

  const liveTags = new Map(
    live.tags.filter((tag) => !isPortalTag(tag.key)).map((tag) => [tag.key.toLowerCase(), tag]),
  );
  const recordedTags = new Map(recorded.tags.map((tag) => [tag.key.toLowerCase(), tag]));
  for (const [lower, tag] of liveTags) {
    const mine = recordedTags.get(lower);
    if (!mine) {
      differences.push({
        kind: 'tag_added',
        key: tag.key,
        live: tag.value,
        sentence: `Tag \`${tag.key}\` was added outside Rolesmith (value \`${tag.value}\`)`,
      });
    } else if (mine.value !== tag.value) {
      differences.push({
        kind: 'tag_changed',
        key: tag.key,
        live: tag.value,
        recorded: mine.value,
        sentence: `Tag \`${tag.key}\` is \`${tag.value}\` in AWS; Rolesmith recorded \`${mine.value}\``,
      });
    }
  }
  for (const [lower, tag] of recordedTags) {
    if (!liveTags.has(lower)) {
      differences.push({
        kind: 'tag_removed',
        key: tag.key,
        recorded: tag.value,
        sentence: `Tag \`${tag.key}\` was removed outside Rolesmith`,
      });
    }
  }

  const liveDescription = live.description ?? '';
  if (liveDescription !== recorded.description) {
    differences.push({
      kind: 'description_changed',
      recorded: recorded.description,
      live: liveDescription,
      sentence:
        liveDescription === ''
          ? 'The description was removed outside Rolesmith'
          : 'The description was changed outside Rolesmith',
    });
  }
  if (live.maxSessionDurationSeconds !== recorded.maxSessionDuration) {
    differences.push({
      kind: 'max_session_duration_changed',
      recorded: recorded.maxSessionDuration,
      live: live.maxSessionDurationSeconds,
      sentence: `The maximum session duration is ${hours(live.maxSessionDurationSeconds)} in AWS; Rolesmith recorded ${hours(recorded.maxSessionDuration)}`,
    });
  }

  if (live.instanceProfiles !== null && !live.instanceProfiles.includes(recorded.name)) {
    differences.push({
      kind: 'instance_profile_missing',
      profileName: recorded.name,
      sentence: `The instance profile \`${recorded.name}\` no longer holds the role`,
    });
  }
  return differences;
}

/**
 * The live role written as a {@link RoleSpec}, so that a change request can be planned from it
 * (a restore plans from the live role as read, not from the record). The customer managed
 * policies Rolesmith created and that are still attached stay `newManagedPolicies` with their live
 * document; every other attached policy is an ARN; Rolesmith's own tags are left out. The trust
 * policy is the wizard's choice that produces it, or a custom document.
 */
export function liveRoleSpec(recorded: RoleSpec, live: LiveRoleState): RoleSpec {
  const newPolicies = new Map(
    recorded.newManagedPolicies.map((policy) => [
      newManagedPolicyArn(recorded.accountId, policy.name),
      policy,
    ]),
  );
  const attached = live.attachedPolicies.map((policy) => policy.arn);
  const description = live.description ?? '';
  return {
    accountId: recorded.accountId,
    name: recorded.name,
    path: live.path,
    description,
    maxSessionDuration: live.maxSessionDurationSeconds ?? recorded.maxSessionDuration,
    trustedEntity: recognizeTrustPolicy(live.trustPolicy),
    managedPolicyArns: attached.filter((arn) => !newPolicies.has(arn)),
    newManagedPolicies: attached.flatMap((arn) => {
      const policy = newPolicies.get(arn);
      if (!policy) return [];
      return [{ ...policy, document: live.customerPolicyDocuments[arn] ?? policy.document }];
    }),
    inlinePolicies: live.inlinePolicies.map((policy) => ({ name: policy.name, document: policy.document })),
    ...(live.permissionsBoundaryArn ? { permissionsBoundaryArn: live.permissionsBoundaryArn } : {}),
    tags: live.tags.filter((tag) => !isPortalTag(tag.key)).map((tag) => ({ key: tag.key, value: tag.value })),
  };
}
