import 'server-only';
import { compileCached, simulateDecision, type RequestContext } from '@/lib/sandbox/authorize';
import { uniqueId } from '@/lib/sandbox/ids';
import { checkIdentityPolicy, checkTrustPolicy, policySize } from '@/lib/sandbox/policy-check';
import { statementRanges } from '@/lib/iam/json-locate';
import {
  AwsError,
  Validator,
  el,
  encodeDocument,
  escapeXml,
  members,
  node,
  noSuchRole,
  parseBoolean,
  type Params,
} from '@/lib/sandbox/protocol';
import {
  parsePolicyArn,
  policyKey,
  roleKey,
  type AnyManagedPolicy,
  type Caller,
  type SandboxState,
} from '@/lib/sandbox/state';
import type { ManagedPolicyRecord, RoleRecord, Tag } from '@/lib/sandbox/store';

/** Facts about the HTTP request that policies can test (`aws:SourceIp`, `aws:SecureTransport`). */
export interface RequestFacts {
  sourceIp: string;
  secureTransport: boolean;
}

/** What an operation gets: the state, the caller's account and identity, the request parameters. */
export interface OperationContext {
  state: SandboxState;
  facts: RequestFacts;
  accountId: string;
  caller: Caller;
  params: Params;
  now: Date;
  /** Throws AccessDenied unless the caller may perform `action` on `resource`. */
  authorize(action: string, resource: string, extraContext?: RequestContext): void;
}

/** An operation returns the inner XML of its `<Op>Result`, or null when it has no output. */
export type Operation = (context: OperationContext) => string | null;

// ------------------------------------------------------------------------------------------------
// Constraints (reference 4)

const roleNamePattern = /^[\w+=,.@-]+$/;
const rolePathPattern = /^(\/|\/[\u0021-\u007E]+\/)$/;
const pathPrefixPattern = /^\/[\u0021-\u007F]*$/;
const policyPathPattern = /^((\/[A-Za-z0-9.,+@=_-]+)*)\/$/;
const descriptionPattern = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;
const documentPattern = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;
const tagKeyPattern = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const tagValuePattern = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const markerPattern = /^[\u0020-\u00FF]+$/;
const versionIdPattern = /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/;

const shown = {
  roleName: '[\\w+=,.@-]+',
  path: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
  pathPrefix: '\\u002F[\\u0021-\\u007F]*',
  policyPath: '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/',
  description: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*',
  document: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
  tagKey: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+',
  tagValue: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*',
  marker: '[\\u0020-\\u00FF]+',
  versionId: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?',
};

function validator(): Validator {
  return new Validator(false);
}

function roleName(v: Validator, params: Params, member = 'roleName', name = 'RoleName'): string {
  const value = params.get(name);
  v.required(member, value);
  v.string(member, value, 1, 64, roleNamePattern, shown.roleName);
  return value ?? '';
}

function policyDocument(v: Validator, params: Params, member: string, name: string): string {
  const value = params.get(name);
  v.required(member, value);
  v.string(member, value, 1, 131072, documentPattern, shown.document);
  return value ?? '';
}

function arnParam(
  v: Validator,
  params: Params,
  member: string,
  name: string,
  required = true,
): string | undefined {
  const value = params.get(name);
  if (required) v.required(member, value);
  v.string(member, value, 20, 2048);
  return value;
}

function paging(v: Validator, params: Params): { marker?: string; maxItems: number } {
  const marker = params.get('Marker');
  v.string('marker', marker, 1, 320, markerPattern, shown.marker);
  const maxItems = v.integer('maxItems', params.get('MaxItems'), 1, 1000) ?? 100;
  return { marker, maxItems };
}

/** Reads `Tags.member.N.Key/Value`, checking lengths and patterns. */
function readTags(v: Validator, params: Params, name = 'Tags', member = 'tags'): Tag[] | undefined {
  const structs = params.structs(name);
  if (!structs) return undefined;
  v.listLength(member, structs, 50);
  return structs.map((struct, index) => {
    const key = struct.Key;
    const value = struct.Value;
    v.required(`${member}.${index + 1}.member.key`, key);
    v.required(`${member}.${index + 1}.member.value`, value);
    v.string(`${member}.${index + 1}.member.key`, key, 1, 128, tagKeyPattern, shown.tagKey);
    v.string(`${member}.${index + 1}.member.value`, value, 0, 256, tagValuePattern, shown.tagValue);
    return { Key: key ?? '', Value: value ?? '' };
  });
}

/** Semantic tag checks: duplicates (case-insensitive for roles) and the reserved `aws:` prefix. */
function checkTagSemantics(tags: readonly Tag[], caseInsensitive: boolean): void {
  const keys = tags.map((tag) => (caseInsensitive ? tag.Key.toLowerCase() : tag.Key));
  if (new Set(keys).size !== keys.length) {
    throw new AwsError(
      'InvalidInput',
      caseInsensitive
        ? 'Duplicate tag keys found. Please note that Tag keys are case insensitive.'
        : 'Duplicate tag keys found.',
    );
  }
  if (tags.some((tag) => tag.Key.toLowerCase().startsWith('aws:'))) {
    throw new AwsError('InvalidInput', 'Tag keys beginning with "aws:" are reserved for AWS use.');
  }
}

function paginate<T>(items: T[], sortKey: (item: T) => string, marker: string | undefined, maxItems: number) {
  let start = 0;
  if (marker !== undefined) {
    let after: string;
    try {
      after = Buffer.from(marker, 'base64url').toString('utf8');
    } catch {
      after = '';
    }
    if (!after.startsWith('m1:')) throw new AwsError('ValidationError', 'Invalid Marker.');
    const last = after.slice(3);
    start = items.findIndex((item) => sortKey(item) > last);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + maxItems);
  const isTruncated = start + maxItems < items.length;
  const next =
    isTruncated && page.length > 0
      ? Buffer.from(`m1:${sortKey(page[page.length - 1]!)}`).toString('base64url')
      : undefined;
  return { page, isTruncated, marker: next };
}

function pageXml(isTruncated: boolean, marker: string | undefined): string {
  return el('IsTruncated', isTruncated) + el('Marker', marker);
}

// ------------------------------------------------------------------------------------------------
// Serialisation

const tagsXml = (tags: readonly Tag[]) =>
  members(
    'Tags',
    tags.map((tag) => el('Key', tag.Key) + el('Value', tag.Value)),
  );

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
// Helpers

function roleArn(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:role${path}${name}`;
}

function isServiceLinked(role: RoleRecord): boolean {
  return role.path.startsWith('/aws-service-role/') || role.path.startsWith('/aws-reserved/');
}

function protectedRole(role: RoleRecord): AwsError {
  return new AwsError(
    'UnmodifiableEntity',
    `Cannot perform the operation on the protected role '${role.roleName}' - this role is only modifiable by AWS`,
  );
}

function requireRole(context: OperationContext, name: string): RoleRecord {
  const role = context.state.getRole(context.accountId, name);
  if (!role) throw noSuchRole(name);
  return role;
}

/** The resource ARN used for authorising an operation on a role that may not exist. */
function roleResource(context: OperationContext, name: string): string {
  const role = context.state.getRole(context.accountId, name);
  return role ? role.arn : roleArn(context.accountId, '/', name);
}

function putRole(context: OperationContext, role: RoleRecord): void {
  context.state.t.roles.put(roleKey(role.accountId, role.roleName), role);
}

function tagContext(tags: readonly Tag[]): RequestContext {
  const context: RequestContext = { 'aws:TagKeys': tags.map((tag) => tag.Key) };
  for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
  return context;
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

function requireBoundaryPolicy(
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
  if (context.state.rolesOf(context.accountId).length >= context.state.quotas.rolesPerAccount) {
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
  context.state.t.roles.delete(roleKey(role.accountId, role.roleName));
  return null;
};

const tagRole: Operation = (context) => {
  const v = validator();
  const name = roleName(v, context.params);
  const tags = readTags(v, context.params);
  v.required('tags', tags);
  v.throwIfAny();
  context.authorize('iam:TagRole', roleResource(context, name), tagContext(tags ?? []));
  const role = requireRole(context, name);
  if (isServiceLinked(role)) throw protectedRole(role);
  checkTagSemantics(tags ?? [], true);
  const merged = [...role.tags];
  for (const tag of tags ?? []) {
    const index = merged.findIndex((existing) => existing.Key.toLowerCase() === tag.Key.toLowerCase());
    if (index >= 0) merged[index] = tag;
    else merged.push(tag);
  }
  if (merged.length > 50) throw new AwsError('LimitExceeded', 'Cannot exceed quota for TagsPerRole: 50');
  putRole(context, { ...role, tags: merged });
  return null;
};

const untagRole: Operation = (context) => {
  const v = validator();
  const name = roleName(v, context.params);
  const keys = context.params.list('TagKeys');
  v.required('tagKeys', keys);
  v.listLength('tagKeys', keys, 50);
  if (keys?.some((key) => key.length < 1 || key.length > 128 || !tagKeyPattern.test(key))) {
    v.fail(
      'tagKeys',
      undefined,
      `Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ${shown.tagKey}, Member must not be null]`,
    );
  }
  v.throwIfAny();
  context.authorize('iam:UntagRole', roleResource(context, name), { 'aws:TagKeys': keys ?? [] });
  const role = requireRole(context, name);
  if (isServiceLinked(role)) throw protectedRole(role);
  const remove = new Set((keys ?? []).map((key) => key.toLowerCase()));
  const remaining = role.tags.filter((tag) => !remove.has(tag.Key.toLowerCase()));
  if (remaining.length !== role.tags.length) putRole(context, { ...role, tags: remaining });
  return null;
};

const listRoleTags: Operation = (context) => {
  const v = validator();
  const name = roleName(v, context.params);
  const { marker, maxItems } = paging(v, context.params);
  v.throwIfAny();
  context.authorize('iam:ListRoleTags', roleResource(context, name));
  const role = requireRole(context, name);
  const sorted = [...role.tags].sort((a, b) => (a.Key < b.Key ? -1 : 1));
  const result = paginate(sorted, (tag) => tag.Key, marker, maxItems);
  return tagsXml(result.page) + pageXml(result.isTruncated, result.marker);
};

// ------------------------------------------------------------------------------------------------
// Inline policies

function policyName(v: Validator, params: Params): string {
  const value = params.get('PolicyName');
  v.required('policyName', value);
  v.string('policyName', value, 1, 128, roleNamePattern, shown.roleName);
  return value ?? '';
}

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
  const count = [...context.state.t.policies.values()].filter(
    (policy) => policy.accountId === context.accountId,
  ).length;
  if (count >= context.state.quotas.policiesPerAccount) {
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

// ------------------------------------------------------------------------------------------------
// Identity providers

const createOpenIdConnectProvider: Operation = (context) => {
  const v = validator();
  const url = context.params.get('Url');
  v.required('url', url);
  v.string('url', url, 1, 255);
  const clientIds = context.params.list('ClientIDList') ?? [];
  const thumbprints = context.params.list('ThumbprintList') ?? [];
  for (const [index, thumbprint] of thumbprints.entries())
    v.string(`thumbprintList.${index + 1}.member`, thumbprint, 40, 40);
  for (const [index, clientId] of clientIds.entries())
    v.string(`clientIDList.${index + 1}.member`, clientId, 1, 255);
  const tags = readTags(v, context.params) ?? [];
  v.throwIfAny();
  let host: string;
  try {
    const parsed = new URL(url ?? '');
    if (parsed.protocol !== 'https:') throw new Error('not https');
    host = `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    throw new AwsError('InvalidInput', `Invalid URL: ${url ?? ''}`);
  }
  const arn = `arn:aws:iam::${context.accountId}:oidc-provider/${host}`;
  context.authorize('iam:CreateOpenIDConnectProvider', arn, tagContext(tags));
  checkTagSemantics(tags, false);
  if (context.state.t.oidcProviders.get(arn))
    throw new AwsError('EntityAlreadyExists', `Provider with url ${url ?? ''} already exists.`);
  context.state.t.oidcProviders.put(arn, {
    accountId: context.accountId,
    arn,
    url: host,
    clientIds,
    thumbprints,
    createDate: context.now.toISOString(),
    tags,
  });
  return el('OpenIDConnectProviderArn', arn) + (tags.length > 0 ? tagsXml(tags) : '');
};

const listOpenIdConnectProviders: Operation = (context) => {
  context.authorize('iam:ListOpenIDConnectProviders', '*');
  const providers = [...context.state.t.oidcProviders.values()].filter(
    (provider) => provider.accountId === context.accountId,
  );
  return members(
    'OpenIDConnectProviderList',
    providers.map((provider) => el('Arn', provider.arn)),
  );
};

const getOpenIdConnectProvider: Operation = (context) => {
  const v = validator();
  const arn = arnParam(v, context.params, 'openIDConnectProviderArn', 'OpenIDConnectProviderArn') ?? '';
  v.throwIfAny();
  context.authorize('iam:GetOpenIDConnectProvider', arn);
  const provider = context.state.t.oidcProviders.get(arn);
  if (!provider || provider.accountId !== context.accountId)
    throw new AwsError('NoSuchEntity', `OpenIDConnect Provider not found for arn ${arn}`);
  return (
    el('Url', provider.url) +
    members('ClientIDList', provider.clientIds.map(escapeXml)) +
    members('ThumbprintList', provider.thumbprints.map(escapeXml)) +
    el('CreateDate', provider.createDate) +
    tagsXml(provider.tags)
  );
};

const createSamlProvider: Operation = (context) => {
  const v = validator();
  const name = context.params.get('Name');
  v.required('name', name);
  v.string('name', name, 1, 128, /^[\w._-]+$/, '[\\w._-]+');
  const metadata = context.params.get('SAMLMetadataDocument');
  v.required('sAMLMetadataDocument', metadata);
  v.string('sAMLMetadataDocument', metadata, 1000, 10_000_000);
  const tags = readTags(v, context.params) ?? [];
  v.throwIfAny();
  const arn = `arn:aws:iam::${context.accountId}:saml-provider/${name ?? ''}`;
  context.authorize('iam:CreateSAMLProvider', arn, tagContext(tags));
  checkTagSemantics(tags, false);
  if (!/<(\w+:)?EntityDescriptor[\s>]/.test(metadata ?? '')) {
    throw new AwsError('InvalidInput', 'Could not parse metadata');
  }
  if (context.state.t.samlProviders.get(arn))
    throw new AwsError('EntityAlreadyExists', `SAMLProvider ${name ?? ''} already exists`);
  const now = context.now;
  context.state.t.samlProviders.put(arn, {
    accountId: context.accountId,
    arn,
    name: name ?? '',
    metadataDocument: metadata ?? '',
    createDate: now.toISOString(),
    validUntil: new Date(now.getTime() + 100 * 365 * 24 * 3600 * 1000).toISOString(),
    tags,
  });
  return el('SAMLProviderArn', arn) + (tags.length > 0 ? tagsXml(tags) : '');
};

const listSamlProviders: Operation = (context) => {
  context.authorize('iam:ListSAMLProviders', '*');
  const providers = [...context.state.t.samlProviders.values()].filter(
    (provider) => provider.accountId === context.accountId,
  );
  return members(
    'SAMLProviderList',
    providers.map(
      (provider) =>
        el('Arn', provider.arn) +
        el('ValidUntil', provider.validUntil) +
        el('CreateDate', provider.createDate),
    ),
  );
};

// ------------------------------------------------------------------------------------------------
// Simulation

interface SimulationInputs {
  identity: { id: string; document: string }[];
  boundary?: string;
  actions: string[];
  resources: string[];
  context: RequestContext;
  caller?: string;
}

function readSimulationCommon(
  v: Validator,
  params: Params,
  custom: boolean,
): Omit<SimulationInputs, 'identity'> & { extra: string[] } {
  const extra = params.list('PolicyInputList') ?? [];
  if (custom) v.required('policyInputList', params.list('PolicyInputList'));
  const boundaries = params.list('PermissionsBoundaryPolicyInputList') ?? [];
  v.listLength('permissionsBoundaryPolicyInputList', boundaries, 1);
  const actions = params.list('ActionNames');
  v.required('actionNames', actions);
  for (const [index, action] of (actions ?? []).entries())
    v.string(`actionNames.${index + 1}.member`, action, 3, 128);
  const resources = params.list('ResourceArns') ?? ['*'];
  for (const [index, resource] of resources.entries())
    v.string(`resourceArns.${index + 1}.member`, resource, 1, 2048);
  const entries = params.structs('ContextEntries') ?? [];
  const context: RequestContext = {};
  for (const [index, entry] of entries.entries()) {
    const name = entry.ContextKeyName;
    v.string(`contextEntries.${index + 1}.member.contextKeyName`, name, 5, 256);
    const type = entry.ContextKeyType;
    v.enumValue(`contextEntries.${index + 1}.member.contextKeyType`, type, [
      'string',
      'stringList',
      'numeric',
      'numericList',
      'boolean',
      'booleanList',
      'ip',
      'ipList',
      'binary',
      'binaryList',
      'date',
      'dateList',
    ]);
    const values = Object.entries(entry)
      .filter(([key]) => key.startsWith('ContextKeyValues.member.'))
      .sort((a, b) => Number(a[0].split('.').pop()) - Number(b[0].split('.').pop()))
      .map(([, value]) => value);
    if (name) context[name] = type?.endsWith('List') ? values : (values[0] ?? '');
  }
  const caller = params.get('CallerArn');
  v.string('callerArn', caller, 1, 2048);
  paging(v, params);
  return { extra, boundary: boundaries[0], actions: actions ?? [], resources, context, caller };
}

function simulate(
  context: OperationContext,
  inputs: SimulationInputs,
  custom: boolean,
  principalArn: string,
): string {
  for (const policy of [
    ...inputs.identity.map((item) => item.document),
    ...(inputs.boundary === undefined ? [] : [inputs.boundary]),
  ]) {
    try {
      checkIdentityPolicy(policy, { managed: false });
    } catch (error) {
      if (error instanceof AwsError)
        throw new AwsError('InvalidInput', `Invalid policy document: ${error.message}`);
      throw error;
    }
    if (!compileCached(policy))
      throw new AwsError('InvalidInput', 'Invalid policy document: Syntax errors in policy.');
  }
  if (custom && inputs.actions.some((action) => action.includes('*') || action.includes('?'))) {
    throw new AwsError(
      'InvalidInput',
      'Actions or resources in the simulation request cannot contain wildcards.',
    );
  }
  const accountId = /^arn:aws:[a-z]+::(\d{12}):/.exec(principalArn)?.[1] ?? context.accountId;
  const kind = /:role\//.test(principalArn) ? ('role' as const) : ('user' as const);
  const principal = { arn: principalArn, accountId, kind };
  const results: string[] = [];
  for (const action of inputs.actions) {
    for (const resource of inputs.resources) {
      const outcome = simulateDecision(
        principal,
        inputs.identity.map((policy) => policy.document),
        inputs.boundary,
        { action, resource, context: inputs.context },
      );
      const statements = outcome.matchedIdentity.map(({ policyIndex, statementIndex }) => {
        const policy = inputs.identity[policyIndex];
        const span = policy ? statementRanges(policy.document)[statementIndex] : undefined;
        const position = (where: { line: number; column: number } | undefined) =>
          el('Line', where?.line ?? 1) + el('Column', where?.column ?? 1);
        return (
          el('SourcePolicyId', policy?.id) +
          el('SourcePolicyType', 'IAM Policy') +
          node('StartPosition', position(span?.start)) +
          node('EndPosition', position(span?.end))
        );
      });
      results.push(
        el('EvalActionName', action) +
          el('EvalResourceName', resource) +
          el('EvalDecision', outcome.decision) +
          members('MatchedStatements', statements) +
          members('MissingContextValues', outcome.missing.map(escapeXml)) +
          node('OrganizationsDecisionDetail', el('AllowedByOrganizations', true)) +
          (outcome.allowedByBoundary === undefined
            ? ''
            : node(
                'PermissionsBoundaryDecisionDetail',
                el('AllowedByPermissionsBoundary', outcome.allowedByBoundary),
              )) +
          node('EvalDecisionDetails', ''),
      );
    }
  }
  return members('EvaluationResults', results) + pageXml(false, undefined);
}

const simulateCustomPolicy: Operation = (context) => {
  const v = validator();
  const common = readSimulationCommon(v, context.params, true);
  v.throwIfAny();
  context.authorize('iam:SimulateCustomPolicy', '*');
  const identity = common.extra.map((document, index) => ({ id: `PolicyInputList.${index + 1}`, document }));
  return simulate(
    context,
    { ...common, identity },
    true,
    common.caller ?? `arn:aws:iam::${context.accountId}:user/simulated`,
  );
};

const simulatePrincipalPolicy: Operation = (context) => {
  const v = validator();
  const source = arnParam(v, context.params, 'policySourceArn', 'PolicySourceArn') ?? '';
  const common = readSimulationCommon(v, context.params, false);
  v.throwIfAny();
  context.authorize('iam:SimulatePrincipalPolicy', source);
  const match = /^arn:aws:iam::(\d{12}):(user|role)(\/(?:.*\/)?)?([^/]+)$/.exec(source);
  if (!match) throw new AwsError('InvalidInput', `Invalid ARN: ${source}`);
  const [, accountId, kind, , name] = match as unknown as [string, string, string, string, string];
  const entity =
    accountId === context.accountId
      ? kind === 'role'
        ? context.state.getRole(accountId, name)
        : context.state.getUser(accountId, name)
      : undefined;
  if (!entity || entity.arn !== source)
    throw new AwsError('NoSuchEntity', `Entity ${source} does not exist.`);
  const identity = [
    ...entity.inlinePolicies.map((inline) => ({ id: inline.name, document: inline.document })),
    ...entity.attachedPolicies.flatMap((arn) => {
      const document = context.state.managedPolicyDocument(accountId, arn);
      return document ? [{ id: arn, document }] : [];
    }),
    ...common.extra.map((document, index) => ({ id: `PolicyInputList.${index + 1}`, document })),
  ];
  const boundary =
    common.boundary ??
    (entity.boundaryArn ? context.state.managedPolicyDocument(accountId, entity.boundaryArn) : undefined);
  return simulate(context, { ...common, identity, boundary }, false, source);
};

// ------------------------------------------------------------------------------------------------
// Account

const getAccountSummary: Operation = (context) => {
  context.authorize('iam:GetAccountSummary', '*');
  const { state, accountId } = context;
  const roles = state.rolesOf(accountId);
  const users = [...state.t.users.values()].filter((user) => user.accountId === accountId);
  const policies = [...state.t.policies.values()].filter((policy) => policy.accountId === accountId);
  const mfa = [...state.t.mfaDevices.values()].filter((device) => device.accountId === accountId).length;
  const providers =
    [...state.t.oidcProviders.values()].filter((provider) => provider.accountId === accountId).length +
    [...state.t.samlProviders.values()].filter((provider) => provider.accountId === accountId).length;
  const attachments = [...roles, ...users].reduce((sum, entity) => sum + entity.attachedPolicies.length, 0);
  const q = state.quotas;
  const summary: [string, number][] = [
    ['AccessKeysPerUserQuota', 2],
    ['AccountAccessKeysPresent', 0],
    ['AccountMFAEnabled', 0],
    ['AccountPasswordPresent', 0],
    ['AccountSigningCertificatesPresent', 0],
    ['AssumeRolePolicySizeQuota', q.trustPolicySize],
    ['AttachedPoliciesPerGroupQuota', 10],
    ['AttachedPoliciesPerRoleQuota', q.policiesPerRole],
    ['AttachedPoliciesPerUserQuota', 10],
    ['GlobalEndpointTokenVersion', 1],
    ['GroupPolicySizeQuota', 5120],
    ['Groups', 0],
    ['GroupsPerUserQuota', 10],
    ['GroupsQuota', 300],
    ['InstanceProfiles', 0],
    ['InstanceProfilesQuota', 1000],
    ['MFADevices', mfa],
    ['MFADevicesInUse', mfa],
    ['Policies', policies.length],
    ['PoliciesQuota', q.policiesPerAccount],
    ['PolicySizeQuota', q.managedPolicySize],
    ['PolicyVersionsInUse', attachments],
    ['PolicyVersionsInUseQuota', 10000],
    ['Providers', providers],
    ['RolePolicySizeQuota', q.rolePolicySize],
    ['Roles', roles.length],
    ['RolesQuota', q.rolesPerAccount],
    ['ServerCertificates', 0],
    ['ServerCertificatesQuota', 20],
    ['SigningCertificatesPerUserQuota', 2],
    ['UserPolicySizeQuota', 2048],
    ['Users', users.length],
    ['UsersQuota', 5000],
    ['VersionsPerPolicyQuota', q.versionsPerPolicy],
  ];
  return node(
    'SummaryMap',
    summary.map(([key, value]) => `<entry>${el('key', key)}${el('value', value)}</entry>`).join(''),
  );
};

const listAccountAliases: Operation = (context) => {
  const v = validator();
  paging(v, context.params);
  v.throwIfAny();
  context.authorize('iam:ListAccountAliases', '*');
  const alias = context.state.t.accounts.get(context.accountId)?.alias;
  return members('AccountAliases', alias ? [alias] : []) + pageXml(false, undefined);
};

const getUser: Operation = (context) => {
  const v = validator();
  const name = context.params.get('UserName');
  v.string('userName', name, 1, 64, roleNamePattern, shown.roleName);
  v.throwIfAny();
  const caller = context.caller;
  const userName = name ?? (caller.kind === 'user' ? caller.user.userName : undefined);
  if (userName === undefined)
    throw new AwsError('ValidationError', 'Must specify userName when calling with non-User credentials');
  const user = context.state.getUser(context.accountId, userName);
  context.authorize('iam:GetUser', user?.arn ?? `arn:aws:iam::${context.accountId}:user/${userName}`);
  if (!user) throw new AwsError('NoSuchEntity', `The user with name ${userName} cannot be found.`);
  return node(
    'User',
    el('Path', user.path) +
      el('UserName', user.userName) +
      el('UserId', user.userId) +
      el('Arn', user.arn) +
      el('CreateDate', user.createDate) +
      (user.tags.length > 0 ? tagsXml(user.tags) : ''),
  );
};

/** Every IAM operation the emulator serves, by Action name. */
export const iamOperations: Record<string, Operation> = {
  CreateRole: createRole,
  GetRole: getRole,
  ListRoles: listRoles,
  UpdateRole: updateRole,
  UpdateRoleDescription: updateRoleDescription,
  UpdateAssumeRolePolicy: updateAssumeRolePolicy,
  DeleteRole: deleteRole,
  TagRole: tagRole,
  UntagRole: untagRole,
  ListRoleTags: listRoleTags,
  PutRolePolicy: putRolePolicy,
  GetRolePolicy: getRolePolicy,
  ListRolePolicies: listRolePolicies,
  DeleteRolePolicy: deleteRolePolicy,
  AttachRolePolicy: attachRolePolicy,
  DetachRolePolicy: detachRolePolicy,
  ListAttachedRolePolicies: listAttachedRolePolicies,
  PutRolePermissionsBoundary: putRolePermissionsBoundary,
  DeleteRolePermissionsBoundary: deleteRolePermissionsBoundary,
  CreatePolicy: createPolicy,
  GetPolicy: getPolicy,
  GetPolicyVersion: getPolicyVersion,
  CreatePolicyVersion: createPolicyVersion,
  ListPolicyVersions: listPolicyVersions,
  DeletePolicyVersion: deletePolicyVersion,
  ListPolicies: listPolicies,
  DeletePolicy: deletePolicy,
  ListEntitiesForPolicy: listEntitiesForPolicy,
  CreateOpenIDConnectProvider: createOpenIdConnectProvider,
  GetOpenIDConnectProvider: getOpenIdConnectProvider,
  ListOpenIDConnectProviders: listOpenIdConnectProviders,
  CreateSAMLProvider: createSamlProvider,
  ListSAMLProviders: listSamlProviders,
  SimulateCustomPolicy: simulateCustomPolicy,
  SimulatePrincipalPolicy: simulatePrincipalPolicy,
  GetAccountSummary: getAccountSummary,
  ListAccountAliases: listAccountAliases,
  GetUser: getUser,
};
