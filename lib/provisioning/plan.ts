import type { AwsTag, CreateInstanceProfileInput, CreatePolicyInput, CreateRoleInput } from '@/lib/aws/types';
import { jsonTextEqual } from '@/lib/iam/json-equal';
import { trustAllowsEc2 } from '@/lib/provisioning/instance-profile';
import { fail, ok, type Result } from '@/lib/result';

/** The tag every role and policy Rolesmith creates carries: the id of the request that made it. */
export const REQUEST_TAG_KEY = 'rolesmith:request-id';

/** IAM allows at most 50 tags on a role or a policy. */
const MAX_TAGS = 50;

/** A customer managed policy to create with the role (the console's Create policy flow). */
export interface NewManagedPolicy {
  name: string;
  /** Defaults to `/`. */
  path: string;
  description: string | null;
  /** JSON text. */
  document: string;
}

export interface InlinePolicy {
  name: string;
  /** JSON text. */
  document: string;
}

/** Everything provisioning needs to know about a role: what a request's `RoleSpec` resolves to. */
export interface RoleToProvision {
  accountId: string;
  name: string;
  path: string;
  description: string | null;
  maxSessionDurationSeconds: number;
  /** JSON text. */
  trustPolicy: string;
  permissionsBoundaryArn: string | null;
  /** Existing managed policies to attach (AWS managed or customer managed). */
  managedPolicyArns: string[];
  newPolicies: NewManagedPolicy[];
  inlinePolicies: InlinePolicy[];
  tags: AwsTag[];
}

/** One IAM call in a plan. `key` names the step uniquely within its plan (the intent record's key). */
export type ProvisioningStep =
  | { kind: 'create_policy'; key: string; policy: CreatePolicyInput; arn: string }
  | { kind: 'create_role'; key: string; role: CreateRoleInput }
  | { kind: 'attach_policy'; key: string; roleName: string; policyArn: string }
  | { kind: 'put_inline_policy'; key: string; roleName: string; policyName: string; document: string }
  | {
      kind: 'update_role';
      key: string;
      roleName: string;
      description: string | null;
      maxSessionDurationSeconds: number;
    }
  | { kind: 'update_trust_policy'; key: string; roleName: string; document: string }
  | { kind: 'put_boundary'; key: string; roleName: string; policyArn: string }
  | { kind: 'delete_boundary'; key: string; roleName: string }
  | { kind: 'tag_role'; key: string; roleName: string; tags: AwsTag[] }
  | { kind: 'untag_role'; key: string; roleName: string; keys: string[] }
  | { kind: 'detach_policy'; key: string; roleName: string; policyArn: string; ifTaggedBy?: string }
  | { kind: 'delete_inline_policy'; key: string; roleName: string; policyName: string; ifTaggedBy?: string }
  | { kind: 'delete_role'; key: string; roleName: string; ifTaggedBy?: string; ifRolesmith?: true }
  | { kind: 'delete_policy'; key: string; arn: string; ifTaggedBy?: string; ifRolesmith?: true }
  /** Lists what is still attached to the role and inline in it, and removes each (made outside Rolesmith). */
  | { kind: 'remove_unrecorded_policies'; key: string; roleName: string }
  | { kind: 'create_instance_profile'; key: string; profile: CreateInstanceProfileInput }
  | { kind: 'add_role_to_instance_profile'; key: string; profileName: string; roleName: string }
  | { kind: 'remove_role_from_instance_profiles'; key: string; roleName: string; ifTaggedBy?: string }
  | {
      kind: 'delete_instance_profile';
      key: string;
      profileName: string;
      /** Deleted only if it carries {@link REQUEST_TAG_KEY}: with this value, or any value when null. */
      ownedBy: string | null;
    }
  | { kind: 'verify_role'; key: string; roleName: string }
  | { kind: 'verify_attached_policies'; key: string; roleName: string }
  | { kind: 'verify_inline_policies'; key: string; roleName: string }
  | { kind: 'verify_role_deleted'; key: string; roleName: string; ifTaggedBy?: string }
  | { kind: 'verify_instance_profile'; key: string; profileName: string; roleName: string };

export type StepKind = ProvisioningStep['kind'];

/** IAM action each step calls. */
export const actionOfStep: Record<StepKind, string> = {
  create_policy: 'CreatePolicy',
  create_role: 'CreateRole',
  attach_policy: 'AttachRolePolicy',
  put_inline_policy: 'PutRolePolicy',
  update_role: 'UpdateRole',
  update_trust_policy: 'UpdateAssumeRolePolicy',
  put_boundary: 'PutRolePermissionsBoundary',
  delete_boundary: 'DeleteRolePermissionsBoundary',
  tag_role: 'TagRole',
  untag_role: 'UntagRole',
  detach_policy: 'DetachRolePolicy',
  delete_inline_policy: 'DeleteRolePolicy',
  delete_role: 'DeleteRole',
  delete_policy: 'DeletePolicy',
  create_instance_profile: 'CreateInstanceProfile',
  add_role_to_instance_profile: 'AddRoleToInstanceProfile',
  remove_role_from_instance_profiles: 'RemoveRoleFromInstanceProfile',
  remove_unrecorded_policies: 'DetachRolePolicy',
  delete_instance_profile: 'DeleteInstanceProfile',
  verify_role: 'GetRole',
  verify_attached_policies: 'ListAttachedRolePolicies',
  verify_inline_policies: 'ListRolePolicies',
  verify_role_deleted: 'GetRole',
  verify_instance_profile: 'GetInstanceProfile',
};

const readKinds = new Set<StepKind>([
  'verify_role',
  'verify_attached_policies',
  'verify_inline_policies',
  'verify_role_deleted',
  'verify_instance_profile',
]);

/** Whether a step only reads (needs no intent record). */
export function isReadStep(step: ProvisioningStep): boolean {
  return readKinds.has(step.kind);
}

/**
 * `ifTaggedBy` (rollback steps only): the step acts only if the live role (or, for `delete_policy`,
 * the policy) carries {@link REQUEST_TAG_KEY} with this request id; otherwise it is skipped, and
 * `verify_role_deleted` accepts a role that is not this request's. `ifRolesmith` (delete plans): the
 * role or policy is deleted only if it carries {@link REQUEST_TAG_KEY} with any value; a policy
 * without it is left alone, a role without it fails the step (Rolesmith deletes only what it made).
 */

/** What a plan does to IAM: create, change or delete one role. */
export interface ProvisioningPlan {
  operation: 'create' | 'change' | 'delete';
  requestId: string;
  accountId: string;
  roleName: string;
  /** The role as it must look when the plan has run (`null` after a delete). */
  target: RoleToProvision | null;
  steps: ProvisioningStep[];
}

/** `arn:aws:iam::<account>:policy<path><name>`: a customer managed policy's ARN is known before it exists. */
export function customerPolicyArn(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:policy${normalizePath(path)}${name}`;
}

function normalizePath(path: string): string {
  if (!path) return '/';
  const leading = path.startsWith('/') ? path : `/${path}`;
  return leading.endsWith('/') ? leading : `${leading}/`;
}

/** The role's tags plus the one naming the request (replacing any tag with that key, ignoring case). */
function roleTags(tags: AwsTag[], requestId: string): AwsTag[] {
  const key = REQUEST_TAG_KEY.toLowerCase();
  return [...tags.filter((tag) => tag.key.toLowerCase() !== key), { key: REQUEST_TAG_KEY, value: requestId }];
}

/** All managed policies the role ends with: the existing ones, then the new ones, without duplicates. */
function allManagedArns(role: RoleToProvision): string[] {
  const arns = [
    ...role.managedPolicyArns,
    ...role.newPolicies.map((p) => customerPolicyArn(role.accountId, p.path, p.name)),
  ];
  return [...new Set(arns)];
}

function verifySteps(roleName: string): ProvisioningStep[] {
  return [
    { kind: 'verify_role', key: 'verify_role', roleName },
    { kind: 'verify_attached_policies', key: 'verify_attached_policies', roleName },
    { kind: 'verify_inline_policies', key: 'verify_inline_policies', roleName },
  ];
}

/**
 * An EC2 role's instance profile, as the console makes one: the role's name and path, tagged with
 * the request; then the role added to it.
 */
function instanceProfileSteps(role: RoleToProvision, requestId: string): ProvisioningStep[] {
  return [
    {
      kind: 'create_instance_profile',
      key: 'create_instance_profile',
      profile: {
        name: role.name,
        path: normalizePath(role.path),
        tags: [{ key: REQUEST_TAG_KEY, value: requestId }],
      },
    },
    {
      kind: 'add_role_to_instance_profile',
      key: 'add_role_to_instance_profile',
      profileName: role.name,
      roleName: role.name,
    },
  ];
}

/**
 * Before a role leaves EC2 (or is deleted; IAM refuses to delete a role an instance profile holds):
 * the role removed from every profile holding it, then its own profile deleted if Rolesmith made it
 * (`ownedBy`: the request whose tag it must carry, or null for any Rolesmith request).
 */
function instanceProfileRemovalSteps(
  roleName: string,
  ownedBy: string | null,
  roleGuard: { ifTaggedBy?: string } = {},
): ProvisioningStep[] {
  return [
    {
      kind: 'remove_role_from_instance_profiles',
      key: 'remove_role_from_instance_profiles',
      roleName,
      ...roleGuard,
    },
    { kind: 'delete_instance_profile', key: 'delete_instance_profile', profileName: roleName, ownedBy },
  ];
}

function verifyInstanceProfile(roleName: string): ProvisioningStep {
  return { kind: 'verify_instance_profile', key: 'verify_instance_profile', profileName: roleName, roleName };
}

/**
 * How many IAM calls creating this role costs when nothing goes wrong: P + 1 + M + I + 3, and 3 more
 * for an EC2 role's instance profile (create, add the role, read it back).
 */
export function expectedCreateCalls(role: RoleToProvision): number {
  const profileCalls = trustAllowsEc2(role.trustPolicy) ? 3 : 0;
  return (
    role.newPolicies.length + 1 + allManagedArns(role).length + role.inlinePolicies.length + 3 + profileCalls
  );
}

/**
 * Plans the creation of a role: one CreatePolicy per new customer managed policy (tagged with the
 * request), one CreateRole (path, description, max session, trust policy, boundary, tags including
 * {@link REQUEST_TAG_KEY}), one AttachRolePolicy per managed policy (new ones included), one
 * PutRolePolicy per inline policy, then GetRole, ListAttachedRolePolicies and ListRolePolicies to
 * verify the live role. A role EC2 may assume also gets an instance profile of its name right after
 * CreateRole (CreateInstanceProfile, AddRoleToInstanceProfile), read back last (GetInstanceProfile). Pure. Fails with `invalid_input` when the tags leave no room for the request tag.
 */
export function planCreate(role: RoleToProvision, requestId: string): Result<ProvisioningPlan> {
  const tags = roleTags(role.tags, requestId);
  if (tags.length > MAX_TAGS) {
    return fail(
      'invalid_input',
      `A role can carry at most ${MAX_TAGS - 1} tags of its own: Rolesmith adds ${REQUEST_TAG_KEY}.`,
    );
  }
  const steps: ProvisioningStep[] = [];
  for (const policy of role.newPolicies) {
    steps.push({
      kind: 'create_policy',
      key: `create_policy:${policy.name}`,
      arn: customerPolicyArn(role.accountId, policy.path, policy.name),
      policy: {
        name: policy.name,
        path: normalizePath(policy.path),
        description: policy.description,
        document: policy.document,
        tags: [{ key: REQUEST_TAG_KEY, value: requestId }],
      },
    });
  }
  steps.push({
    kind: 'create_role',
    key: 'create_role',
    role: {
      name: role.name,
      path: normalizePath(role.path),
      description: role.description,
      maxSessionDurationSeconds: role.maxSessionDurationSeconds,
      trustPolicy: role.trustPolicy,
      permissionsBoundaryArn: role.permissionsBoundaryArn,
      tags,
    },
  });
  const isEc2 = trustAllowsEc2(role.trustPolicy);
  if (isEc2) steps.push(...instanceProfileSteps(role, requestId));
  for (const arn of allManagedArns(role)) {
    steps.push({ kind: 'attach_policy', key: `attach_policy:${arn}`, roleName: role.name, policyArn: arn });
  }
  for (const inline of role.inlinePolicies) {
    steps.push({
      kind: 'put_inline_policy',
      key: `put_inline_policy:${inline.name}`,
      roleName: role.name,
      policyName: inline.name,
      document: inline.document,
    });
  }
  steps.push(...verifySteps(role.name));
  if (isEc2) steps.push(verifyInstanceProfile(role.name));
  return ok({
    operation: 'create',
    requestId,
    accountId: role.accountId,
    roleName: role.name,
    target: role,
    steps,
  });
}

/**
 * Plans the smallest set of calls that turns `current` (the role as Rolesmith last provisioned it)
 * into `desired`: new customer policies, role settings, trust policy, boundary, tags, attachments
 * and inline policies that differ, then the three verifying reads. Pure. Fails with `invalid_input`
 * when the role's name, path or account would change (IAM cannot rename a role).
 */
export function planChange(
  current: RoleToProvision,
  desired: RoleToProvision,
  requestId: string,
): Result<ProvisioningPlan> {
  if (
    current.accountId !== desired.accountId ||
    current.name !== desired.name ||
    normalizePath(current.path) !== normalizePath(desired.path)
  ) {
    return fail(
      'invalid_input',
      'A change cannot move or rename a role: request a new role and delete this one instead.',
    );
  }
  const name = desired.name;
  const steps: ProvisioningStep[] = [];
  const currentNew = new Set(current.newPolicies.map((p) => p.name));
  for (const policy of desired.newPolicies) {
    if (currentNew.has(policy.name)) continue;
    steps.push({
      kind: 'create_policy',
      key: `create_policy:${policy.name}`,
      arn: customerPolicyArn(desired.accountId, policy.path, policy.name),
      policy: {
        name: policy.name,
        path: normalizePath(policy.path),
        description: policy.description,
        document: policy.document,
        tags: [{ key: REQUEST_TAG_KEY, value: requestId }],
      },
    });
  }
  if (
    (current.description ?? '') !== (desired.description ?? '') ||
    current.maxSessionDurationSeconds !== desired.maxSessionDurationSeconds
  ) {
    steps.push({
      kind: 'update_role',
      key: 'update_role',
      roleName: name,
      description: desired.description,
      maxSessionDurationSeconds: desired.maxSessionDurationSeconds,
    });
  }
  const wasEc2 = trustAllowsEc2(current.trustPolicy);
  const isEc2 = trustAllowsEc2(desired.trustPolicy);
  if (!jsonTextEqual(current.trustPolicy, desired.trustPolicy)) {
    steps.push({
      kind: 'update_trust_policy',
      key: 'update_trust_policy',
      roleName: name,
      document: desired.trustPolicy,
    });
  }
  // A trust that gains EC2 gets the instance profile; one that loses it, loses the profile.
  if (isEc2 && !wasEc2) steps.push(...instanceProfileSteps(desired, requestId));
  if (wasEc2 && !isEc2) steps.push(...instanceProfileRemovalSteps(name, null));
  if (current.permissionsBoundaryArn !== desired.permissionsBoundaryArn) {
    steps.push(
      desired.permissionsBoundaryArn
        ? {
            kind: 'put_boundary',
            key: 'put_boundary',
            roleName: name,
            policyArn: desired.permissionsBoundaryArn,
          }
        : { kind: 'delete_boundary', key: 'delete_boundary', roleName: name },
    );
  }
  const requestKey = REQUEST_TAG_KEY.toLowerCase();
  const ownTags = (tags: AwsTag[]) => tags.filter((tag) => tag.key.toLowerCase() !== requestKey);
  const currentTags = new Map(ownTags(current.tags).map((tag) => [tag.key.toLowerCase(), tag]));
  const desiredTags = new Map(ownTags(desired.tags).map((tag) => [tag.key.toLowerCase(), tag]));
  if (desiredTags.size + 1 > MAX_TAGS) {
    return fail(
      'invalid_input',
      `A role can carry at most ${MAX_TAGS - 1} tags of its own: Rolesmith adds ${REQUEST_TAG_KEY}.`,
    );
  }
  const removedKeys = [...currentTags.entries()]
    .filter(([key]) => !desiredTags.has(key))
    .map(([, tag]) => tag.key);
  if (removedKeys.length > 0)
    steps.push({ kind: 'untag_role', key: 'untag_role', roleName: name, keys: removedKeys });
  const changedTags = [...desiredTags.entries()]
    .filter(([key, tag]) => {
      const before = currentTags.get(key);
      return !before || before.key !== tag.key || before.value !== tag.value;
    })
    .map(([, tag]) => tag);
  if (changedTags.length > 0)
    steps.push({ kind: 'tag_role', key: 'tag_role', roleName: name, tags: changedTags });

  const currentArns = new Set(allManagedArns(current));
  const desiredArns = allManagedArns(desired);
  const desiredArnSet = new Set(desiredArns);
  // Detach first: the per-role quota counts attachments, so a swap at the quota must free a slot.
  for (const arn of currentArns) {
    if (!desiredArnSet.has(arn))
      steps.push({ kind: 'detach_policy', key: `detach_policy:${arn}`, roleName: name, policyArn: arn });
  }
  for (const arn of desiredArns) {
    if (!currentArns.has(arn))
      steps.push({ kind: 'attach_policy', key: `attach_policy:${arn}`, roleName: name, policyArn: arn });
  }
  const currentInline = new Map(current.inlinePolicies.map((p) => [p.name, p.document]));
  const desiredInline = new Set(desired.inlinePolicies.map((p) => p.name));
  for (const inline of desired.inlinePolicies) {
    const before = currentInline.get(inline.name);
    if (before === undefined || !jsonTextEqual(before, inline.document)) {
      steps.push({
        kind: 'put_inline_policy',
        key: `put_inline_policy:${inline.name}`,
        roleName: name,
        policyName: inline.name,
        document: inline.document,
      });
    }
  }
  for (const inline of current.inlinePolicies) {
    if (!desiredInline.has(inline.name)) {
      steps.push({
        kind: 'delete_inline_policy',
        key: `delete_inline_policy:${inline.name}`,
        roleName: name,
        policyName: inline.name,
      });
    }
  }
  const desiredNew = new Set(desired.newPolicies.map((p) => p.name));
  for (const policy of current.newPolicies) {
    if (!desiredNew.has(policy.name)) {
      steps.push({
        kind: 'delete_policy',
        key: `delete_policy:${policy.name}`,
        arn: customerPolicyArn(current.accountId, policy.path, policy.name),
      });
    }
  }
  steps.push(...verifySteps(name));
  if (isEc2 && !wasEc2) steps.push(verifyInstanceProfile(name));
  return ok({
    operation: 'change',
    requestId,
    accountId: desired.accountId,
    roleName: name,
    target: desired,
    steps,
  });
}

/**
 * Plans deleting a role Rolesmith provisioned, leaving it bare as DeleteRole requires: detach its
 * recorded managed policies and delete its recorded inline policies, then detach and delete
 * whatever else is attached or inline (put there outside Rolesmith; the step's outcome names them),
 * remove it from every instance profile holding it (and delete the profile of its name if Rolesmith
 * made it, for an EC2 role), delete the role and the customer managed policies created with it,
 * each only if it carries the portal's tag, then one GetRole to confirm it is gone. Pure.
 */
export function planDelete(current: RoleToProvision, requestId: string): ProvisioningPlan {
  const name = current.name;
  const steps: ProvisioningStep[] = [];
  for (const arn of allManagedArns(current)) {
    steps.push({ kind: 'detach_policy', key: `detach_policy:${arn}`, roleName: name, policyArn: arn });
  }
  for (const inline of current.inlinePolicies) {
    steps.push({
      kind: 'delete_inline_policy',
      key: `delete_inline_policy:${inline.name}`,
      roleName: name,
      policyName: inline.name,
    });
  }
  steps.push({ kind: 'remove_unrecorded_policies', key: 'remove_unrecorded_policies', roleName: name });
  if (trustAllowsEc2(current.trustPolicy)) steps.push(...instanceProfileRemovalSteps(name, null));
  else
    steps.push({
      kind: 'remove_role_from_instance_profiles',
      key: 'remove_role_from_instance_profiles',
      roleName: name,
    });
  steps.push({ kind: 'delete_role', key: 'delete_role', roleName: name, ifRolesmith: true });
  for (const policy of current.newPolicies) {
    steps.push({
      kind: 'delete_policy',
      key: `delete_policy:${policy.name}`,
      arn: customerPolicyArn(current.accountId, policy.path, policy.name),
      ifRolesmith: true,
    });
  }
  steps.push({ kind: 'verify_role_deleted', key: 'verify_role_deleted', roleName: name });
  return {
    operation: 'delete',
    requestId,
    accountId: current.accountId,
    roleName: name,
    target: null,
    steps,
  };
}

/**
 * Plans undoing what a failed create attempt may have done: `touched` holds the keys of the steps
 * whose intent was recorded, `done` those of them known to be complete. A step whose outcome is
 * unknown (intent pending) is undone only if the live role or policy carries this request's tag
 * (`ifTaggedBy`), so a rollback never touches a role or policy someone else owns (e.g. a name
 * taken before CreateRole ran). Detaches and deletes inline policies before deleting the role, and
 * deletes the new customer managed policies last; each undo treats "already gone" as done. An
 * instance profile the attempt may have created is emptied and deleted (if it carries this
 * request's tag) before the role. Pure.
 * Only create plans can be rolled back.
 */
export function planRollback(
  plan: ProvisioningPlan,
  touched: ReadonlySet<string>,
  requestId: string,
  done: ReadonlySet<string> = new Set(),
): Result<ProvisioningPlan> {
  if (plan.operation !== 'create') {
    return fail(
      'invalid_input',
      'Only a failed role creation can be rolled back; submit a change request instead.',
    );
  }
  const steps: ProvisioningStep[] = [];
  const wasTouched = (step: ProvisioningStep) => touched.has(step.key);
  const isRoleOurs = plan.steps.some((step) => step.kind === 'create_role' && done.has(step.key));
  const roleGuard = (step: ProvisioningStep) =>
    isRoleOurs && done.has(step.key) ? {} : { ifTaggedBy: plan.requestId };
  for (const step of plan.steps) {
    if (step.kind === 'attach_policy' && wasTouched(step)) {
      steps.push({
        kind: 'detach_policy',
        key: `detach_policy:${step.policyArn}`,
        roleName: step.roleName,
        policyArn: step.policyArn,
        ...roleGuard(step),
      });
    }
  }
  for (const step of plan.steps) {
    if (step.kind === 'put_inline_policy' && wasTouched(step)) {
      steps.push({
        kind: 'delete_inline_policy',
        key: `delete_inline_policy:${step.policyName}`,
        roleName: step.roleName,
        policyName: step.policyName,
        ...roleGuard(step),
      });
    }
  }
  const createdRole = plan.steps.some((step) => step.kind === 'create_role' && wasTouched(step));
  const roleDeleteGuard = isRoleOurs ? {} : { ifTaggedBy: plan.requestId };
  const touchedProfile = plan.steps.some(
    (step) => step.kind === 'create_instance_profile' && wasTouched(step),
  );
  if (touchedProfile)
    steps.push(...instanceProfileRemovalSteps(plan.roleName, plan.requestId, roleDeleteGuard));
  if (createdRole)
    steps.push({ kind: 'delete_role', key: 'delete_role', roleName: plan.roleName, ...roleDeleteGuard });
  for (const step of plan.steps) {
    if (step.kind === 'create_policy' && wasTouched(step)) {
      steps.push({
        kind: 'delete_policy',
        key: `delete_policy:${step.policy.name}`,
        arn: step.arn,
        ...(done.has(step.key) ? {} : { ifTaggedBy: plan.requestId }),
      });
    }
  }
  if (createdRole)
    steps.push({
      kind: 'verify_role_deleted',
      key: 'verify_role_deleted',
      roleName: plan.roleName,
      ...roleDeleteGuard,
    });
  return ok({
    operation: 'delete',
    requestId,
    accountId: plan.accountId,
    roleName: plan.roleName,
    target: null,
    steps,
  });
}
