import 'server-only';
import { uniqueId } from '@/lib/sandbox/ids';
import { taggingOperations } from '@/lib/sandbox/iam-tagging';
import type { Operation, OperationContext } from '@/lib/sandbox/operation';
import { AwsError, el, members, node, type Params, type Validator } from '@/lib/sandbox/protocol';
import {
  checkTagSemantics,
  pageXml,
  paginate,
  paging,
  pathPrefixPattern,
  readTags,
  roleName,
  roleNamePattern,
  rolePathPattern,
  shown,
  tagContext,
  tagsXml,
  validator,
} from '@/lib/sandbox/iam-params';
import {
  isServiceLinked,
  protectedRole,
  requireRole,
  roleInProfileFields,
  roleResource,
} from '@/lib/sandbox/iam-roles';
import { instanceProfileKey } from '@/lib/sandbox/state';
import type { InstanceProfileRecord } from '@/lib/sandbox/store';

// The emulator's IAM instance-profile operations: an instance profile carries (at most) one role to
// an EC2 instance. Constraints, errors and messages as in the IAM API Reference and observed IAM
// answers (reference 7; `Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1`).

function profileName(v: Validator, params: Params): string {
  const value = params.get('InstanceProfileName');
  v.required('instanceProfileName', value);
  v.string('instanceProfileName', value, 1, 128, roleNamePattern, shown.roleName);
  return value ?? '';
}

function profileArn(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:instance-profile${path}${name}`;
}

function findProfile(context: OperationContext, name: string): InstanceProfileRecord | undefined {
  return context.state.t.instanceProfiles.get(instanceProfileKey(context.accountId, name));
}

/** The ARN to authorise an operation on a profile that may not exist (its real ARN when it does). */
function profileResource(context: OperationContext, name: string): string {
  return findProfile(context, name)?.arn ?? profileArn(context.accountId, '/', name);
}

function requireProfile(context: OperationContext, name: string): InstanceProfileRecord {
  const profile = findProfile(context, name);
  if (!profile) throw new AwsError('NoSuchEntity', `Instance Profile ${name} cannot be found.`);
  return profile;
}

function putProfile(context: OperationContext, profile: InstanceProfileRecord): void {
  context.state.t.instanceProfiles.put(
    instanceProfileKey(profile.accountId, profile.instanceProfileName),
    profile,
  );
}

/** `InstanceProfile` fields; tags only where IAM returns them (not in lists). */
function profileFields(context: OperationContext, profile: InstanceProfileRecord, withTags: boolean): string {
  const roles = profile.roleNames.flatMap((name) => {
    const role = context.state.getRole(profile.accountId, name);
    return role ? [roleInProfileFields(role)] : [];
  });
  return (
    el('Path', profile.path) +
    el('InstanceProfileName', profile.instanceProfileName) +
    el('InstanceProfileId', profile.instanceProfileId) +
    el('Arn', profile.arn) +
    el('CreateDate', profile.createDate) +
    members('Roles', roles) +
    (withTags && profile.tags.length > 0 ? tagsXml(profile.tags) : '')
  );
}

const createInstanceProfile: Operation = (context) => {
  const { params } = context;
  const v = validator();
  const name = profileName(v, params);
  const path = params.get('Path') ?? '/';
  v.string('path', path, 1, 512, rolePathPattern, shown.path);
  const tags = readTags(v, params) ?? [];
  v.throwIfAny();
  const arn = profileArn(context.accountId, path, name);
  context.authorize('iam:CreateInstanceProfile', arn, tagContext(tags));
  checkTagSemantics(tags, true);
  if (findProfile(context, name))
    throw new AwsError('EntityAlreadyExists', `Instance Profile ${name} already exists.`);
  const count = context.state.t.instanceProfiles.countInAccount(context.accountId);
  const quota = context.state.quotas.instanceProfilesPerAccount;
  if (count >= quota)
    throw new AwsError('LimitExceeded', `Cannot exceed quota for InstanceProfilesPerAccount: ${quota}`);
  const profile: InstanceProfileRecord = {
    accountId: context.accountId,
    instanceProfileName: name,
    instanceProfileId: uniqueId('AIPA'),
    path,
    arn,
    createDate: context.now.toISOString(),
    roleNames: [],
    tags,
  };
  putProfile(context, profile);
  return node('InstanceProfile', profileFields(context, profile, true));
};

const getInstanceProfile: Operation = (context) => {
  const v = validator();
  const name = profileName(v, context.params);
  v.throwIfAny();
  context.authorize('iam:GetInstanceProfile', profileResource(context, name));
  return node('InstanceProfile', profileFields(context, requireProfile(context, name), true));
};

const deleteInstanceProfile: Operation = (context) => {
  const v = validator();
  const name = profileName(v, context.params);
  v.throwIfAny();
  context.authorize('iam:DeleteInstanceProfile', profileResource(context, name));
  const profile = requireProfile(context, name);
  if (profile.roleNames.length > 0) {
    throw new AwsError(
      'DeleteConflict',
      'Cannot delete entity, must remove roles from instance profile first.',
    );
  }
  context.state.t.instanceProfiles.delete(instanceProfileKey(profile.accountId, profile.instanceProfileName));
  return null;
};

const addRoleToInstanceProfile: Operation = (context) => {
  const v = validator();
  const name = profileName(v, context.params);
  const role = roleName(v, context.params);
  v.throwIfAny();
  context.authorize('iam:AddRoleToInstanceProfile', profileResource(context, name));
  // "The caller of this operation must be granted the PassRole permission on the IAM role."
  context.authorize('iam:PassRole', roleResource(context, role));
  const profile = requireProfile(context, name);
  const record = requireRole(context, role);
  if (isServiceLinked(record)) throw protectedRole(record);
  // One role per instance profile, and the quota cannot be raised; adding the role it already
  // holds answers the same (observed).
  if (profile.roleNames.length >= 1) {
    throw new AwsError('LimitExceeded', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
  }
  putProfile(context, { ...profile, roleNames: [record.roleName] });
  return null;
};

const removeRoleFromInstanceProfile: Operation = (context) => {
  const v = validator();
  const name = profileName(v, context.params);
  const role = roleName(v, context.params);
  v.throwIfAny();
  context.authorize('iam:RemoveRoleFromInstanceProfile', profileResource(context, name));
  const profile = requireProfile(context, name);
  const record = requireRole(context, role);
  if (isServiceLinked(record)) throw protectedRole(record);
  const remaining = profile.roleNames.filter((member) => member.toLowerCase() !== role.toLowerCase());
  if (remaining.length === profile.roleNames.length) {
    // Design choice (unverified wording): IAM answers NoSuchEntity for a role the profile lacks.
    throw new AwsError('NoSuchEntity', `The role with name ${role} is not in instance profile ${name}.`);
  }
  putProfile(context, { ...profile, roleNames: remaining });
  return null;
};

function sortedPage(context: OperationContext, profiles: InstanceProfileRecord[]) {
  const v = validator();
  const { marker, maxItems } = paging(v, context.params);
  v.throwIfAny();
  const sorted = profiles.sort((a, b) =>
    a.instanceProfileName.toLowerCase() < b.instanceProfileName.toLowerCase() ? -1 : 1,
  );
  const result = paginate(sorted, (profile) => profile.instanceProfileName.toLowerCase(), marker, maxItems);
  return (
    members(
      'InstanceProfiles',
      result.page.map((profile) => profileFields(context, profile, false)),
    ) + pageXml(result.isTruncated, result.marker)
  );
}

const listInstanceProfiles: Operation = (context) => {
  const v = validator();
  const prefix = context.params.get('PathPrefix') ?? '/';
  v.string('pathPrefix', prefix, 1, 512, pathPrefixPattern, shown.pathPrefix);
  paging(v, context.params);
  v.throwIfAny();
  context.authorize('iam:ListInstanceProfiles', `arn:aws:iam::${context.accountId}:instance-profile/`);
  const profiles = [...context.state.t.instanceProfiles.values()].filter(
    (profile) => profile.accountId === context.accountId && profile.path.startsWith(prefix),
  );
  return sortedPage(context, profiles);
};

const listInstanceProfilesForRole: Operation = (context) => {
  const v = validator();
  const role = roleName(v, context.params);
  paging(v, context.params);
  v.throwIfAny();
  context.authorize('iam:ListInstanceProfilesForRole', roleResource(context, role));
  const record = requireRole(context, role);
  return sortedPage(context, context.state.instanceProfilesOfRole(record.accountId, record.roleName));
};

/** The instance-profile operations, by Action name. */
export const instanceProfileOperations = {
  CreateInstanceProfile: createInstanceProfile,
  GetInstanceProfile: getInstanceProfile,
  DeleteInstanceProfile: deleteInstanceProfile,
  AddRoleToInstanceProfile: addRoleToInstanceProfile,
  RemoveRoleFromInstanceProfile: removeRoleFromInstanceProfile,
  ListInstanceProfiles: listInstanceProfiles,
  ListInstanceProfilesForRole: listInstanceProfilesForRole,
  ...taggingOperations({
    type: 'InstanceProfile',
    quotaName: 'TagsPerInstanceProfile',
    readName: profileName,
    resource: profileResource,
    load: requireProfile,
    save: putProfile,
  }),
} satisfies Record<string, Operation>;
