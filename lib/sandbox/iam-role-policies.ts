import 'server-only';
import type { Operation, OperationContext } from '@/lib/sandbox/operation';
import { checkIdentityPolicy, policySize } from '@/lib/sandbox/policy-check';
import { AwsError, el, encodeDocument, escapeXml, members, type Validator } from '@/lib/sandbox/protocol';
import {
  arnParam,
  pageXml,
  paginate,
  paging,
  policyDocument,
  policyName,
  policyPathPattern,
  roleName,
  shown,
  validator,
} from '@/lib/sandbox/iam-params';
import {
  isServiceLinked,
  protectedRole,
  putRole,
  requireBoundaryPolicy,
  requireRole,
  roleResource,
} from '@/lib/sandbox/iam-roles';
import { parsePolicyArn, type AnyManagedPolicy } from '@/lib/sandbox/state';
import type { RoleRecord } from '@/lib/sandbox/store';

// The emulator's IAM operations on a role's policies: inline policies, attached managed policies
// and the permissions boundary.

// ------------------------------------------------------------------------------------------------
// Inline policies

const putRolePolicy: Operation = (context) => {
  const v = validator();
  const name = roleName(v, context.params);
  const policy = policyName(v, context.params);
  const document = policyDocument(v, context.params, 'policyDocument', 'PolicyDocument');
  v.throwIfAny();
  context.authorize('iam:PutRolePolicy', roleResource(context, name));
  const role = requireRole(context, name);
  if (isServiceLinked(role)) throw protectedRole(role);
  checkIdentityPolicy(document, { managed: false });
  const others = role.inlinePolicies.filter((inline) => inline.name !== policy);
  const total = others.reduce((sum, inline) => sum + policySize(inline.document), 0) + policySize(document);
  if (total > context.state.quotas.rolePolicySize) {
    throw new AwsError(
      'LimitExceeded',
      `Maximum policy size of ${context.state.quotas.rolePolicySize} bytes exceeded for role ${role.roleName}`,
    );
  }
  const existing = role.inlinePolicies.findIndex((inline) => inline.name === policy);
  const inlinePolicies = [...role.inlinePolicies];
  if (existing >= 0) inlinePolicies[existing] = { name: policy, document };
  else inlinePolicies.push({ name: policy, document });
  putRole(context, { ...role, inlinePolicies });
  return null;
};

function findInline(
  context: OperationContext,
  action: string,
): { role: RoleRecord; name: string; index: number } {
  const v = validator();
  const role = roleName(v, context.params);
  const name = policyName(v, context.params);
  v.throwIfAny();
  context.authorize(action, roleResource(context, role));
  const record = requireRole(context, role);
  const index = record.inlinePolicies.findIndex((inline) => inline.name === name);
  if (index < 0) throw new AwsError('NoSuchEntity', `The role policy with name ${name} cannot be found.`);
  return { role: record, name, index };
}

const getRolePolicy: Operation = (context) => {
  const { role, index } = findInline(context, 'iam:GetRolePolicy');
  const inline = role.inlinePolicies[index]!;
  return (
    el('RoleName', role.roleName) +
    el('PolicyName', inline.name) +
    el('PolicyDocument', encodeDocument(inline.document))
  );
};

const deleteRolePolicy: Operation = (context) => {
  const { role, index } = findInline(context, 'iam:DeleteRolePolicy');
  if (isServiceLinked(role)) throw protectedRole(role);
  putRole(context, {
    ...role,
    inlinePolicies: role.inlinePolicies.filter((_, position) => position !== index),
  });
  return null;
};

const listRolePolicies: Operation = (context) => {
  const v = validator();
  const name = roleName(v, context.params);
  const { marker, maxItems } = paging(v, context.params);
  v.throwIfAny();
  context.authorize('iam:ListRolePolicies', roleResource(context, name));
  const role = requireRole(context, name);
  const names = role.inlinePolicies.map((inline) => inline.name).sort();
  const result = paginate(names, (item) => item, marker, maxItems);
  return members('PolicyNames', result.page.map(escapeXml)) + pageXml(result.isTruncated, result.marker);
};

// ------------------------------------------------------------------------------------------------
// Managed policy attachments and boundaries

function policyArnForAttach(context: OperationContext, v: Validator): string {
  const arn = arnParam(v, context.params, 'policyArn', 'PolicyArn') ?? '';
  return arn;
}

const attachRolePolicy: Operation = (context) => {
  const v = validator();
  const name = roleName(v, context.params);
  const arn = policyArnForAttach(context, v);
  v.throwIfAny();
  if (/^arn:/.test(arn) && !/^arn:aws:/.test(arn) && /^arn:[^:]+:iam::/.test(arn))
    throw new AwsError('ValidationError', 'Invalid ARN partition');
  if (!parsePolicyArn(arn)) throw new AwsError('ValidationError', `ARN ${arn} is not valid.`);
  context.authorize('iam:AttachRolePolicy', roleResource(context, name), { 'iam:PolicyARN': arn });
  const role = requireRole(context, name);
  if (isServiceLinked(role)) throw protectedRole(role);
  const policy = context.state.getManagedPolicy(context.accountId, arn);
  if (!policy) throw new AwsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
  if (policy.kind === 'aws' && !policy.record.isAttachable) {
    throw new AwsError('PolicyNotAttachable', 'Cannot attach a Service Role Policy to a Customer Role.');
  }
  if (role.attachedPolicies.includes(arn)) return null;
  if (role.attachedPolicies.length >= context.state.quotas.policiesPerRole) {
    throw new AwsError(
      'LimitExceeded',
      `Cannot exceed quota for PoliciesPerRole: ${context.state.quotas.policiesPerRole}`,
    );
  }
  putRole(context, { ...role, attachedPolicies: [...role.attachedPolicies, arn] });
  return null;
};

const detachRolePolicy: Operation = (context) => {
  const v = validator();
  const name = roleName(v, context.params);
  const arn = policyArnForAttach(context, v);
  v.throwIfAny();
  if (!parsePolicyArn(arn)) throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`);
  context.authorize('iam:DetachRolePolicy', roleResource(context, name), { 'iam:PolicyARN': arn });
  const role = requireRole(context, name);
  if (isServiceLinked(role)) throw protectedRole(role);
  if (!role.attachedPolicies.includes(arn))
    throw new AwsError('NoSuchEntity', `Policy ${arn} was not found.`);
  putRole(context, { ...role, attachedPolicies: role.attachedPolicies.filter((item) => item !== arn) });
  return null;
};

const listAttachedRolePolicies: Operation = (context) => {
  const v = validator();
  const name = roleName(v, context.params);
  const prefix = context.params.get('PathPrefix') ?? '/';
  v.string('pathPrefix', prefix, 1, 512, policyPathPattern, shown.policyPath);
  const { marker, maxItems } = paging(v, context.params);
  v.throwIfAny();
  context.authorize('iam:ListAttachedRolePolicies', roleResource(context, name));
  const role = requireRole(context, name);
  const attached = role.attachedPolicies
    .map((arn) => context.state.getManagedPolicy(context.accountId, arn))
    .filter(
      (policy): policy is AnyManagedPolicy => policy !== undefined && policy.record.path.startsWith(prefix),
    );
  const result = paginate(attached, (policy) => policy.record.arn, marker, maxItems);
  return (
    members(
      'AttachedPolicies',
      result.page.map(
        (policy) => el('PolicyName', policy.record.policyName) + el('PolicyArn', policy.record.arn),
      ),
    ) + pageXml(result.isTruncated, result.marker)
  );
};

const putRolePermissionsBoundary: Operation = (context) => {
  const v = validator();
  const name = roleName(v, context.params);
  const arn = arnParam(v, context.params, 'permissionsBoundary', 'PermissionsBoundary') ?? '';
  v.throwIfAny();
  context.authorize('iam:PutRolePermissionsBoundary', roleResource(context, name), {
    'iam:PermissionsBoundary': arn,
  });
  if (!/^arn:[^:]*:iam::(\d{12}|aws):policy\//.test(arn))
    throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`);
  const role = requireRole(context, name);
  if (isServiceLinked(role)) throw protectedRole(role);
  requireBoundaryPolicy(context, arn, 'InvalidInput');
  putRole(context, { ...role, boundaryArn: arn });
  return null;
};

const deleteRolePermissionsBoundary: Operation = (context) => {
  const v = validator();
  const name = roleName(v, context.params);
  v.throwIfAny();
  context.authorize('iam:DeleteRolePermissionsBoundary', roleResource(context, name));
  const role = requireRole(context, name);
  if (isServiceLinked(role)) throw protectedRole(role);
  if (role.boundaryArn !== undefined) {
    const { boundaryArn: _removed, ...rest } = role;
    putRole(context, rest);
  }
  return null;
};

/** The operations on a role's policies, by Action name. */
export const rolePolicyOperations = {
  PutRolePolicy: putRolePolicy,
  GetRolePolicy: getRolePolicy,
  ListRolePolicies: listRolePolicies,
  DeleteRolePolicy: deleteRolePolicy,
  AttachRolePolicy: attachRolePolicy,
  DetachRolePolicy: detachRolePolicy,
  ListAttachedRolePolicies: listAttachedRolePolicies,
  PutRolePermissionsBoundary: putRolePermissionsBoundary,
  DeleteRolePermissionsBoundary: deleteRolePermissionsBoundary,
} satisfies Record<string, Operation>;
