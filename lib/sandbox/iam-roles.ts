import 'server-only';
import { uniqueId } from '@/lib/sandbox/ids';
import { taggingOperations } from '@/lib/sandbox/iam-tagging';
import type { Operation, OperationContext } from '@/lib/sandbox/operation';
import { checkTrustPolicy, policySize } from '@/lib/sandbox/policy-check';
import { AwsError, el, encodeDocument, members, node, noSuchRole } from '@/lib/sandbox/protocol';
import {
  arnParam,
  checkTagSemantics,
  descriptionPattern,
  pageXml,
  paginate,
  paging,
  pathPrefixPattern,
  policyDocument,
  readTags,
  roleName,
  rolePathPattern,
  shown,
  tagContext,
  tagsXml,
  validator,
} from '@/lib/sandbox/iam-params';
import { roleKey, type AnyManagedPolicy } from '@/lib/sandbox/state';
import type { RoleRecord, Tag } from '@/lib/sandbox/store';

// The emulator's IAM role operations: roles themselves and their tags.

function roleXml(role: RoleRecord, variant: 'create' | 'get' | 'list', createTags?: readonly Tag[]): string {
  return node('Role', roleFields(role, variant, createTags));
}

function roleFields(
  role: RoleRecord,
  variant: 'create' | 'get' | 'list',
  createTags?: readonly Tag[],
): string {
  let xml =
    el('Path', role.path) +
    el('RoleName', role.roleName) +
    el('RoleId', role.roleId) +
    el('Arn', role.arn) +
    el('CreateDate', role.createDate) +
    el('AssumeRolePolicyDocument', encodeDocument(role.trustPolicy));
  if (variant !== 'create') {
    xml += el('Description', role.description) + el('MaxSessionDuration', role.maxSessionDuration);
  }
  if (variant !== 'list' && role.boundaryArn) {
    xml += node(
      'PermissionsBoundary',
      el('PermissionsBoundaryType', 'Policy') + el('PermissionsBoundaryArn', role.boundaryArn),
    );
  }
  if (variant === 'create' && createTags && createTags.length > 0) xml += tagsXml(role.tags);
  if (variant === 'get') {
    if (role.tags.length > 0) xml += tagsXml(role.tags);
    xml += node(
      'RoleLastUsed',
      role.lastUsed ? el('LastUsedDate', role.lastUsed.date) + el('Region', role.lastUsed.region) : '',
    );
  }
  return xml;
}

/**
 * A role as an instance profile shows it (`InstanceProfile.Roles.member`): the fields of the IAM
 * API Reference's GetInstanceProfile example (path, name, id, ARN, creation date, trust policy).
 */
export function roleInProfileFields(role: RoleRecord): string {
  return (
    el('Path', role.path) +
    el('RoleName', role.roleName) +
    el('RoleId', role.roleId) +
    el('Arn', role.arn) +
    el('CreateDate', role.createDate) +
    el('AssumeRolePolicyDocument', encodeDocument(role.trustPolicy))
  );
}

// ------------------------------------------------------------------------------------------------
// Helpers

function roleArn(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:role${path}${name}`;
}

export function isServiceLinked(role: RoleRecord): boolean {
  return role.path.startsWith('/aws-service-role/') || role.path.startsWith('/aws-reserved/');
}

export function protectedRole(role: RoleRecord): AwsError {
  return new AwsError(
    'UnmodifiableEntity',
    `Cannot perform the operation on the protected role '${role.roleName}' - this role is only modifiable by AWS`,
  );
}

export function requireRole(context: OperationContext, name: string): RoleRecord {
  const role = context.state.getRole(context.accountId, name);
  if (!role) throw noSuchRole(name);
  return role;
}

/** The resource ARN used for authorising an operation on a role that may not exist. */
export function roleResource(context: OperationContext, name: string): string {
  const role = context.state.getRole(context.accountId, name);
  return role ? role.arn : roleArn(context.accountId, '/', name);
}

export function putRole(context: OperationContext, role: RoleRecord): void {
  context.state.t.roles.put(roleKey(role.accountId, role.roleName), role);
}

function checkTrustSize(context: OperationContext, document: string): void {
  if (policySize(document) > context.state.quotas.trustPolicySize) {
    throw new AwsError(
      'LimitExceeded',
      `Cannot exceed quota for ACLSizePerRole: ${context.state.quotas.trustPolicySize}`,
    );
  }
}

function validateTrust(context: OperationContext, document: string): void {
  checkTrustPolicy(document, (arn) => context.state.principalExists(arn));
  checkTrustSize(context, document);
}

export function requireBoundaryPolicy(
  context: OperationContext,
  arn: string,
  code: 'InvalidInput' | 'ValidationError',
): AnyManagedPolicy {
  if (!/^arn:[^:]*:iam::(\d{12}|aws):policy\//.test(arn))
    throw new AwsError(code, `ARN ${arn} is not valid.`);
  const policy = context.state.getManagedPolicy(context.accountId, arn);
  if (!policy) throw new AwsError('NoSuchEntity', `Scope ARN: ${arn} does not exist or is not attachable.`);
  if (policy.kind === 'aws' && !policy.record.isAttachable) {
    throw new AwsError('PolicyNotAttachable', `Cannot attach a Service Role Policy to a Customer Role.`);
  }
  return policy;
}

// ------------------------------------------------------------------------------------------------
// Roles

const createRole: Operation = (context) => {
  const { params } = context;
  const v = validator();
  const name = roleName(v, params);
  const document = policyDocument(v, params, 'assumeRolePolicyDocument', 'AssumeRolePolicyDocument');
  const path = params.get('Path') ?? '/';
  v.string('path', path, 1, 512, rolePathPattern, shown.path);
  const description = params.get('Description');
  v.string('description', description, 0, 1000, descriptionPattern, shown.description);
  const maxSessionDuration =
    v.integer('maxSessionDuration', params.get('MaxSessionDuration'), 3600, 43200) ?? 3600;
  const boundary = arnParam(v, params, 'permissionsBoundary', 'PermissionsBoundary', false);
  const tags = readTags(v, params) ?? [];
  v.throwIfAny();
  const arn = roleArn(context.accountId, path, name);
  context.authorize('iam:CreateRole', arn, tagContext(tags));
  if (path.startsWith('/aws-service-role/') || path.startsWith('/aws-reserved/')) {
    // Design choice (unverified wording): these paths belong to roles that AWS alone creates.
    throw new AwsError('InvalidInput', `The path ${path} is reserved for roles created by AWS.`);
  }
  if (boundary !== undefined)
    context.authorize('iam:PutRolePermissionsBoundary', arn, { 'iam:PermissionsBoundary': boundary });
  checkTagSemantics(tags, true);
  if (boundary !== undefined) requireBoundaryPolicy(context, boundary, 'InvalidInput');
  if (context.state.getRole(context.accountId, name)) {
    throw new AwsError('EntityAlreadyExists', `Role with name ${name} already exists.`);
  }
  validateTrust(context, document);
  if (context.state.t.roles.countInAccount(context.accountId) >= context.state.quotas.rolesPerAccount) {
    throw new AwsError(
      'LimitExceeded',
      `Cannot exceed quota for RolesPerAccount: ${context.state.quotas.rolesPerAccount}`,
    );
  }
  const role: RoleRecord = {
    accountId: context.accountId,
    roleName: name,
    roleId: uniqueId('AROA'),
    path,
    arn,
    createDate: context.now.toISOString(),
    trustPolicy: document,
    description,
    maxSessionDuration,
    boundaryArn: boundary,
    tags,
    inlinePolicies: [],
    attachedPolicies: [],
  };
  putRole(context, role);
  return roleXml(role, 'create', tags);
};

const getRole: Operation = (context) => {
  const v = validator();
  const name = roleName(v, context.params);
  v.throwIfAny();
  context.authorize('iam:GetRole', roleResource(context, name));
  return roleXml(requireRole(context, name), 'get');
};

const listRoles: Operation = (context) => {
  const v = validator();
  const prefix = context.params.get('PathPrefix') ?? '/';
  v.string('pathPrefix', prefix, 1, 512, pathPrefixPattern, shown.pathPrefix);
  const { marker, maxItems } = paging(v, context.params);
  v.throwIfAny();
  context.authorize('iam:ListRoles', `arn:aws:iam::${context.accountId}:role/`);
  const roles = context.state
    .rolesOf(context.accountId)
    .filter((role) => role.path.startsWith(prefix))
    .sort((a, b) => (a.roleName.toLowerCase() < b.roleName.toLowerCase() ? -1 : 1));
  const result = paginate(roles, (role) => role.roleName.toLowerCase(), marker, maxItems);
  return (
    members(
      'Roles',
      result.page.map((role) => roleFields(role, 'list')),
    ) + pageXml(result.isTruncated, result.marker)
  );
};

function updateRoleFields(
  context: OperationContext,
  action: string,
): { role: RoleRecord; description?: string; maxSessionDuration?: number } {
  const v = validator();
  const name = roleName(v, context.params);
  const description = context.params.get('Description');
  v.string('description', description, 0, 1000, descriptionPattern, shown.description);
  if (action === 'iam:UpdateRoleDescription') v.required('description', description);
  const maxSessionDuration = v.integer(
    'maxSessionDuration',
    context.params.get('MaxSessionDuration'),
    3600,
    43200,
  );
  v.throwIfAny();
  context.authorize(action, roleResource(context, name));
  const role = requireRole(context, name);
  if (isServiceLinked(role)) throw protectedRole(role);
  return { role, description, maxSessionDuration };
}

const updateRole: Operation = (context) => {
  const { role, description, maxSessionDuration } = updateRoleFields(context, 'iam:UpdateRole');
  putRole(context, {
    ...role,
    description: description ?? role.description,
    maxSessionDuration: maxSessionDuration ?? role.maxSessionDuration,
  });
  return '';
};

const updateRoleDescription: Operation = (context) => {
  const { role, description } = updateRoleFields(context, 'iam:UpdateRoleDescription');
  const updated = { ...role, description };
  putRole(context, updated);
  return roleXml(updated, 'get');
};

const updateAssumeRolePolicy: Operation = (context) => {
  const v = validator();
  const name = roleName(v, context.params);
  const document = policyDocument(v, context.params, 'policyDocument', 'PolicyDocument');
  v.throwIfAny();
  context.authorize('iam:UpdateAssumeRolePolicy', roleResource(context, name));
  const role = requireRole(context, name);
  if (isServiceLinked(role)) throw protectedRole(role);
  validateTrust(context, document);
  putRole(context, { ...role, trustPolicy: document });
  return null;
};

const deleteRole: Operation = (context) => {
  const v = validator();
  const name = roleName(v, context.params);
  v.throwIfAny();
  context.authorize('iam:DeleteRole', roleResource(context, name));
  const role = requireRole(context, name);
  if (isServiceLinked(role)) throw protectedRole(role);
  if (role.attachedPolicies.length > 0)
    throw new AwsError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
  if (role.inlinePolicies.length > 0)
    throw new AwsError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
  if (context.state.instanceProfilesOfRole(role.accountId, role.roleName).length > 0) {
    throw new AwsError(
      'DeleteConflict',
      'Cannot delete entity, must remove roles from instance profile first.',
    );
  }
  context.state.t.roles.delete(roleKey(role.accountId, role.roleName));
  return null;
};

/** The role operations, by Action name. */
export const roleOperations = {
  CreateRole: createRole,
  GetRole: getRole,
  ListRoles: listRoles,
  UpdateRole: updateRole,
  UpdateRoleDescription: updateRoleDescription,
  UpdateAssumeRolePolicy: updateAssumeRolePolicy,
  DeleteRole: deleteRole,
  ...taggingOperations({
    type: 'Role',
    quotaName: 'TagsPerRole',
    readName: (v, params) => roleName(v, params),
    resource: roleResource,
    load: requireRole,
    save: putRole,
    guardWrite: (role) => {
      if (isServiceLinked(role)) throw protectedRole(role);
    },
  }),
} satisfies Record<string, Operation>;
