import 'server-only';
import { uniqueId } from '@/lib/sandbox/ids';
import type { Operation, OperationContext } from '@/lib/sandbox/operation';
import { checkIdentityPolicy, policySize } from '@/lib/sandbox/policy-check';
import { AwsError, el, encodeDocument, members, node, parseBoolean } from '@/lib/sandbox/protocol';
import {
  arnParam,
  checkTagSemantics,
  pageXml,
  paginate,
  paging,
  pathPrefixPattern,
  policyDocument,
  policyName,
  policyPathPattern,
  readTags,
  shown,
  tagContext,
  tagsXml,
  validator,
  versionIdPattern,
} from '@/lib/sandbox/iam-params';
import { parsePolicyArn, policyKey, type AnyManagedPolicy, type SandboxState } from '@/lib/sandbox/state';
import type { ManagedPolicyRecord } from '@/lib/sandbox/store';

// The emulator's IAM operations on managed policies: customer managed policies and their
// versions, and the AWS managed ones.

function policyXml(
  state: SandboxState,
  accountId: string,
  policy: AnyManagedPolicy,
  variant: 'create' | 'get' | 'list',
  wrapper: string | null = 'Policy',
): string {
  const record = policy.record;
  const usage = state.usage(accountId, record.arn);
  let xml =
    el('PolicyName', record.policyName) +
    el('PolicyId', record.policyId) +
    el('Arn', record.arn) +
    el('Path', record.path) +
    el('DefaultVersionId', record.defaultVersionId) +
    el('AttachmentCount', usage.attachments) +
    el('PermissionsBoundaryUsageCount', usage.boundaries) +
    el('IsAttachable', policy.kind === 'aws' ? policy.record.isAttachable : true) +
    el('CreateDate', record.createDate) +
    el('UpdateDate', record.updateDate);
  const tags = policy.kind === 'customer' ? policy.record.tags : [];
  if (variant === 'get') {
    xml +=
      el('Description', policy.kind === 'customer' ? policy.record.description : undefined) + tagsXml(tags);
  } else if (variant === 'create' && tags.length > 0) xml += tagsXml(tags);
  return wrapper ? node(wrapper, xml) : xml;
}

// ------------------------------------------------------------------------------------------------
// Customer managed policies

function checkManagedSize(context: OperationContext, document: string): void {
  if (policySize(document) > context.state.quotas.managedPolicySize) {
    throw new AwsError(
      'LimitExceeded',
      `Cannot exceed quota for PolicySize: ${context.state.quotas.managedPolicySize}`,
    );
  }
}

const createPolicy: Operation = (context) => {
  const v = validator();
  const name = policyName(v, context.params);
  const document = policyDocument(v, context.params, 'policyDocument', 'PolicyDocument');
  const path = context.params.get('Path') ?? '/';
  v.string('path', path, 1, 512, policyPathPattern, shown.policyPath);
  const description = context.params.get('Description');
  v.string('description', description, 0, 1000);
  const tags = readTags(v, context.params) ?? [];
  v.throwIfAny();
  const arn = `arn:aws:iam::${context.accountId}:policy${path}${name}`;
  context.authorize('iam:CreatePolicy', arn, tagContext(tags));
  checkTagSemantics(tags, false);
  if (context.state.t.policies.get(policyKey(context.accountId, name))) {
    throw new AwsError(
      'EntityAlreadyExists',
      `A policy called ${name} already exists. Duplicate names are not allowed.`,
    );
  }
  checkIdentityPolicy(document, { managed: true });
  checkManagedSize(context, document);
  if (context.state.t.policies.countInAccount(context.accountId) >= context.state.quotas.policiesPerAccount) {
    throw new AwsError(
      'LimitExceeded',
      `Cannot exceed quota for PoliciesPerAccount: ${context.state.quotas.policiesPerAccount}`,
    );
  }
  const now = context.now.toISOString();
  const record: ManagedPolicyRecord = {
    accountId: context.accountId,
    policyName: name,
    policyId: uniqueId('ANPA'),
    arn,
    path,
    description,
    createDate: now,
    updateDate: now,
    defaultVersionId: 'v1',
    versions: [{ versionId: 'v1', document, createDate: now }],
    nextVersion: 2,
    tags,
  };
  context.state.t.policies.put(policyKey(context.accountId, name), record);
  return policyXml(context.state, context.accountId, { kind: 'customer', record }, 'create');
};

function requirePolicy(context: OperationContext, action: string): AnyManagedPolicy {
  const v = validator();
  const arn = arnParam(v, context.params, 'policyArn', 'PolicyArn') ?? '';
  v.throwIfAny();
  if (!parsePolicyArn(arn)) throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`);
  context.authorize(action, arn);
  const policy = context.state.getManagedPolicy(context.accountId, arn);
  if (!policy) throw new AwsError('NoSuchEntity', `Policy ${arn} was not found.`);
  return policy;
}

const getPolicy: Operation = (context) => {
  const policy = requirePolicy(context, 'iam:GetPolicy');
  return policyXml(context.state, context.accountId, policy, 'get');
};

function versionsOf(policy: AnyManagedPolicy) {
  if (policy.kind === 'aws') {
    return [
      {
        versionId: policy.record.defaultVersionId,
        document: policy.record.document,
        createDate: policy.record.updateDate,
      },
    ];
  }
  return policy.record.versions;
}

const getPolicyVersion: Operation = (context) => {
  const v = validator();
  const arn = arnParam(v, context.params, 'policyArn', 'PolicyArn') ?? '';
  const versionId = context.params.get('VersionId');
  v.required('versionId', versionId);
  v.string('versionId', versionId, 0, 1000, versionIdPattern, shown.versionId);
  v.throwIfAny();
  if (!parsePolicyArn(arn)) throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`);
  context.authorize('iam:GetPolicyVersion', arn);
  const policy = context.state.getManagedPolicy(context.accountId, arn);
  const version = policy ? versionsOf(policy).find((item) => item.versionId === versionId) : undefined;
  if (!policy || !version) {
    throw new AwsError(
      'NoSuchEntity',
      `Policy ${arn} version ${versionId} does not exist or is not attachable.`,
    );
  }
  return node(
    'PolicyVersion',
    el('Document', encodeDocument(version.document)) +
      el('VersionId', version.versionId) +
      el('IsDefaultVersion', version.versionId === policy.record.defaultVersionId) +
      el('CreateDate', version.createDate),
  );
};

const createPolicyVersion: Operation = (context) => {
  const v = validator();
  const arn = arnParam(v, context.params, 'policyArn', 'PolicyArn') ?? '';
  const document = policyDocument(v, context.params, 'policyDocument', 'PolicyDocument');
  const setAsDefault = parseBoolean(context.params.get('SetAsDefault')) ?? false;
  v.throwIfAny();
  if (!parsePolicyArn(arn)) throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`);
  context.authorize('iam:CreatePolicyVersion', arn);
  const policy = context.state.getManagedPolicy(context.accountId, arn);
  if (!policy) throw new AwsError('NoSuchEntity', `Policy ${arn} was not found.`);
  if (policy.kind === 'aws') throw new AwsError('AccessDenied', `Cannot modify an AWS managed policy.`);
  checkIdentityPolicy(document, { managed: true });
  checkManagedSize(context, document);
  const record = policy.record;
  if (record.versions.length >= context.state.quotas.versionsPerPolicy) {
    throw new AwsError(
      'LimitExceeded',
      `A managed policy can have up to ${context.state.quotas.versionsPerPolicy} versions. Before you create a new version, you must delete an existing version.`,
    );
  }
  const now = context.now.toISOString();
  const version = { versionId: `v${record.nextVersion}`, document, createDate: now };
  const updated: ManagedPolicyRecord = {
    ...record,
    versions: [...record.versions, version],
    nextVersion: record.nextVersion + 1,
    defaultVersionId: setAsDefault ? version.versionId : record.defaultVersionId,
    updateDate: setAsDefault ? now : record.updateDate,
  };
  context.state.t.policies.put(policyKey(record.accountId, record.policyName), updated);
  return node(
    'PolicyVersion',
    el('VersionId', version.versionId) +
      el('IsDefaultVersion', setAsDefault) +
      el('CreateDate', version.createDate),
  );
};

const listPolicyVersions: Operation = (context) => {
  const policy = requirePolicy(context, 'iam:ListPolicyVersions');
  const versions = [...versionsOf(policy)].reverse();
  return (
    members(
      'Versions',
      versions.map(
        (version) =>
          el('VersionId', version.versionId) +
          el('IsDefaultVersion', version.versionId === policy.record.defaultVersionId) +
          el('CreateDate', version.createDate),
      ),
    ) + pageXml(false, undefined)
  );
};

const deletePolicyVersion: Operation = (context) => {
  const v = validator();
  const versionId = context.params.get('VersionId');
  v.required('versionId', versionId);
  v.string('versionId', versionId, 0, 1000, versionIdPattern, shown.versionId);
  v.throwIfAny();
  const policy = requirePolicy(context, 'iam:DeletePolicyVersion');
  if (policy.kind === 'aws') throw new AwsError('AccessDenied', 'Cannot modify an AWS managed policy.');
  const record = policy.record;
  if (!record.versions.some((version) => version.versionId === versionId)) {
    throw new AwsError(
      'NoSuchEntity',
      `Policy ${record.arn} version ${versionId} does not exist or is not attachable.`,
    );
  }
  if (versionId === record.defaultVersionId)
    throw new AwsError('DeleteConflict', 'Cannot delete the default version of a policy.');
  context.state.t.policies.put(policyKey(record.accountId, record.policyName), {
    ...record,
    versions: record.versions.filter((version) => version.versionId !== versionId),
  });
  return null;
};

const listPolicies: Operation = (context) => {
  const v = validator();
  const scope = context.params.get('Scope') ?? 'All';
  v.enumValue('scope', scope, ['All', 'AWS', 'Local']);
  const onlyAttached = parseBoolean(context.params.get('OnlyAttached')) ?? false;
  const prefix = context.params.get('PathPrefix') ?? '/';
  v.string('pathPrefix', prefix, 1, 512, policyPathPattern, shown.policyPath);
  const usageFilter = context.params.get('PolicyUsageFilter');
  v.enumValue('policyUsageFilter', usageFilter, ['PermissionsPolicy', 'PermissionsBoundary']);
  const { marker, maxItems } = paging(v, context.params);
  v.throwIfAny();
  context.authorize('iam:ListPolicies', `arn:aws:iam::${context.accountId}:policy/`);
  const all: AnyManagedPolicy[] = [];
  if (scope !== 'Local')
    for (const record of context.state.awsPolicies.values()) all.push({ kind: 'aws', record });
  if (scope !== 'AWS') {
    for (const record of context.state.t.policies.values())
      if (record.accountId === context.accountId) all.push({ kind: 'customer', record });
  }
  let usage: Map<string, { attachments: number; boundaries: number }> | null = null;
  if (onlyAttached) {
    usage = new Map();
    const bump = (arn: string, field: 'attachments' | 'boundaries') => {
      const entry = usage!.get(arn) ?? { attachments: 0, boundaries: 0 };
      entry[field] += 1;
      usage!.set(arn, entry);
    };
    for (const entity of [...context.state.t.roles.values(), ...context.state.t.users.values()]) {
      if (entity.accountId !== context.accountId) continue;
      for (const arn of entity.attachedPolicies) bump(arn, 'attachments');
      if (entity.boundaryArn) bump(entity.boundaryArn, 'boundaries');
    }
  }
  const filtered = all
    .filter((policy) => policy.record.path.startsWith(prefix))
    .filter((policy) => {
      if (!usage) return true;
      const entry = usage.get(policy.record.arn);
      if (!entry) return false;
      if (usageFilter === 'PermissionsPolicy') return entry.attachments > 0;
      if (usageFilter === 'PermissionsBoundary') return entry.boundaries > 0;
      return entry.attachments > 0;
    })
    .sort((a, b) => (a.record.arn < b.record.arn ? -1 : 1));
  const result = paginate(filtered, (policy) => policy.record.arn, marker, maxItems);
  return (
    members(
      'Policies',
      result.page.map((policy) => policyXml(context.state, context.accountId, policy, 'list', null)),
    ) + pageXml(result.isTruncated, result.marker)
  );
};

const deletePolicy: Operation = (context) => {
  const policy = requirePolicy(context, 'iam:DeletePolicy');
  if (policy.kind === 'aws') throw new AwsError('AccessDenied', 'Cannot delete an AWS managed policy.');
  const usage = context.state.usage(context.accountId, policy.record.arn);
  if (usage.attachments > 0 || usage.boundaries > 0)
    throw new AwsError('DeleteConflict', 'Cannot delete a policy attached to entities.');
  if (policy.record.versions.length > 1) {
    throw new AwsError(
      'DeleteConflict',
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
  }
  context.state.t.policies.delete(policyKey(policy.record.accountId, policy.record.policyName));
  return null;
};

const listEntitiesForPolicy: Operation = (context) => {
  const v = validator();
  const filter = context.params.get('EntityFilter');
  v.enumValue('entityFilter', filter, ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy']);
  const usageFilter = context.params.get('PolicyUsageFilter');
  v.enumValue('policyUsageFilter', usageFilter, ['PermissionsPolicy', 'PermissionsBoundary']);
  const prefix = context.params.get('PathPrefix') ?? '/';
  v.string('pathPrefix', prefix, 1, 512, pathPrefixPattern, shown.pathPrefix);
  paging(v, context.params);
  v.throwIfAny();
  const policy = requirePolicy(context, 'iam:ListEntitiesForPolicy');
  const arn = policy.record.arn;
  const uses = (entity: { attachedPolicies: string[]; boundaryArn?: string }) =>
    usageFilter === 'PermissionsBoundary'
      ? entity.boundaryArn === arn
      : usageFilter === 'PermissionsPolicy'
        ? entity.attachedPolicies.includes(arn)
        : entity.attachedPolicies.includes(arn) || entity.boundaryArn === arn;
  const roles =
    filter && filter !== 'Role'
      ? []
      : context.state.rolesOf(context.accountId).filter((role) => role.path.startsWith(prefix) && uses(role));
  const users =
    filter && filter !== 'User'
      ? []
      : [...context.state.t.users.values()].filter(
          (user) => user.accountId === context.accountId && user.path.startsWith(prefix) && uses(user),
        );
  return (
    members('PolicyGroups', []) +
    members(
      'PolicyUsers',
      users.map((user) => el('UserName', user.userName) + el('UserId', user.userId)),
    ) +
    members(
      'PolicyRoles',
      roles.map((role) => el('RoleName', role.roleName) + el('RoleId', role.roleId)),
    ) +
    pageXml(false, undefined)
  );
};

/** The managed-policy operations, by Action name. */
export const policyOperations = {
  CreatePolicy: createPolicy,
  GetPolicy: getPolicy,
  GetPolicyVersion: getPolicyVersion,
  CreatePolicyVersion: createPolicyVersion,
  ListPolicyVersions: listPolicyVersions,
  DeletePolicyVersion: deletePolicyVersion,
  ListPolicies: listPolicies,
  DeletePolicy: deletePolicy,
  ListEntitiesForPolicy: listEntitiesForPolicy,
} satisfies Record<string, Operation>;
