import 'server-only';

import type { AwsFailure, AwsResult } from '@/lib/aws/errors';
import type { IamAccountClient } from '@/lib/aws/iam-client';
import type { AwsTag, LiveInstanceProfile, LiveRole } from '@/lib/aws/types';
import { jsonTextEqual } from '@/lib/iam/json-equal';
import {
  customerPolicyArn,
  REQUEST_TAG_KEY,
  type ProvisioningPlan,
  type ProvisioningStep,
} from '@/lib/provisioning/plan';

/**
 * The steps of a provisioning plan against IAM: each write (run fresh, or resumed after a crash by
 * reading first what it must), the ownership check of rollback steps, and the verifying reads.
 * `executor.ts` runs them in order, with retries and the intent record (`job-recorder.ts`).
 */

function synthetic(code: string, message: string): AwsFailure {
  return {
    ok: false,
    code: code === 'EntityAlreadyExists' ? 'conflict' : 'aws_error',
    message: `${code}: ${message}`,
    aws: { code, message, httpStatus: null, isOutcomeUnknown: false },
  };
}

const okValue = <T>(value: T): AwsResult<T> => ({ ok: true, value });

/** Whether `tags` carry {@link REQUEST_TAG_KEY} with `requestId`, or with any value when it is null. */
function hasRequestTag(tags: AwsTag[], requestId: string | null): boolean {
  return tags.some(
    (tag) =>
      tag.key.toLowerCase() === REQUEST_TAG_KEY.toLowerCase() &&
      (requestId === null || tag.value === requestId),
  );
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The instance profile a create step met under its name: this request's (an earlier attempt made
 * it) is done; anyone else's fails the step, saying why.
 */
function adoptInstanceProfile(profile: LiveInstanceProfile, requestId: string): AwsResult<StepOutcome> {
  return hasRequestTag(profile.tags, requestId)
    ? okValue({ arn: profile.arn, alreadyDone: true })
    : synthetic(
        'EntityAlreadyExists',
        `Instance Profile ${profile.name} already exists and was not created by this request ` +
          `(it lacks the tag ${REQUEST_TAG_KEY}=${requestId}). A role EC2 may assume gets an instance ` +
          'profile of its own name: delete or rename that profile, then retry.',
      );
}

/**
 * The profile an add-role step met: holding this role is done (an earlier attempt added it);
 * holding another role fails, since a profile holds one role at most.
 */
function profileHolds(profile: LiveInstanceProfile, roleName: string): AwsResult<StepOutcome> {
  if (profile.roleNames.some((name) => sameName(name, roleName))) return okValue({ alreadyDone: true });
  return synthetic(
    'LimitExceeded',
    `Instance Profile ${profile.name} already holds role ${profile.roleNames.join(', ')}, ` +
      `and an instance profile can hold one role only: it cannot take ${roleName}.`,
  );
}

/** What a write learnt, kept on its intent record. */
export type StepOutcome = {
  arn?: string;
  alreadyDone?: boolean;
  skipped?: string;
  /** What a step found put there outside Rolesmith (and removed): policy ARNs and inline policy names. */
  outside?: string[];
} | null;

/**
 * A rollback step with `ifTaggedBy` runs only on a role (or policy) carrying that request's tag:
 * one whose creation may not have been ours is read first, and left alone when someone else owns it.
 */
export async function unlessForeign(
  iam: IamAccountClient,
  step: ProvisioningStep,
  write: () => Promise<AwsResult<StepOutcome>>,
): Promise<AwsResult<StepOutcome>> {
  switch (step.kind) {
    case 'detach_policy':
    case 'delete_inline_policy':
    case 'delete_role':
    case 'delete_policy':
    case 'remove_role_from_instance_profiles': {
      if ((step.kind === 'delete_role' || step.kind === 'delete_policy') && step.ifRolesmith)
        return unlessNotRolesmiths(iam, step, write);
      if (!step.ifTaggedBy) return write();
      const live =
        step.kind === 'delete_policy' ? await iam.getPolicy(step.arn) : await iam.getRole(step.roleName);
      if (!live.ok) return live.aws.code === 'NoSuchEntity' ? okValue({ alreadyDone: true }) : live;
      return hasRequestTag(live.value.tags, step.ifTaggedBy)
        ? write()
        : okValue({ skipped: 'not created by this request' });
    }
    default:
      return write();
  }
}

/** A delete plan's `delete_role` or `delete_policy`: only what carries the portal's tag (any request). */
async function unlessNotRolesmiths(
  iam: IamAccountClient,
  step: Extract<ProvisioningStep, { kind: 'delete_role' | 'delete_policy' }>,
  write: () => Promise<AwsResult<StepOutcome>>,
): Promise<AwsResult<StepOutcome>> {
  const live =
    step.kind === 'delete_policy' ? await iam.getPolicy(step.arn) : await iam.getRole(step.roleName);
  if (!live.ok) return live.aws.code === 'NoSuchEntity' ? okValue({ alreadyDone: true }) : live;
  if (hasRequestTag(live.value.tags, null)) return write();
  if (step.kind === 'delete_policy') return okValue({ skipped: 'not created by Rolesmith' });
  return synthetic(
    'DeleteConflict',
    `Role ${step.roleName} does not carry the tag ${REQUEST_TAG_KEY}: Rolesmith deletes only roles it ` +
      'created. Delete it in the console if it should go, then cancel this request.',
  );
}

/**
 * Detaches every managed policy still attached to the role and deletes every inline policy still
 * in it: after a delete plan's recorded ones, these were put there outside Rolesmith (named in the
 * outcome, `outside`). A role already gone is done.
 */
async function removeUnrecordedPolicies(
  iam: IamAccountClient,
  roleName: string,
): Promise<AwsResult<StepOutcome>> {
  const attached = await iam.listAttachedRolePolicies(roleName);
  if (!attached.ok) return attached.aws.code === 'NoSuchEntity' ? okValue({ alreadyDone: true }) : attached;
  const inline = await iam.listRolePolicies(roleName);
  if (!inline.ok) return inline;
  for (const policy of attached.value) {
    const detached = await iam.detachRolePolicy(roleName, policy.arn);
    if (!detached.ok && detached.aws.code !== 'NoSuchEntity') return detached;
  }
  for (const policyName of inline.value) {
    const deleted = await iam.deleteRolePolicy(roleName, policyName);
    if (!deleted.ok && deleted.aws.code !== 'NoSuchEntity') return deleted;
  }
  const outside = [...attached.value.map((policy) => policy.arn), ...inline.value];
  return okValue(outside.length === 0 ? { alreadyDone: true } : { outside });
}

export async function runWrite(
  iam: IamAccountClient,
  plan: ProvisioningPlan,
  step: ProvisioningStep,
): Promise<AwsResult<StepOutcome>> {
  switch (step.kind) {
    case 'create_policy': {
      const created = await iam.createPolicy(step.policy);
      if (created.ok) return okValue({ arn: created.value.arn });
      if (created.aws.code !== 'EntityAlreadyExists') return created;
      // Created by an earlier attempt of this request? Then it is done (a retry finds it by its tag).
      const existing = await iam.getPolicy(step.arn);
      if (existing.ok && hasRequestTag(existing.value.tags, plan.requestId))
        return okValue({ arn: existing.value.arn, alreadyDone: true });
      return created;
    }
    case 'create_role': {
      const created = await iam.createRole(step.role);
      if (created.ok) return okValue({ arn: created.value.arn });
      if (created.aws.code !== 'EntityAlreadyExists') return created;
      const existing = await iam.getRole(step.role.name);
      if (existing.ok && hasRequestTag(existing.value.tags, plan.requestId))
        return okValue({ arn: existing.value.arn, alreadyDone: true });
      return created;
    }
    case 'attach_policy':
      return done(await iam.attachRolePolicy(step.roleName, step.policyArn));
    case 'put_inline_policy':
      return done(await iam.putRolePolicy(step.roleName, step.policyName, step.document));
    case 'update_role':
      return done(
        await iam.updateRole(step.roleName, {
          description: step.description,
          maxSessionDurationSeconds: step.maxSessionDurationSeconds,
        }),
      );
    case 'update_trust_policy':
      return done(await iam.updateTrustPolicy(step.roleName, step.document));
    case 'put_boundary':
      return done(await iam.putPermissionsBoundary(step.roleName, step.policyArn));
    case 'delete_boundary':
      return doneUnlessMissing(await iam.deletePermissionsBoundary(step.roleName));
    case 'tag_role':
      return done(await iam.tagRole(step.roleName, step.tags));
    case 'untag_role':
      return done(await iam.untagRole(step.roleName, step.keys));
    case 'detach_policy':
      return doneUnlessMissing(await iam.detachRolePolicy(step.roleName, step.policyArn));
    case 'delete_inline_policy':
      return doneUnlessMissing(await iam.deleteRolePolicy(step.roleName, step.policyName));
    case 'delete_role':
      return doneUnlessMissing(await iam.deleteRole(step.roleName));
    case 'delete_policy':
      return doneUnlessMissing(await iam.deletePolicy(step.arn));
    case 'create_instance_profile': {
      const created = await iam.createInstanceProfile(step.profile);
      if (created.ok) return okValue({ arn: created.value.arn });
      if (created.aws.code !== 'EntityAlreadyExists') return created;
      const existing = await iam.getInstanceProfile(step.profile.name);
      return existing.ok ? adoptInstanceProfile(existing.value, plan.requestId) : created;
    }
    case 'add_role_to_instance_profile': {
      const added = await iam.addRoleToInstanceProfile(step.profileName, step.roleName);
      if (added.ok) return okValue(null);
      // Full: it may hold this role already (an earlier attempt added it).
      if (added.aws.code !== 'LimitExceeded') return added;
      const existing = await iam.getInstanceProfile(step.profileName);
      return existing.ok ? profileHolds(existing.value, step.roleName) : added;
    }
    case 'remove_unrecorded_policies':
      return removeUnrecordedPolicies(iam, step.roleName);
    case 'remove_role_from_instance_profiles': {
      const names = await iam.listInstanceProfilesForRole(step.roleName);
      if (!names.ok) return names.aws.code === 'NoSuchEntity' ? okValue({ alreadyDone: true }) : names;
      for (const name of names.value) {
        const removed = await iam.removeRoleFromInstanceProfile(name, step.roleName);
        if (!removed.ok && removed.aws.code !== 'NoSuchEntity') return removed;
      }
      return okValue(names.value.length === 0 ? { alreadyDone: true } : null);
    }
    case 'delete_instance_profile': {
      const existing = await iam.getInstanceProfile(step.profileName);
      if (!existing.ok)
        return existing.aws.code === 'NoSuchEntity' ? okValue({ alreadyDone: true }) : existing;
      if (!hasRequestTag(existing.value.tags, step.ownedBy))
        return okValue({
          skipped: step.ownedBy ? 'not created by this request' : 'not created by Rolesmith',
        });
      return doneUnlessMissing(await iam.deleteInstanceProfile(step.profileName));
    }
    case 'verify_role':
    case 'verify_attached_policies':
    case 'verify_inline_policies':
    case 'verify_role_deleted':
    case 'verify_instance_profile':
      throw new Error(`${step.kind} is a read, not a write`);
  }
}

function done(result: AwsResult<null>): AwsResult<StepOutcome> {
  return result.ok ? okValue(null) : result;
}

/** Deletes are done when the thing is already gone (a retry after a crash, or a manual cleanup). */
function doneUnlessMissing(result: AwsResult<null>): AwsResult<StepOutcome> {
  if (!result.ok && result.aws.code === 'NoSuchEntity') return okValue({ alreadyDone: true });
  return done(result);
}

/**
 * A write whose intent was committed by a worker that died: read first (the only extra calls a
 * resume makes), and write only if the effect is not already in place.
 */
export async function resumeWrite(
  iam: IamAccountClient,
  plan: ProvisioningPlan,
  step: ProvisioningStep,
): Promise<AwsResult<StepOutcome>> {
  switch (step.kind) {
    case 'create_policy': {
      const existing = await iam.getPolicy(step.arn);
      if (existing.ok) {
        return hasRequestTag(existing.value.tags, plan.requestId)
          ? okValue({ arn: existing.value.arn, alreadyDone: true })
          : synthetic('EntityAlreadyExists', `A policy called ${step.policy.name} already exists.`);
      }
      return existing.aws.code === 'NoSuchEntity' ? runWrite(iam, plan, step) : existing;
    }
    case 'create_role': {
      const existing = await iam.getRole(step.role.name);
      if (existing.ok) {
        return hasRequestTag(existing.value.tags, plan.requestId)
          ? okValue({ arn: existing.value.arn, alreadyDone: true })
          : synthetic('EntityAlreadyExists', `Role with name ${step.role.name} already exists.`);
      }
      return existing.aws.code === 'NoSuchEntity' ? runWrite(iam, plan, step) : existing;
    }
    case 'attach_policy':
    case 'detach_policy': {
      const attached = await iam.listAttachedRolePolicies(step.roleName);
      // A rollback resumed after its DeleteRole: a role that is gone has nothing attached.
      if (!attached.ok)
        return step.kind === 'detach_policy' && attached.aws.code === 'NoSuchEntity'
          ? okValue({ alreadyDone: true })
          : attached;
      const isAttached = attached.value.some((policy) => policy.arn === step.policyArn);
      return isAttached === (step.kind === 'attach_policy')
        ? okValue({ alreadyDone: true })
        : runWrite(iam, plan, step);
    }
    case 'put_inline_policy': {
      const current = await iam.getRolePolicy(step.roleName, step.policyName);
      if (current.ok && jsonTextEqual(current.value, step.document)) return okValue({ alreadyDone: true });
      if (!current.ok && current.aws.code !== 'NoSuchEntity') return current;
      return runWrite(iam, plan, step);
    }
    case 'delete_inline_policy': {
      const names = await iam.listRolePolicies(step.roleName);
      if (!names.ok) return names.aws.code === 'NoSuchEntity' ? okValue({ alreadyDone: true }) : names;
      return names.value.includes(step.policyName)
        ? runWrite(iam, plan, step)
        : okValue({ alreadyDone: true });
    }
    case 'delete_role': {
      const existing = await iam.getRole(step.roleName);
      if (!existing.ok)
        return existing.aws.code === 'NoSuchEntity' ? okValue({ alreadyDone: true }) : existing;
      return runWrite(iam, plan, step);
    }
    case 'delete_policy': {
      const existing = await iam.getPolicy(step.arn);
      if (!existing.ok)
        return existing.aws.code === 'NoSuchEntity' ? okValue({ alreadyDone: true }) : existing;
      return runWrite(iam, plan, step);
    }
    case 'create_instance_profile': {
      const existing = await iam.getInstanceProfile(step.profile.name);
      if (existing.ok) return adoptInstanceProfile(existing.value, plan.requestId);
      return existing.aws.code === 'NoSuchEntity' ? runWrite(iam, plan, step) : existing;
    }
    case 'add_role_to_instance_profile': {
      const existing = await iam.getInstanceProfile(step.profileName);
      if (!existing.ok) return existing;
      return existing.value.roleNames.length > 0
        ? profileHolds(existing.value, step.roleName)
        : runWrite(iam, plan, step);
    }
    // These read before they write, and treat "already gone" as done.
    case 'remove_unrecorded_policies':
    case 'remove_role_from_instance_profiles':
    case 'delete_instance_profile':
      return runWrite(iam, plan, step);
    case 'update_role':
    case 'update_trust_policy':
    case 'put_boundary':
    case 'delete_boundary':
    case 'tag_role':
    case 'untag_role': {
      const live = await iam.getRole(step.roleName);
      if (!live.ok) return live;
      return isRoleSettingApplied(live.value, step)
        ? okValue({ alreadyDone: true })
        : runWrite(iam, plan, step);
    }
    case 'verify_role':
    case 'verify_attached_policies':
    case 'verify_inline_policies':
    case 'verify_role_deleted':
    case 'verify_instance_profile':
      throw new Error(`${step.kind} is a read, not a write`);
  }
}

function isRoleSettingApplied(role: LiveRole, step: ProvisioningStep): boolean {
  const tagValue = (key: string) => role.tags.find((tag) => tag.key.toLowerCase() === key.toLowerCase());
  switch (step.kind) {
    case 'update_role':
      return (
        (role.description ?? '') === (step.description ?? '') &&
        role.maxSessionDurationSeconds === step.maxSessionDurationSeconds
      );
    case 'update_trust_policy':
      return jsonTextEqual(role.trustPolicy, step.document);
    case 'put_boundary':
      return role.permissionsBoundaryArn === step.policyArn;
    case 'delete_boundary':
      return role.permissionsBoundaryArn === null;
    case 'tag_role':
      return step.tags.every((tag) => tagValue(tag.key)?.value === tag.value);
    case 'untag_role':
      return step.keys.every((key) => tagValue(key) === undefined);
    default:
      return false;
  }
}

/** The verifying reads: the live role must match the approved specification. */
export async function verify(
  iam: IamAccountClient,
  plan: ProvisioningPlan,
  step: ProvisioningStep,
): Promise<AwsResult<null>> {
  const target = plan.target;
  switch (step.kind) {
    case 'verify_role': {
      const live = await iam.getRole(step.roleName);
      if (!live.ok || !target) return live.ok ? okValue(null) : live;
      const problems: string[] = [];
      const role = live.value;
      const liveAccount = role.arn.split(':')[4] ?? '';
      if (liveAccount !== plan.accountId)
        problems.push(`it is in account ${liveAccount}, expected ${plan.accountId}`);
      if (role.path !== target.path) problems.push(`path is ${role.path}, expected ${target.path}`);
      if ((role.description ?? '') !== (target.description ?? '')) problems.push('description differs');
      if (role.maxSessionDurationSeconds !== target.maxSessionDurationSeconds) {
        problems.push(
          `max session duration is ${role.maxSessionDurationSeconds ?? 'unset'}, expected ${target.maxSessionDurationSeconds}`,
        );
      }
      if (!jsonTextEqual(role.trustPolicy, target.trustPolicy)) problems.push('trust policy differs');
      if (role.permissionsBoundaryArn !== target.permissionsBoundaryArn)
        problems.push('permissions boundary differs');
      for (const tag of target.tags) {
        if (tag.key.toLowerCase() === REQUEST_TAG_KEY) continue;
        if (
          !role.tags.some(
            (live) => live.key.toLowerCase() === tag.key.toLowerCase() && live.value === tag.value,
          )
        ) {
          problems.push(`tag ${tag.key} differs`);
        }
      }
      if (plan.operation === 'create' && !hasRequestTag(role.tags, plan.requestId))
        problems.push(`tag ${REQUEST_TAG_KEY} missing`);
      return problems.length === 0
        ? okValue(null)
        : synthetic('VerificationFailed', `Role ${role.name}: ${problems.join('; ')}.`);
    }
    case 'verify_attached_policies': {
      const attached = await iam.listAttachedRolePolicies(step.roleName);
      if (!attached.ok || !target) return attached.ok ? okValue(null) : attached;
      const expected = new Set([
        ...target.managedPolicyArns,
        ...target.newPolicies.map((policy) => customerPolicyArn(target.accountId, policy.path, policy.name)),
      ]);
      const live = new Set(attached.value.map((policy) => policy.arn));
      const missing = [...expected].filter((arn) => !live.has(arn));
      const extra = [...live].filter((arn) => !expected.has(arn));
      if (missing.length === 0 && extra.length === 0) return okValue(null);
      return synthetic(
        'VerificationFailed',
        `Attached policies differ: missing ${missing.join(', ') || 'none'}; unexpected ${extra.join(', ') || 'none'}.`,
      );
    }
    case 'verify_inline_policies': {
      const names = await iam.listRolePolicies(step.roleName);
      if (!names.ok || !target) return names.ok ? okValue(null) : names;
      const expected = new Set(target.inlinePolicies.map((policy) => policy.name));
      const live = new Set(names.value);
      const isSame = expected.size === live.size && [...expected].every((name) => live.has(name));
      return isSame
        ? okValue(null)
        : synthetic(
            'VerificationFailed',
            `Inline policies are ${[...live].join(', ') || 'none'}, expected ${[...expected].join(', ') || 'none'}.`,
          );
    }
    case 'verify_role_deleted': {
      const live = await iam.getRole(step.roleName);
      if (live.ok && step.ifTaggedBy && !hasRequestTag(live.value.tags, step.ifTaggedBy))
        return okValue(null);
      if (live.ok) return synthetic('VerificationFailed', `Role ${step.roleName} still exists.`);
      return live.aws.code === 'NoSuchEntity' ? okValue(null) : live;
    }
    case 'verify_instance_profile': {
      const live = await iam.getInstanceProfile(step.profileName);
      if (!live.ok) return live;
      const profile = live.value;
      const problems: string[] = [];
      if (!profile.roleNames.some((name) => sameName(name, step.roleName)))
        problems.push(`it holds ${profile.roleNames.join(', ') || 'no role'}, expected ${step.roleName}`);
      if (target && profile.path !== target.path)
        problems.push(`path is ${profile.path}, expected ${target.path}`);
      if (!hasRequestTag(profile.tags, null)) problems.push(`tag ${REQUEST_TAG_KEY} missing`);
      return problems.length === 0
        ? okValue(null)
        : synthetic('VerificationFailed', `Instance Profile ${profile.name}: ${problems.join('; ')}.`);
    }
    default:
      throw new Error(`${step.kind} is a write, not a read`);
  }
}
